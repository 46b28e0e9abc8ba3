/* SPDX-License-Identifier: MIT */
/*
 * tools/vmxcaps.c: every capability file in tests/data/vmxcaps/ parses and
 * is consistent, and the parser and the consistency check reject each kind
 * of broken file (written to a temporary directory). The binary runs from
 * the repository root (make unit), like test_acpi.
 */
#include <errno.h>
#include <glob.h>
#include <unistd.h>

#include "tools/vmxcaps.h"
#include "unit.h"

#define DATA_GLOB "tests/data/vmxcaps/*.caps"

static char tmpdir[64];
static char made[64][128]; /* the files write_caps created, removed at the end */
static unsigned nmade;

static void test_data_files(void)
{
	glob_t g;
	char err[256];

	CHECK_EQ(glob(DATA_GLOB, 0, NULL, &g), 0);
	/* The KVM nested sets, two client CPUs, one Bolt cannot run on, Bochs. */
	CHECK(g.gl_pathc >= 6);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct vmx_caps c;
		int rc;

		err[0] = '\0';
		rc = vmxcaps_load(g.gl_pathv[i], &c, err, sizeof(err));
		if (rc)
			fprintf(stderr, "%s\n", err);
		CHECK_EQ(rc, 0);
		if (rc)
			continue;
		rc = vmxcaps_consistent(&c, err, sizeof(err));
		if (rc)
			fprintf(stderr, "%s: %s\n", g.gl_pathv[i], err);
		CHECK_EQ(rc, 0);
		CHECK(c.basic != 0);
	}
	globfree(&g);
}

/*
 * A minimal consistent set: a CPU with secondary controls (EPT and
 * unrestricted guest), no TRUE_* MSRs, no VM functions, no tertiary controls.
 */
static const char good[] = "# a comment line\n"
			   "\n"
			   "cpuid.1.ecx = 0x20   # VMX\n"
			   "cpuid.1.edx = 0\n"
			   "cpuid.maxphyaddr = 39\n"
			   "cpuid.linaddr_bits = 48\n"
			   "cpuid.xcr0_supported = 0x7\n"
			   "IA32_FEATURE_CONTROL = 0x5\n"
			   "IA32_VMX_BASIC = 0x005a040000000004\n" /* bit 55 clear */
			   "IA32_VMX_PINBASED_CTLS = 0x0000007f00000016\n"
			   "IA32_VMX_PROCBASED_CTLS = 0xfff9fffe0401e172\n"
			   "IA32_VMX_EXIT_CTLS = 0x007fffff00036dff\n"
			   "IA32_VMX_ENTRY_CTLS = 0x0000ffff000011ff\n"
			   "IA32_VMX_MISC = 0x00000000300481e5\n"
			   "IA32_VMX_CR0_FIXED0 = 0x80000021\n"
			   "IA32_VMX_CR0_FIXED1 = 0xffffffff\n"
			   "IA32_VMX_CR4_FIXED0 = 0x2000\n"
			   "IA32_VMX_CR4_FIXED1 = 0x3767ff\n"
			   "IA32_VMX_VMCS_ENUM = 46\n"
			   "IA32_VMX_PROCBASED_CTLS2 = 0x000000a200000000\n"
			   "IA32_VMX_EPT_VPID_CAP = 0x0000000006334141\n";

/* Write good[] with the line starting "from" replaced by "to" (or dropped when to is ""), plus extra. */
static const char *write_caps(const char *name, const char *from, const char *to, const char *extra)
{
	static char path[128];
	const char *p = good, *hit = from ? strstr(good, from) : NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.caps", tmpdir, name);
	f = fopen(path, "w");
	if (f && nmade < 64)
		snprintf(made[nmade++], sizeof(made[0]), "%s", path);
	if (!f) {
		perror(path);
		exit(2);
	}
	if (hit) {
		fwrite(p, 1, (size_t)(hit - p), f);
		fputs(to, f);
		p = strchr(hit, '\n') + 1;
	}
	fputs(p, f);
	fputs(extra ? extra : "", f);
	fclose(f);
	return path;
}

/* Load a variant; returns vmxcaps_load's result and leaves the message in err. */
static int load(const char *path, struct vmx_caps *c, char *err, size_t len)
{
	err[0] = '\0';
	return vmxcaps_load(path, c, err, len);
}

static void test_good(void)
{
	struct vmx_caps c;
	char err[256];

	CHECK_EQ(load(write_caps("good", NULL, NULL, NULL), &c, err, sizeof(err)), 0);
	CHECK_EQ(vmxcaps_consistent(&c, err, sizeof(err)), 0);
	CHECK_EQ(c.cpuid1_ecx, 0x20);
	CHECK_EQ(c.maxphyaddr, 39);
	CHECK_EQ(c.vmcs_enum, 46);
	CHECK(c.procbased_ctls == 0xfff9fffe0401e172ULL);
	CHECK_EQ(c.true_pinbased_ctls, 0); /* left out: reads as 0 */
	/* Upper-case hex digits and 0X are numbers too. */
	CHECK_EQ(load(write_caps("upper", "IA32_VMX_VMCS_ENUM", "IA32_VMX_VMCS_ENUM = 0X2E\n", NULL),
		      &c, err, sizeof(err)),
		 0);
	CHECK_EQ(c.vmcs_enum, 46);
}

static void test_parse_errors(void)
{
	struct vmx_caps c;
	char err[256];
	const char *p;

	p = write_caps("unknown", NULL, NULL, "IA32_VMX_BASICS = 1\n");
	CHECK_EQ(load(p, &c, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "unknown.caps:22: unknown key 'IA32_VMX_BASICS'");

	p = write_caps("badnum", "IA32_VMX_MISC", "IA32_VMX_MISC = 0x30g481e5\n", NULL);
	CHECK_EQ(load(p, &c, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "badnum.caps:14: bad number '0x30g481e5' for IA32_VMX_MISC");

	p = write_caps("empty", "IA32_VMX_MISC", "IA32_VMX_MISC =\n", NULL);
	CHECK_EQ(load(p, &c, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "empty.caps:14: bad number");

	p = write_caps("neg", "IA32_VMX_MISC", "IA32_VMX_MISC = -1\n", NULL);
	CHECK_EQ(load(p, &c, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "neg.caps:14: bad number");

	p = write_caps("overflow", "IA32_VMX_MISC", "IA32_VMX_MISC = 0x10000000000000000\n", NULL);
	CHECK_EQ(load(p, &c, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "overflow.caps:14: bad number");

	p = write_caps("wide", "cpuid.maxphyaddr", "cpuid.maxphyaddr = 256\n", NULL);
	CHECK_EQ(load(p, &c, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "wide.caps:5: cpuid.maxphyaddr = 256 does not fit in 8 bits");

	p = write_caps("dup", NULL, NULL, "IA32_VMX_BASIC = 0x005a040000000004\n");
	CHECK_EQ(load(p, &c, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "dup.caps:22: duplicate key IA32_VMX_BASIC (first at line 9)");

	p = write_caps("nobasic", "IA32_VMX_BASIC", "", NULL);
	CHECK_EQ(load(p, &c, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "nobasic.caps: missing required key IA32_VMX_BASIC");

	p = write_caps("noeq", "IA32_VMX_MISC", "IA32_VMX_MISC 0x1\n", NULL);
	CHECK_EQ(load(p, &c, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "noeq.caps:14: expected KEY = VALUE");

	snprintf(err, sizeof(err), "%s/absent.caps", tmpdir);
	CHECK_EQ(vmxcaps_load(err, &c, err, sizeof(err)), -ENOENT);
}

/* Load a variant that parses, and return the consistency check's verdict. */
static int consistent(const char *name, const char *from, const char *to, const char *extra,
		      char *err, size_t len)
{
	struct vmx_caps c;
	int rc = load(write_caps(name, from, to, extra), &c, err, len);

	CHECK_EQ(rc, 0);
	if (rc)
		return rc;
	return vmxcaps_consistent(&c, err, len);
}

static void test_inconsistent(void)
{
	char err[256];

	/* Pin-based bit 3 must be 1 but is not allowed to be 1. */
	CHECK_EQ(consistent("must1", "IA32_VMX_PINBASED_CTLS",
			    "IA32_VMX_PINBASED_CTLS = 0x000000770000001e\n",
			    NULL, err, sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_PINBASED_CTLS = 0x770000001e: must-be-1 bits 0x8");

	CHECK_EQ(consistent("cr0", "IA32_VMX_CR0_FIXED1", "IA32_VMX_CR0_FIXED1 = 0x7fffffff\n",
			    NULL, err, sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_CR0_FIXED0 = 0x80000021 has bits 0x80000000");

	/* Secondary controls offered, but no PROCBASED_CTLS2. */
	CHECK_EQ(consistent("no2", "IA32_VMX_PROCBASED_CTLS2", "", NULL, err, sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_PROCBASED_CTLS2 is missing");

	/* EPT offered, but no EPT_VPID_CAP. */
	CHECK_EQ(consistent("noept", "IA32_VMX_EPT_VPID_CAP", "", NULL, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_EPT_VPID_CAP is missing");

	/* TRUE_* MSRs without IA32_VMX_BASIC[55]. */
	CHECK_EQ(consistent("true", NULL, NULL, "IA32_VMX_TRUE_PINBASED_CTLS = 0x7f00000016\n", err,
			    sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_TRUE_PINBASED_CTLS = 0x7f00000016 is present");

	/* VMFUNC without "enable VM functions"; CTLS3 without "activate tertiary controls". */
	CHECK_EQ(consistent("vmfunc", NULL, NULL, "IA32_VMX_VMFUNC = 1\n", err, sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_VMFUNC = 0x1 is present");
	CHECK_EQ(consistent("ctls3", NULL, NULL, "IA32_VMX_PROCBASED_CTLS3 = 0x10\n", err,
			    sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_PROCBASED_CTLS3 = 0x10 is present");

	/* No VMX in CPUID: the MSRs would not exist. */
	CHECK_EQ(consistent("novmx", "cpuid.1.ecx", "cpuid.1.ecx = 0x8\n", NULL, err, sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "VMX (bit 5) is clear");
}

/* Bit 55 set: the TRUE_* MSRs must exist and agree with the default ones. */
static void test_true_msrs(void)
{
	static const char basic55_set[] = "IA32_VMX_BASIC = 0x00da040000000004\n";
	static const char trues[] = "IA32_VMX_TRUE_PINBASED_CTLS = 0x7f00000016\n"
				    "IA32_VMX_TRUE_PROCBASED_CTLS = 0xfff9fffe04006172\n"
				    "IA32_VMX_TRUE_EXIT_CTLS = 0x007fffff00036dfb\n";
	char extra[512], err[256];

	snprintf(extra, sizeof(extra), "%sIA32_VMX_TRUE_ENTRY_CTLS = 0x0000ffff000011fb\n", trues);
	CHECK_EQ(consistent("t_ok", "IA32_VMX_BASIC", basic55_set, extra, err, sizeof(err)), 0);

	/* One TRUE MSR missing. */
	CHECK_EQ(consistent("t_miss", "IA32_VMX_BASIC", basic55_set, trues, err, sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_TRUE_ENTRY_CTLS is missing (0) but IA32_VMX_BASIC bit 55");

	/* TRUE allowed-1 differs from the default MSR's. */
	snprintf(extra, sizeof(extra), "%sIA32_VMX_TRUE_ENTRY_CTLS = 0x0000fdff000011fb\n", trues);
	CHECK_EQ(consistent("t_may1", "IA32_VMX_BASIC", basic55_set, extra, err, sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_TRUE_ENTRY_CTLS: allowed-1 0xfdff differs");

	/* TRUE must-be-1 has a bit the default MSR does not force (bit 9). */
	snprintf(extra, sizeof(extra), "%sIA32_VMX_TRUE_ENTRY_CTLS = 0x0000ffff000013fb\n", trues);
	CHECK_EQ(consistent("t_must1", "IA32_VMX_BASIC", basic55_set, extra, err, sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "IA32_VMX_TRUE_ENTRY_CTLS: must-be-1 0x13fb has bits");
}

void unit_main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/bolt-vmxcaps-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		exit(2);
	}
	TEST(test_data_files);
	TEST(test_good);
	TEST(test_parse_errors);
	TEST(test_inconsistent);
	TEST(test_true_msrs);
	for (unsigned i = 0; i < nmade; i++)
		unlink(made[i]);
	rmdir(tmpdir);
}
