/* SPDX-License-Identifier: MIT */
/*
 * Which CPUID feature bits a guest sees (docs/boot.md §6): the host's
 * answers with what Bolt does not virtualise hidden. Pure, so that
 * tests/unit/test_msr_policy.c can check every bit it lets through against
 * the MSR policy (arch/msr_policy.h).
 */
#ifndef ARCH_CPUID_POLICY_H
#define ARCH_CPUID_POLICY_H

#include <stdint.h>

enum { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

/*
 * Hide from the host's CPUID(leaf, sub) in regs (EAX, EBX, ECX, EDX) what a
 * guest must not see, and set CPUID.1:ECX[31] (hypervisor present).
 * OSXSAVE mirrors guest_cr4, as the CPU's would. The VMX controls hide more
 * (vmx_guest_cpuid_hide); the hypervisor leaves 0x4000xxxx are not here.
 */
void cpuid_policy_apply(uint32_t leaf, uint32_t sub, uint64_t guest_cr4, uint32_t regs[4]);

/*
 * After cpuid_policy_apply, for a guest with a virtual local APIC
 * (`lapic = yes`, core/vlapic.h): CPUID.1 shows APIC (EDX[9]), x2APIC
 * (ECX[21]) and TSC-deadline (ECX[24]) and EBX[31:24] = apic_id; leaves
 * 0xB and 0x1F give apic_id as the x2APIC ID (EDX).
 */
void cpuid_policy_lapic(uint32_t leaf, uint32_t sub, uint32_t apic_id, uint32_t regs[4]);

#endif
