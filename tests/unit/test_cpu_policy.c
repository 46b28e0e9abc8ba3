/* SPDX-License-Identifier: MIT */
/* arch/x86/cpu_policy.c: MONITOR/MWAIT and local APIC mode decisions for real machines. */
#include <string.h>

#include "arch/cpu_policy.h"
#include "unit.h"

#define BASE 0xfee00000ULL
#define BSP (1ULL << 8)

static void test_mwait(void)
{
	CHECK(cpu_idle_mwait_usable(CPUID1_ECX_MONITOR));
	CHECK(cpu_idle_mwait_usable(0xffffffffu));
	/* No MONITOR, or firmware cleared IA32_MISC_ENABLE[18] (which clears the bit). */
	CHECK(!cpu_idle_mwait_usable(0));
	CHECK(!cpu_idle_mwait_usable(~CPUID1_ECX_MONITOR));
}

static void test_x2apic_absent(void)
{
	/* Enabled xAPIC, no x2APIC in CPUID (QEMU TCG, old CPUs): stays xAPIC, no write. */
	uint64_t b = BASE | BSP | APIC_BASE_ENABLE;
	CHECK_EQ(cpu_apic_mode(0, b), APIC_MODE_XAPIC);
	CHECK_EQ(cpu_apic_base_for(APIC_MODE_XAPIC, b), b);
	/* Globally disabled by firmware: Bolt enables it, in xAPIC mode. */
	CHECK_EQ(cpu_apic_mode(0, BASE), APIC_MODE_XAPIC);
	CHECK_EQ(cpu_apic_base_for(APIC_MODE_XAPIC, BASE), BASE | APIC_BASE_ENABLE);
	CHECK(strstr(cpu_apic_mode_text(APIC_MODE_XAPIC), "no x2APIC") != NULL);
}

static void test_x2apic_off(void)
{
	/* Supported and off: Bolt switches it on (xAPIC -> x2APIC is a legal transition). */
	uint64_t b = BASE | APIC_BASE_ENABLE;
	CHECK_EQ(cpu_apic_mode(CPUID1_ECX_X2APIC, b), APIC_MODE_X2APIC);
	CHECK_EQ(cpu_apic_base_for(APIC_MODE_X2APIC, b), b | APIC_BASE_X2APIC);
	CHECK_EQ(cpu_apic_base_for(APIC_MODE_X2APIC, BASE), BASE | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
}

static void test_x2apic_locked_by_firmware(void)
{
	/* On already (firmware, maybe locked): kept, never written, never "turned off". */
	uint64_t b = BASE | BSP | APIC_BASE_ENABLE | APIC_BASE_X2APIC;
	CHECK_EQ(cpu_apic_mode(CPUID1_ECX_X2APIC, b), APIC_MODE_X2APIC_FIRMWARE);
	CHECK_EQ(cpu_apic_base_for(APIC_MODE_X2APIC_FIRMWARE, b), b);
	/* Even if CPUID hid the bit: xAPIC MMIO would not answer in x2APIC mode. */
	CHECK_EQ(cpu_apic_mode(0, b), APIC_MODE_X2APIC_FIRMWARE);
	CHECK(strstr(cpu_apic_mode_text(APIC_MODE_X2APIC_FIRMWARE), "firmware") != NULL);
}

void unit_main(void)
{
	TEST(test_mwait);
	TEST(test_x2apic_absent);
	TEST(test_x2apic_off);
	TEST(test_x2apic_locked_by_firmware);
}
