/* SPDX-License-Identifier: MIT */
/*
 * arch/x86/cpuid_policy.c against arch/x86/msr_policy.c: every CPUID
 * feature bit a guest can see must have its MSRs answer (a guest that reads
 * an MSR its CPUID advertises and gets #GP crashes: Debian's Linux and
 * IA32_TSC_ADJUST, issue 12), and the model-specific MSRs every Xen HVM
 * guest may read follow Xen.
 */
#include <string.h>

#include "arch/cpuid_policy.h"
#include "arch/msr_policy.h"
#include "unit.h"

#define MAX_MSRS 6

/* A CPUID feature and the MSRs it says exist (SDM Vol. 2A CPUID; Vol. 4 Ch. 2). */
struct feature {
	const char *name;
	uint32_t leaf, sub;
	int reg;       /* CPUID_EAX.. */
	uint32_t mask; /* any bit set: the feature is there */
	uint32_t msrs[MAX_MSRS];
};

static const struct feature features[] = {
	{"TSC", 1, 0, CPUID_EDX, 1u << 4, {MSR_IA32_TSC}},
	{"APIC", 1, 0, CPUID_EDX, 1u << 9, {MSR_IA32_APIC_BASE}},
	{"SEP", 1, 0, CPUID_EDX, 1u << 11,
	 {MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP}},
	{"MTRR", 1, 0, CPUID_EDX, 1u << 12, {MSR_IA32_MTRRCAP, MSR_IA32_MTRR_DEF_TYPE, 0x200, 0x250}},
	{"MCA", 1, 0, CPUID_EDX, 1u << 14, {MSR_IA32_MCG_CAP, MSR_IA32_MCG_STATUS}},
	{"PAT", 1, 0, CPUID_EDX, 1u << 16, {MSR_IA32_PAT}},
	{"DS", 1, 0, CPUID_EDX, 1u << 21, {0x600}},
	{"ACPI", 1, 0, CPUID_EDX, 1u << 22, {0x19a, 0x19b, 0x19c}},
	{"TM", 1, 0, CPUID_EDX, 1u << 29, {0x19a}},
	{"DS-CPL", 1, 0, CPUID_ECX, 1u << 4, {0x600}},
	{"VMX", 1, 0, CPUID_ECX, 1u << 5, {MSR_IA32_VMX_BASIC, MSR_IA32_VMX_MISC}},
	{"SMX", 1, 0, CPUID_ECX, 1u << 6, {0x9b}},
	{"EIST", 1, 0, CPUID_ECX, 1u << 7, {0x198, 0x199}},
	{"TM2", 1, 0, CPUID_ECX, 1u << 8, {0x199}},
	{"SDBG", 1, 0, CPUID_ECX, 1u << 11, {0xc80}},
	{"PDCM", 1, 0, CPUID_ECX, 1u << 15, {0x345}},
	{"DCA", 1, 0, CPUID_ECX, 1u << 18, {0x1f8}},
	{"x2APIC", 1, 0, CPUID_ECX, 1u << 21, {MSR_IA32_X2APIC_APICID, 0x808}},
	{"TSC-deadline", 1, 0, CPUID_ECX, 1u << 24, {0x6e0}},
	{"thermal sensor", 6, 0, CPUID_EAX, 1u << 0, {0x19c}},
	{"HWP", 6, 0, CPUID_EAX, 1u << 7, {0x770, 0x771}},
	{"APERF/MPERF", 6, 0, CPUID_ECX, 1u << 0, {0xe7, 0xe8}},
	{"TSC_ADJUST", 7, 0, CPUID_EBX, 1u << 1, {MSR_IA32_TSC_ADJUST}},
	{"SGX", 7, 0, CPUID_EBX, 1u << 2, {MSR_IA32_FEATURE_CONTROL}},
	{"RDT-M", 7, 0, CPUID_EBX, 1u << 12, {0xc8d, 0xc8e, 0xc8f}},
	{"MPX", 7, 0, CPUID_EBX, 1u << 14, {0xd90}},
	{"RDT-A", 7, 0, CPUID_EBX, 1u << 15, {0xc8f}},
	{"PT", 7, 0, CPUID_EBX, 1u << 25, {0x570, 0x571}},
	{"WAITPKG", 7, 0, CPUID_ECX, 1u << 5, {0xe1}},
	{"CET_SS", 7, 0, CPUID_ECX, 1u << 7, {0x6a0, 0x6a2, 0x6a4}},
	{"RDPID", 7, 0, CPUID_ECX, 1u << 22, {MSR_IA32_TSC_AUX}},
	{"SGX_LC", 7, 0, CPUID_ECX, 1u << 30, {0x8c}},
	{"SRBDS_CTRL", 7, 0, CPUID_EDX, 1u << 9, {0x123}},
	{"TSX_FORCE_ABORT", 7, 0, CPUID_EDX, 1u << 13, {0x10f}},
	{"ARCH_LBR", 7, 0, CPUID_EDX, 1u << 19, {0x14ce}},
	{"CET_IBT", 7, 0, CPUID_EDX, 1u << 20, {0x6a0, 0x6a2}},
	{"IBRS/IBPB", 7, 0, CPUID_EDX, 1u << 26, {MSR_IA32_SPEC_CTRL, MSR_IA32_PRED_CMD}},
	{"STIBP", 7, 0, CPUID_EDX, 1u << 27, {MSR_IA32_SPEC_CTRL}},
	{"L1D_FLUSH", 7, 0, CPUID_EDX, 1u << 28, {0x10b}},
	{"ARCH_CAPABILITIES", 7, 0, CPUID_EDX, 1u << 29, {MSR_IA32_ARCH_CAPABILITIES}},
	{"CORE_CAPABILITIES", 7, 0, CPUID_EDX, 1u << 30, {0xcf}},
	{"SSBD", 7, 0, CPUID_EDX, 1u << 31, {MSR_IA32_SPEC_CTRL}},
	{"SPEC_CTRL bits (7.2)", 7, 2, CPUID_EDX, 0x1f, {MSR_IA32_SPEC_CTRL}},
	{"PMU", 0xa, 0, CPUID_EAX, 0xff, {0xc1, 0x186, 0x38f}},
	{"XSAVES", 0xd, 1, CPUID_EAX, 1u << 3, {0xda0}},
	{"XFD", 0xd, 1, CPUID_EAX, 1u << 4, {0x1c4, 0x1c5}},
	{"PT leaf", 0x14, 0, CPUID_EAX, ~0u, {0x570}},
	{"SYSCALL", 0x80000001, 0, CPUID_EDX, 1u << 11,
	 {MSR_IA32_STAR, MSR_IA32_LSTAR, MSR_IA32_CSTAR, MSR_IA32_FMASK}},
	{"NX", 0x80000001, 0, CPUID_EDX, 1u << 20, {MSR_IA32_EFER}},
	{"LM", 0x80000001, 0, CPUID_EDX, 1u << 29,
	 {MSR_IA32_EFER, MSR_IA32_FS_BASE, MSR_IA32_GS_BASE, MSR_IA32_KERNEL_GS_BASE}},
	{"RDTSCP", 0x80000001, 0, CPUID_EDX, 1u << 27, {MSR_IA32_TSC_AUX}},
	{"AMD IBPB/IBRS/STIBP/SSBD", 0x80000008, 0, CPUID_EBX, (1u << 12) | (1u << 14) | (1u << 15) | (1u << 24),
	 {MSR_IA32_SPEC_CTRL, MSR_IA32_PRED_CMD}},
	{"AMD VIRT_SSBD", 0x80000008, 0, CPUID_EBX, 1u << 25, {0xc001011f}},
};

/* Whether the guest sees the feature when the host CPU reports host[]. */
static bool shown(const struct feature *f, const uint32_t host[4])
{
	uint32_t r[4];

	memcpy(r, host, sizeof(r));
	cpuid_policy_apply(f->leaf, f->sub, 0, r);
	return r[f->reg] & f->mask;
}

/* Every MSR of every feature the guest can see reads without #GP. */
static void check_cpu(const char *cpu, uint32_t leaf1_ecx, uint32_t leaf1_edx, uint32_t others)
{
	struct msr_vstate s = {0};

	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		const struct feature *f = &features[i];
		uint32_t host[4] = {others, others, others, others};

		if (f->leaf == 1) {
			host[CPUID_ECX] = leaf1_ecx;
			host[CPUID_EDX] = leaf1_edx;
		}
		if (!shown(f, host))
			continue;
		for (int m = 0; m < MAX_MSRS && f->msrs[m]; m++) {
			uint64_t val;
			bool ok = msr_policy_read(&s, f->msrs[m], &val) != MSR_GP;

			if (!ok)
				fprintf(stderr, "%s: CPUID shows %s but RDMSR 0x%x is #GP\n", cpu,
					f->name, f->msrs[m]);
			CHECK(ok);
		}
	}
}

static void test_every_bit(void)
{
	/* Every bit set: whatever a host CPU may report, nothing shown lacks its MSRs. */
	check_cpu("all bits", ~0u, ~0u, ~0u);
}

static void test_bochs_skylake_x(void)
{
	/* Bochs 2.7 corei7_skylake_x (tests/data/vmxcaps/bochs-corei7-skylake-x.caps). */
	check_cpu("bochs corei7_skylake_x", 0x77faf3bf, 0xbfebfbff, ~0u);
}

static void test_hidden(void)
{
	uint32_t r[4] = {~0u, ~0u, ~0u, ~0u};

	/* IA32_TSC_ADJUST is not emulated: CPUID.(7,0):EBX[1] is hidden (docs/boot.md §6). */
	cpuid_policy_apply(7, 0, 0, r);
	CHECK(!(r[CPUID_EBX] & (1u << 1)));
	uint64_t v;
	struct msr_vstate s = {0};
	CHECK_EQ(msr_policy_read(&s, MSR_IA32_TSC_ADJUST, &v), MSR_GP);
	/* No local APIC for PVH guests: no CPUID.1:EDX[9], IA32_APIC_BASE is #GP. */
	memset(r, 0xff, sizeof(r));
	cpuid_policy_apply(1, 0, 0, r);
	CHECK(!(r[CPUID_EDX] & (1u << 9)));
	CHECK(r[CPUID_ECX] & (1u << 31)); /* hypervisor present */
	CHECK(!(r[CPUID_ECX] & (1u << 27))); /* OSXSAVE follows the guest's CR4 */
	memset(r, 0xff, sizeof(r));
	cpuid_policy_apply(1, 0, 1ULL << 18, r);
	CHECK(r[CPUID_ECX] & (1u << 27));
	CHECK_EQ(msr_policy_read(&s, MSR_IA32_APIC_BASE, &v), MSR_GP);
	/* With `lapic = yes` (whose MSRs arch/x86/lapic.c answers before this policy). */
	memset(r, 0, sizeof(r));
	r[CPUID_EBX] = 0x07000800; /* the host's APIC ID 7 must not show */
	cpuid_policy_apply(1, 0, 0, r);
	cpuid_policy_lapic(1, 0, 0, r);
	CHECK(r[CPUID_EDX] & (1u << 9));
	CHECK(r[CPUID_ECX] & (1u << 21));
	CHECK(r[CPUID_ECX] & (1u << 24));
	CHECK_EQ(r[CPUID_EBX], 0x00000800u);
	memset(r, 0xff, sizeof(r));
	cpuid_policy_lapic(0xb, 1, 0, r);
	CHECK_EQ(r[CPUID_EDX], 0u);
	/* Features without MSRs pass through: AVX2, BMI (7,0):EBX[5], [3]. */
	memset(r, 0xff, sizeof(r));
	cpuid_policy_apply(7, 0, 0, r);
	CHECK(r[CPUID_EBX] & (1u << 5));
	CHECK(r[CPUID_EBX] & (1u << 3));
}

static void test_debugctl(void)
{
	struct msr_vstate s = {0};
	uint64_t v;

	/* Xen (hvm/vmx/vmx.c): read from the VMCS; LBR and BTF accepted, LBR dropped without LBR support. */
	CHECK_EQ(msr_policy_read(&s, MSR_IA32_DEBUGCTL, &v), MSR_HANDLER);
	v = 0;
	CHECK_EQ(msr_policy_write(&s, MSR_IA32_DEBUGCTL, &v), MSR_HANDLER);
	CHECK_EQ(v, 0);
	v = DEBUGCTL_BTF;
	CHECK_EQ(msr_policy_write(&s, MSR_IA32_DEBUGCTL, &v), MSR_HANDLER);
	CHECK_EQ(v, DEBUGCTL_BTF);
	v = DEBUGCTL_LBR | DEBUGCTL_BTF;
	CHECK_EQ(msr_policy_write(&s, MSR_IA32_DEBUGCTL, &v), MSR_HANDLER);
	CHECK_EQ(v, DEBUGCTL_BTF);
	for (int bit = 2; bit < 64; bit++) {
		v = 1ULL << bit;
		CHECK_EQ(msr_policy_write(&s, MSR_IA32_DEBUGCTL, &v), MSR_GP);
	}
}

static void test_cpuid_faulting(void)
{
	struct msr_vstate s = {0};
	uint64_t v = 0;

	CHECK_EQ(msr_policy_read(&s, MSR_PLATFORM_INFO, &v), MSR_EMULATED);
	CHECK_EQ(v, PLATFORM_INFO_CPUID_FAULTING); /* bit 32, nothing else */
	CHECK_EQ(msr_policy_write(&s, MSR_PLATFORM_INFO, &v), MSR_GP);
	CHECK_EQ(msr_policy_read(&s, MSR_MISC_FEATURES_ENABLES, &v), MSR_EMULATED);
	CHECK_EQ(v, 0);
	CHECK(!msr_policy_cpuid_faults(&s, 3));
	v = MISC_FEATURES_CPUID_FAULTING;
	CHECK_EQ(msr_policy_write(&s, MSR_MISC_FEATURES_ENABLES, &v), MSR_EMULATED);
	CHECK_EQ(msr_policy_read(&s, MSR_MISC_FEATURES_ENABLES, &v), MSR_EMULATED);
	CHECK_EQ(v, MISC_FEATURES_CPUID_FAULTING);
	CHECK(!msr_policy_cpuid_faults(&s, 0));
	CHECK(msr_policy_cpuid_faults(&s, 1));
	CHECK(msr_policy_cpuid_faults(&s, 3));
	/* Other bits (e.g. Ring3MWAIT, bit 1) are #GP and change nothing. */
	v = 2;
	CHECK_EQ(msr_policy_write(&s, MSR_MISC_FEATURES_ENABLES, &v), MSR_GP);
	CHECK(msr_policy_cpuid_faults(&s, 3));
	v = 0;
	CHECK_EQ(msr_policy_write(&s, MSR_MISC_FEATURES_ENABLES, &v), MSR_EMULATED);
	CHECK(!msr_policy_cpuid_faults(&s, 3));
}

/*
 * TSC_AUX: CPUID shows RDTSCP (and RDPID), whose instructions read it, and
 * Linux writes it unguarded at boot: the guest's own register (reads pass
 * through, writes go to the real register from the exit handler, switched
 * in vcpu_state.c); bits 63:32 are reserved. Before issue 12 every write
 * was #GP. IA32_TSC writes stay #GP (the TSC offset
 * stays 0 for the pvclock; docs/abi.md).
 */
static void test_tsc_aux(void)
{
	struct msr_vstate s = {0};
	uint64_t v = 0x1234;

	CHECK_EQ(msr_policy_read(&s, MSR_IA32_TSC_AUX, &v), MSR_PASSTHROUGH);
	v = 0x1234;
	CHECK_EQ(msr_policy_write(&s, MSR_IA32_TSC_AUX, &v), MSR_HANDLER);
	CHECK_EQ(v, 0x1234);
	v = 0xffffffff;
	CHECK_EQ(msr_policy_write(&s, MSR_IA32_TSC_AUX, &v), MSR_HANDLER);
	v = 1ULL << 32;
	CHECK_EQ(msr_policy_write(&s, MSR_IA32_TSC_AUX, &v), MSR_GP);
	CHECK_EQ(msr_policy_read(&s, MSR_IA32_TSC, &v), MSR_PASSTHROUGH);
	CHECK_EQ(msr_policy_write(&s, MSR_IA32_TSC, &v), MSR_GP);
}

/* MSRs a kernel writes once CPUID shows their feature (Linux: TSC_AUX, SYSCALL, SYSENTER, PAT) accept 0. */
static void test_written_msrs(void)
{
	static const uint32_t written[] = {MSR_IA32_TSC_AUX, MSR_IA32_STAR, MSR_IA32_LSTAR,
					   MSR_IA32_FMASK, MSR_IA32_SYSENTER_CS, MSR_IA32_PAT};
	struct msr_vstate s = {0};

	for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		uint64_t v = 0;
		bool ok = msr_policy_write(&s, written[i], &v) != MSR_GP;

		if (!ok)
			fprintf(stderr, "WRMSR 0x%x of 0 is #GP\n", written[i]);
		CHECK(ok);
	}
}

static void test_unknown(void)
{
	struct msr_vstate s = {0};
	uint64_t v = 1;

	CHECK_EQ(msr_policy_read(&s, 0x12345678, &v), MSR_GP);
	CHECK_EQ(msr_policy_write(&s, 0x12345678, &v), MSR_GP);
	CHECK_EQ(msr_policy_write(&s, MSR_IA32_TSC_ADJUST, &v), MSR_GP);
	CHECK_EQ(msr_policy_write(&s, MSR_IA32_FEATURE_CONTROL, &v), MSR_GP);
	CHECK_EQ(msr_policy_read(&s, MSR_IA32_FEATURE_CONTROL, &v), MSR_EMULATED);
	CHECK_EQ(v, FEATURE_CONTROL_LOCK);
}

void unit_main(void)
{
	TEST(test_every_bit);
	TEST(test_bochs_skylake_x);
	TEST(test_hidden);
	TEST(test_debugctl);
	TEST(test_cpuid_faulting);
	TEST(test_tsc_aux);
	TEST(test_written_msrs);
	TEST(test_unknown);
}
