/* SPDX-License-Identifier: MIT */
/* Helpers shared by the vLAPIC's files (core/vlapic*.c); not for its users. */
#ifndef CORE_VLAPIC_INTERNAL_H
#define CORE_VLAPIC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <stdbool.h>
#include <stdint.h>

struct vlapic; /* core/vlapic.h, included first by every user */

/* lvt[] indices: the order of the registers from 0x320. */
enum {
	VLAPIC_LVT_IDX_TIMER, VLAPIC_LVT_IDX_THERMAL, VLAPIC_LVT_IDX_PERF,
	VLAPIC_LVT_IDX_LINT0, VLAPIC_LVT_IDX_LINT1, VLAPIC_LVT_IDX_ERROR,
};

/*
 * Atomic: a sibling vCPU's CPU sets IRR bits while this one accepts
 * (vlapic_set_irr_remote); seq_cst pairs the set with the kick's
 * in_guest check (core/lapic_ipi.c).
 */
static inline void vlapic_set_bit(uint32_t reg[8], uint8_t v)
{
	__atomic_fetch_or(&reg[v >> 5], 1u << (v & 31), __ATOMIC_SEQ_CST);
}

static inline void vlapic_clear_bit(uint32_t reg[8], uint8_t v)
{
	__atomic_fetch_and(&reg[v >> 5], ~(1u << (v & 31)), __ATOMIC_SEQ_CST);
}

/* Hardware-enabled (IA32_APIC_BASE.EN) and software-enabled (SVR[8]). */
static inline bool vlapic_enabled(const struct vlapic *l)
{
	return (l->base & VLAPIC_BASE_EN) && (l->svr & VLAPIC_SVR_ENABLE);
}

void vlapic_eoi(struct vlapic *l);
void vlapic_error(struct vlapic *l, uint32_t bits);
/* Make vector pending; false (and an ESR error) for vectors 0-15. */
bool vlapic_set_irr(struct vlapic *l, uint8_t vector);

/* Timer registers (core/vlapic_timer.c). */
void vlapic_timer_lvt_write(struct vlapic *l, uint32_t val);
void vlapic_timer_icr_write(struct vlapic *l, uint32_t val, uint64_t now_ns);
void vlapic_timer_dcr_write(struct vlapic *l, uint32_t val, uint64_t now_ns);
uint32_t vlapic_timer_ccr(const struct vlapic *l, uint64_t now_ns);
void vlapic_timer_stop(struct vlapic *l);

#endif
