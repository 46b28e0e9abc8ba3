/* SPDX-License-Identifier: MIT */
/* A virtual CPU: generic state, statistics and the arch part. */
#ifndef CORE_VCPU_H
#define CORE_VCPU_H

#include <stdint.h>

#include "arch/cpu.h"
#include "sched/sched.h"

struct vcpu {
	struct guest *guest;
	struct pcpu *pcpu;        /* the physical CPU it is pinned to */
	enum vcpu_state state;
	struct vcpu *rq_next;
	unsigned priority;        /* bolt.cfg `priority`: higher runs first */
	/* Statistics for the summary: exits by basic reason, time in the guest. */
	uint64_t exits[ARCH_NR_EXIT_REASONS];
	uint64_t nr_exits;
	uint64_t guest_ticks;
	uint64_t entry_tsc;
	uint64_t nr_upcalls;
	/* SCHEDOP_poll: wake-up deadline (system time ns), 0 = none. */
	uint64_t poll_ns;
	bool polling;             /* blocked in SCHEDOP_poll: woken by any newly pending port */
	struct vcpu_arch arch;
};

#endif
