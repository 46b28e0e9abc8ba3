/* SPDX-License-Identifier: MIT */
/*
 * What Bolt does about CPU features real machines may lack or firmware
 * may have set (docs/running.md, "Real machines"): pure decisions from
 * CPUID and MSR values, compiled on the host by tests/unit/test_cpu_policy.c.
 */
#ifndef ARCH_CPU_POLICY_H
#define ARCH_CPU_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/msr.h"

#define CPUID1_ECX_MONITOR (1u << 3)
#define CPUID1_ECX_X2APIC (1u << 21)

/*
 * MONITOR/MWAIT usable for the idle loop. CPUID.1:ECX[3] alone decides:
 * clearing IA32_MISC_ENABLE[18] (firmware's "MWAIT disable") also clears
 * that bit (SDM Vol. 4, Table 2-2), so no model-specific MSR is read.
 */
bool cpu_idle_mwait_usable(uint32_t cpuid1_ecx);

enum apic_mode {
	APIC_MODE_X2APIC,        /* supported and off: Bolt switches it on */
	APIC_MODE_X2APIC_FIRMWARE, /* already on (firmware, maybe locked): kept */
	APIC_MODE_XAPIC,         /* no x2APIC: xAPIC MMIO at 0xfee00000 */
};

/*
 * The local APIC mode from CPUID.1:ECX and IA32_APIC_BASE. x2APIC set in
 * APIC_BASE wins even without the CPUID bit: leaving x2APIC mode needs a
 * pass through the disabled state (SDM Vol. 3A, 11.12.5), which firmware
 * may have locked (IA32_XAPIC_DISABLE_STATUS), and xAPIC MMIO does not
 * answer in x2APIC mode.
 */
enum apic_mode cpu_apic_mode(uint32_t cpuid1_ecx, uint64_t apic_base);

/* The IA32_APIC_BASE value to write for the mode, or apic_base itself if no write is needed. */
uint64_t cpu_apic_base_for(enum apic_mode mode, uint64_t apic_base);

/* One log line describing the mode (without a trailing newline). */
const char *cpu_apic_mode_text(enum apic_mode mode);

#endif
