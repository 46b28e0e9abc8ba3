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

struct runqueue {
	struct spinlock lock;
	struct vcpu *head, *tail;
	/* The idle loop MONITORs this word; a remote wake-up writes it. */
	volatile uint64_t kick;
	volatile bool idle;
	/* Set when the current vCPU must be re-evaluated before VM entry. */
	volatile bool resched;
};

void sched_init_cpu(struct pcpu *p);
/* Make a vCPU runnable on its CPU (first start, restart). */
void sched_start(struct vcpu *v);
/* The current vCPU blocks until sched_wake(). */
void sched_block(struct vcpu *v);
/* Wake a blocked vCPU from any CPU. Returns true if it was blocked. */
bool sched_wake(struct vcpu *v);
/* The vCPU's guest stopped: never run it again (until sched_start). */
void sched_stop(struct vcpu *v);
/*
 * Called on the way back to a guest: returns the vCPU to enter on this
 * CPU, waiting in the idle loop until there is one.
 */
struct vcpu *sched_next(struct pcpu *p);

#endif
