/* SPDX-License-Identifier: MIT */
/*
 * What a CPU says about its VMX support, as plain data: the capability
 * MSRs (SDM Vol. 3D, Appendix A) and the CPUID facts the VMCS depends on.
 * Bolt reads them once on the boot CPU (vmx_caps_read, vmx.c); the host
 * unit tests load them from capability files of real machines
 * (tests/data/vmxcaps/) and run the same control choice, VMCS
 * construction and VM-entry checks over them.
 */
#ifndef ARCH_VMX_CAPS_H
#define ARCH_VMX_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vmx_caps {
	/* CPUID facts */
	uint32_t cpuid1_ecx;      /* CPUID.1:ECX (bit 5 VMX, 3 MONITOR, 21 x2APIC, 26 XSAVE) */
	uint32_t cpuid1_edx;      /* CPUID.1:EDX */
	uint8_t maxphyaddr;       /* CPUID.80000008H:EAX[7:0], 36 if absent */
	uint8_t linaddr_bits;     /* CPUID.80000008H:EAX[15:8], 48 if absent */
	uint64_t xcr0_supported;  /* CPUID.(EAX=0DH,ECX=0):EDX:EAX, 0 without XSAVE */

	/* MSRs; an MSR the CPU does not have (see vmx_caps_read) reads as 0. */
	uint64_t feature_control;     /* IA32_FEATURE_CONTROL 3AH */
	uint64_t basic;               /* IA32_VMX_BASIC 480H */
	uint64_t pinbased_ctls;       /* 481H */
	uint64_t procbased_ctls;      /* 482H */
	uint64_t exit_ctls;           /* 483H */
	uint64_t entry_ctls;          /* 484H */
	uint64_t misc;                /* 485H */
	uint64_t cr0_fixed0;          /* 486H */
	uint64_t cr0_fixed1;          /* 487H */
	uint64_t cr4_fixed0;          /* 488H */
	uint64_t cr4_fixed1;          /* 489H */
	uint64_t vmcs_enum;           /* 48AH */
	uint64_t procbased_ctls2;     /* 48BH: when procbased_ctls allows bit 31 to be 1 */
	uint64_t ept_vpid_cap;        /* 48CH: when ctls2 allows EPT or VPID */
	uint64_t true_pinbased_ctls;  /* 48DH-490H: when basic bit 55 is set */
	uint64_t true_procbased_ctls;
	uint64_t true_exit_ctls;
	uint64_t true_entry_ctls;
	uint64_t vmfunc;              /* 491H: when ctls2 allows "enable VM functions" */
	uint64_t procbased_ctls3;     /* 492H: when procbased_ctls allows bit 17 to be 1 */
};

/* IA32_VMX_BASIC (A.1) */
#define VMX_BASIC_TRUE_CTLS (1ULL << 55)
#define VMX_BASIC_32BIT_ADDR (1ULL << 48)
#define VMX_BASIC_MEMTYPE(b) (((b) >> 50) & 0xf)

/* IA32_VMX_EPT_VPID_CAP (A.10) */
#define EPT_CAP_EXEC_ONLY (1ULL << 0)
#define EPT_CAP_PWL4 (1ULL << 6)
#define EPT_CAP_PWL5 (1ULL << 7)
#define EPT_CAP_MT_UC (1ULL << 8)
#define EPT_CAP_MT_WB (1ULL << 14)
#define EPT_CAP_2M (1ULL << 16)
#define EPT_CAP_1G (1ULL << 17)
#define EPT_CAP_INVEPT (1ULL << 20)
#define EPT_CAP_AD (1ULL << 21)
#define EPT_CAP_INVEPT_SINGLE (1ULL << 25)
#define EPT_CAP_INVEPT_ALL (1ULL << 26)
#define VPID_CAP_INVVPID (1ULL << 32)
#define VPID_CAP_INVVPID_SINGLE (1ULL << 41)
#define VPID_CAP_INVVPID_ALL (1ULL << 42)

/* The allowed 0- and 1-settings of a control MSR (A.3-A.5). */
static inline uint32_t vmx_ctl_must1(uint64_t msr) { return (uint32_t)msr; }
static inline uint32_t vmx_ctl_may1(uint64_t msr) { return (uint32_t)(msr >> 32); }

/*
 * The control MSR that governs a control field: the TRUE_* one when
 * IA32_VMX_BASIC[55] says it exists (A.3.1), else the default one.
 */
static inline uint64_t vmx_caps_pin(const struct vmx_caps *c)
{
	return (c->basic & VMX_BASIC_TRUE_CTLS) ? c->true_pinbased_ctls : c->pinbased_ctls;
}
static inline uint64_t vmx_caps_proc(const struct vmx_caps *c)
{
	return (c->basic & VMX_BASIC_TRUE_CTLS) ? c->true_procbased_ctls : c->procbased_ctls;
}
static inline uint64_t vmx_caps_exit(const struct vmx_caps *c)
{
	return (c->basic & VMX_BASIC_TRUE_CTLS) ? c->true_exit_ctls : c->exit_ctls;
}
static inline uint64_t vmx_caps_entry(const struct vmx_caps *c)
{
	return (c->basic & VMX_BASIC_TRUE_CTLS) ? c->true_entry_ctls : c->entry_ctls;
}

/*
 * The capability set as text: one "KEY = 0xVALUE" line per field, in the
 * order of vmx_caps_keys (vmx_caps.c). It is the format of the capability
 * files (tests/data/vmxcaps/NAME.caps, read by tools/vmxcaps.c) and of Bolt's
 * `debug = vmx` boot lines, so a user's boot log is a capability file.
 */
struct vmx_caps_key {
	const char *name;  /* the SDM's MSR name, or cpuid.LEAF.REG / cpuid.FACT */
	size_t offset;     /* in struct vmx_caps */
	unsigned size;     /* 1, 4 or 8 bytes */
};
extern const struct vmx_caps_key vmx_caps_keys[];
extern const unsigned vmx_caps_nkeys;

/* Emit every key's line ("KEY = 0xVALUE"), without a newline. */
void vmx_caps_print(const struct vmx_caps *c, void (*emit)(void *ctx, const char *line), void *ctx);
uint64_t vmx_caps_get(const struct vmx_caps *c, const struct vmx_caps_key *k);
void vmx_caps_set(struct vmx_caps *c, const struct vmx_caps_key *k, uint64_t v);

#endif
