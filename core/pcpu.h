/* SPDX-License-Identifier: MIT */
/* Per-physical-CPU state shared by the generic code. */
#ifndef CORE_PCPU_H
#define CORE_PCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "sched/types.h"

#define MAX_VCPUS_PER_CPU 8

/*
 * Cache lines (docs/performance.md, "Hardware layout"): the first line
 * holds what remote wakers read (current, in_guest); the run queue, which
 * they write, follows on lines of its own (its kick word, which the idle
 * loop MONITORs, on yet another); the owner's private state comes last.
 */
struct pcpu {
	struct pcpu *self;        /* first field: this_pcpu() reads %gs:0 */
	unsigned index;
	uint32_t apic_id;
	struct vcpu *current;     /* vCPU running (or last run) on this CPU */
	/*
	 * True from just before VM entry until the next exit: only then does
	 * a wake-up need an IPI; otherwise the CPU checks its queue and the
	 * upcall state before it enters (see prepare_entry in arch/x86/vmx.c).
	 */
	volatile bool in_guest;
	/*
	 * True while the CPU sleeps in HLT in the idle loop (idle_hlt): a
	 * wake-up needs the IPI then too, as no MWAIT watches the kick word.
	 */
	volatile bool halted;
	volatile bool online;
	struct runqueue rq;
	/* The vCPUs pinned here, for time events (sched/timer.c). */
	struct vcpu *vcpus[MAX_VCPUS_PER_CPU] __attribute__((aligned(CACHE_LINE)));
	unsigned nr_vcpus;
	/*
	 * No usable MONITOR/MWAIT (arch/x86/idle.c): the idle loop waits
	 * in HLT with interrupts on and remote wake-ups send the kick IPI.
	 * Set once by the arch bring-up, before the CPU first idles.
	 */
	bool idle_hlt;
	bool lazy;                /* run the 1 ms tick: lazy delivery here, or a shared CPU */
	uint64_t next_tick_ns;
	uint64_t timer_deadline_ns; /* timer_deadline()'s cache (sched/timer.c) */
	/*
	 * Work for this CPU from others: grant revocations for its guests
	 * (core/grant_map.c), a vCPU pinned here stopped, or a guest's EPT
	 * changed by a sibling vCPU (core/vcpu_up.c). They raise gnt_req and
	 * kick; this CPU, at its next scheduling point (before any VM entry),
	 * tears revoked mappings down, drops its guests' cached EPT
	 * translations and publishes the ticket it served in gnt_done.
	 */
	uint64_t gnt_req, gnt_done;
	/* Measurement: TSC at the last VM exit, and when the last kick arrived. */
	uint64_t exit_tsc, kick_tsc;
	struct pcpu_arch arch;
};

#define MAX_CPUS 64

extern struct pcpu *pcpus;
extern unsigned nr_pcpus;

#endif
