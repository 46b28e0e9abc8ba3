/* SPDX-License-Identifier: MIT */
/*
 * Delivery policy: what an event does to the vCPU that receives it.
 * evtchn/ calls sched_notify() after it made the event visible in the
 * receiver's shared_info; this is the only place that decides between
 * waking, preempting, kicking, handing over and leaving it to the tick.
 */
#ifndef SCHED_NOTIFY_H
#define SCHED_NOTIFY_H

#include <stdbool.h>

struct vcpu;

enum sched_event {
	/* Its upcall became pending (0 -> 1): it must run its handler. */
	SCHED_EVENT_UPCALL,
	/* A port became pending without a new upcall (masked, or an upcall already pending): only a vCPU in SCHEDOP_poll waits for that. */
	SCHED_EVENT_PORT,
};

/*
 * Called on any CPU, with no event-channel lock held, after the event is
 * pending (a locked RMW in evtchn/abi_2l.c, so a full barrier on x86).
 * lazy: the channel's delivery is lazy; the receiving CPU's 1 ms tick
 * notices the event (sched/timer.c).
 *
 *   receiver BLOCKED            -> runnable, ahead of its equals, its CPU
 *                                  kicked (preempting an equal or lower
 *                                  priority vCPU there: sched_wake)
 *   same CPU, bolt.cfg handover -> it runs next, before the sender
 *   running on another CPU      -> that CPU is kicked: an IPI if it is in
 *                                  the guest, which injects on re-entry
 *   running or queued here      -> nothing: the upcall is injected at the
 *                                  next entry (prepare_entry)
 */
void sched_notify(struct vcpu *v, enum sched_event ev, bool lazy);

#endif
