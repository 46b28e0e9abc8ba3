/* SPDX-License-Identifier: MIT */
/*
 * Hypercall table and the handlers that need nothing more than the guest's
 * memory: console_io and sched_op. Unknown numbers return -ENOSYS.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>

#include "evtchn/evtchn.h"

#include "arch/cpu.h"
#include "core/console.h"
#include "lib/errno.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "bolt/bolt.h"
#include "lib/lib.h"
#include "core/time.h"
#include "core/xen_hc.h"
#include "sched/sched.h"

/* Bytes console_io writes per exit; longer writes continue on the next entry. */
#define CONSOLE_IO_CHUNK 256

typedef long (*hypercall_fn)(struct vcpu *v, struct hypercall_args *a);

/* console_io(CONSOLEIO_write, count, buffer): Xen returns 0 on success. */
static long hc_console_io(struct vcpu *v, struct hypercall_args *a)
{
	uint64_t cmd = a->a[0], count = a->a[1], buf = a->a[2];
	char chunk[CONSOLE_IO_CHUNK];

	if (cmd != CONSOLEIO_write)
		return -XEN_ENOSYS; /* CONSOLEIO_read: Bolt has no console input */
	size_t n = (size_t)MIN(count, (uint64_t)sizeof(chunk));
	if (vcpu_copy_from_guest(v, chunk, buf, n))
		return -XEN_EFAULT;
	for (size_t i = 0; i < n; i++)
		console_linebuf_putc(&v->guest->con, chunk[i]);
	if (count > n) {
		a->a[1] = count - n;
		a->a[2] = buf + n;
		a->continuation = true;
	}
	return 0;
}

#define POLL_PORTS_MAX 128

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

	if (vcpu_copy_from_guest(v, &sp, a->a[1], sizeof(sp)))
		return -XEN_EFAULT;
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
	v->poll_ns = sp.timeout;
	v->polling = true;
	sched_block(v);
	/* An event raised while we decided to block: do not sleep through it. */
	for (unsigned i = 0; i < sp.nr_ports; i++)
		if (evtchn_port_pending(&v->guest->evtchn, ports[i]) > 0)
			sched_wake(v);
	return 0;
done:
	v->poll_ns = 0;
	v->polling = false;
	return 0;
}

static long hc_sched_op(struct vcpu *v, struct hypercall_args *a)
{
	struct sched_shutdown sd;

	switch (a->a[0]) {
	case SCHEDOP_yield:
		sched_yield_vcpu(v);
		return 0;
	case SCHEDOP_block:
		/* Xen: block until an event is pending (returns at once if one is). */
		if (!vcpu_upcall_pending(v)) {
			sched_block(v);
			if (vcpu_upcall_pending(v))
				sched_wake(v);
		}
		return 0;
	case SCHEDOP_poll:
		return sched_poll(v, a);
	case SCHEDOP_shutdown:
		if (vcpu_copy_from_guest(v, &sd, a->a[1], sizeof(sd)))
			return -XEN_EFAULT;
		switch (sd.reason) {
		case SHUTDOWN_poweroff:
			guest_stop(v->guest, GUEST_STOP_POWEROFF, "shutdown hypercall (poweroff)");
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

static const hypercall_fn hypercalls[HYPERCALL_NR_MAX] = {
	[__HYPERVISOR_set_timer_op] = hc_set_timer_op,
	[__HYPERVISOR_memory_op] = hc_memory_op,
	[__HYPERVISOR_xen_version] = hc_xen_version,
	[__HYPERVISOR_console_io] = hc_console_io,
	[__HYPERVISOR_sched_op] = hc_sched_op,
	[__HYPERVISOR_event_channel_op] = hc_event_channel_op,
	[__HYPERVISOR_hvm_op] = hc_hvm_op,
	[BOLT_HYPERCALL_bolt_op] = hc_bolt_op,
};

long hypercall_dispatch(struct vcpu *v, unsigned nr, struct hypercall_args *args)
{
	hypercall_fn fn = nr < HYPERCALL_NR_MAX ? hypercalls[nr] : NULL;

	args->continuation = false;
	return fn ? fn(v, args) : -XEN_ENOSYS;
}
