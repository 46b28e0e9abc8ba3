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
 *
 * Without MONITOR/MWAIT (p->idle_hlt) an untimed wait is HLT, which only
 * an interrupt ends: the CPU announces `halted` (seq_cst) before the
 * arch re-checks the head, and sched_kick() loads `halted` after its
 * fetch-add on the kick word, so either the head re-check sees the vCPU
 * or the waker sends the IPI. An IPI that arrives before the HLT stays
 * pending (IF = 0) and ends the HLT as soon as STI's shadow is over. A
 * timed wait spins on the kick word in both modes (arch_idle_wait).
 */
struct vcpu *sched_next_slow(struct pcpu *p)
{
	struct vcpu *v = sched_pick(p);

	while (!v && !(v = sched_pick_idle(p))) {
		uint64_t deadline = timer_deadline(p);
		bool halt = p->idle_hlt && !deadline;

		if (halt)
			__atomic_store_n(&p->halted, true, __ATOMIC_SEQ_CST);
		/* hv_wake starts when the kick arrives: the wait's end. */
		p->kick_tsc = arch_idle_wait(&p->rq.kick, (void *volatile const *)&p->rq.head,
					     deadline ? time_ns_to_tsc(deadline) : 0);
		if (halt)
			__atomic_store_n(&p->halted, false, __ATOMIC_RELAXED);
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
