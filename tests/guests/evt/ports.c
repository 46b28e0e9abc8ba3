/* SPDX-License-Identifier: MIT */
/*
 * test=ports: the whole 2-level port space in one guest. Binds ports
 * 1..4095 (port 0 is reserved), alternating loopback alloc_unbound and
 * bind_ipi, the last one an IPI; each must be the lowest free port. The
 * next bind_ipi, alloc_unbound and bind_virq must fail with -ENOSPC.
 * Sends on the last two ports: 4095 (bit 63 of the last pending word) has
 * a handler and must reach it through the upcall; 4094 must show up as a
 * pending bit. Closes all 4095, checks a second close fails with -EINVAL
 * and that the next bind gets port 1 again.
 */
#include "tests/guests/evt/evt.h"

#define EVT_LAST_PORT (BOLT_EVTCHN_PORTS - 1u)

static volatile unsigned evt_ports_upcalls;

static void evt_ports_handler(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	evt_ports_upcalls++;
}

static const char *evt_ports_bind_all(void)
{
	evtchn_port_t p, got;
	long ret;

	for (p = 1; p <= EVT_LAST_PORT; p++) {
		got = 0;
		if ((p & 1) && p != EVT_LAST_PORT)
			ret = bolt_evtchn_alloc_unbound(DOMID_SELF, &got);
		else
			ret = bolt_evtchn_bind_ipi(&got);
		if (ret < 0)
			return evt_fail("bind #%u (%s) returned %ld", p,
					(p & 1) && p != EVT_LAST_PORT ? "alloc_unbound" : "bind_ipi",
					ret);
		if (got != p)
			return evt_fail("bind #%u returned port %u, not the lowest free one", p, got);
	}
	return NULL;
}

static const char *evt_ports_full(void)
{
	evtchn_port_t got = 0;
	const char *why;

	if ((why = evt_check_rc("bind_ipi with all 4095 ports in use", bolt_evtchn_bind_ipi(&got),
				-XEN_ENOSPC)) ||
	    (why = evt_check_rc("alloc_unbound with all 4095 ports in use",
				bolt_evtchn_alloc_unbound(DOMID_SELF, &got), -XEN_ENOSPC)) ||
	    (why = evt_check_rc("bind_virq(TIMER) with all 4095 ports in use",
				bolt_evtchn_bind_virq(VIRQ_TIMER, &got), -XEN_ENOSPC)))
		return why;
	return NULL;
}

static const char *evt_ports_send_last(void)
{
	struct evtchn_status st;
	long ret;

	ret = bolt_evtchn_status(EVT_LAST_PORT, &st);
	if (ret < 0 || st.status != EVTCHNSTAT_ipi)
		return evt_fail("status(4095): %ld, status %u (want ipi %u)", ret, st.status,
				EVTCHNSTAT_ipi);
	/* 4094 without a handler: the pending bit is the whole delivery. */
	ret = bolt_evtchn_send(EVT_LAST_PORT - 1);
	if (ret < 0)
		return evt_fail("send(4094) returned %ld", ret);
	if (!bolt_evtchn_test_and_clear(EVT_LAST_PORT - 1))
		return "send on IPI port 4094 left no pending bit";
	/*
	 * 4095 with a handler: the send is a VM exit that finds the upcall
	 * pending with IF=0, so the open window below must take it.
	 */
	bolt_evtchn_set_handler(EVT_LAST_PORT, evt_ports_handler, NULL);
	ret = bolt_evtchn_send(EVT_LAST_PORT);
	if (ret < 0)
		return evt_fail("send(4095) returned %ld", ret);
	for (int i = 0; i < 1000 && !evt_ports_upcalls; i++)
		__asm__ volatile("sti; nop; nop; cli" : : : "memory");
	if (evt_ports_upcalls != 1)
		return evt_fail("handler of port 4095 ran %u times for one send (pending %d)",
				evt_ports_upcalls, bolt_evtchn_is_pending(EVT_LAST_PORT));
	if (bolt_evtchn_count(EVT_LAST_PORT) != 1 || bolt_evtchn_count(EVT_LAST_PORT - 1) != 1)
		return "SDK event counts of ports 4094/4095 are not 1";
	return NULL;
}

static const char *evt_ports_close_all(void)
{
	evtchn_port_t p, got = 0;
	const char *why;
	long ret;

	for (p = 1; p <= EVT_LAST_PORT; p++) {
		ret = bolt_evtchn_close(p);
		if (ret < 0)
			return evt_fail("close(%u) returned %ld", p, ret);
	}
	if ((why = evt_check_rc("second close(4095)", bolt_evtchn_close(EVT_LAST_PORT),
				-XEN_EINVAL)) ||
	    (why = evt_check_rc("close(0) (reserved)", bolt_evtchn_close(0), -XEN_EINVAL)) ||
	    (why = evt_check_rc("send(4095) after close", bolt_evtchn_send(EVT_LAST_PORT),
				-XEN_EINVAL)))
		return why;
	ret = bolt_evtchn_bind_ipi(&got);
	if (ret < 0 || got != 1)
		return evt_fail("bind_ipi after closing all: %ld, port %u (want 1)", ret, got);
	return NULL;
}

const char *evt_ports(const struct evt_args *a)
{
	uint64_t t0 = bolt_now_ns();
	const char *why;

	if ((why = evt_ports_bind_all()) || (why = evt_ports_full()))
		return why;
	printf("%s: 4095 ports bound in %llu us; the next bind gets -ENOSPC\n", a->name,
	       (unsigned long long)(bolt_now_ns() - t0) / 1000);
	if ((why = evt_ports_send_last()))
		return why;
	printf("%s: events on ports 4094 (pending bit) and 4095 (upcall) arrived\n", a->name);
	return evt_ports_close_all();
}
