/* SPDX-License-Identifier: MIT */
/* The vCPU to run next, waiting in the idle loop while there is none. */
#ifndef SCHED_IDLE_H
#define SCHED_IDLE_H

struct pcpu;
struct vcpu;

/*
 * Called on the way back to a guest (prepare_entry): returns the vCPU to
 * enter on this CPU, idling (MWAIT on the kick line, or HLT) until there
 * is one and running the CPU's time events meanwhile.
 */
struct vcpu *sched_next(struct pcpu *p);

#endif
