/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU run queues (NOVA style). Each vCPU is pinned to one physical
 * CPU; the queue holds the runnable vCPUs that are not running. A local
 * wake-up enqueues and sets the resched bit; a remote one enqueues on the
 * target's queue and kicks it (sched_kick). What a notification does to
 * its receiver is decided in sched/notify.c.
 *
 * The handshake between waker, kicked CPU and blocking vCPU is modelled in
 * tests/model/wake.pml: change the two together.
 */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "sched/types.h"

struct pcpu;

void sched_init_cpu(struct pcpu *p);
/* Make a vCPU runnable on its CPU (first start, restart). */
void sched_start(struct vcpu *v);
/* Wake a blocked vCPU from any CPU. Returns true if it was blocked. */
bool sched_wake(struct vcpu *v);
/*
 * The one "block unless something is pending" primitive (HLT,
 * SCHEDOP_block, SCHEDOP_poll, a throttled send): the current vCPU blocks
 * unless pending(v, arg) holds, and checks pending once more after it
 * became BLOCKED, so an event raised while it decided to block (whose
 * sender saw it runnable and did not wake it) is not slept through.
 * Returns true if the vCPU stays blocked. pending may be NULL: block
 * until a sched_wake() (a timeout, the end of a budget window).
 */
bool sched_block_unless(struct vcpu *v, bool (*pending)(const struct vcpu *v, const void *arg),
			const void *arg);
/* The same, until its upcall is pending (HLT, SCHEDOP_block). */
bool sched_block_unless_upcall(struct vcpu *v);
/*
 * Same-core direct handover: if v is queued on this CPU, run it next,
 * before anything else. Returns true if it will.
 */
bool sched_handover(struct vcpu *v);
/*
 * Make a CPU re-run its scheduler before its next VM entry: the resched
 * bit for this CPU; for another, a write to the line its idle loop
 * MWAITs on, and an IPI if it is in a guest. The one kick of Bolt.
 */
void sched_kick(struct pcpu *target);
/* The round-robin slice on this CPU ran out (sched/timer.c). */
void sched_slice_expired(struct pcpu *p);
/* Let another runnable vCPU on this CPU run first. */
void sched_yield_vcpu(struct vcpu *v);
/* The vCPU's guest stopped: never run it again (until sched_start). */
void sched_stop(struct vcpu *v);
/*
 * On the way back to a guest: the vCPU to enter on this CPU, NULL if none
 * is runnable (then the idle loop, sched/idle.c, waits).
 */
struct vcpu *sched_pick(struct pcpu *p);
/* In the idle loop: pop the head of the queue, if any, and make it current. */
struct vcpu *sched_pick_idle(struct pcpu *p);

#endif
