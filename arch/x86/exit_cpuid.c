/* SPDX-License-Identifier: MIT */
/*
 * CPUID: the host's answers with what a guest must not use hidden
 * (cpuid_policy.c, then the VMX controls' vmx_cpuid_adjust), plus Bolt's
 * own leaves at 0x40000000 (include/bolt/bolt.h). With CPUID faulting on
 * (MSR_MISC_FEATURES_ENABLES, msr_policy.c), CPUID at CPL > 0 is #GP(0).
 */
#include "arch/cpuid_policy.h"
#include "arch/exits.h"
#include "arch/vmcs.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "bolt/bolt.h"
#include "core/guest.h"
#include "core/pcpu.h"
#include "lib/lib.h"

static uint32_t sig(const char *s)
{
	return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
}

static void bolt_leaves(struct vcpu *v, uint32_t leaf, struct cpuid_regs *r)
{
	memset(r, 0, sizeof(*r));
	if (leaf == BOLT_XEN_CPUID_BASE) {
		r->eax = BOLT_XEN_CPUID_BASE + 2;
		r->ebx = sig(BOLT_XEN_CPUID_SIGNATURE);
		r->ecx = sig(BOLT_XEN_CPUID_SIGNATURE + 4);
		r->edx = sig(BOLT_XEN_CPUID_SIGNATURE + 8);
	} else if (leaf == BOLT_XEN_CPUID_BASE + 1) {
		r->eax = BOLT_XEN_VERSION;
	} else if (leaf == BOLT_XEN_CPUID_BASE + 2) {
		r->eax = 1; /* hypercall pages */
		r->ebx = BOLT_XEN_HYPERCALL_MSR;
	} else if (leaf == BOLT_CPUID_BASE) {
		r->eax = BOLT_CPUID_MAX;
		r->ebx = sig(BOLT_CPUID_SIGNATURE);
		r->ecx = sig(BOLT_CPUID_SIGNATURE + 4);
		r->edx = sig(BOLT_CPUID_SIGNATURE + 8);
	} else if (leaf == BOLT_CPUID_INFO) {
		r->eax = BOLT_VERSION_MAJOR << 16 | BOLT_VERSION_MINOR;
		r->ebx = v->guest->domid;
		r->ecx = v->pcpu->index;
		r->edx = v->guest->boot_count;
	}
}

EXIT_HANDLER(exit_cpuid)
{
	uint32_t leaf = (uint32_t)regs->rax, sub = (uint32_t)regs->rcx;
	/* The CPL is SS.DPL (SDM Vol. 3A, 5.5; VMCS access rights, 25.4.1). */
	unsigned cpl = (vmcs_read32(GUEST_SS_AR_BYTES) >> 5) & 3;
	struct cpuid_regs r;

	if (msr_policy_cpuid_faults(&v->arch.msr, cpl)) {
		vmx_inject_exception(X86_EXC_GP, 0);
		return;
	}
	if (leaf >= 0x40000000 && leaf <= 0x4fffffff) {
		bolt_leaves(v, leaf, &r);
	} else {
		uint32_t q[4];

		cpuid(leaf, sub, &r);
		q[CPUID_EAX] = r.eax;
		q[CPUID_EBX] = r.ebx;
		q[CPUID_ECX] = r.ecx;
		q[CPUID_EDX] = r.edx;
		cpuid_policy_apply(leaf, sub, vmx_guest_cr4(), q);
		if (v->lapic.present)
			cpuid_policy_lapic(leaf, sub, v->lapic.id, q);
		r.eax = q[CPUID_EAX];
		r.ebx = q[CPUID_EBX];
		r.ecx = q[CPUID_ECX];
		r.edx = q[CPUID_EDX];
		vmx_cpuid_adjust(leaf, sub, &r);
	}
	regs->rax = r.eax;
	regs->rbx = r.ebx;
	regs->rcx = r.ecx;
	regs->rdx = r.edx;
	vmx_advance_rip();
}
