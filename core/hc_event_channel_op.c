/* SPDX-License-Identifier: MIT */
/*
 * event_channel_op: copy the EVTCHNOP_* argument in, run the command in
 * the event-channel core (sends through guest_send() for budgets and
 * tracing), copy the results out.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "arch/cpu.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "core/send.h"
#include "evtchn/evtchn.h"
#include "lib/errno.h"

long hc_event_channel_op(struct vcpu *v, struct hypercall_args *a)
{
	int cmd = (int)a->a[0];
	size_t size = evtchn_op_arg_size(cmd);
	uint64_t buf[8];
	int rc;

	if (size == 0 || size > sizeof(buf))
		return -XEN_ENOSYS;
	if (vcpu_copy_from_guest(v, buf, a->a[1], size))
		return -XEN_EFAULT;
	if (cmd == EVTCHNOP_send) {
		rc = guest_send(v, ((struct evtchn_send *)buf)->port);
		if (rc == -XEN_EAGAIN) {
			a->continuation = true; /* throttled: the VMCALL runs again after the window */
			return 0;
		}
	} else
		rc = evtchn_op(&v->guest->evtchn, cmd, buf);
	if (rc == 0 && evtchn_op_has_output(cmd) && vcpu_copy_to_guest(v, a->a[1], buf, size))
		return -XEN_EFAULT;
	return rc;
}
