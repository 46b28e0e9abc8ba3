/* SPDX-License-Identifier: MIT */
/*
 * The idle loop: the run queue (sched/sched.c) has nothing to run, so the
 * CPU waits for a kick or its next time event (sched/timer.c). The wait's
 * re-check is part of the handshake tests/model/wake.pml checks: change
 * the two together.
 */
#include "arch/cpu.h"
#include "core/pcpu.h"
#include "core/time.h"
#include "sched/idle.h"
#include "sched/sched.h"
#include "sched/timer.h"

/*
 * MONITOR arms the kick line, then the queue head is re-checked before
 * MWAIT (arch_idle_wait), so a wake-up between sched_pick_idle() and the
 * MWAIT is not lost: its write to the armed line ends the MWAIT at once.
 */
struct vcpu *sched_next_slow(struct pcpu *p)
{
	struct vcpu *v = sched_pick(p);

	while (!v && !(v = sched_pick_idle(p))) {
		uint64_t deadline = timer_deadline(p);

		/* hv_wake starts when the kick arrives: the wait's end. */
		p->kick_tsc = arch_idle_wait(&p->rq.kick, (void *volatile const *)&p->rq.head,
					     deadline ? time_ns_to_tsc(deadline) : 0);
		/*
		 * The deadline covers every time event of this CPU (ticks,
		 * slices, guest timers, poll timeouts): a kick that arrives
		 * before it has nothing for timer_run() to do.
		 */
		if (deadline && time_now_ns() >= deadline)
			timer_run(p);
	}
	return v;
}
