/* SPDX-License-Identifier: MIT */
/*
 * Event-channel upcalls and guest pages owned by the hypervisor.
 *
 * The upcall is Xen's "callback vector": while vcpu_info->evtchn_upcall_pending
 * is set, the vector is injected as an external interrupt whenever the guest
 * can take one (RFLAGS.IF = 1, no STI/MOV-SS blocking, no other event being
 * injected); otherwise interrupt-window exiting brings the vCPU back the
 * moment it can (SDM 25.6.2, 27.7).
 *
 * A guest with `lapic = yes` has a second source, its virtual local APIC
 * (arch/x86/lapic.c). One injection path serves both: the higher vector
 * goes first. The upcall is injected as Xen injects its callback vector,
 * without ISR and needing no EOI, and regardless of the PPR; a vLAPIC
 * vector only when deliverable (above the PPR), and its injection moves
 * it from IRR to ISR. While the other (or another vLAPIC vector) still
 * waits, interrupt-window exiting stays on, so the next one goes in as
 * soon as the guest can take it; an EOI or a TPR write exits anyway.
 */
#include <stdint.h>
#include <xen/xen.h>

#include "arch/cpu.h"
#include "arch/lapic.h"
#include "arch/upcall_pending.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "core/guest.h"
#include "core/trace.h"
#include "lib/errno.h"
#include "lib/lib.h"

/* The state is cached per vCPU: the common case (no change) costs no VMREAD. */
static void set_window_exiting(struct vcpu *v, bool on)
{
	if (v->arch.window_exiting == on)
		return;
	uint32_t ctl = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL,
		     on ? ctl | CPU_INTR_WINDOW_EXITING : ctl & ~CPU_INTR_WINDOW_EXITING);
	v->arch.window_exiting = on;
}

bool vcpu_upcall_pending(const struct vcpu *v)
{
	/* Own CPU only for the vLAPIC part (HLT, SCHEDOP_block, the tick): it syncs the TPR. */
	return upcall_is_pending(v) ||
	       (v->lapic.present && lapic_deliverable((struct vcpu *)v) >= 0);
}

bool vmx_deliver_upcall(struct vcpu *v, bool pending)
{
	/* Guests without a vLAPIC pay one load here, no calls: this is every entry's path. */
	int lv = v->lapic.present ? lapic_deliverable(v) : -1;
	bool lapic = lv >= 0 && (!pending || lv > v->upcall_vector);
	uint8_t vector = lapic ? (uint8_t)lv : v->upcall_vector;
	bool more;

	if (v->lapic.present)
		lapic_update_threshold(v);
	if (!pending && lv < 0) {
		set_window_exiting(v, false);
		return false;
	}
	/*
	 * Woken from HLT: exit_hlt saw IF = 1, vmx_advance_rip() cleared
	 * STI/MOV-SS blocking, and the VM exit cleared the valid bit of the
	 * VM-entry interruption information (SDM Vol. 3C, "Updating
	 * VM-Entry Control Fields" in the chapter on VM exits); nothing ran
	 * since. The three reads below would only confirm it: one VMWRITE.
	 */
	if (!v->arch.halted_clean) {
		uint32_t pending_event = vmcs_read32(VM_ENTRY_INTR_INFO_FIELD);
		/* Already injected on an earlier pass over this entry: nothing more to do. */
		if (!lapic &&
		    pending_event == (INTR_INFO_VALID | INTR_TYPE_EXT_INTR | v->upcall_vector))
			return true;
		bool can_inject = (vmcs_readnat(GUEST_RFLAGS) & X86_RFLAGS_IF) &&
				  !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & 3) &&
				  !(pending_event & INTR_INFO_VALID);
		if (!can_inject) {
			set_window_exiting(v, true);
			return true;
		}
	}
	v->arch.halted_clean = false; /* a second pass over this entry reads them */
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_EXT_INTR | vector);
	if (lapic) {
		lapic_accepted(v, vector);
		lapic_update_threshold(v);
		more = pending || lapic_deliverable(v) >= 0;
		set_window_exiting(v, more);
		return true;
	}
	more = lv >= 0;
	set_window_exiting(v, more);
	v->upcalls++;
	if (trace_enabled && v->guest->trace_active)
		trace_record(TRACE_INJECT, (uint16_t)v->guest->domid, 0);
	return true;
}

void guest_arch_flush_ept(struct guest *g)
{
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&g->arch.ept));
}

/* Replace one 4 KiB guest page by a hypervisor page (shared_info). */
int guest_arch_map_page(struct guest *g, uint64_t gpa, void *page)
{
	int rc;

	guest_ept_lock(g);
	rc = ept_unmap(&g->arch.ept, gpa, PAGE_SIZE);
	if (!rc)
		rc = ept_map(&g->arch.ept, gpa, (uint64_t)(uintptr_t)page, PAGE_SIZE,
			     EPT_R | EPT_W, EPT_MT_WB);
	guest_ept_unlock_flush(g);
	return rc;
}

void guest_arch_restore_ram_page(struct guest *g, uint64_t gpa)
{
	guest_ept_lock(g);
	ept_unmap(&g->arch.ept, gpa, PAGE_SIZE);
	/* Above RAM there is no RAM page to put back: g->ram + gpa is not the guest's. */
	if (gpa < g->ram_size)
		ept_map(&g->arch.ept, gpa, (uint64_t)(uintptr_t)g->ram + gpa, PAGE_SIZE, EPT_RWX,
			EPT_MT_WB);
	guest_ept_unlock_flush(g);
}

int guest_arch_map_region(struct guest *g, uint64_t gpa, void *mem, uint64_t size, bool writable)
{
	int rc;

	/* Data only: never executable, so a region cannot carry code between guests. */
	guest_ept_lock(g);
	rc = ept_map(&g->arch.ept, gpa, (uint64_t)(uintptr_t)mem, size,
		     writable ? EPT_R | EPT_W : EPT_R, EPT_MT_WB);
	spin_unlock(&g->arch.ept_lock); /* at boot, before the guest ever ran */
	return rc;
}

int guest_arch_write_gpa(struct guest *g, uint64_t gpa, const void *src, size_t len)
{
	while (len) {
		uint64_t hpa, chunk = PAGE_SIZE - (gpa & (PAGE_SIZE - 1));
		unsigned prot;

		if (chunk > len)
			chunk = len;
		if (ept_translate(&g->arch.ept, gpa, &hpa, &prot, NULL) || !(prot & EPT_W))
			return -XEN_EFAULT;
		memcpy((void *)(uintptr_t)hpa, src, chunk);
		gpa += chunk;
		src = (const uint8_t *)src + chunk;
		len -= chunk;
	}
	return 0;
}
