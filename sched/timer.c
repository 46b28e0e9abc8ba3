/* SPDX-License-Identifier: MIT */
/* Time events of the vCPUs pinned to a CPU (see sched/timer.h). */
#include <stdint.h>
#include <xen/xen.h>

#include "core/guest.h"
#include "core/pcpu.h"
#include "core/time.h"
#include "evtchn/evtchn.h"
#include "sched/sched.h"
#include "sched/timer.h"

void timer_set(struct vcpu *v, uint64_t deadline_ns)
{
	/* Only ever called on the vCPU's own CPU: no lock needed. */
	v->timer_ns = deadline_ns;
	v->pcpu->rq.timers_changed = true;
}

void timer_set_periodic(struct vcpu *v, uint64_t period_ns)
{
	/* As Xen's vcpu_set_periodic_timer: the first tick one period from now. */
	v->periodic_ns = period_ns;
	v->periodic_next_ns = period_ns ? time_now_ns() + period_ns : 0;
	v->pcpu->rq.timers_changed = true;
}

void timer_set_poll(struct vcpu *v, uint64_t deadline_ns)
{
	v->poll_ns = deadline_ns;
	v->pcpu->rq.timers_changed = true;
}

uint64_t timer_deadline(struct pcpu *p)
{
	/* A remote wake-up may set the flag: take it atomically, then read what it announced. */
	if (__atomic_load_n(&p->rq.timers_changed, __ATOMIC_RELAXED) &&
	    __atomic_exchange_n(&p->rq.timers_changed, false, __ATOMIC_ACQUIRE))
		p->timer_deadline_ns = timer_next_deadline(p);
	return p->timer_deadline_ns;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

uint64_t timer_next_deadline(struct pcpu *p)
{
	/* A lazy CPU's first tick is due at once; timer_run() then arms the next. */
	uint64_t d = p->lazy ? (p->next_tick_ns ? p->next_tick_ns : 1) : 0;

	d = earliest(d, p->rq.slice_end_ns);

	for (unsigned i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = p->vcpus[i];
		if (v->state == VCPU_STOPPED)
			continue;
		d = earliest(d, v->timer_ns);
		d = earliest(d, v->periodic_next_ns);
		d = earliest(d, v->poll_ns);
		d = earliest(d, v->lapic.timer_deadline_ns);
	}
	return d;
}

void timer_run(struct pcpu *p)
{
	uint64_t now = time_now_ns();
	bool tick = p->lazy && now >= p->next_tick_ns;

	for (unsigned i = 0; i < p->nr_vcpus; i++) {
		struct vcpu *v = p->vcpus[i];
		struct guest *g = v->guest;

		if (v->state == VCPU_STOPPED)
			continue;
		if (v->timer_ns && now >= v->timer_ns) {
			v->timer_ns = 0;
			evtchn_raise_virq_vcpu(&g->evtchn, v->vcpu_id, VIRQ_TIMER);
		}
		/*
		 * Ticks missed while the CPU was elsewhere are not made up: one
		 * VIRQ_TIMER, the next a period from now (Xen's
		 * vcpu_periodic_timer_work).
		 */
		if (v->periodic_next_ns && now >= v->periodic_next_ns) {
			v->periodic_next_ns = now + v->periodic_ns;
			evtchn_raise_virq_vcpu(&g->evtchn, v->vcpu_id, VIRQ_TIMER);
		}
		/*
		 * The vLAPIC timer (core/vlapic_timer.c): its vector pending wakes
		 * a vCPU halted in HLT, once the vector is deliverable.
		 */
		if (v->lapic.timer_deadline_ns && vlapic_timer_expire(&v->lapic, now) &&
		    v->state == VCPU_BLOCKED && vcpu_upcall_pending(v))
			sched_wake(v);
		if (v->poll_ns && now >= v->poll_ns) {
			v->poll_ns = 0;
			sched_wake(v);
		}
		/* Lazy delivery: the tick is when a pending upcall is noticed. */
		if (tick && v->state == VCPU_BLOCKED && (vcpu_upcall_pending(v) || v->polling))
			sched_wake(v);
	}
	if (tick) {
		p->next_tick_ns = now - now % TICK_NS + TICK_NS;
		if (p->rq.head)
			p->rq.resched = true; /* a queued vCPU may outrank the running one */
	}
	if (p->rq.slice_end_ns && now >= p->rq.slice_end_ns)
		sched_slice_expired(p);
	p->rq.timers_changed = true; /* whatever fired, the next event is another */
}
