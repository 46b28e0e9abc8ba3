/* SPDX-License-Identifier: MIT */
/* A virtual CPU: generic state, statistics and the arch part. */
#ifndef CORE_VCPU_H
#define CORE_VCPU_H

#include <stdint.h>

#include "arch/cpu.h"
#include "bolt/bolt.h"
#include "sched/types.h"

struct vcpu {
	struct guest *guest;
	struct pcpu *pcpu;        /* the physical CPU it is pinned to */
	enum vcpu_state state;
	struct vcpu *rq_next;
	unsigned priority;        /* bolt.cfg `priority`: higher runs first */
	bool handover;            /* bolt.cfg `handover`: a same-core sender hands it the CPU */
	bool boosted;             /* woken and not yet run: ahead of its equals (sched/sched.c) */
	/* Statistics for the summary: exits by basic reason, time in the guest. */
	uint64_t exits[ARCH_NR_EXIT_REASONS];
	uint64_t nr_exits;
	uint64_t guest_ticks;
	uint64_t entry_tsc;
	/* Measurement counters (bolt_op BOLT_OP_stats; docs/performance.md). */
	uint64_t sends, notifies, upcalls, wakeups;
	uint64_t throttled;       /* sends held back by a channel budget */
	struct bolt_timing hv_send, hv_wake;
	bool sent;                /* this exit sent an event: time it to the entry */
	bool woken;               /* woken since last run: time the wake to the entry */
	bool wake_traced;         /* its trace "wake" record is written for this wake-up */
	uint64_t wake_tsc;
	/* SCHEDOP_poll: wake-up deadline (system time ns), 0 = none. */
	uint64_t poll_ns;
	bool polling;             /* blocked in SCHEDOP_poll: woken by any newly pending port */
	struct vcpu_arch arch;
};

#endif
