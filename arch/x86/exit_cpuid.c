/* SPDX-License-Identifier: MIT */
/*
 * CPUID: the host's answers with what a guest must not use hidden, plus
 * Bolt's own leaves at 0x40000000 (include/bolt/bolt.h).
 */
#include "arch/exits.h"
#include "arch/vmcs.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "bolt/bolt.h"
#include "core/guest.h"
#include "core/pcpu.h"
#include "lib/lib.h"

/* CPUID.1:ECX/EDX bits (SDM Vol. 2A, Table 3-10/3-11). */
#define C1_ECX_MONITOR (1u << 3)
#define C1_ECX_DSCPL (1u << 4)
#define C1_ECX_VMX (1u << 5)
#define C1_ECX_SMX (1u << 6)
#define C1_ECX_EIST (1u << 7)
#define C1_ECX_TM2 (1u << 8)
#define C1_ECX_PDCM (1u << 15)
#define C1_ECX_X2APIC (1u << 21)
#define C1_ECX_TSC_DEADLINE (1u << 24)
#define C1_ECX_OSXSAVE (1u << 27)
#define C1_ECX_HYPERVISOR (1u << 31)
#define C1_EDX_APIC (1u << 9)
#define C1_EDX_MTRR (1u << 12)
#define C1_EDX_DS (1u << 21)
#define C1_EDX_ACPI (1u << 22)
#define C1_EDX_TM (1u << 29)
#define C1_EDX_PBE (1u << 31)
/* CPUID.(7,0) */
#define C7_EBX_SGX (1u << 2)
#define C7_EBX_HLE (1u << 4)
#define C7_EBX_RTM (1u << 11)
#define C7_EBX_PQM (1u << 12)
#define C7_EBX_PQE (1u << 15)
#define C7_EBX_PT (1u << 25)
#define C7_ECX_WAITPKG (1u << 5)
#define C7_ECX_SGX_LC (1u << 30)
/* Speculation controls: their MSRs are not on the allow list (exit_msr.c). */
#define C7_EDX_SPEC_CTRL (1u << 26)
#define C7_EDX_STIBP (1u << 27)
#define C7_EDX_L1D_FLUSH (1u << 28)
#define C7_EDX_ARCH_CAPS (1u << 29)
#define C7_EDX_CORE_CAPS (1u << 30)
#define C7_EDX_SSBD (1u << 31)

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
	struct cpuid_regs r;

	if (leaf >= 0x40000000 && leaf <= 0x4fffffff) {
		bolt_leaves(v, leaf, &r);
	} else {
		cpuid(leaf, sub, &r);
		switch (leaf) {
		case 1:
			r.ecx &= ~(C1_ECX_MONITOR | C1_ECX_DSCPL | C1_ECX_VMX | C1_ECX_SMX |
				   C1_ECX_EIST | C1_ECX_TM2 | C1_ECX_PDCM | C1_ECX_X2APIC |
				   C1_ECX_TSC_DEADLINE | C1_ECX_OSXSAVE);
			r.ecx |= C1_ECX_HYPERVISOR;
			/* OSXSAVE mirrors the guest's own CR4, as the CPU would. */
			if (vmx_guest_cr4() & X86_CR4_OSXSAVE)
				r.ecx |= C1_ECX_OSXSAVE;
			r.edx &= ~(C1_EDX_APIC | C1_EDX_MTRR | C1_EDX_DS | C1_EDX_ACPI | C1_EDX_TM |
				   C1_EDX_PBE);
			break;
		case 5:  /* MONITOR/MWAIT: hidden */
		case 6:  /* thermal and power management */
		case 0xa: /* performance monitoring: RDPMC injects #GP */
		case 0x12: /* SGX */
		case 0x14: /* processor trace */
			memset(&r, 0, sizeof(r));
			break;
		case 7:
			if (sub == 0) {
				r.ebx &= ~(C7_EBX_SGX | C7_EBX_HLE | C7_EBX_RTM | C7_EBX_PQM |
					   C7_EBX_PQE | C7_EBX_PT);
				r.ecx &= ~(C7_ECX_WAITPKG | C7_ECX_SGX_LC);
				r.edx &= ~(C7_EDX_SPEC_CTRL | C7_EDX_STIBP | C7_EDX_L1D_FLUSH |
					   C7_EDX_ARCH_CAPS | C7_EDX_CORE_CAPS | C7_EDX_SSBD);
			}
			break;
		default:
			break;
		}
		vmx_cpuid_adjust(leaf, sub, &r);
	}
	regs->rax = r.eax;
	regs->rbx = r.ebx;
	regs->rcx = r.ecx;
	regs->rdx = r.edx;
	vmx_advance_rip();
}
