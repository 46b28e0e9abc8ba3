/* SPDX-License-Identifier: MIT */
/* System time from the TSC, and the matching Xen pvclock parameters. */
#include <stdint.h>
#include <xen/xen.h>

#include "arch/cpu.h"
#include "core/time.h"

static uint64_t boot_tsc;
static uint64_t ticks_per_us = 1;

void time_init(uint64_t tsc0, uint64_t tsc_per_us)
{
	boot_tsc = tsc0;
	ticks_per_us = tsc_per_us ? tsc_per_us : 1;
}

uint64_t time_tsc_per_us(void)
{
	return ticks_per_us;
}

uint64_t time_ticks_to_ns(uint64_t t)
{
	/* Split to avoid overflow of t * 1000 after ~6 years at 100 GHz. */
	return t / ticks_per_us * 1000 + t % ticks_per_us * 1000 / ticks_per_us;
}

uint64_t time_tsc_to_ns(uint64_t tsc)
{
	return tsc > boot_tsc ? time_ticks_to_ns(tsc - boot_tsc) : 0;
}

uint64_t time_now_ns(void)
{
	return time_tsc_to_ns(arch_timestamp());
}

/*
 * Saturating: a deadline the TSC cannot reach in 64 bits (set_timer_op(~0),
 * a huge SCHEDOP_poll timeout; at 1 GHz or more ns / 1000 * ticks_per_us
 * alone passes 2^64) is UINT64_MAX, "never". Wrapping would turn it into a
 * TSC value already past: the VMX-preemption timer armed at 0 on every
 * entry, the idle loop spinning.
 */
uint64_t time_ns_to_tsc(uint64_t ns)
{
	uint64_t t;

	if (__builtin_mul_overflow(ns / 1000, ticks_per_us, &t) ||
	    __builtin_add_overflow(t, ns % 1000 * ticks_per_us / 1000, &t) ||
	    __builtin_add_overflow(t, boot_tsc, &t))
		return UINT64_MAX;
	return t;
}

/*
 * pvclock: ns = system_time + ((tsc - tsc_timestamp) << shift) * mul >> 32
 * (a negative shift shifts right). Pick the shift so that mul < 2^32.
 */
void time_fill_pvclock(struct vcpu_time_info *t)
{
	uint64_t ns_per_tick_q32 = (1000ULL << 32) / ticks_per_us; /* 32.32 fixed point */
	int8_t shift = 0;

	while (ns_per_tick_q32 >= (1ULL << 32)) {
		ns_per_tick_q32 >>= 1;
		shift++;
	}
	t->version++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	t->tsc_timestamp = boot_tsc;
	t->system_time = 0;
	t->tsc_to_system_mul = (uint32_t)ns_per_tick_q32;
	t->tsc_shift = shift;
	t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	t->version++;
}
