/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's CPUID view of the TSC, compared with the UEFI Stall
 * calibration in one log line (arch/x86/tsc_freq.c decides).
 */
#include "arch/tsc_freq.h"
#include "arch/x86.h"
#include "core/console.h"

static void read_cpuid(struct tsc_cpuid *c)
{
	struct cpuid_regs r;

	cpuid(0, 0, &r);
	c->max_leaf = r.eax;
	/* "GenuineIntel" as EBX, EDX, ECX. */
	c->intel = r.ebx == 0x756e6547 && r.edx == 0x49656e69 && r.ecx == 0x6c65746e;
	cpuid(1, 0, &r);
	c->signature = r.eax;
	if (c->max_leaf >= 0x15) {
		cpuid(0x15, 0, &r);
		c->l15_eax = r.eax;
		c->l15_ebx = r.ebx;
		c->l15_ecx = r.ecx;
	}
	if (c->max_leaf >= 0x16) {
		cpuid(0x16, 0, &r);
		c->l16_eax = r.eax;
	}
}

uint64_t tsc_pick_at_boot(uint64_t calibrated_per_us)
{
	struct tsc_cpuid c = { 0 };
	enum tsc_source src;
	bool agree;
	uint64_t hz, per_us;

	read_cpuid(&c);
	hz = tsc_cpuid_hz(&c, &src);
	per_us = tsc_choose_per_us(calibrated_per_us, hz, &agree);
	if (!hz)
		log_printf("TSC: Stall calibration %lu ticks/us; CPUID gives no TSC frequency "
			   "(leaves 15H/16H absent or empty); using the calibration",
			   (unsigned long)calibrated_per_us);
	else
		log_printf("TSC: Stall calibration %lu ticks/us; %s says %lu.%03lu ticks/us; %s",
			   (unsigned long)calibrated_per_us, tsc_source_name(src),
			   (unsigned long)(hz / 1000000), (unsigned long)(hz / 1000 % 1000),
			   agree ? "using CPUID's" :
			   "they disagree by more than 2% (emulated or virtualized TSC?); "
			   "using the calibration");
	return per_us;
}
