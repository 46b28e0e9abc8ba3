/* SPDX-License-Identifier: MIT */
/*
 * test=acl-a / acl-b / acl-c: bolt.cfg's `allow = a, b` lets a and b
 * connect at run time; c is allowed with neither.
 *
 *   a: bind_interdomain toward c (deny=, domid 3) gives -EPERM; an
 *      alloc_unbound offer toward c, or toward a domid that does not exist,
 *      succeeds as in Xen (an offer grants nothing: bolt.cfg's pairing is
 *      checked at bind time) and is closed again; bind_interdomain toward
 *      the missing domid is -ESRCH. alloc_unbound
 *      toward b (peer=, domid 2) succeeds and must return port 1, the
 *      lowest free one: that is how b learns the port (fixed protocol, no
 *      shared memory needed). a then waits for b's event on it, checks
 *      EVTCHNOP_status (interdomain, b's port) and replies.
 *   b: the same -EPERM checks toward c, then retries bind_interdomain(a, 1)
 *      while it fails with -EINVAL (a has not allocated yet), sends, and
 *      waits for a's reply.
 *   c: every bind_interdomain toward a or b (deny=, deny2=) gives -EPERM,
 *      whatever state their ports are in, even a's port 1 once it is
 *      offered (to b); offers toward them succeed and are closed; a loopback
 *      alloc_unbound(DOMID_SELF) still works.
 */
#include "tests/guests/evt/evt.h"

#define EVT_ACL_PREDICTED_PORT 1u
#define EVT_ACL_NO_SUCH_DOMID 99u

/* An offer (alloc_unbound) toward dom succeeds and is withdrawn again. */
static const char *evt_acl_offer(domid_t dom)
{
	evtchn_port_t port = 0;
	long ret = bolt_evtchn_alloc_unbound(dom, &port);

	if (ret < 0)
		return evt_fail("alloc_unbound toward domain %u returned %ld; Xen accepts any "
				"remote domain", dom, ret);
	ret = bolt_evtchn_close(port);
	return ret < 0 ? evt_fail("close of offered port %u returned %ld", port, ret) : NULL;
}

static const char *evt_acl_denied(domid_t dom)
{
	evtchn_port_t port = 0;
	const char *why;

	why = evt_check_rc("bind_interdomain toward a guest not allowed",
			   bolt_evtchn_bind_interdomain(dom, 1, &port), -XEN_EPERM);
	if (!why)
		why = evt_acl_offer(dom);
	if (why)
		printf("evt: acl: toward domain %u: %s\n", dom, why);
	return why;
}

/* The local port must be interdomain with (dom, rport); rport ~0u: any. */
static const char *evt_acl_status(evtchn_port_t port, domid_t dom, uint32_t rport)
{
	struct evtchn_status st;
	long ret = bolt_evtchn_status(port, &st);

	if (ret < 0)
		return evt_fail("EVTCHNOP_status(%u) returned %ld", port, ret);
	if (st.status != EVTCHNSTAT_interdomain || st.u.interdomain.dom != dom ||
	    (rport != ~0u && st.u.interdomain.port != rport))
		return evt_fail("port %u: status %u dom %u port %u, expected interdomain with %u:%u",
				port, st.status, st.u.interdomain.dom, st.u.interdomain.port, dom,
				rport);
	printf("evt: acl: port %u <-> domain %u port %u\n", port, dom,
	       st.u.interdomain.port);
	return NULL;
}

const char *evt_acl_a(const struct evt_args *a)
{
	uint64_t peer, deny;
	evtchn_port_t port = 0;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "peer", 2, &peer)) || (why = evt_opt(a, "deny", 3, &deny)))
		return why;
	if ((why = evt_acl_denied((domid_t)deny)))
		return why;
	/* No such guest: an offer is still fine; binding finds no domain (-ESRCH). */
	if ((why = evt_acl_offer(EVT_ACL_NO_SUCH_DOMID)) ||
	    (why = evt_check_rc("bind_interdomain toward domid 99 (no such guest)",
				bolt_evtchn_bind_interdomain(EVT_ACL_NO_SUCH_DOMID, 1, &port),
				-XEN_ESRCH)))
		return why;
	ret = bolt_evtchn_alloc_unbound((domid_t)peer, &port);
	if (ret < 0)
		return evt_fail("alloc_unbound toward allowed domain %llu returned %ld",
				(unsigned long long)peer, ret);
	if (port != EVT_ACL_PREDICTED_PORT)
		return evt_fail("alloc_unbound gave port %u, not the lowest free port %u", port,
				EVT_ACL_PREDICTED_PORT);
	if (!evt_poll(port, a->timeout_ns))
		return "no event from the allowed peer on the port it bound";
	if ((why = evt_acl_status(port, (domid_t)peer, ~0u)))
		return why;
	ret = bolt_evtchn_send(port);
	return ret < 0 ? evt_fail("reply returned %ld", ret) : NULL;
}

const char *evt_acl_b(const struct evt_args *a)
{
	uint64_t peer, deny, deadline;
	evtchn_port_t lport = 0;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "peer", 1, &peer)) || (why = evt_opt(a, "deny", 3, &deny)))
		return why;
	if ((why = evt_acl_denied((domid_t)deny)))
		return why;
	deadline = bolt_now_ns() + a->timeout_ns;
	for (;;) {
		ret = bolt_evtchn_bind_interdomain((domid_t)peer, EVT_ACL_PREDICTED_PORT, &lport);
		if (ret != -XEN_EINVAL)
			break;
		if (bolt_now_ns() >= deadline)
			return "the allowed peer never offered its unbound port 1";
		bolt_yield();
	}
	if (ret < 0)
		return evt_fail("bind_interdomain to allowed domain %llu port 1 returned %ld",
				(unsigned long long)peer, ret);
	if ((why = evt_acl_status(lport, (domid_t)peer, EVT_ACL_PREDICTED_PORT)))
		return why;
	ret = bolt_evtchn_send(lport);
	if (ret < 0)
		return evt_fail("send on bound port %u returned %ld", lport, ret);
	if (!evt_poll(lport, a->timeout_ns))
		return "no reply over the dynamically bound channel";
	return NULL;
}

const char *evt_acl_c(const struct evt_args *a)
{
	uint64_t deny, deny2;
	evtchn_port_t port = 0;
	const char *why;
	long ret;
	int i;

	if ((why = evt_opt(a, "deny", 1, &deny)) || (why = evt_opt(a, "deny2", 2, &deny2)))
		return why;
	/* Again later: a's port 1 goes from free to unbound-for-b meanwhile. */
	for (i = 0; i < 3; i++) {
		if ((why = evt_acl_denied((domid_t)deny)) || (why = evt_acl_denied((domid_t)deny2)))
			return why;
		bolt_yield();
	}
	ret = bolt_evtchn_alloc_unbound(DOMID_SELF, &port);
	if (ret < 0)
		return evt_fail("loopback alloc_unbound(DOMID_SELF) returned %ld", ret);
	return NULL;
}
