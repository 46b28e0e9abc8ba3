/* SPDX-License-Identifier: MIT */
/*
 * TSC frequency from CPUID (SDM Vol. 2A, CPUID leaf 15H "Time Stamp
 * Counter and Nominal Core Crystal Clock Information Leaf" and 16H
 * "Processor Frequency Information Leaf"):
 *   TSC Hz = crystal Hz (15H.ECX) * 15H.EBX / 15H.EAX.
 * Where ECX is 0 the crystal comes from the SDM table "Nominal Core
 * Crystal Clock Frequency" (Vol. 3B, 20.7.3 in recent editions, 18.7.3 or
 * 19.7.3 in older ones), which lists three families of parts; later parts
 * (e.g. Alder Lake, 38.4 MHz) report the crystal in ECX themselves.
 * Failing that, 16H.EAX is the base frequency in MHz, which is the TSC
 * rate on parts with an invariant TSC.
 */
#include "arch/tsc_freq.h"

#define MHZ 1000000ULL

static unsigned display_family(uint32_t sig)
{
	unsigned f = sig >> 8 & 0xf;

	return f == 0xf ? f + (sig >> 20 & 0xff) : f;
}

static unsigned display_model(uint32_t sig)
{
	unsigned f = sig >> 8 & 0xf, m = sig >> 4 & 0xf;

	return f == 6 || f == 0xf ? m | (sig >> 16 & 0xf) << 4 : m;
}

uint32_t tsc_nominal_crystal_hz(uint32_t signature)
{
	if (display_family(signature) != 6)
		return 0;
	switch (display_model(signature)) {
	case 0x4e: case 0x5e: /* 6th generation Core (Skylake client) */
	case 0x8e: case 0x9e: /* 7th generation Core (Kaby Lake; later steppings share the model) */
		return 24000000;
	case 0x55:            /* Xeon Scalable (Skylake server) */
		return 25000000;
	case 0x5c:            /* Atom, Goldmont (not the Xeon parts) */
		return 19200000;
	default:
		return 0;
	}
}

uint64_t tsc_cpuid_hz(const struct tsc_cpuid *c, enum tsc_source *src)
{
	*src = TSC_SRC_NONE;
	/* Leaves above the maximum return another leaf's data on Intel: never read them. */
	if (c->max_leaf >= 0x15 && c->l15_eax && c->l15_ebx) {
		uint32_t crystal = c->l15_ecx;

		*src = TSC_SRC_15H;
		if (!crystal && c->intel) {
			crystal = tsc_nominal_crystal_hz(c->signature);
			*src = TSC_SRC_15H_TABLE;
		}
		if (crystal) /* both factors are 32 bits: the product fits */
			return (uint64_t)crystal * c->l15_ebx / c->l15_eax;
	}
	if (c->max_leaf >= 0x16 && (c->l16_eax & 0xffff)) {
		*src = TSC_SRC_16H;
		return (uint64_t)(c->l16_eax & 0xffff) * MHZ;
	}
	*src = TSC_SRC_NONE;
	return 0;
}

uint64_t tsc_choose_per_us(uint64_t calibrated_per_us, uint64_t cpuid_hz, bool *agree)
{
	uint64_t cal_hz = calibrated_per_us * MHZ;
	uint64_t diff = cpuid_hz > cal_hz ? cpuid_hz - cal_hz : cal_hz - cpuid_hz;

	*agree = cpuid_hz && calibrated_per_us && diff * 100 <= cal_hz * TSC_AGREE_PERCENT;
	return *agree ? (cpuid_hz + MHZ / 2) / MHZ : calibrated_per_us;
}

const char *tsc_source_name(enum tsc_source src)
{
	switch (src) {
	case TSC_SRC_15H: return "CPUID 15H";
	case TSC_SRC_15H_TABLE: return "CPUID 15H with the SDM's nominal crystal";
	case TSC_SRC_16H: return "CPUID 16H base frequency";
	default: return "CPUID";
	}
}
