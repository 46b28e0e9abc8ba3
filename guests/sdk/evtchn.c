/* SPDX-License-Identifier: MIT */
/*
 * Event channels: the EVTCHNOP_* hypercall wrappers and the pending/mask
 * bit operations on shared_info. Bits are changed with locked RMW
 * instructions: Bolt sets pending bits from other CPUs at any time, and
 * the upcall handler may run between any two main-line instructions.
 */
#include "guests/sdk/sdk-internal.h"
#include <bolt/sdk/evtchn.h>

#define SDK_BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static long sdk_evtchn_op(unsigned int cmd, void *arg)
{
	if (!bolt_xen()->cpuid_base)
		return -XEN_ENOSYS;
	return bolt_hypercall5(__HYPERVISOR_event_channel_op, cmd,
			       (unsigned long)(uintptr_t)arg, 0, 0, 0);
}

long bolt_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
	long ret = sdk_evtchn_op(EVTCHNOP_alloc_unbound, &op);

	if (ret == 0)
		*port = op.port;
	return ret;
}

long bolt_evtchn_bind_interdomain(domid_t remote, evtchn_port_t rport, evtchn_port_t *lport)
{
	struct evtchn_bind_interdomain op = { .remote_dom = remote, .remote_port = rport };
	long ret = sdk_evtchn_op(EVTCHNOP_bind_interdomain, &op);

	if (ret == 0)
		*lport = op.local_port;
	return ret;
}

long bolt_evtchn_bind_virq(uint32_t virq, evtchn_port_t *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
	long ret = sdk_evtchn_op(EVTCHNOP_bind_virq, &op);

	if (ret == 0)
		*port = op.port;
	return ret;
}

long bolt_evtchn_bind_ipi(evtchn_port_t *port)
{
	struct evtchn_bind_ipi op = { .vcpu = 0 };
	long ret = sdk_evtchn_op(EVTCHNOP_bind_ipi, &op);

	if (ret == 0)
		*port = op.port;
	return ret;
}

long bolt_evtchn_send_xen(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return sdk_evtchn_op(EVTCHNOP_send, &op);
}

/*
 * On Bolt, send with the port in a register (bolt_op BOLT_OP_send): the
 * hypervisor then needs no walk of our page tables to read the argument.
 * Elsewhere (Xen), the standard EVTCHNOP_send.
 */
long bolt_evtchn_send(evtchn_port_t port)
{
	static int on_bolt = -1;

	if (on_bolt < 0) {
		struct bolt_info info;
		on_bolt = bolt_info(&info) == 0;
	}
	if (on_bolt)
		return bolt_hypercall5(BOLT_HYPERCALL_bolt_op, BOLT_OP_send, port, 0, 0, 0);
	return bolt_evtchn_send_xen(port);
}

long bolt_evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	return sdk_evtchn_op(EVTCHNOP_close, &op);
}

long bolt_evtchn_status(evtchn_port_t port, struct evtchn_status *status)
{
	memset(status, 0, sizeof(*status));
	status->dom = DOMID_SELF;
	status->port = port;
	return sdk_evtchn_op(EVTCHNOP_status, status);
}

long bolt_evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	return sdk_evtchn_op(EVTCHNOP_unmask, &op);
}

/* The word holding port's bit in one of shared_info's bitmaps, or NULL. */
static xen_ulong_t *sdk_word(xen_ulong_t *map, evtchn_port_t port)
{
	if (port >= BOLT_EVTCHN_PORTS)
		return NULL;
	return &map[port / SDK_BITS_PER_WORD];
}

static xen_ulong_t sdk_bit(evtchn_port_t port)
{
	return (xen_ulong_t)1 << (port % SDK_BITS_PER_WORD);
}

void bolt_evtchn_mask(evtchn_port_t port)
{
	struct shared_info *sh = bolt_shared_info();
	xen_ulong_t *w = sh ? sdk_word(sh->evtchn_mask, port) : NULL;

	if (w)
		__atomic_fetch_or(w, sdk_bit(port), __ATOMIC_SEQ_CST);
}

bool bolt_evtchn_is_pending(evtchn_port_t port)
{
	struct shared_info *sh = bolt_shared_info();
	xen_ulong_t *w = sh ? sdk_word(sh->evtchn_pending, port) : NULL;

	return w && (__atomic_load_n(w, __ATOMIC_ACQUIRE) & sdk_bit(port));
}

bool bolt_evtchn_test_and_clear(evtchn_port_t port)
{
	struct shared_info *sh = bolt_shared_info();
	xen_ulong_t *w = sh ? sdk_word(sh->evtchn_pending, port) : NULL;
	xen_ulong_t bit = sdk_bit(port);

	/* Plain read first: spinning callers then do no locked writes. */
	if (!w || !(__atomic_load_n(w, __ATOMIC_ACQUIRE) & bit))
		return false;
	if (!(__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST) & bit))
		return false;
	sdk_evtchn_counted(port);
	return true;
}
