/* SPDX-License-Identifier: MIT */
/*
 * hostile-restart: a guest crashes and is restarted (on_crash = restart).
 *   test=restart-victim peer=D   boot 0: send once on port 1, then crash;
 *                                boot 1: bind to the peer's port 1 again and ping-pong
 *   test=restart-survivor        sees VIRQ_DOM_EXC, its port 1 unbound, the event sent
 *                                before the crash still pending; then answers the new binding
 */
#include "evt.h"

#define RESTART_ROUNDS 100u

const char *evt_restart_victim(const struct evt_args *a)
{
	struct bolt_info info;
	uint64_t peer;
	evtchn_port_t port;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "peer", 0, &peer)) || !peer)
		return why ? why : "peer= (the survivor's domid) is required";
	if (bolt_info(&info) < 0)
		return "not on Bolt";
	if (info.boot_count == 0) {
		if ((ret = bolt_evtchn_send(1)) < 0)
			return evt_fail("send before the crash returned %ld", ret);
		printf("%s: sent one event, crashing\n", a->name);
		bolt_shutdown(SHUTDOWN_crash);
	}
	/* Give the survivor time to look at its unbound end first. */
	uint64_t until = bolt_now_ns() + 20 * EVT_MS;
	while (bolt_now_ns() < until)
		bolt_yield();
	ret = bolt_evtchn_bind_interdomain((domid_t)peer, 1, &port);
	if (ret < 0)
		return evt_fail("re-binding to domain %llu port 1 returned %ld", (unsigned long long)peer, ret);
	printf("%s: boot %u: bound local port %u to domain %llu port 1 again\n", a->name,
	       info.boot_count, port, (unsigned long long)peer);
	/* As on Xen, binding raises the new port once (a notification may have been missed). */
	bolt_evtchn_test_and_clear(port);
	return evt_ping_rounds(port, 0, RESTART_ROUNDS, a->timeout_ns, NULL);
}

const char *evt_restart_survivor(const struct evt_args *a)
{
	struct evtchn_status st;
	evtchn_port_t dom_exc;
	long ret;

	if ((ret = bolt_evtchn_bind_virq(VIRQ_DOM_EXC, &dom_exc)) < 0)
		return evt_fail("bind VIRQ_DOM_EXC returned %ld", ret);
	if (!evt_poll(dom_exc, a->timeout_ns))
		return "no VIRQ_DOM_EXC after the peer crashed";
	st.port = 1;
	st.dom = DOMID_SELF;
	if ((ret = bolt_evtchn_status(1, &st)) < 0)
		return evt_fail("status of port 1 returned %ld", ret);
	if (st.status != EVTCHNSTAT_unbound)
		return evt_fail("port 1 is in state %u after the peer crashed, not unbound", st.status);
	/* The event the peer sent before crashing must still be there. */
	if (!bolt_evtchn_test_and_clear(1))
		return "the event sent before the crash was lost";
	printf("%s: VIRQ_DOM_EXC seen, port 1 unbound (for domain %u), pending event kept\n",
	       a->name, st.u.unbound.dom);
	for (unsigned i = 0; i < RESTART_ROUNDS; i++) {
		if (!evt_poll(1, a->timeout_ns))
			return evt_fail("no event %u from the restarted peer", i + 1);
		if ((ret = bolt_evtchn_send(1)) < 0)
			return evt_fail("reply %u returned %ld", i + 1, ret);
	}
	printf("%s: %u round trips with the restarted peer\n", a->name, RESTART_ROUNDS);
	return NULL;
}
