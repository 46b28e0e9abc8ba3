/* SPDX-License-Identifier: MIT */
/*
 * EVTCHNOP_alloc_unbound, _status, _close, _bind_ipi and _send
 * (xen/event_channel.h) with good and bad arguments. Xen's rules checked:
 * port 0 is reserved (status closed, cannot be closed); new ports are never
 * 0; DOMID_SELF in remote_dom is resolved to the caller's own id; any
 * remote domain id is accepted by alloc_unbound (the permission check is
 * the remote side's bind); a closed port reads EVTCHNSTAT_closed and a
 * second close is -EINVAL; ports out of range are -EINVAL; an unknown
 * command is -ENOSYS.
 */
#include "tests/xen/xc.h"

#include <xen/event_channel.h>

/* A domid no guest has here: Xen accepts it in remote_dom all the same. */
#define XC_NO_SUCH_DOMID 0x7000u
/* Larger than any port count (2-level: 4096; FIFO: 2^17). */
#define XC_BAD_PORT 0x7fffffffu

static long xc_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = { .dom = dom, .remote_dom = remote, .port = 0 };
	long ret = xc_evtchn(EVTCHNOP_alloc_unbound, &op);

	*port = op.port;
	return ret;
}

static long xc_status(evtchn_port_t port, struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = port;
	return xc_evtchn(EVTCHNOP_status, st);
}

static long xc_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	return xc_evtchn(EVTCHNOP_close, &op);
}

/* Our own domid, as Xen reports it for a loopback offer (0 if unknown). */
static domid_t xc_self_domid;

void xc_case_evtchn_alloc(void)
{
	evtchn_port_t p1 = 0, p2 = 0, p3 = 0;
	struct evtchn_status st;
	long ret;

	/* Loopback offer: DOMID_SELF is stored as our real id. */
	if (XC_RC("alloc_unbound(SELF, SELF)", xc_alloc_unbound(DOMID_SELF, DOMID_SELF, &p1), 0)) {
		XC_CHECK(p1 != 0, "alloc_unbound returned port 0, which Xen reserves");
		if (XC_RC("status of the loopback offer", xc_status(p1, &st), 0)) {
			XC_CHECK(st.status == EVTCHNSTAT_unbound, "status %u, not unbound",
				 st.status);
			XC_CHECK(st.u.unbound.dom != DOMID_SELF,
				 "u.unbound.dom is DOMID_SELF, not resolved to our domid");
			xc_self_domid = st.u.unbound.dom;
		}
	}
	/* Our own id in both fields is the same as DOMID_SELF. */
	if (xc_self_domid &&
	    XC_RC("alloc_unbound(own id, own id)",
		  xc_alloc_unbound(xc_self_domid, xc_self_domid, &p2), 0))
		XC_CHECK(p2 != 0 && p2 != p1, "second offer got port %u (first %u)", p2, p1);

	/*
	 * Any remote domid, even one that does not exist: Xen stores it and
	 * checks nothing until that domain binds (bolt.cfg's pairing in Bolt).
	 */
	if (XC_RC("alloc_unbound toward a domid that does not exist",
		  xc_alloc_unbound(DOMID_SELF, XC_NO_SUCH_DOMID, &p3), 0) &&
	    XC_RC("status of that offer", xc_status(p3, &st), 0))
		XC_CHECK(st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == XC_NO_SUCH_DOMID,
			 "offer toward 0x%x reads status %u dom 0x%x", XC_NO_SUCH_DOMID, st.status,
			 st.u.unbound.dom);

	/* dom must be the caller: another domain (existing or not) is refused. */
	{
		struct evtchn_alloc_unbound op = {
			.dom = XC_NO_SUCH_DOMID, .remote_dom = DOMID_SELF, .port = 0x5a5a
		};

		ret = xc_evtchn(EVTCHNOP_alloc_unbound, &op);
		XC_CHECK(ret == -XEN_EPERM || ret == -XEN_ESRCH,
			 "alloc_unbound with dom = 0x%x returned %ld, want -EPERM or -ESRCH",
			 XC_NO_SUCH_DOMID, ret);
	}

	if (p1)
		XC_RC("close of the loopback offer", xc_close(p1), 0);
	if (p2)
		XC_RC("close of the second offer", xc_close(p2), 0);
	if (p3)
		XC_RC("close of the offer toward nobody", xc_close(p3), 0);
}

void xc_case_evtchn_status(void)
{
	struct evtchn_status st;
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	long ret;

	/* Port 0 exists and is reserved: Xen reports it closed. */
	if (XC_RC("status(0)", xc_status(0, &st), 0))
		XC_CHECK(st.status == EVTCHNSTAT_closed, "port 0 reads status %u", st.status);
	XC_RC("status(bad port)", xc_status(XC_BAD_PORT, &st), -XEN_EINVAL);
	/* dom must name the caller. */
	memset(&st, 0, sizeof(st));
	st.dom = XC_NO_SUCH_DOMID;
	st.port = 0;
	ret = xc_evtchn(EVTCHNOP_status, &st);
	XC_CHECK(ret == -XEN_EPERM || ret == -XEN_ESRCH,
		 "status with dom = 0x%x returned %ld, want -EPERM or -ESRCH", XC_NO_SUCH_DOMID,
		 ret);

	/* An IPI port loops back to this vCPU: status ipi, vcpu 0. */
	if (XC_RC("bind_ipi(vcpu 0)", xc_evtchn(EVTCHNOP_bind_ipi, &ipi), 0)) {
		if (XC_RC("status of the IPI port", xc_status(ipi.port, &st), 0))
			XC_CHECK(st.status == EVTCHNSTAT_ipi && st.vcpu == 0,
				 "IPI port %u reads status %u vcpu %u", ipi.port, st.status,
				 st.vcpu);
		XC_RC("send on the IPI port",
		      xc_evtchn(EVTCHNOP_send, &(struct evtchn_send){ .port = ipi.port }), 0);
		XC_RC("close of the IPI port", xc_close(ipi.port), 0);
	}
	/* A vCPU this guest does not have. */
	ipi = (struct evtchn_bind_ipi){ .vcpu = 4000 };
	XC_RC("bind_ipi(vcpu 4000)", xc_evtchn(EVTCHNOP_bind_ipi, &ipi), -XEN_ENOENT);
}

void xc_case_evtchn_close(void)
{
	evtchn_port_t p = 0;
	struct evtchn_status st;

	if (XC_RC("alloc_unbound(SELF, SELF)", xc_alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0)) {
		/* Xen drops a send on an unbound port and returns 0. */
		XC_RC("send on an unbound port",
		      xc_evtchn(EVTCHNOP_send, &(struct evtchn_send){ .port = p }), 0);
		XC_RC("close", xc_close(p), 0);
		if (XC_RC("status after close", xc_status(p, &st), 0))
			XC_CHECK(st.status == EVTCHNSTAT_closed, "closed port %u reads status %u", p,
				 st.status);
		XC_RC("second close", xc_close(p), -XEN_EINVAL);
		XC_RC("send on a closed port",
		      xc_evtchn(EVTCHNOP_send, &(struct evtchn_send){ .port = p }), -XEN_EINVAL);
	}
	XC_RC("close(0)", xc_close(0), -XEN_EINVAL);
	XC_RC("close(bad port)", xc_close(XC_BAD_PORT), -XEN_EINVAL);
	XC_RC("event_channel_op(0x7fff)", xc_evtchn(0x7fff, &st), -XEN_ENOSYS);
}
