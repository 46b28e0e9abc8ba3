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
	/* Statistics for the summary: exits by basic reason, time in the guest. */
	uint64_t exits[ARCH_NR_EXIT_REASONS];
	uint64_t nr_exits;
	uint64_t guest_ticks;
	uint64_t entry_tsc;
	struct vcpu_arch arch;
};

#endif
