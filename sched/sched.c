/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU scheduler (NOVA style): a local wake-up enqueues and sets the
 * CPU's resched bit; a remote wake-up enqueues on the target's queue and
 * kicks it. The resched bit and the queue are checked in sched_next(),
 * right before VM entry. vCPUs are pinned, so a queue only ever holds
 * vCPUs of its own CPU and needs no load balancing.
 *
 * Policy: strict priority (bolt.cfg `priority`, higher first); vCPUs of
 * equal priority share the CPU round robin in SCHED_SLICE_NS slices, cut
 * by the VMX-preemption timer. A woken vCPU of higher priority than the
 * running one preempts it at once.
 */
#include "arch/cpu.h"
#include "core/pcpu.h"
#include "core/time.h"
#include "core/trace.h"
#include "core/vcpu.h"
#include "sched/sched.h"
#include "sched/timer.h"

void sched_init_cpu(struct pcpu *p)
{
	p->rq.head = NULL;
	p->rq.kick = 0;
	p->rq.idle = false;
	p->rq.resched = false;
	p->rq.slice_end_ns = 0;
}

/* Caller holds rq->lock. Behind every vCPU of the same or higher priority. */
static void rq_insert(struct runqueue *rq, struct vcpu *v)
{
	struct vcpu **pp = &rq->head;

	while (*pp && (*pp)->priority >= v->priority)
		pp = &(*pp)->rq_next;
	v->rq_next = *pp;
	*pp = v;
}

/* Caller holds rq->lock. */
static struct vcpu *rq_pop(struct runqueue *rq)
{
	struct vcpu *v = rq->head;

	if (v) {
		rq->head = v->rq_next;
		v->rq_next = NULL;
	}
	return v;
}

/* Caller holds rq->lock. Returns true if v was queued. */
static bool rq_remove(struct runqueue *rq, struct vcpu *v)
{
	for (struct vcpu **pp = &rq->head; *pp; pp = &(*pp)->rq_next) {
		if (*pp == v) {
			*pp = v->rq_next;
			v->rq_next = NULL;
			return true;
		}
	}
	return false;
}

static void kick(struct pcpu *target)
{
	if (target == this_pcpu()) {
		target->rq.resched = true;
		return;
	}
	/*
	 * The enqueue and resched bit (made under the queue lock) are visible
	 * before the kick word changes, so the woken CPU finds the vCPU. The
	 * locked add is also a full barrier between our resched store and the
	 * in_guest load, pairing with the target's in_guest store and resched
	 * load (seq_cst both sides, Dekker-style): either we see it in the
	 * guest and send the IPI, or it sees the resched bit before entering.
	 * An idle CPU needs only the write to its MWAIT line; a CPU in the
	 * hypervisor needs nothing more.
	 */
	__atomic_fetch_add(&target->rq.kick, 1, __ATOMIC_SEQ_CST);
	bool ipi = __atomic_load_n(&target->in_guest, __ATOMIC_SEQ_CST);
	if (ipi)
		arch_kick_cpu(target);
	if (trace_enabled)
		trace_kick(ipi);
}

void sched_start(struct vcpu *v)
{
	struct runqueue *rq = &v->pcpu->rq;

	spin_lock(&rq->lock);
	v->state = VCPU_RUNNABLE;
	if (v->pcpu->current != v)
		rq_insert(rq, v);
	rq->resched = true;
	spin_unlock(&rq->lock);
	kick(v->pcpu);
}

void sched_block(struct vcpu *v)
{
	struct runqueue *rq = &v->pcpu->rq;

	spin_lock(&rq->lock);
	if (v->state == VCPU_RUNNABLE)
		v->state = VCPU_BLOCKED;
	rq->resched = true;
	spin_unlock(&rq->lock);
}

bool sched_wake(struct vcpu *v)
{
	struct runqueue *rq = &v->pcpu->rq;
	bool woke = false;

	spin_lock(&rq->lock);
	if (v->state == VCPU_BLOCKED) {
		v->state = VCPU_RUNNABLE;
		if (v->pcpu->current != v)
			rq_insert(rq, v);
		rq->resched = true; /* the target re-evaluates before its next entry */
		v->woken = true;
		v->polling = false;
		v->poll_ns = 0;
		v->wake_tsc = arch_timestamp();
		woke = true;
	}
	spin_unlock(&rq->lock);
	if (woke)
		kick(v->pcpu);
	return woke;
}

bool sched_handover(struct vcpu *v)
{
	struct pcpu *p = v->pcpu;
	struct runqueue *rq = &p->rq;
	bool moved = false;

	if (p != this_pcpu())
		return false;
	spin_lock(&rq->lock);
	/* Same core: put the receiver first and switch to it before the next entry. */
	if (v->state == VCPU_RUNNABLE && p->current != v && rq_remove(rq, v)) {
		v->rq_next = rq->head;
		rq->head = v;
		rq->handover = true;
		rq->resched = true;
		moved = true;
	}
	spin_unlock(&rq->lock);
	return moved;
}

void sched_yield_vcpu(struct vcpu *v)
{
	/* Re-evaluated before entry: another runnable vCPU of equal priority goes first. */
	v->pcpu->rq.yield = true;
	v->pcpu->rq.resched = true;
}

void sched_stop(struct vcpu *v)
{
	struct runqueue *rq = &v->pcpu->rq;

	spin_lock(&rq->lock);
	v->state = VCPU_STOPPED;
	if (rq->head == v)
		rq->handover = false; /* a handover to it must not favour whoever is next */
	rq_remove(rq, v);
	rq->resched = true;
	spin_unlock(&rq->lock);
}

void sched_slice_expired(struct pcpu *p)
{
	p->rq.slice_end_ns = 0;
	p->rq.yield = true;
	p->rq.resched = true;
}

/* Caller holds rq->lock: equal-priority vCPUs waiting bound next's turn with a slice. */
static void arm_slice(struct runqueue *rq, struct vcpu *next, bool same)
{
	if (next && rq->head && rq->head->priority == next->priority) {
		if (!rq->slice_end_ns || !same)
			rq->slice_end_ns = time_now_ns() + SCHED_SLICE_NS;
	} else {
		rq->slice_end_ns = 0;
	}
}

/*
 * Idle until the queue is non-empty. MONITOR arms the kick line, then the
 * queue is re-checked before MWAIT so a wake-up between the check and the
 * MWAIT is not lost (the write to the armed line ends the MWAIT at once).
 */
static struct vcpu *idle_wait(struct pcpu *p)
{
	struct runqueue *rq = &p->rq;
	struct vcpu *v;

	for (;;) {
		spin_lock(&rq->lock);
		v = rq_pop(rq);
		rq->idle = v == NULL;
		p->current = v;
		if (v)
			rq->resched = false; /* the wake-up that set it is this very pick */
		arm_slice(rq, v, false);
		spin_unlock(&rq->lock);
		if (v)
			return v;
		uint64_t deadline = timer_next_deadline(p);
		/* hv_wake starts when the kick arrives: the wait's end. */
		p->kick_tsc = arch_idle_wait(&rq->kick, (void *volatile const *)&rq->head,
					     deadline ? time_ns_to_tsc(deadline) : 0);
		timer_run(p);
	}
}

/* Caller holds rq->lock: should the running vCPU give way to the queue's head? */
static bool should_switch(struct runqueue *rq, struct vcpu *cur)
{
	struct vcpu *head = rq->head;

	if (!head)
		return false;
	if (rq->handover || head->priority > cur->priority)
		return true;
	return head->priority == cur->priority && rq->yield;
}

struct vcpu *sched_next(struct pcpu *p)
{
	struct runqueue *rq = &p->rq;
	struct vcpu *cur = p->current, *next;

	/* Fast path: nothing changed since the exit. */
	if (!rq->resched && cur && cur->state == VCPU_RUNNABLE)
		return cur;

	spin_lock(&rq->lock);
	rq->resched = false;
	if (cur && cur->state == VCPU_RUNNABLE && !should_switch(rq, cur)) {
		next = cur;
	} else {
		next = rq_pop(rq);
		if (cur && cur->state == VCPU_RUNNABLE && cur != next)
			rq_insert(rq, cur); /* behind its equals: round robin */
	}
	rq->yield = rq->handover = false;
	arm_slice(rq, next, next == cur);
	/*
	 * From here a remote sched_wake() of the old vCPU must enqueue it:
	 * it tests `current` under this lock.
	 */
	p->current = next;
	spin_unlock(&rq->lock);
	if (!next)
		next = idle_wait(p);
	return next;
}
