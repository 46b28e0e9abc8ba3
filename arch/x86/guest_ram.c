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

int guest_arch_unmap_ram(struct guest *g, uint64_t gpa, uint64_t size)
{
	int rc = ept_unmap(&g->arch.ept, gpa, size);

	/*
	 * Even after a failed split part of the range may be gone: flush
	 * either way (SDM Vol. 3C, 29.4.3.1). The guest runs on this CPU only.
	 */
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&g->arch.ept));
	return rc;
}

int guest_arch_map_grant(struct guest *g, uint64_t gpa, void *page, bool writable)
{
	int rc = ept_unmap(&g->arch.ept, gpa, PAGE_SIZE);

	/*
	 * Data only, like Xen's p2m_grant_map_rw/ro: a peer's page never
	 * carries code into this guest.
	 */
	if (!rc)
		rc = ept_map(&g->arch.ept, gpa, (uint64_t)(uintptr_t)page, PAGE_SIZE,
			     writable ? EPT_R | EPT_W : EPT_R, EPT_MT_WB);
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&g->arch.ept));
	return rc;
}

int guest_arch_restore_ram(struct guest *g, uint64_t gpa, uint64_t size, bool zero)
{
	int rc;

	if (zero)
		memset(g->ram + gpa, 0, size); /* never hand back the previous contents */
	ept_unmap(&g->arch.ept, gpa, size); /* whatever was left there: a hypervisor page, a hole */
	rc = ept_map(&g->arch.ept, gpa, (uint64_t)(uintptr_t)g->ram + gpa, size, EPT_RWX, EPT_MT_WB);
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&g->arch.ept));
	return rc;
}

unsigned guest_arch_phys_bits(const struct guest *g)
{
	/* Bolt passes the host's leaf 0x80000008 through (cpuid_policy.c); EPT was sized by it. */
	return g->arch.ept.maxphyaddr;
}
