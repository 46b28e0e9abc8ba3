/* SPDX-License-Identifier: MIT */
/*
 * The MSRs a guest may use (arch/msr_policy.h): an explicit allow list;
 * anything else is #GP, as on a CPU without that MSR. The model-specific
 * ones a Xen HVM guest can always read follow Xen (xen/arch/x86/msr.c,
 * hvm/vmx/vmx.c): MSR_PLATFORM_INFO and MSR_MISC_FEATURES_ENABLES with
 * CPUID faulting, IA32_DEBUGCTL with LBR and BTF. tests/unit/test_msr_policy.c
 * checks this list against what cpuid_policy_apply lets a guest see.
 */
#include "arch/msr_policy.h"

#include "bolt/bolt.h"

#define MISC_ENABLE_FAST_STRINGS (1ULL << 0)
#define MISC_ENABLE_BTS_UNAVAIL (1ULL << 11)
#define MISC_ENABLE_PEBS_UNAVAIL (1ULL << 12)

enum msr_how msr_policy_read(const struct msr_vstate *s, uint32_t msr, uint64_t *val)
{
	*val = 0;
	switch (msr) {
	case MSR_IA32_EFER:
	case MSR_IA32_PAT:
	case MSR_IA32_SYSENTER_CS:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
	case MSR_IA32_DEBUGCTL: /* GUEST_IA32_DEBUGCTL: "load/save debug controls" are on */
		return MSR_HANDLER;
	case MSR_IA32_FS_BASE:
	case MSR_IA32_GS_BASE:
	case MSR_IA32_KERNEL_GS_BASE:
	case MSR_IA32_STAR:
	case MSR_IA32_LSTAR:
	case MSR_IA32_CSTAR:
	case MSR_IA32_FMASK:
	case MSR_IA32_TSC:
	case MSR_IA32_TSC_AUX:
		return MSR_PASSTHROUGH;
	case MSR_IA32_FEATURE_CONTROL:
		/* Locked with VMX off, so guests never try VMXON. */
		*val = FEATURE_CONTROL_LOCK;
		return MSR_EMULATED;
	case MSR_IA32_MISC_ENABLE:
		*val = MISC_ENABLE_FAST_STRINGS | MISC_ENABLE_BTS_UNAVAIL | MISC_ENABLE_PEBS_UNAVAIL;
		return MSR_EMULATED;
	case MSR_PLATFORM_INFO:
		/* Xen's HVM value: only "CPUID faulting supported" (SDM Vol. 4, Table 2-12). */
		*val = PLATFORM_INFO_CPUID_FAULTING;
		return MSR_EMULATED;
	case MSR_MISC_FEATURES_ENABLES:
		*val = s->cpuid_faulting ? MISC_FEATURES_CPUID_FAULTING : 0;
		return MSR_EMULATED;
	case MSR_IA32_PLATFORM_ID:
	case MSR_IA32_BIOS_SIGN_ID:
	case MSR_IA32_MTRRCAP:
	case MSR_IA32_MTRR_DEF_TYPE:
	case MSR_IA32_MCG_CAP:    /* no banks */
	case MSR_IA32_MCG_STATUS:
		return MSR_EMULATED;
	default:
		return MSR_GP;
	}
}

enum msr_how msr_policy_write(struct msr_vstate *s, uint32_t msr, uint64_t *val)
{
	switch (msr) {
	case MSR_IA32_EFER:
	case MSR_IA32_PAT:
	case MSR_IA32_SYSENTER_CS:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
	case BOLT_XEN_HYPERCALL_MSR:
		return MSR_HANDLER;
	case MSR_IA32_DEBUGCTL:
		/*
		 * Xen lets HVM guests set LBR and BTF, nothing else. Without LBR
		 * support (Bolt has none) it drops LBR, as CPUs without
		 * model-specific LBRs do (Intel Architectural LBR spec); BTF
		 * works from the VMCS on its own (SDM 18.4.3).
		 */
		if (*val & ~(DEBUGCTL_LBR | DEBUGCTL_BTF))
			return MSR_GP;
		*val &= ~DEBUGCTL_LBR;
		return MSR_HANDLER;
	case MSR_IA32_FS_BASE:
	case MSR_IA32_GS_BASE:
	case MSR_IA32_KERNEL_GS_BASE:
	case MSR_IA32_STAR:
	case MSR_IA32_LSTAR:
	case MSR_IA32_CSTAR:
	case MSR_IA32_FMASK:
		return MSR_PASSTHROUGH;
	/*
	 * TSC_AUX is the guest's own, like the SYSCALL MSRs: RDTSCP (enabled
	 * for the guest, vmcs_build.c) and RDPID read the real register, so
	 * it holds the guest's value while the guest runs and is switched
	 * between vCPUs that share a CPU (vcpu_state.c); reads pass through.
	 * Writes exit (rare: Linux writes it once per CPU, unguarded whenever
	 * CPUID shows RDTSCP) so that Bolt itself refuses bits 63:32, which
	 * are reserved (SDM Vol. 4, Table 2-2): not every CPU model checks.
	 */
	case MSR_IA32_TSC_AUX:
		return *val >> 32 ? MSR_GP : MSR_HANDLER;
	case MSR_MISC_FEATURES_ENABLES:
		/* Only CPUID faulting, which PLATFORM_INFO says is there. */
		if (*val & ~MISC_FEATURES_CPUID_FAULTING)
			return MSR_GP;
		s->cpuid_faulting = *val & MISC_FEATURES_CPUID_FAULTING;
		return MSR_EMULATED;
	case MSR_IA32_MISC_ENABLE:
	case MSR_IA32_BIOS_SIGN_ID:
		return MSR_EMULATED; /* accepted and ignored: nothing behind them for a guest */
	/*
	 * IA32_TSC writes stay #GP: Xen moves the guest's TSC offset, but
	 * Bolt keeps the offset 0 so that the pvclock (tsc_timestamp is the
	 * host's boot TSC) and every TSC-based time it keeps stay valid
	 * (docs/abi.md, MSRs).
	 */
	default:
		return MSR_GP;
	}
}

bool msr_policy_cpuid_faults(const struct msr_vstate *s, unsigned cpl)
{
	return s->cpuid_faulting && cpl > 0;
}
