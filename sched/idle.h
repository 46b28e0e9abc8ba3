/* SPDX-License-Identifier: MIT */
/* The vCPU to run next, waiting in the idle loop while there is none. */
#ifndef SCHED_IDLE_H
#define SCHED_IDLE_H

#include "core/pcpu.h"
#include "core/vcpu.h"

/* sched_next() when something changed: the run queue, else the idle loop. */
struct vcpu *sched_next_slow(struct pcpu *p);

/*
 * Called on the way back to a guest (prepare_entry): returns the vCPU to
 * enter on this CPU, idling (MWAIT on the kick line, or HLT) until there
 * is one and running the CPU's time events meanwhile. Inline for the
 * common case, nothing changed since the exit (sched_pick()'s fast path;
 * the resched bit is re-checked after in_guest is set, so a racing wake
 * is not missed).
 */
static inline struct vcpu *sched_next(struct pcpu *p)
{
	struct vcpu *cur = p->current;

	if (!p->rq.resched && cur && cur->state == VCPU_RUNNABLE)
		return cur;
	return sched_next_slow(p);
}

#endif
