/* SPDX-License-Identifier: MIT */
/* A virtual CPU: generic state, statistics and the arch part. */
#ifndef CORE_VCPU_H
#define CORE_VCPU_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/hvm/hvm_vcpu.h>

#include "arch/cpu.h"
#include "bolt/bolt.h"
#include "core/vlapic.h"
#include "sched/types.h"

/*
 * How a stopped vCPU starts (core/vcpu_up.c): a PVH boot (vCPU 0 at boot
 * and restart), a STARTUP IPI after INIT, or VCPUOP_initialise's context.
 * Built and checked by whoever starts it, applied by its own CPU before
 * its next entry (vcpu_arch_apply_start).
 */
enum vcpu_start_kind { VCPU_START_NONE, VCPU_START_PVH, VCPU_START_SIPI, VCPU_START_CONTEXT };

struct vcpu_start {
	enum vcpu_start_kind kind;
	uint32_t entry, start_info; /* PVH */
	uint8_t vector;             /* SIPI */
	struct vcpu_hvm_context ctx; /* CONTEXT */
};

/*
 * Cache lines (docs/performance.md, "Hardware layout"): what the owning CPU
 * alone touches on every exit comes first; the fields remote wakers write
 * under the run-queue lock share one line of their own; the counter remote
 * senders bump has another, so a sender's atomic add does not take the
 * line the receiver's exit path is using away from it.
 */
struct vcpu {
	struct guest *guest;
	struct pcpu *pcpu;        /* the physical CPU it is pinned to */
	unsigned vcpu_id;         /* index in guest->vcpus: Xen's vcpuid, its APIC ID */
	unsigned priority;        /* bolt.cfg `priority`: higher runs first */
	bool handover;            /* bolt.cfg `handover`: a same-core sender hands it the CPU */
	bool sent;                /* this exit sent an event: time it to the entry */
	bool wake_traced;         /* its trace "wake" record is written for this wake-up */
	uint64_t entry_tsc;
	/* Statistics for the summary: exits by basic reason, time in the guest. */
	uint64_t nr_exits;
	uint64_t guest_ticks;
	/* Measurement counters (bolt_op BOLT_OP_stats; docs/performance.md). */
	uint64_t sends, upcalls, wakeups;
	uint64_t throttled;       /* sends held back by a channel budget */

	/* Written by wakers on any CPU, under the run-queue lock (sched/). */
	enum vcpu_state state __attribute__((aligned(CACHE_LINE)));
	struct vcpu *rq_next;
	bool boosted;             /* woken and not yet run: ahead of its equals (sched/sched.c) */
	bool woken;               /* woken since last run: time the wake to the entry */
	bool polling;             /* blocked in SCHEDOP_poll: woken by any newly pending port */
	uint64_t wake_tsc;
	/* SCHEDOP_poll: wake-up deadline (system time ns), 0 = none. */
	uint64_t poll_ns;

	/* Bumped by senders on any CPU (sched_notify). */
	uint64_t notifies __attribute__((aligned(CACHE_LINE)));

	/*
	 * Its Xen interface state, own CPU (and hypercalls naming this vCPU)
	 * only: VCPUOP_register_vcpu_info's area (~0: in shared_info), the
	 * upcall vector (0: none), set_timer_op / singleshot deadline and
	 * the periodic timer (system time ns, 0 = off), and its guest_ticks
	 * at boot (runstate).
	 */
	uint64_t vcpu_info_gpa;
	uint8_t upcall_vector;    /* its own (HVMOP_set_evtchn_upcall_vector) or the guest's */
	bool upcall_own;
	uint64_t timer_ns;
	uint64_t periodic_ns, periodic_next_ns;
	uint64_t boot_guest_ticks;
	/*
	 * Starting and stopping (core/vcpu_up.c, under guest->vcpu_lock):
	 * the start its CPU applies before the next entry (kind NONE: none);
	 * INIT seen, waiting for a STARTUP IPI; VCPUOP_initialise's context
	 * given (VCPUOP_up may start it).
	 */
	struct vcpu_start start;
	struct vcpu_start ctx;    /* VCPUOP_initialise's, kept for VCPUOP_up */
	bool wait_sipi;
	bool initialised;
	bool down;                /* stopped by VCPUOP_down: VCPUOP_up resumes it */

	uint64_t exits[ARCH_NR_EXIT_REASONS] __attribute__((aligned(CACHE_LINE)));
	struct bolt_timing hv_send, hv_wake;
	/* Its local APIC (bolt.cfg `lapic`; present = false without one). Own CPU only. */
	struct vlapic lapic;
	struct vcpu_arch arch;
};

#endif
