/* SPDX-License-Identifier: MIT */
/*
 * Bolt's real VMCS construction (arch/x86/vmcs_build.c) over the capability
 * sets of real machines (tests/data/vmxcaps/NAME.caps), checked by the
 * VM-entry checker (arch/x86/vmentry_check.c): the first entry, a restart
 * after the guest went to 64-bit mode, and the entry-time changes Bolt
 * makes on a vCPU switch (preemption timer, upcall injection, interrupt
 * window). A set Bolt cannot use must say why, as its "# expect:" line says.
 */
#include <dirent.h>

#include "arch/vmx_bits.h"
#include "arch/x86.h"
#include "tools/vmxcaps.h"
#include "tools/vmxcheck_run.h"
#include "unit.h"

#define CAPS_DIR "tests/data/vmxcaps"

/* What a file's "# expect:" line says: "runs" or "cannot run: <what>". */
static void read_expect(const char *path, char *out, size_t len)
{
	size_t n;
	char *text = unit_read_file(path, &n);
	const char *e = strstr(text, "# expect: ");

	out[0] = '\0';
	if (e) {
		e += strlen("# expect: ");
		size_t i = 0;
		while (e[i] && e[i] != '\n' && i + 1 < len) {
			out[i] = e[i];
			i++;
		}
		out[i] = '\0';
	}
	free(text);
}

static void one_set(const char *name, const char *path)
{
	struct vmx_caps caps;
	struct vmxcheck_result r;
	char err[256], expect[200];

	read_expect(path, expect, sizeof(expect));
	CHECK(expect[0] != '\0'); /* every file says what Bolt makes of it */
	if (vmxcaps_load(path, &caps, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		CHECK(0);
		return;
	}
	vmxcheck_run(&caps, &r);
	if (strncmp(expect, "cannot run: ", 12) == 0) {
		/* A clear "cannot run on this CPU: missing X" at boot. */
		CHECK_EQ(r.outcome, VMXCHECK_CANNOT_RUN);
		if (!strstr(r.why, expect + 12))
			fprintf(stderr, "%s: missing '%s', expected '%s'\n", name, r.why, expect + 12);
		CHECK(strstr(r.why, expect + 12) != NULL);
		printf("  %-36s cannot run: missing %s\n", name, r.why);
		return;
	}
	CHECK_STR(expect, "runs");
	if (r.outcome == VMXCHECK_CANNOT_RUN)
		fprintf(stderr, "%s: cannot run: missing %s\n", name, r.why);
	if (r.outcome == VMXCHECK_BAD_VMCS)
		fprintf(stderr, "%s: %s: VM entry would fail: %s (SDM %s, field 0x%x = 0x%llx)\n", name,
			r.situation, r.err.rule, r.err.sdm, (unsigned)r.err.field,
			(unsigned long long)r.err.value);
	CHECK_EQ(r.outcome, VMXCHECK_RUNS);
	if (r.outcome != VMXCHECK_RUNS)
		return;
	CHECK_EQ(r.situations, 6);
	/* What every set must give: the controls Bolt relies on. */
	CHECK(r.ctls.pin & PIN_EXTINT_EXITING);
	CHECK(r.ctls.pin & PIN_NMI_EXITING);
	CHECK(r.ctls.proc2 & CPU2_ENABLE_EPT);
	CHECK(r.ctls.proc2 & CPU2_UNRESTRICTED_GUEST);
	CHECK(!(r.ctls.proc & (CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING)));
	CHECK(r.ctls.exit & EXIT_SAVE_DEBUG_CONTROLS);
	CHECK(r.ctls.entry & ENTRY_LOAD_DEBUG_CONTROLS);
	/* What the controls leave at #UD, the guest's CPUID does not offer. */
	uint32_t all[4] = { ~0u, ~0u, ~0u, ~0u }, regs[4];
	memcpy(regs, all, sizeof(regs));
	vmx_guest_cpuid_hide(&r.ctls, 0xd, 1, regs);
	CHECK_EQ(!!(regs[0] & (1u << 3)), !!(r.ctls.proc2 & CPU2_ENABLE_XSAVES));
	memcpy(regs, all, sizeof(regs));
	vmx_guest_cpuid_hide(&r.ctls, 7, 0, regs);
	CHECK_EQ(!!(regs[1] & (1u << 10)), !!(r.ctls.proc2 & CPU2_ENABLE_INVPCID));
	memcpy(regs, all, sizeof(regs));
	vmx_guest_cpuid_hide(&r.ctls, 0x80000001, 0, regs);
	CHECK_EQ(!!(regs[3] & (1u << 27)), !!(r.ctls.proc2 & CPU2_ENABLE_RDTSCP));
	CHECK_EQ(regs[0] & regs[1] & regs[2], ~0u); /* nothing else touched */
	/* A restart leaves nothing of the 64-bit guest behind. */
	CHECK(!(vmcs_image_val(&r.restarted, VM_ENTRY_CONTROLS) & ENTRY_IA32E_MODE));
	CHECK_EQ(vmcs_image_val(&r.restarted, GUEST_IA32_EFER), 0);
	CHECK_EQ(vmcs_image_val(&r.restarted, GUEST_CR3), 0);
	CHECK_EQ(vmcs_image_val(&r.restarted, GUEST_CS_AR_BYTES), 0xc09b);
	printf("  %-36s runs: pin 0x%x proc 0x%x proc2 0x%x exit 0x%x entry 0x%x\n", name,
	       r.ctls.pin, r.ctls.proc, r.ctls.proc2, r.ctls.exit, r.ctls.entry);
}

static void test_every_set(void)
{
	DIR *d = opendir(CAPS_DIR);
	struct dirent *e;
	unsigned n = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char path[512];

		if (len < 6 || strcmp(e->d_name + len - 5, ".caps"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", CAPS_DIR, e->d_name);
		one_set(e->d_name, path);
		n++;
	}
	closedir(d);
	CHECK(n >= 6);
}

/* The checker is not vacuous over a real set: a broken build is caught. */
static void test_broken_build_caught(void)
{
	struct vmx_caps caps;
	struct vmxcheck_result r;
	struct vmentry_error e;
	char err[256];

	CHECK_EQ(vmxcaps_load(CAPS_DIR "/bochs-corei7-skylake-x.caps", &caps, err, sizeof(err)), 0);
	vmxcheck_run(&caps, &r);
	CHECK_EQ(r.outcome, VMXCHECK_RUNS);
	CHECK_EQ(vmentry_check(&r.first, &caps, &e), 0);
	/* Unrestricted guest off, PG still 0: protected mode without paging needs it. */
	struct vmcs_image bad = r.first;
	vmcs_image_set(&bad, SECONDARY_VM_EXEC_CONTROL, r.ctls.proc2 & ~CPU2_UNRESTRICTED_GUEST);
	CHECK_EQ(vmentry_check(&bad, &caps, &e), -1);
	/* HLT exiting is free on Bochs, but the default1 bits of the non-TRUE MSR are not all. */
	bad = r.first;
	vmcs_image_set(&bad, CPU_BASED_VM_EXEC_CONTROL, r.ctls.proc & ~0x0401e172u);
	CHECK_EQ(vmentry_check(&bad, &caps, &e), -1);
	/* The chosen controls of a CPU with TRUE MSRs, checked against one without. */
	struct vmx_caps no_true = caps;
	no_true.basic &= ~VMX_BASIC_TRUE_CTLS;
	CHECK_EQ(vmentry_check(&r.first, &no_true, &e), -1);
}

/* FEATURE_CONTROL as firmware leaves it (SDM Vol. 3C, 24.7). */
/* QEMU's Skylake-Server model offers no XSAVES control to its L1: its guests must not see XSAVES. */
static void test_cpuid_hidden_where_kvm_lacks_controls(void)
{
	struct vmx_caps caps;
	struct vmxcheck_result r;
	char err[256];
	uint32_t regs[4] = { 0xf, 0, 0, 0 }; /* XSAVEOPT XSAVEC XGETBV1 XSAVES */

	CHECK_EQ(vmxcaps_load(CAPS_DIR "/kvm-nested-skylake-sp.caps", &caps, err, sizeof(err)), 0);
	vmxcheck_run(&caps, &r);
	CHECK_EQ(r.outcome, VMXCHECK_RUNS);
	CHECK(!(r.ctls.proc2 & CPU2_ENABLE_XSAVES));
	vmx_guest_cpuid_hide(&r.ctls, 0xd, 1, regs);
	CHECK_EQ(regs[0], 0x7);
	/* Bochs has the control: XSAVES stays. */
	CHECK_EQ(vmxcaps_load(CAPS_DIR "/bochs-corei7-skylake-x.caps", &caps, err, sizeof(err)), 0);
	vmxcheck_run(&caps, &r);
	regs[0] = 0xf;
	vmx_guest_cpuid_hide(&r.ctls, 0xd, 1, regs);
	CHECK_EQ(regs[0], 0xf);
}

static void test_feature_control(void)
{
	struct vmx_caps caps;
	struct vmx_ctls c;
	char err[256], why[256];

	CHECK_EQ(vmxcaps_load(CAPS_DIR "/bochs-corei7-skylake-x.caps", &caps, err, sizeof(err)), 0);
	caps.feature_control = 0; /* unlocked: Bolt locks it with VMX on */
	CHECK_EQ(vmx_choose_ctls(&caps, &c, why, sizeof(why)), 0);
	caps.feature_control = 0x5; /* locked, VMX outside SMX on */
	CHECK_EQ(vmx_choose_ctls(&caps, &c, why, sizeof(why)), 0);
	caps.feature_control = 0x1; /* locked with VMX off */
	CHECK_EQ(vmx_choose_ctls(&caps, &c, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "disabled and locked");
	CHECK_CONTAINS(why, "firmware setup");
	caps.feature_control = 0x3; /* locked, VMX only inside SMX */
	CHECK_EQ(vmx_choose_ctls(&caps, &c, why, sizeof(why)), -1);
	caps.cpuid1_ecx &= ~(1u << 5);
	CHECK_EQ(vmx_choose_ctls(&caps, &c, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "VT-x (VMX;");
	CHECK_CONTAINS(why, "CPUID.1:ECX[5]");
}

void unit_main(void)
{
	TEST(test_every_set);
	TEST(test_broken_build_caught);
	TEST(test_cpuid_hidden_where_kvm_lacks_controls);
	TEST(test_feature_control);
}
