/* SPDX-License-Identifier: MIT */
/*
 * Which MSRs a guest may read and write, and what they answer: the pure
 * policy (docs/boot.md §6), compiled on the host by
 * tests/unit/test_msr_policy.c, which checks it against the CPUID policy
 * (arch/cpuid_policy.h): every feature CPUID can show has MSRs that
 * behave. exit_msr.c applies it; registers that live in the VMCS are read
 * and written there.
 */
#ifndef ARCH_MSR_POLICY_H
#define ARCH_MSR_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/msr.h"

/* Bits of the emulated MSRs (SDM Vol. 4, Tables 2-2 and 2-12). */
#define PLATFORM_INFO_CPUID_FAULTING (1ULL << 32)
#define MISC_FEATURES_CPUID_FAULTING (1ULL << 0)
#define DEBUGCTL_LBR (1ULL << 0)
#define DEBUGCTL_BTF (1ULL << 1)

/* Per-vCPU MSR state Bolt keeps itself (reset with the vCPU). */
struct msr_vstate {
	bool cpuid_faulting; /* MSR_MISC_FEATURES_ENABLES[0] */
};

enum msr_how {
	MSR_GP,          /* #GP(0), as a CPU without that MSR (or value) */
	MSR_EMULATED,    /* read: *val is the answer; write: accepted (state updated) */
	MSR_HANDLER,     /* the exit handler does it: VMCS fields, the hypercall page */
	MSR_PASSTHROUGH, /* never exits: the MSR bitmap passes it through (vmx.c) */
};

/* RDMSR of msr: how it is answered, and the value where MSR_EMULATED. */
enum msr_how msr_policy_read(const struct msr_vstate *s, uint32_t msr, uint64_t *val);

/*
 * WRMSR of val to msr. MSR_EMULATED: accepted, s updated. MSR_HANDLER: the exit
 * handler checks and stores it (*val may have been adjusted, e.g. DEBUGCTL
 * drops LBR). MSR_GP: refused.
 */
enum msr_how msr_policy_write(struct msr_vstate *s, uint32_t msr, uint64_t *val);

/*
 * CPUID faulting (MSR_MISC_FEATURES_ENABLES[0], emulated as Xen does for
 * HVM guests): CPUID at CPL > 0 raises #GP(0) instead of answering.
 */
bool msr_policy_cpuid_faults(const struct msr_vstate *s, unsigned cpl);

#endif
