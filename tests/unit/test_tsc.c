/* SPDX-License-Identifier: MIT */
/*
 * arch/x86/tsc_freq.c: the TSC frequency from CPUID 15H/16H, checked
 * against CPUID values of real CPUs and of Bochs, and the choice between
 * it and the UEFI Stall calibration.
 */
#include "arch/tsc_freq.h"
#include "unit.h"

/*
 * Intel Core i7-6700K (Skylake client, 06_5EH), as recorded by
 * VBoxCpuReport in VirtualBox's CPU database (Intel_Core_i7_6700K.h):
 * 15H = 2, 0x14e, 0 (no crystal given), 16H.EAX = 0xfa0 (4000 MHz).
 * With the SDM's 24 MHz crystal: 24 MHz * 334 / 2 = 4008 MHz, the figure
 * Linux also reports for this part.
 */
static const struct tsc_cpuid i7_6700k = {
	.intel = true, .max_leaf = 0x16, .signature = 0x000506e3,
	.l15_eax = 2, .l15_ebx = 0x14e, .l15_ecx = 0, .l16_eax = 0xfa0,
};

/*
 * Bochs 2.7 corei7_skylake_x (cpu/cpudb/intel/corei7_skylake-x.cc), an
 * i7-7800X, 06_55H: 15H = 2, 0x124, 0; 16H.EAX = 0xdac (3500 MHz). The
 * SDM's Xeon Scalable crystal (25 MHz) gives 3650 MHz, but Bochs' TSC
 * ticks once per emulated instruction (50 per us at ips=50000000).
 */
static const struct tsc_cpuid bochs_skx = {
	.intel = true, .max_leaf = 0x16, .signature = 0x00050654,
	.l15_eax = 2, .l15_ebx = 0x124, .l15_ecx = 0, .l16_eax = 0xdac,
};

/*
 * Alder Lake-S (06_97H), from the `cpuid` tool dump kept as test data by
 * the rust-cpuid crate: 15H = 2, 0xbc, 0x249f000 (38.4 MHz crystal given);
 * 16H.EAX = 0xe10 (3600 MHz). 38.4 MHz * 188 / 2 = 3609.6 MHz.
 */
static const struct tsc_cpuid alder_lake = {
	.intel = true, .max_leaf = 0x20, .signature = 0x00090672,
	.l15_eax = 2, .l15_ebx = 0xbc, .l15_ecx = 0x0249f000, .l16_eax = 0xe10,
};

static void test_known_cpus(void)
{
	enum tsc_source src;

	CHECK_EQ(tsc_cpuid_hz(&i7_6700k, &src), 4008000000ULL);
	CHECK_EQ(src, TSC_SRC_15H_TABLE);
	CHECK_EQ(tsc_cpuid_hz(&bochs_skx, &src), 3650000000ULL);
	CHECK_EQ(src, TSC_SRC_15H_TABLE);
	CHECK_EQ(tsc_cpuid_hz(&alder_lake, &src), 3609600000ULL);
	CHECK_EQ(src, TSC_SRC_15H);
}

/* SDM table "Nominal Core Crystal Clock Frequency", by display family/model. */
static void test_crystal_table(void)
{
	CHECK_EQ(tsc_nominal_crystal_hz(0x000406e3), 24000000); /* 06_4EH Skylake mobile */
	CHECK_EQ(tsc_nominal_crystal_hz(0x000506e3), 24000000); /* 06_5EH Skylake desktop */
	CHECK_EQ(tsc_nominal_crystal_hz(0x000806e9), 24000000); /* 06_8EH Kaby Lake mobile */
	CHECK_EQ(tsc_nominal_crystal_hz(0x000906e9), 24000000); /* 06_9EH Kaby Lake desktop */
	CHECK_EQ(tsc_nominal_crystal_hz(0x00050654), 25000000); /* 06_55H Xeon Scalable */
	CHECK_EQ(tsc_nominal_crystal_hz(0x000506c9), 19200000); /* 06_5CH Goldmont */
	CHECK_EQ(tsc_nominal_crystal_hz(0x00090672), 0);        /* Alder Lake: reports ECX */
	CHECK_EQ(tsc_nominal_crystal_hz(0x000306c3), 0);        /* Haswell: no 15H at all */
	/* Model 5EH only with the extended-model bits: plain 0EH is not Skylake. */
	CHECK_EQ(tsc_nominal_crystal_hz(0x000006e0), 0);
	/* Family 0FH with model 5EH bits is not family 6. */
	CHECK_EQ(tsc_nominal_crystal_hz(0x00050fe0), 0);
}

static void test_fallbacks(void)
{
	enum tsc_source src;
	struct tsc_cpuid c;

	/* Goldmont (06_5CH): ECX 0, the SDM's 19.2 MHz; this ratio (90/1) is made up. */
	c = (struct tsc_cpuid){ .intel = true, .max_leaf = 0x15, .signature = 0x000506c9,
				.l15_eax = 1, .l15_ebx = 90 };
	CHECK_EQ(tsc_cpuid_hz(&c, &src), 1728000000ULL);
	CHECK_EQ(src, TSC_SRC_15H_TABLE);

	/* A model the table does not list: 16H's base frequency. */
	c = i7_6700k;
	c.signature = 0x000a0655; /* 06_A5H, Comet Lake */
	CHECK_EQ(tsc_cpuid_hz(&c, &src), 4000000000ULL);
	CHECK_EQ(src, TSC_SRC_16H);
	/* ... unless 16H is above the maximum leaf. */
	c.max_leaf = 0x15;
	CHECK_EQ(tsc_cpuid_hz(&c, &src), 0);
	CHECK_EQ(src, TSC_SRC_NONE);

	/* The crystal table is Intel's: another vendor's ECX 0 gives no figure from 15H. */
	c = i7_6700k;
	c.intel = false;
	CHECK_EQ(tsc_cpuid_hz(&c, &src), 4000000000ULL);
	CHECK_EQ(src, TSC_SRC_16H);

	/* 15H with EAX or EBX 0 is "ratio not enumerated". */
	c = alder_lake;
	c.l15_eax = 0;
	CHECK_EQ(tsc_cpuid_hz(&c, &src), 3600000000ULL);
	CHECK_EQ(src, TSC_SRC_16H);
	c = alder_lake;
	c.l15_ebx = 0;
	CHECK_EQ(tsc_cpuid_hz(&c, &src), 3600000000ULL);
	/* 16H.EAX[31:16] are reserved. */
	c.l16_eax = 0xabcd0000 | 0xe10;
	CHECK_EQ(tsc_cpuid_hz(&c, &src), 3600000000ULL);

	/* Leaves above the maximum are never used (Intel returns another leaf there). */
	c = alder_lake;
	c.max_leaf = 0x14;
	CHECK_EQ(tsc_cpuid_hz(&c, &src), 0);
	CHECK_EQ(src, TSC_SRC_NONE);

	/* Nothing at all (a Haswell, QEMU TCG's default CPU). */
	c = (struct tsc_cpuid){ .intel = true, .max_leaf = 0xd, .signature = 0x000306c3 };
	CHECK_EQ(tsc_cpuid_hz(&c, &src), 0);
	CHECK_EQ(src, TSC_SRC_NONE);

	/* Extreme 15H values do not overflow. */
	c = (struct tsc_cpuid){ .max_leaf = 0x15, .l15_eax = 1, .l15_ebx = UINT32_MAX,
				.l15_ecx = UINT32_MAX };
	CHECK(tsc_cpuid_hz(&c, &src) == (uint64_t)UINT32_MAX * UINT32_MAX);
}

static void test_choose(void)
{
	enum tsc_source src;
	bool agree;

	/* Bochs: CPUID says 3650, the calibration 50: they disagree, the calibration wins. */
	CHECK_EQ(tsc_choose_per_us(50, tsc_cpuid_hz(&bochs_skx, &src), &agree), 50);
	CHECK(!agree);
	/* A real 6700K calibrating at 4007 (Stall is not exact): CPUID's 4008. */
	CHECK_EQ(tsc_choose_per_us(4007, tsc_cpuid_hz(&i7_6700k, &src), &agree), 4008);
	CHECK(agree);
	/* Alder Lake: 3609.6 rounds to 3610. */
	CHECK_EQ(tsc_choose_per_us(3605, 3609600000ULL, &agree), 3610);
	CHECK(agree);
	/* 3% apart: the calibration. */
	CHECK_EQ(tsc_choose_per_us(3500, 3609600000ULL, &agree), 3500);
	CHECK(!agree);
	/* The limit is 2% of the calibration, inclusive. */
	CHECK_EQ(tsc_choose_per_us(1000, 1020000000ULL, &agree), 1020);
	CHECK(agree);
	CHECK_EQ(tsc_choose_per_us(1000, 1020000001ULL, &agree), 1000);
	CHECK(!agree);
	CHECK_EQ(tsc_choose_per_us(1000, 980000000ULL, &agree), 980);
	CHECK(agree);
	CHECK_EQ(tsc_choose_per_us(1000, 979999999ULL, &agree), 1000);
	CHECK(!agree);
	/* No CPUID figure: the calibration, not "agreeing". */
	CHECK_EQ(tsc_choose_per_us(2400, 0, &agree), 2400);
	CHECK(!agree);
}

static void test_names(void)
{
	CHECK_STR(tsc_source_name(TSC_SRC_15H), "CPUID 15H");
	CHECK_CONTAINS(tsc_source_name(TSC_SRC_15H_TABLE), "nominal crystal");
	CHECK_CONTAINS(tsc_source_name(TSC_SRC_16H), "16H");
}

void unit_main(void)
{
	TEST(test_known_cpus);
	TEST(test_crystal_table);
	TEST(test_fallbacks);
	TEST(test_choose);
	TEST(test_names);
}
