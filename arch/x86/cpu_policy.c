/* SPDX-License-Identifier: MIT */
/* Decisions about MONITOR/MWAIT and the local APIC mode (arch/cpu_policy.h). */
#include "arch/cpu_policy.h"

bool cpu_idle_mwait_usable(uint32_t cpuid1_ecx)
{
	return cpuid1_ecx & CPUID1_ECX_MONITOR;
}

enum apic_mode cpu_apic_mode(uint32_t cpuid1_ecx, uint64_t apic_base)
{
	/* Enabled (bit 11) with EXTD (bit 10): x2APIC mode, SDM Vol. 3A, Table 11-5. */
	if ((apic_base & (APIC_BASE_ENABLE | APIC_BASE_X2APIC)) ==
	    (APIC_BASE_ENABLE | APIC_BASE_X2APIC))
		return APIC_MODE_X2APIC_FIRMWARE;
	/*
	 * QEMU TCG has no x2APIC and silently ignores the enable bit, so only
	 * switch when CPUID advertises it.
	 */
	if (cpuid1_ecx & CPUID1_ECX_X2APIC)
		return APIC_MODE_X2APIC;
	return APIC_MODE_XAPIC;
}

uint64_t cpu_apic_base_for(enum apic_mode mode, uint64_t apic_base)
{
	switch (mode) {
	case APIC_MODE_X2APIC:
		/* xAPIC -> x2APIC is allowed directly from enabled or disabled (11.12.5). */
		return apic_base | APIC_BASE_ENABLE | APIC_BASE_X2APIC;
	case APIC_MODE_XAPIC:
		/* EXTD without ENABLE is the invalid state: clear it with the enable. */
		return (apic_base & ~APIC_BASE_X2APIC) | APIC_BASE_ENABLE;
	case APIC_MODE_X2APIC_FIRMWARE:
		break;
	}
	return apic_base;
}

const char *cpu_apic_mode_text(enum apic_mode mode)
{
	switch (mode) {
	case APIC_MODE_X2APIC:
		return "APIC: x2APIC (enabled by Bolt)";
	case APIC_MODE_X2APIC_FIRMWARE:
		return "APIC: x2APIC already enabled by the firmware (possibly locked); kept";
	case APIC_MODE_XAPIC:
		break;
	}
	return "APIC: no x2APIC (CPUID.1:ECX[21] clear); xAPIC at 0xfee00000";
}
