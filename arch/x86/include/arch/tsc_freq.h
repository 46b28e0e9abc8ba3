/* SPDX-License-Identifier: MIT */
/*
 * The TSC frequency the CPU itself announces (CPUID leaves 15H and 16H,
 * SDM Vol. 2A CPUID; Vol. 3B "Determining the Processor Base Frequency",
 * table "Nominal Core Crystal Clock Frequency"), and the choice between it
 * and Bolt's UEFI Stall calibration. Pure: arch/x86/tsc_host.c feeds it.
 */
#ifndef ARCH_TSC_FREQ_H
#define ARCH_TSC_FREQ_H

#include <stdbool.h>
#include <stdint.h>

struct tsc_cpuid {
	bool intel;                     /* GenuineIntel: the crystal table is Intel's */
	uint32_t max_leaf;              /* CPUID.0:EAX */
	uint32_t signature;             /* CPUID.1:EAX (family, model, stepping) */
	uint32_t l15_eax, l15_ebx;      /* TSC/crystal ratio: denominator, numerator */
	uint32_t l15_ecx;               /* crystal Hz; 0 if not enumerated */
	uint32_t l16_eax;               /* processor base frequency, MHz */
};

enum tsc_source {
	TSC_SRC_NONE,      /* CPUID gives no figure */
	TSC_SRC_15H,       /* 15H with the crystal frequency in ECX */
	TSC_SRC_15H_TABLE, /* 15H ratio with the SDM's nominal crystal for this model */
	TSC_SRC_16H,       /* 16H base frequency (the TSC runs at it on these parts) */
};

/* Nominal crystal Hz from the SDM table for an Intel signature, or 0 if not listed. */
uint32_t tsc_nominal_crystal_hz(uint32_t signature);

/* TSC Hz per CPUID, or 0 (then *src = TSC_SRC_NONE). */
uint64_t tsc_cpuid_hz(const struct tsc_cpuid *c, enum tsc_source *src);

/* Agreement limit between CPUID and the calibration, in percent. */
#define TSC_AGREE_PERCENT 2

/*
 * Ticks per microsecond to use: CPUID's (rounded) when it is within
 * TSC_AGREE_PERCENT of the calibration, else the calibration (a hypervisor
 * below Bolt, or an emulator, may pass on CPUID values that its virtual
 * TSC does not follow). *agree says which.
 */
uint64_t tsc_choose_per_us(uint64_t calibrated_per_us, uint64_t cpuid_hz, bool *agree);

/* "CPUID 15H", ... for the boot log. */
const char *tsc_source_name(enum tsc_source src);

/* Read CPUID, log the comparison line, return the ticks per us to use (tsc_host.c). */
uint64_t tsc_pick_at_boot(uint64_t calibrated_per_us);

#endif
