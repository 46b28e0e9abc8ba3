/* SPDX-License-Identifier: MIT */
/*
 * Ballooning in the EPT (XENMEM_decrease_reservation / populate_physmap):
 * a frame handed back is unmapped, so the guest sees a hole there; one
 * populated again maps the guest's own RAM page back, zeroed. Guest RAM is
 * one host allocation, so no page is ever allocated or freed here.
 */
#include "arch/cpu.h"
#include "arch/vmx.h"
#include "arch/x86.h"
#include "core/guest.h"
#include "lib/errno.h"
#include "lib/lib.h"

void guest_ept_lock(struct guest *g)
{
	spin_lock(&g->arch.ept_lock);
}

void guest_ept_unlock_flush(struct guest *g)
{
	/*
	 * Flushed on this CPU now (SDM Vol. 3C, 29.4.3.1); a guest with
	 * other vCPUs has their CPUs flush before the hypercall that made
	 * the change returns (core/hypercall.c).
	 */
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&g->arch.ept));
	if (g->nr_vcpus > 1)
		__atomic_store_n(&g->arch.ept_changed, true, __ATOMIC_RELEASE);
	spin_unlock(&g->arch.ept_lock);
}

bool guest_arch_take_ept_changed(struct guest *g)
{
	return __atomic_load_n(&g->arch.ept_changed, __ATOMIC_RELAXED) &&
	       __atomic_exchange_n(&g->arch.ept_changed, false, __ATOMIC_ACQ_REL);
}

int guest_arch_unmap_ram(struct guest *g, uint64_t gpa, uint64_t size)
{
	int rc;

	guest_ept_lock(g);
	rc = ept_unmap(&g->arch.ept, gpa, size);
	/* Even after a failed split part of the range may be gone: flush either way. */
	guest_ept_unlock_flush(g);
	return rc;
}

int guest_arch_map_grant(struct guest *g, uint64_t gpa, void *page, bool writable)
{
	int rc;

	guest_ept_lock(g);
	rc = ept_unmap(&g->arch.ept, gpa, PAGE_SIZE);

	/*
	 * Data only, like Xen's p2m_grant_map_rw/ro: a peer's page never
	 * carries code into this guest.
	 */
	if (!rc)
		rc = ept_map(&g->arch.ept, gpa, (uint64_t)(uintptr_t)page, PAGE_SIZE,
			     writable ? EPT_R | EPT_W : EPT_R, EPT_MT_WB);
	guest_ept_unlock_flush(g);
	return rc;
}

int guest_arch_restore_ram(struct guest *g, uint64_t gpa, uint64_t size, bool zero)
{
	int rc;

	if (zero)
		memset(g->ram + gpa, 0, size); /* never hand back the previous contents */
	guest_ept_lock(g);
	ept_unmap(&g->arch.ept, gpa, size); /* whatever was left there: a hypervisor page, a hole */
	rc = ept_map(&g->arch.ept, gpa, (uint64_t)(uintptr_t)g->ram + gpa, size, EPT_RWX, EPT_MT_WB);
	guest_ept_unlock_flush(g);
	return rc;
}

unsigned guest_arch_phys_bits(const struct guest *g)
{
	/* Bolt passes the host's leaf 0x80000008 through (cpuid_policy.c); EPT was sized by it. */
	return g->arch.ept.maxphyaddr;
}
