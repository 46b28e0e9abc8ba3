/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU scheduler (NOVA style): a local wake-up enqueues and sets the
 * CPU's resched bit; a remote wake-up enqueues on the target's queue and
 * kicks it. The resched bit and the queue are checked in sched_next(),
 * right before VM entry. vCPUs are pinned, so a queue only ever holds
 * vCPUs of its own CPU and needs no load balancing.
 */
#include "arch/cpu.h"
#include "core/pcpu.h"
#include "core/vcpu.h"
#include "sched/sched.h"

void sched_init_cpu(struct pcpu *p)
{
	p->rq.head = p->rq.tail = NULL;
	p->rq.kick = 0;
	p->rq.idle = false;
	p->rq.resched = false;
}

/* Caller holds rq->lock. */
static void rq_append(struct runqueue *rq, struct vcpu *v)
{
	v->rq_next = NULL;
	if (rq->tail)
		rq->tail->rq_next = v;
	else
		rq->head = v;
	rq->tail = v;
}

/* Caller holds rq->lock. */
static struct vcpu *rq_pop(struct runqueue *rq)
{
	struct vcpu *v = rq->head;

	if (v) {
		rq->head = v->rq_next;
		if (!rq->head)
			rq->tail = NULL;
		v->rq_next = NULL;
	}
	return v;
}

/* Caller holds rq->lock. */
static void rq_remove(struct runqueue *rq, struct vcpu *v)
{
	struct vcpu **pp = &rq->head, *prev = NULL;

	for (; *pp; prev = *pp, pp = &(*pp)->rq_next) {
		if (*pp == v) {
			*pp = v->rq_next;
			if (rq->tail == v)
				rq->tail = prev;
			v->rq_next = NULL;
			return;
		}
	}
}

static void kick(struct pcpu *target)
{
	if (target == this_pcpu()) {
		target->rq.resched = true;
		return;
	}
	/*
	 * Release ordering: the enqueue above (made under the queue lock) is
	 * visible before the kick word changes, so the woken CPU finds the vCPU.
	 */
	__atomic_fetch_add(&target->rq.kick, 1, __ATOMIC_RELEASE);
	if (!__atomic_load_n(&target->rq.idle, __ATOMIC_ACQUIRE))
		arch_kick_cpu(target);
}

void sched_start(struct vcpu *v)
{
	struct runqueue *rq = &v->pcpu->rq;

	spin_lock(&rq->lock);
	v->state = VCPU_RUNNABLE;
	if (v->pcpu->current != v)
		rq_append(rq, v);
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
			rq_append(rq, v);
		woke = true;
	}
	spin_unlock(&rq->lock);
	if (woke)
		kick(v->pcpu);
	return woke;
}

void sched_stop(struct vcpu *v)
{
	struct runqueue *rq = &v->pcpu->rq;

	spin_lock(&rq->lock);
	v->state = VCPU_STOPPED;
	rq_remove(rq, v);
	rq->resched = true;
	spin_unlock(&rq->lock);
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
		spin_unlock(&rq->lock);
		if (v)
			return v;
		arch_idle_wait(&rq->kick, (void *volatile const *)&rq->head);
	}
}

struct vcpu *sched_next(struct pcpu *p)
{
	struct runqueue *rq = &p->rq;
	struct vcpu *cur = p->current, *next;

	/* Fast path: nothing changed since the exit. */
	if (!rq->resched && cur && cur->state == VCPU_RUNNABLE && !rq->head)
		return cur;

	spin_lock(&rq->lock);
	rq->resched = false;
	next = rq_pop(rq);
	if (cur && cur->state == VCPU_RUNNABLE && cur != next) {
		if (next)
			rq_append(rq, cur);   /* round robin among runnable vCPUs */
		else
			next = cur;
	}
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
