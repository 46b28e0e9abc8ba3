/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU run queues. Each vCPU is pinned to one physical CPU; the queue
 * holds the runnable vCPUs that are not running. Wake-ups from another CPU
 * enqueue on the target's queue and kick it: a write to the line its idle
 * loop MWAITs on, or an IPI when it is running a guest (see sched.c).
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "core/spinlock.h"

struct vcpu;
struct pcpu;

enum vcpu_state {
	VCPU_RUNNABLE,  /* running, or queued to run */
	VCPU_BLOCKED,   /* waiting for an event (HLT, SCHEDOP_block) */
	VCPU_STOPPED,   /* its guest has stopped */
};

#define SCHED_SLICE_NS 5000000ULL /* round-robin slice among equal priorities: 5 ms */

struct runqueue {
	struct spinlock lock;
	struct vcpu *head;        /* runnable, not running; by priority, FIFO within one */
	/* The idle loop MONITORs this word; a remote wake-up writes it. */
	volatile uint64_t kick;
	volatile bool idle;
	/* Set when the current vCPU must be re-evaluated before VM entry. */
	volatile bool resched;
	bool yield;               /* the current vCPU gives way to its equals */
	bool handover;            /* the head was handed the CPU by a same-core sender */
	uint64_t slice_end_ns;    /* end of the current round-robin slice, 0 = none */
};

void sched_init_cpu(struct pcpu *p);
/* Make a vCPU runnable on its CPU (first start, restart). */
void sched_start(struct vcpu *v);
/* The current vCPU blocks until sched_wake(). */
void sched_block(struct vcpu *v);
/* Wake a blocked vCPU from any CPU. Returns true if it was blocked. */
bool sched_wake(struct vcpu *v);
/*
 * Same-core direct handover: if v is queued on this CPU, run it next,
 * before anything else. Returns true if it will.
 */
bool sched_handover(struct vcpu *v);
/* The round-robin slice on this CPU ran out (sched/timer.c). */
void sched_slice_expired(struct pcpu *p);
/* Let another runnable vCPU on this CPU run first. */
void sched_yield_vcpu(struct vcpu *v);
/* The vCPU's guest stopped: never run it again (until sched_start). */
void sched_stop(struct vcpu *v);
/*
 * Called on the way back to a guest: returns the vCPU to enter on this
 * CPU, waiting in the idle loop until there is one.
 */
struct vcpu *sched_next(struct pcpu *p);

#endif
