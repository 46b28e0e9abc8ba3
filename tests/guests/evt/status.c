/* SPDX-License-Identifier: MIT */
/*
 * test=status / status-peer: EVTCHNOP_status reports each port state
 * right, as ports are bound, connected and closed. status (domid 1, me) has
 * a [channel] to status-peer (domid 2, peer=): its port 3 <-> peer port 5.
 *
 *   port 1  bind_virq(VIRQ_DOM_EXC)         virq, virq = DOM_EXC
 *   port 2  alloc_unbound(peer)             unbound, dom = peer
 *   port 3  static channel                  interdomain, peer:5
 *   port 4  alloc_unbound(DOMID_SELF)       unbound, dom = me
 *   port 5  bind_virq(VIRQ_TIMER)           virq (a second bind: -EEXIST)
 *   port 6  bind_ipi                        ipi, vcpu 0
 *   port 7  bind_interdomain(me, 4)         interdomain me:4, and 4 -> me:7
 *   0 and free ports: closed; 4096: -EINVAL. Loopback sends 7 -> 4 and
 *   4 -> 7; closing 7 leaves 4 unbound for me; closed ports read closed and
 *   are reused lowest first. Last, "done" on port 3: the peer powers off,
 *   which must leave port 3 unbound for the peer and raise VIRQ_DOM_EXC.
 */
#include "tests/guests/evt/evt.h"

#define EVT_ANY 0xffffu

/* status(port) must be `status` with dom and port/virq (EVT_ANY: not checked). */
static const char *evt_expect(evtchn_port_t port, uint32_t status, uint32_t dom, uint32_t x)
{
	struct evtchn_status st;
	uint32_t got_dom = EVT_ANY, got_x = EVT_ANY;
	long ret = bolt_evtchn_status(port, &st);

	if (ret < 0)
		return evt_fail("status(%u) returned %ld", port, ret);
	if (st.status == EVTCHNSTAT_unbound)
		got_dom = st.u.unbound.dom;
	if (st.status == EVTCHNSTAT_interdomain) {
		got_dom = st.u.interdomain.dom;
		got_x = st.u.interdomain.port;
	}
	if (st.status == EVTCHNSTAT_virq)
		got_x = st.u.virq;
	printf("evt: status(%u) = %u dom %u port/virq %u, vcpu %u\n", port, st.status,
	       got_dom, got_x, st.vcpu);
	if (st.status != status || (dom != EVT_ANY && got_dom != dom) ||
	    (x != EVT_ANY && got_x != x) || st.vcpu != 0)
		return evt_fail("status(%u) = %u dom %u port/virq %u, expected %u dom %u "
				"port/virq %u", port, st.status, got_dom, got_x, status, dom, x);
	return NULL;
}

/*
 * Check a bind's result and the port it returned. got is a pointer: it is
 * read here, after the bind call in the argument list has filled it in.
 */
static const char *evt_bound(const char *what, long ret, const evtchn_port_t *got,
			     evtchn_port_t want)
{
	if (ret < 0 || *got != want)
		return evt_fail("%s: returned %ld, port %u (want port %u)", what, ret, *got, want);
	return NULL;
}

static const char *evt_status_build(uint32_t me, uint32_t peer)
{
	evtchn_port_t p = 0;
	const char *why;

	if ((why = evt_bound("bind_virq(DOM_EXC)", bolt_evtchn_bind_virq(VIRQ_DOM_EXC, &p), &p, 1)) ||
	    (why = evt_bound("alloc_unbound(peer)", bolt_evtchn_alloc_unbound((domid_t)peer, &p),
			     &p, 2)) ||
	    (why = evt_bound("alloc_unbound(self)", bolt_evtchn_alloc_unbound(DOMID_SELF, &p),
			     &p, 4)) ||
	    (why = evt_bound("bind_virq(TIMER)", bolt_evtchn_bind_virq(VIRQ_TIMER, &p), &p, 5)) ||
	    (why = evt_check_rc("second bind_virq(TIMER)", bolt_evtchn_bind_virq(VIRQ_TIMER, &p),
				-XEN_EEXIST)) ||
	    (why = evt_bound("bind_ipi", bolt_evtchn_bind_ipi(&p), &p, 6)) ||
	    (why = evt_expect(0, EVTCHNSTAT_closed, EVT_ANY, EVT_ANY)) ||
	    (why = evt_expect(1, EVTCHNSTAT_virq, EVT_ANY, VIRQ_DOM_EXC)) ||
	    (why = evt_expect(2, EVTCHNSTAT_unbound, peer, EVT_ANY)) ||
	    (why = evt_expect(3, EVTCHNSTAT_interdomain, peer, 5)) ||
	    (why = evt_expect(4, EVTCHNSTAT_unbound, me, EVT_ANY)) ||
	    (why = evt_expect(5, EVTCHNSTAT_virq, EVT_ANY, VIRQ_TIMER)) ||
	    (why = evt_expect(6, EVTCHNSTAT_ipi, EVT_ANY, EVT_ANY)) ||
	    (why = evt_expect(10, EVTCHNSTAT_closed, EVT_ANY, EVT_ANY)) ||
	    (why = evt_expect(4095, EVTCHNSTAT_closed, EVT_ANY, EVT_ANY)))
		return why;
	return NULL;
}

static const char *evt_status_loopback(uint32_t me)
{
	evtchn_port_t p = 0;
	const char *why;

	if ((why = evt_bound("bind_interdomain(self, 4)",
			     bolt_evtchn_bind_interdomain(DOMID_SELF, 4, &p), &p, 7)) ||
	    (why = evt_expect(7, EVTCHNSTAT_interdomain, me, 4)) ||
	    (why = evt_expect(4, EVTCHNSTAT_interdomain, me, 7)))
		return why;
	bolt_evtchn_test_and_clear(7); /* bind_interdomain starts the new end pending */
	if (bolt_evtchn_send(7) < 0 || !bolt_evtchn_test_and_clear(4) || bolt_evtchn_is_pending(7))
		return "loopback send 7 -> 4 did not land on port 4 only";
	if (bolt_evtchn_send(4) < 0 || !bolt_evtchn_test_and_clear(7) || bolt_evtchn_is_pending(4))
		return "loopback send 4 -> 7 did not land on port 7 only";
	if ((why = evt_check_rc("close(7)", bolt_evtchn_close(7), 0)) ||
	    (why = evt_expect(7, EVTCHNSTAT_closed, EVT_ANY, EVT_ANY)) ||
	    (why = evt_expect(4, EVTCHNSTAT_unbound, me, EVT_ANY)) ||
	    (why = evt_check_rc("close(6)", bolt_evtchn_close(6), 0)) ||
	    (why = evt_check_rc("close(5)", bolt_evtchn_close(5), 0)) ||
	    (why = evt_expect(6, EVTCHNSTAT_closed, EVT_ANY, EVT_ANY)) ||
	    (why = evt_bound("bind_virq(TIMER) after close", bolt_evtchn_bind_virq(VIRQ_TIMER, &p),
			     &p, 5)) ||
	    (why = evt_expect(5, EVTCHNSTAT_virq, EVT_ANY, VIRQ_TIMER)))
		return why;
	return NULL;
}

const char *evt_status(const struct evt_args *a)
{
	struct evtchn_status st = { 0 };
	struct bolt_info info;
	uint64_t peer;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "peer", 2, &peer)))
		return why;
	if (bolt_info(&info) < 0)
		return "no Bolt CPUID leaves";
	if ((why = evt_status_build(info.domid, (uint32_t)peer)) ||
	    (why = evt_status_loopback(info.domid)))
		return why;
	st.dom = (domid_t)info.domid; /* my own domid instead of DOMID_SELF */
	st.port = 3;
	ret = evt_raw_evtchn_op(EVTCHNOP_status, &st);
	if (ret < 0 || st.status != EVTCHNSTAT_interdomain)
		return evt_fail("status(dom=my domid %u, 3): %ld, status %u", info.domid, ret,
				st.status);
	if ((why = evt_check_rc("status(4096)", bolt_evtchn_status(4096, &st), -XEN_EINVAL)))
		return why;
	ret = bolt_evtchn_send(3);
	if (ret < 0)
		return evt_fail("sending done to the peer returned %ld", ret);
	if (!evt_poll(1, a->timeout_ns))
		return "no VIRQ_DOM_EXC after the peer powered off";
	return evt_expect(3, EVTCHNSTAT_unbound, (uint32_t)peer, EVT_ANY);
}

const char *evt_status_peer(const struct evt_args *a)
{
	if (!evt_poll(a->port, a->timeout_ns))
		return "no done from the status guest";
	return NULL; /* powering off closes port 5 */
}
