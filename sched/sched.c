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
 * by the VMX-preemption timer. A woken vCPU goes ahead of its equals and
 * preempts a running vCPU of equal or lower priority at once (a boost, as
 * Xen's credit scheduler gives woken vCPUs): a notification runs its
 * receiver now even on a shared CPU. The boost cannot starve the vCPU it
 * preempts: only a BLOCKED -> RUNNABLE transition boosts, so a receiver
 * that never blocks (events always pending) is just runnable and shares
 * the CPU round robin; one that blocks between events takes only the
 * time it runs per event. A flood of wake-ups is further bounded by the
 * channel budget (sched/budget.c), which puts the sender to sleep.
 *
 * The waker / kicked CPU / blocking vCPU handshake is modelled in
 * tests/model/wake.pml: change the two together.
 */
#include "arch/cpu.h"
#include "core/pcpu.h"
#include "core/time.h"
#include "core/trace.h"
#include "core/vcpu.h"
#include "sched/sched.h"

void sched_init_cpu(struct pcpu *p)
{
	p->rq.head = NULL;
	p->rq.kick = 0;
	p->rq.resched = false;
	p->rq.timers_changed = true;
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

/*
 * Caller holds rq->lock. Woken (boosted): behind higher priorities and the
 * other boosted vCPUs of its own, ahead of its unboosted equals.
 */
static void rq_insert_woken(struct runqueue *rq, struct vcpu *v)
{
	struct vcpu **pp = &rq->head;

	v->boosted = true;
	while (*pp && ((*pp)->priority > v->priority ||
		       ((*pp)->priority == v->priority && (*pp)->boosted)))
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
		v->boosted = false; /* it runs now */
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
			v->boosted = false;
			return true;
		}
	}
	return false;
}

void sched_kick(struct pcpu *target)
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
	 * hypervisor needs nothing more. A CPU without MWAIT sleeping in HLT
	 * (`halted`, the same Dekker pair with sched_next_slow()) needs the
	 * IPI: the NOVA rule, a remote wake-up enqueues and kicks.
	 */
	__atomic_fetch_add(&target->rq.kick, 1, __ATOMIC_SEQ_CST);
	bool ipi = __atomic_load_n(&target->in_guest, __ATOMIC_SEQ_CST) ||
		   __atomic_load_n(&target->halted, __ATOMIC_SEQ_CST);
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
	rq->timers_changed = true; /* its timers count again */
	spin_unlock(&rq->lock);
	sched_kick(v->pcpu);
}

bool sched_wake(struct vcpu *v)
{
	struct pcpu *p = v->pcpu;
	struct runqueue *rq = &p->rq;
	bool woke = false, kick = false;

	spin_lock(&rq->lock);
	if (v->state == VCPU_BLOCKED) {
		struct vcpu *cur = p->current;

		v->state = VCPU_RUNNABLE;
		if (cur != v)
			rq_insert_woken(rq, v); /* the boost: see should_switch() */
		/*
		 * The CPU must look at its queue before its next entry, unless
		 * it runs a vCPU of higher priority that keeps the CPU anyway:
		 * then the woken one runs when that one blocks or is preempted,
		 * and an IPI would only cost the running guest an exit.
		 */
		kick = !cur || cur == v || cur->state != VCPU_RUNNABLE || v->priority >= cur->priority;
		if (kick)
			rq->resched = true;
		v->woken = true;
		v->polling = false;
		if (v->poll_ns) {
			v->poll_ns = 0; /* its poll timeout is cancelled: not a deadline any more */
			__atomic_store_n(&rq->timers_changed, true, __ATOMIC_RELEASE);
		}
		v->wake_tsc = arch_timestamp();
		woke = true;
	}
	spin_unlock(&rq->lock);
	if (kick)
		sched_kick(p);
	return woke;
}

/* Caller holds rq->lock. */
static void block_locked(struct vcpu *v)
{
	if (v->state == VCPU_RUNNABLE)
		v->state = VCPU_BLOCKED;
	v->pcpu->rq.resched = true;
}

bool sched_block_unless(struct vcpu *v, bool (*pending)(const struct vcpu *v, const void *arg),
			const void *arg)
{
	struct runqueue *rq = &v->pcpu->rq;

	if (pending && pending(v, arg))
		return false;
	spin_lock(&rq->lock);
	block_locked(v);
	spin_unlock(&rq->lock);
	/*
	 * A sender that saw us runnable did not wake us: look again now that
	 * we are BLOCKED. The queue lock orders the two sides: the sender
	 * makes the event pending (a locked RMW) before its sched_wake()
	 * takes this lock. If it took the lock before us, it found us
	 * RUNNABLE, and this load, after our own acquisition, sees the event;
	 * if after us, it finds BLOCKED and wakes us.
	 */
	if (pending && pending(v, arg)) {
		sched_wake(v);
		return false;
	}
	return true;
}

static bool upcall_pending(const struct vcpu *v, const void *arg)
{
	(void)arg;
	return vcpu_upcall_pending(v);
}

bool sched_block_unless_upcall(struct vcpu *v)
{
	return sched_block_unless(v, upcall_pending, NULL);
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
		if (!rq->slice_end_ns || !same) {
			rq->slice_end_ns = time_now_ns() + SCHED_SLICE_NS;
			rq->timers_changed = true;
		}
	} else {
		rq->slice_end_ns = 0;
	}
}

struct vcpu *sched_pick_idle(struct pcpu *p)
{
	struct runqueue *rq = &p->rq;
	struct vcpu *v;

	spin_lock(&rq->lock);
	v = rq_pop(rq);
	p->current = v;
	if (v)
		rq->resched = false; /* the wake-up that set it is this very pick */
	arm_slice(rq, v, false);
	spin_unlock(&rq->lock);
	return v;
}

/* Caller holds rq->lock: should the running vCPU give way to the queue's head? */
static bool should_switch(struct runqueue *rq, struct vcpu *cur)
{
	struct vcpu *head = rq->head;

	if (!head)
		return false;
	if (rq->handover || head->priority > cur->priority)
		return true;
	if (head->priority < cur->priority)
		return false;
	/* An equal: a woken one preempts (the boost), else round robin on yield. */
	return head->boosted || rq->yield;
}

struct vcpu *sched_pick(struct pcpu *p)
{
	struct runqueue *rq = &p->rq;
	struct vcpu *cur = p->current, *next;

	/* The nothing-changed fast path is sched_next()'s (sched/idle.h). */
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
	return next;
}
