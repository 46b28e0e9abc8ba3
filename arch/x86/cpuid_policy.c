/* SPDX-License-Identifier: MIT */
/*
 * The CPUID feature bits a guest sees (arch/cpuid_policy.h). A bit stays
 * only where Bolt makes the feature's instructions and MSRs behave
 * (tests/unit/test_msr_policy.c walks every bit left against
 * msr_policy_read). Bit numbers: SDM Vol. 2A, CPUID, Tables 3-8 to 3-11.
 */
#include "arch/cpuid_policy.h"

#include <string.h>

#define BIT(n) (1u << (n))
#define CR4_OSXSAVE (1ULL << 18)

/* CPUID.1:ECX. */
#define C1_ECX_MONITOR BIT(3)
#define C1_ECX_DSCPL BIT(4)
#define C1_ECX_VMX BIT(5)
#define C1_ECX_SMX BIT(6)
#define C1_ECX_EIST BIT(7)     /* IA32_PERF_CTL/STATUS */
#define C1_ECX_TM2 BIT(8)
#define C1_ECX_SDBG BIT(11)    /* IA32_DEBUG_INTERFACE */
#define C1_ECX_PDCM BIT(15)    /* IA32_PERF_CAPABILITIES */
#define C1_ECX_DCA BIT(18)     /* IA32_PLATFORM_DCA_CAP */
#define C1_ECX_X2APIC BIT(21)
#define C1_ECX_TSC_DEADLINE BIT(24)
#define C1_ECX_OSXSAVE BIT(27)
#define C1_ECX_HYPERVISOR BIT(31)
/* CPUID.1:EDX. */
#define C1_EDX_APIC BIT(9)     /* only with `lapic = yes` (cpuid_policy_lapic) */
#define C1_EDX_MTRR BIT(12)
#define C1_EDX_DS BIT(21)      /* IA32_DS_AREA */
#define C1_EDX_ACPI BIT(22)    /* thermal MSRs */
#define C1_EDX_TM BIT(29)
#define C1_EDX_PBE BIT(31)
/* CPUID.(7,0):EBX. */
#define C7_EBX_TSC_ADJUST BIT(1) /* IA32_TSC_ADJUST: hidden, see docs/boot.md §6 */
#define C7_EBX_SGX BIT(2)
#define C7_EBX_HLE BIT(4)
#define C7_EBX_RTM BIT(11)
#define C7_EBX_PQM BIT(12)     /* IA32_PQR_ASSOC, IA32_QM_EVTSEL */
#define C7_EBX_MPX BIT(14)     /* IA32_BNDCFGS */
#define C7_EBX_PQE BIT(15)
#define C7_EBX_PT BIT(25)      /* IA32_RTIT_* */
/* CPUID.(7,0):ECX. */
#define C7_ECX_WAITPKG BIT(5)  /* IA32_UMWAIT_CONTROL */
#define C7_ECX_CET_SS BIT(7)   /* IA32_U_CET, IA32_S_CET, IA32_PLx_SSP */
#define C7_ECX_SGX_LC BIT(30)  /* IA32_SGXLEPUBKEYHASHn */
/* CPUID.(7,0):EDX. */
#define C7_EDX_SRBDS_CTRL BIT(9)      /* IA32_MCU_OPT_CTRL */
#define C7_EDX_TSX_FORCE_ABORT BIT(13) /* MSR_TSX_FORCE_ABORT */
#define C7_EDX_ARCH_LBR BIT(19)       /* IA32_LBR_CTL */
#define C7_EDX_CET_IBT BIT(20)
#define C7_EDX_SPEC_CTRL BIT(26)      /* IA32_SPEC_CTRL, IA32_PRED_CMD */
#define C7_EDX_STIBP BIT(27)
#define C7_EDX_L1D_FLUSH BIT(28)      /* IA32_FLUSH_CMD */
#define C7_EDX_ARCH_CAPS BIT(29)      /* IA32_ARCH_CAPABILITIES */
#define C7_EDX_CORE_CAPS BIT(30)      /* IA32_CORE_CAPABILITIES */
#define C7_EDX_SSBD BIT(31)
/* CPUID.(0DH,1):EAX. */
#define CD1_EAX_XSAVES BIT(3)         /* IA32_XSS */
#define CD1_EAX_XFD BIT(4)            /* IA32_XFD, IA32_XFD_ERR */
/* CPUID.80000008H:EBX (AMD's speculation bits; only WBNOINVD stays). */
#define C88_EBX_IBPB BIT(12)
#define C88_EBX_IBRS BIT(14)
#define C88_EBX_STIBP BIT(15)
#define C88_EBX_SSBD BIT(24)
#define C88_EBX_VIRT_SSBD BIT(25)

void cpuid_policy_apply(uint32_t leaf, uint32_t sub, uint64_t guest_cr4, uint32_t regs[4])
{
	switch (leaf) {
	case 1:
		regs[CPUID_ECX] &= ~(C1_ECX_MONITOR | C1_ECX_DSCPL | C1_ECX_VMX | C1_ECX_SMX |
				     C1_ECX_EIST | C1_ECX_TM2 | C1_ECX_SDBG | C1_ECX_PDCM |
				     C1_ECX_DCA | C1_ECX_X2APIC | C1_ECX_TSC_DEADLINE |
				     C1_ECX_OSXSAVE);
		regs[CPUID_ECX] |= C1_ECX_HYPERVISOR;
		if (guest_cr4 & CR4_OSXSAVE)
			regs[CPUID_ECX] |= C1_ECX_OSXSAVE;
		regs[CPUID_EDX] &= ~(C1_EDX_APIC | C1_EDX_MTRR | C1_EDX_DS | C1_EDX_ACPI |
				     C1_EDX_TM | C1_EDX_PBE);
		break;
	case 5:    /* MONITOR/MWAIT: hidden */
	case 6:    /* thermal and power management (IA32_THERM_*, HWP, APERF/MPERF) */
	case 0xa:  /* performance monitoring: no counters, RDPMC injects #GP */
	case 0x12: /* SGX */
	case 0x14: /* processor trace */
	case 0x1b: /* PCONFIG */
	case 0x1c: /* architectural LBR */
		memset(regs, 0, 4 * sizeof(regs[0]));
		break;
	case 7:
		if (sub == 0) {
			regs[CPUID_EBX] &= ~(C7_EBX_TSC_ADJUST | C7_EBX_SGX | C7_EBX_HLE |
					     C7_EBX_RTM | C7_EBX_PQM | C7_EBX_MPX | C7_EBX_PQE |
					     C7_EBX_PT);
			regs[CPUID_ECX] &= ~(C7_ECX_WAITPKG | C7_ECX_CET_SS | C7_ECX_SGX_LC);
			regs[CPUID_EDX] &= ~(C7_EDX_SRBDS_CTRL | C7_EDX_TSX_FORCE_ABORT |
					     C7_EDX_ARCH_LBR | C7_EDX_CET_IBT | C7_EDX_SPEC_CTRL |
					     C7_EDX_STIBP | C7_EDX_L1D_FLUSH | C7_EDX_ARCH_CAPS |
					     C7_EDX_CORE_CAPS | C7_EDX_SSBD);
		} else if (sub == 2) {
			/* PSFD, IPRED/RRSBA/BHI/DDPD controls: bits of IA32_SPEC_CTRL. */
			regs[CPUID_EDX] = 0;
		}
		break;
	case 0xd:
		if (sub == 1) {
			regs[CPUID_EAX] &= ~(CD1_EAX_XSAVES | CD1_EAX_XFD);
			regs[CPUID_ECX] = regs[CPUID_EDX] = 0; /* the IA32_XSS bits */
		}
		break;
	case 0x80000008:
		regs[CPUID_EBX] &= ~(C88_EBX_IBPB | C88_EBX_IBRS | C88_EBX_STIBP | C88_EBX_SSBD |
				     C88_EBX_VIRT_SSBD);
		break;
	default:
		break;
	}
}

void cpuid_policy_lapic(uint32_t leaf, uint32_t sub, uint32_t apic_id, uint32_t regs[4])
{
	(void)sub;
	switch (leaf) {
	case 1:
		regs[CPUID_ECX] |= C1_ECX_X2APIC | C1_ECX_TSC_DEADLINE;
		regs[CPUID_EDX] |= C1_EDX_APIC;
		/* EBX[31:24]: the initial APIC ID, never the host CPU's. */
		regs[CPUID_EBX] = (regs[CPUID_EBX] & 0x00ffffffu) | (apic_id & 0xff) << 24;
		break;
	case 0xb:
	case 0x1f:
		/* V2 extended topology: EDX is the x2APIC ID of this (v)CPU. */
		regs[CPUID_EDX] = apic_id;
		break;
	default:
		break;
	}
}
