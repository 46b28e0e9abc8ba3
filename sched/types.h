/* SPDX-License-Identifier: MIT */
/*
 * The scheduler's data, embedded by core/ in struct vcpu and struct pcpu.
 * Kept apart from sched/sched.h (the operations) so that core/'s structs
 * can hold it without core/ and sched/ including each other.
 *
 * Cache lines: a runqueue is written by remote CPUs (the lock, the queue,
 * the kick word, resched) and read by its owner on every VM entry; it sits
 * on lines of its own, apart from the owner-only fields of struct pcpu
 * (docs/performance.md, "Hardware layout").
 */
#ifndef SCHED_TYPES_H
#define SCHED_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/spinlock.h"

#define CACHE_LINE 64

struct vcpu;

enum vcpu_state {
	VCPU_RUNNABLE,  /* running, or queued to run */
	VCPU_BLOCKED,   /* waiting for an event (HLT, SCHEDOP_block, SCHEDOP_poll) */
	VCPU_STOPPED,   /* its guest has stopped */
};

#define SCHED_SLICE_NS 5000000ULL /* round-robin slice among equal priorities: 5 ms */

struct runqueue {
	/* Written by any CPU that wakes one of this CPU's vCPUs. */
	struct spinlock lock;
	struct vcpu *head;        /* runnable, not running; by priority, FIFO within one */
	/* Set when the current vCPU must be re-evaluated before VM entry. */
	volatile bool resched;
	bool yield;               /* the current vCPU gives way to its equals */
	bool handover;            /* the head was handed the CPU by a same-core sender */
	uint64_t slice_end_ns;    /* end of the current round-robin slice, 0 = none */
	/*
	 * A time event of this CPU changed (a new slice, timer, poll timeout
	 * or tick; a wake-up cancelling a poll timeout): timer_deadline()
	 * recomputes before the next entry. Set after the change (release),
	 * taken by the owner with an exchange (acquire).
	 */
	bool timers_changed;
	/* The idle loop MONITORs this line; a remote wake-up writes it. */
	volatile uint64_t kick __attribute__((aligned(CACHE_LINE)));
} __attribute__((aligned(CACHE_LINE)));

/*
 * A flood budget (bolt.cfg `budget = N/PERIOD`): at most limit sends from
 * one guest to one receiver per period; the sender sleeps out the rest of
 * the window (sched/budget.c).
 */
struct sched_budget {
	uint32_t limit, used;     /* limit 0: no budget toward this receiver */
	uint64_t period_ns, window_end_ns;
	const char *channel;      /* the pair's first budgeted [channel], for the log */
	bool logged;
};

#endif
