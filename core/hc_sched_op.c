/* SPDX-License-Identifier: MIT */
/*
 * sched_op (yield, block, poll, shutdown) and set_timer_op: the guest's
 * requests to the scheduler. Blocking goes through sched_block_unless(),
 * the one "block unless something is pending" primitive.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>

#include "arch/cpu.h"
#include "core/guest.h"
#include "core/compat.h"
#include "core/hypercall.h"
#include "core/lifecycle.h"
#include "core/time.h"
#include "evtchn/evtchn.h"
#include "lib/errno.h"
#include "sched/sched.h"
#include "sched/timer.h"

#define POLL_PORTS_MAX 128

struct poll_set {
	const evtchn_port_t *ports;
	unsigned nr;
};

static bool any_port_pending(const struct vcpu *v, const void *arg)
{
	const struct poll_set *set = arg;

	for (unsigned i = 0; i < set->nr; i++)
		if (evtchn_port_pending(&v->guest->evtchn, set->ports[i]) > 0)
			return true;
	return false;
}

/*
 * SCHEDOP_poll: return once one of the ports is pending or the timeout
 * (absolute system time, 0 = none) has passed. Otherwise block; the call
 * returns 0 when the vCPU is woken, by a newly pending port, an upcall or
 * the timeout. As on Xen, a wake-up for another reason also returns 0 and
 * the caller checks its ports again; completing the call at wake-up saves
 * the receiver a second VM exit per notification.
 */
static long sched_poll(struct vcpu *v, struct hypercall_args *a)
{
	struct sched_poll sp;
	evtchn_port_t ports[POLL_PORTS_MAX];

	if (a->compat) {
		struct compat_sched_poll c;

		if (vcpu_copy_from_guest(v, &c, a->a[1], sizeof(c)))
			return -XEN_EFAULT;
		compat_sched_poll_in(&c, &sp);
	} else if (vcpu_copy_from_guest(v, &sp, a->a[1], sizeof(sp))) {
		return -XEN_EFAULT;
	}
	if (sp.nr_ports > POLL_PORTS_MAX)
		return -XEN_EINVAL;
	if (vcpu_copy_from_guest(v, ports, (uint64_t)(uintptr_t)sp.ports.p,
				 sp.nr_ports * sizeof(ports[0])))
		return -XEN_EFAULT;
	for (unsigned i = 0; i < sp.nr_ports; i++) {
		int pending = evtchn_port_pending(&v->guest->evtchn, ports[i]);
		if (pending < 0)
			return pending;
		if (pending)
			goto done;
	}
	if (sp.timeout && time_now_ns() >= sp.timeout)
		goto done;
	timer_set_poll(v, sp.timeout);
	/* Seq_cst: a Dekker pair with sched_notify()'s load (sched/notify.c). */
	__atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);
	if (sched_block_unless(v, any_port_pending, &(struct poll_set){ ports, sp.nr_ports }))
		return 0;
done:
	v->poll_ns = 0;
	v->polling = false;
	return 0;
}

long hc_sched_op(struct vcpu *v, struct hypercall_args *a)
{
	struct sched_shutdown sd;

	switch (a->a[0]) {
	case SCHEDOP_yield:
		sched_yield_vcpu(v);
		return 0;
	case SCHEDOP_block:
		/* Xen: block until an event is pending (returns at once if one is). */
		sched_block_unless_upcall(v);
		return 0;
	case SCHEDOP_poll:
		return sched_poll(v, a);
	case SCHEDOP_shutdown:
		if (vcpu_copy_from_guest(v, &sd, a->a[1], sizeof(sd)))
			return -XEN_EFAULT;
		switch (sd.reason) {
		case SHUTDOWN_poweroff:
			/* A C guest's exit(n): the status came just before (bolt_op). */
			if (v->guest->has_exit_status)
				guest_stop(v->guest, GUEST_STOP_POWEROFF, "exit status %d",
					   v->guest->exit_status);
			else
				guest_stop(v->guest, GUEST_STOP_POWEROFF,
					   "shutdown hypercall (poweroff)");
			return 0;
		case SHUTDOWN_reboot:
			guest_stop(v->guest, GUEST_STOP_REBOOT, "shutdown hypercall (reboot)");
			return 0;
		case SHUTDOWN_crash:
			guest_stop(v->guest, GUEST_STOP_CRASH, "shutdown hypercall (crash)");
			return 0;
		default:
			return -XEN_EINVAL;
		}
	default:
		return -XEN_ENOSYS;
	}
}

/*
 * set_timer_op(deadline): one-shot VIRQ_TIMER at an absolute system time;
 * 0 cancels. A 32-bit caller passes the 64-bit deadline in two registers,
 * low half in EBX, high in ECX (Xen's compat do_set_timer_op(lo, hi)).
 */
long hc_set_timer_op(struct vcpu *v, struct hypercall_args *a)
{
	uint64_t deadline = a->compat ? (uint32_t)a->a[0] | (uint64_t)(uint32_t)a->a[1] << 32
				      : a->a[0];

	timer_set(v, deadline);
	return 0;
}
