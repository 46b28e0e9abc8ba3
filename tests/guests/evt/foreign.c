/* SPDX-License-Identifier: MIT */
/*
 * test=foreign-victim / foreign-attacker: a guest cannot act on another
 * guest's ports. Layout (evtchn-foreign.cfg): victim (domid 1) has a
 * channel to its partner (domid 2, a test=pong) on port 1 and an unbound
 * port 2 offered to the partner; the attacker (domid 3) shares only a sync
 * channel with the victim (port 7 on both sides, which also makes
 * bind_interdomain between them allowed, so its checks get past the ACL).
 *
 * attacker, after the victim's "go" on port 7:
 *   EVTCHNOP_status / alloc_unbound / reset naming the victim's domid -> -EPERM
 *   close, send, bind_vcpu of ports 1-6 (the victim's numbers, free in the
 *     attacker's own table) -> -EINVAL; unmask of port 4096 -> -EINVAL
 *     (unmask of a free in-range port is 0, as in Xen: it only clears the
 *     attacker's own mask bit)
 *   bind_interdomain to victim ports that are interdomain (1), unbound for
 *     someone else (2), free (5) or out of range (4096) -> -EINVAL; to the
 *     partner, with whom it is not allowed -> -EPERM
 * then sends "done". The victim then checks its ports are unchanged and
 * pings its partner rounds= times (100).
 */
#include "tests/guests/evt/evt.h"

#define EVT_FOREIGN_SYNC_PORT 7u
#define EVT_FOREIGN_CHANNEL_PORT 1u
#define EVT_FOREIGN_UNBOUND_PORT 2u
#define EVT_FOREIGN_FREE_PORT 5u

static const char *evt_foreign_first;

/* Log one check; remember the first failure but run them all. */
static void evt_foreign_check(const char *what, long got, long want)
{
	printf("evt: foreign: %s: %ld (want %ld)%s\n", what, got, want,
	       got == want ? "" : "  <-- WRONG");
	if (got != want && !evt_foreign_first)
		evt_foreign_first = evt_check_rc(what, got, want);
}

static const char *evt_foreign_port_status(evtchn_port_t port, uint32_t status, domid_t dom,
					   uint32_t rport)
{
	struct evtchn_status st;
	long ret = bolt_evtchn_status(port, &st);

	if (ret < 0)
		return evt_fail("EVTCHNOP_status(%u) returned %ld", port, ret);
	if (st.status != status ||
	    (status == EVTCHNSTAT_unbound && st.u.unbound.dom != dom) ||
	    (status == EVTCHNSTAT_interdomain &&
	     (st.u.interdomain.dom != dom || st.u.interdomain.port != rport)))
		return evt_fail("port %u changed: status %u dom %u port %u", port, st.status,
				st.u.interdomain.dom, st.u.interdomain.port);
	return NULL;
}

const char *evt_foreign_victim(const struct evt_args *a)
{
	uint64_t partner, rounds = a->rounds ? a->rounds : 100;
	evtchn_port_t port = 0;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "partner", 2, &partner)))
		return why;
	ret = bolt_evtchn_alloc_unbound((domid_t)partner, &port);
	if (ret < 0 || port != EVT_FOREIGN_UNBOUND_PORT)
		return evt_fail("alloc_unbound for the partner: %ld, port %u (want port 2)", ret,
				port);
	ret = bolt_evtchn_send(EVT_FOREIGN_SYNC_PORT);
	if (ret < 0)
		return evt_fail("sending go returned %ld", ret);
	if (!evt_poll(EVT_FOREIGN_SYNC_PORT, a->timeout_ns))
		return "the attacker never said done";
	if ((why = evt_foreign_port_status(EVT_FOREIGN_CHANNEL_PORT, EVTCHNSTAT_interdomain,
					   (domid_t)partner, 1)) ||
	    (why = evt_foreign_port_status(EVT_FOREIGN_UNBOUND_PORT, EVTCHNSTAT_unbound,
					   (domid_t)partner, 0)) ||
	    (why = evt_foreign_port_status(EVT_FOREIGN_FREE_PORT, EVTCHNSTAT_closed, 0, 0)))
		return why;
	/* Nothing the attacker did may have left an event behind. */
	if (bolt_evtchn_is_pending(EVT_FOREIGN_CHANNEL_PORT))
		return "port 1 pending before the first ping";
	why = evt_ping_rounds(EVT_FOREIGN_CHANNEL_PORT, 0, rounds, a->timeout_ns, NULL);
	if (!why)
		printf("%s: channel to the partner still works: %llu round trips\n", a->name,
		       (unsigned long long)rounds);
	return why;
}

const char *evt_foreign_attacker(const struct evt_args *a)
{
	struct evtchn_status st = { 0 };
	struct evtchn_alloc_unbound au = { 0 };
	struct evtchn_reset rs = { 0 };
	struct evtchn_bind_vcpu bv = { 0 };
	uint64_t victim, partner;
	struct bolt_info info;
	evtchn_port_t p, lport;
	char what[96];
	const char *why;
	long ret;

	if ((why = evt_opt(a, "victim", 1, &victim)) || (why = evt_opt(a, "partner", 2, &partner)))
		return why;
	if (bolt_info(&info) < 0)
		return "no Bolt CPUID leaves";
	if (!evt_poll(EVT_FOREIGN_SYNC_PORT, a->timeout_ns))
		return "no go from the victim";

	st.dom = (domid_t)victim;
	st.port = EVT_FOREIGN_CHANNEL_PORT;
	evt_foreign_check("status(dom=victim, port 1)",
			  evt_raw_evtchn_op(EVTCHNOP_status, &st), -XEN_EPERM);
	st.dom = (domid_t)partner;
	evt_foreign_check("status(dom=partner, port 1)",
			  evt_raw_evtchn_op(EVTCHNOP_status, &st), -XEN_EPERM);
	au.dom = (domid_t)victim;
	au.remote_dom = (domid_t)info.domid;
	evt_foreign_check("alloc_unbound(dom=victim, remote=me)",
			  evt_raw_evtchn_op(EVTCHNOP_alloc_unbound, &au), -XEN_EPERM);
	au.remote_dom = (domid_t)partner;
	evt_foreign_check("alloc_unbound(dom=victim, remote=partner)",
			  evt_raw_evtchn_op(EVTCHNOP_alloc_unbound, &au), -XEN_EPERM);
	rs.dom = (domid_t)victim;
	evt_foreign_check("reset(dom=victim)", evt_raw_evtchn_op(EVTCHNOP_reset, &rs), -XEN_EPERM);

	for (p = 1; p < EVT_FOREIGN_SYNC_PORT; p++) {
		snprintf(what, sizeof(what), "close(%u) (not mine)", p);
		evt_foreign_check(what, bolt_evtchn_close(p), -XEN_EINVAL);
		snprintf(what, sizeof(what), "send(%u) (not mine)", p);
		evt_foreign_check(what, bolt_evtchn_send(p), -XEN_EINVAL);
		bv.port = p;
		snprintf(what, sizeof(what), "bind_vcpu(%u) (not mine)", p);
		evt_foreign_check(what, evt_raw_evtchn_op(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL);
	}
	evt_foreign_check("unmask(4096)", bolt_evtchn_unmask(BOLT_EVTCHN_PORTS), -XEN_EINVAL);
	evt_foreign_check("unmask(1) (free here: own mask bit only)",
			  bolt_evtchn_unmask(EVT_FOREIGN_CHANNEL_PORT), 0);

	evt_foreign_check("bind_interdomain(victim, 1) (interdomain with partner)",
			  bolt_evtchn_bind_interdomain((domid_t)victim, 1, &lport), -XEN_EINVAL);
	evt_foreign_check("bind_interdomain(victim, 2) (unbound for partner)",
			  bolt_evtchn_bind_interdomain((domid_t)victim, 2, &lport), -XEN_EINVAL);
	evt_foreign_check("bind_interdomain(victim, 5) (free)",
			  bolt_evtchn_bind_interdomain((domid_t)victim, 5, &lport), -XEN_EINVAL);
	evt_foreign_check("bind_interdomain(victim, 4096)",
			  bolt_evtchn_bind_interdomain((domid_t)victim, 4096, &lport), -XEN_EINVAL);
	evt_foreign_check("bind_interdomain(partner, 1) (not allowed)",
			  bolt_evtchn_bind_interdomain((domid_t)partner, 1, &lport), -XEN_EPERM);
	/* Our own sync port must still be ours and intact. */
	why = evt_foreign_port_status(EVT_FOREIGN_SYNC_PORT, EVTCHNSTAT_interdomain,
				      (domid_t)victim, EVT_FOREIGN_SYNC_PORT);
	if (why && !evt_foreign_first)
		evt_foreign_first = why;

	ret = bolt_evtchn_send(EVT_FOREIGN_SYNC_PORT);
	if (ret < 0 && !evt_foreign_first)
		evt_foreign_first = evt_fail("sending done returned %ld", ret);
	return evt_foreign_first;
}
