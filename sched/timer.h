/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU time events: guests' one-shot timers (set_timer_op, delivered as
 * VIRQ_TIMER) and periodic timers (VCPUOP_set_periodic_timer, VIRQ_TIMER
 * too), SCHEDOP_poll timeouts and the 1 ms tick that picks up
 * lazily delivered events. A CPU running a guest arms the VMX-preemption
 * timer for the earliest one; an idle CPU waits for it in its idle loop.
 */
#ifndef SCHED_TIMER_H
#define SCHED_TIMER_H

#include <stdint.h>

struct pcpu;
struct vcpu;

#define TICK_NS 1000000ULL /* the tick (lazy delivery, shared CPUs): 1 ms */

/* One-shot timer at an absolute system time (ns); 0 cancels. */
void timer_set(struct vcpu *v, uint64_t deadline_ns);
/* Periodic VIRQ_TIMER every period_ns, the first one period from now; 0 stops it. */
void timer_set_periodic(struct vcpu *v, uint64_t period_ns);
/* Earliest pending time event on this CPU (system time ns), 0 if none. */
uint64_t timer_next_deadline(struct pcpu *p);
/*
 * The same, cached: recomputed only when rq.timers_changed says a time
 * event may have come earlier (every VM entry asks; issue 9 counted the
 * scan at 74 instructions per entry on each side of a notification).
 */
uint64_t timer_deadline(struct pcpu *p);
/* SCHEDOP_poll / budget wake-up deadline of the running vCPU (ns), 0 = none. */
void timer_set_poll(struct vcpu *v, uint64_t deadline_ns);
/* Fire every expired time event on this CPU. */
void timer_run(struct pcpu *p);

#endif
