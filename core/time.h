/* SPDX-License-Identifier: MIT */
/*
 * System time: nanoseconds since Bolt started, derived from the TSC (which
 * is constant-rate on every CPU Bolt supports and, in Bochs, counts
 * instructions). Guests read the same clock through the Xen pvclock in
 * shared_info (struct vcpu_time_info).
 */
#ifndef CORE_TIME_H
#define CORE_TIME_H

#include <stdint.h>

struct vcpu_time_info;

void time_init(uint64_t boot_tsc, uint64_t tsc_per_us);
uint64_t time_now_ns(void);
/* A TSC interval -> ns. */
uint64_t time_ticks_to_ns(uint64_t ticks);
/* A TSC value -> system time (ns); 0 for one before Bolt started. */
uint64_t time_tsc_to_ns(uint64_t tsc);
/* Absolute system time -> TSC value; UINT64_MAX (never) past the TSC's range. */
uint64_t time_ns_to_tsc(uint64_t ns);
uint64_t time_tsc_per_us(void);
void time_fill_pvclock(struct vcpu_time_info *t);

#endif
