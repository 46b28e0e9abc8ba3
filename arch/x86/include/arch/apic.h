/* SPDX-License-Identifier: MIT */
/* Local APIC: x2APIC (MSRs) when the CPU has it, xAPIC MMIO otherwise. */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_KICK_VECTOR 0xf0  /* IPI that forces a running guest to exit */

/* Interrupt Command Register bits (SDM Vol. 3A, 11.6.1). */
#define ICR_DM_FIXED (0u << 8)
#define ICR_DM_NMI (4u << 8)
#define ICR_DM_INIT (5u << 8)
#define ICR_DM_STARTUP (6u << 8)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_TRIGGER_LEVEL (1u << 15)
#define ICR_DELIVERY_PENDING (1u << 12)

/* Switch this CPU to x2APIC mode if supported; returns true if it did. */
bool apic_init_cpu(void);
uint32_t apic_id(void);
void apic_send_ipi(uint32_t dest, uint32_t icr_low);
void apic_eoi(void);
/* INIT-SIPI-SIPI (SDM Vol. 3A, 8.4.4.1); vector = trampoline page >> 12. */
void apic_start_ap(uint32_t dest, uint8_t vector);

/* TSC ticks per microsecond, calibrated at boot (used for SDM delays). */
extern uint64_t tsc_per_us;
void udelay(uint64_t us);

#endif
