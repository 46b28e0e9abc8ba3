/* SPDX-License-Identifier: MIT */
/*
 * hostile-flood: a flooder sends at full speed on a channel with a budget
 * (bolt.cfg `budget = N/PERIOD`) while a ping/pong pair measures its round
 * trips before and during the flood. Bolt must throttle the flooder and
 * keep the pair's p99 within 2x of its flood-free value.
 *
 *   test=flood-ping  rounds=N ctl=P    phase 1, "start" on ctl, phase 2, "stop" on ctl
 *   test=flood       port=P ctl=P      wait for start, send until stop, report the rate
 *   test=flood-sink  port=P            count events until the flood has been quiet a while
 *                    alloc=D           first offer port P to domain D (alloc_unbound: P must
 *                                      be the lowest free port)
 *
 * Escaping the budget (bolt.cfg budgets belong to the pair of guests, not to a port):
 *
 *   test=flood-rebind port=P peer=D peer_port=Q count=N budget=B
 *       the budgeted sender closes its budgeted port P, binds an IPI port
 *       (which takes the freed number P), then binds a new port to D's
 *       port Q (offered by flood-sink alloc=). It sends N events on the
 *       IPI port, a (self, self) channel with no budget, which must run
 *       faster than B per ms, then N on the new port, which must stay
 *       within the pair's budget of B per ms (FAIL above 1.5 B).
 *   test=flood-self count=N budget=B ends=E
 *       a guest with E budgeted loopback channels (ports 1..2E, a = odd)
 *       and an IPI port sends N events round-robin over all the a ends
 *       and the IPI port: all are (self, self), one shared budget of B
 *       per ms, so the total rate must stay within it.
 */
#include "evt.h"

#define FLOOD_MAX_ROUNDS 4000u
#define FLOOD_QUIET_NS (200 * EVT_MS)

static uint64_t base[FLOOD_MAX_ROUNDS], during[FLOOD_MAX_ROUNDS];

const char *evt_flood_ping(const struct evt_args *a)
{
	uint64_t ctl, rounds = a->rounds ? a->rounds : 1000, p99_base, p99_flood;
	const char *why;

	if ((why = evt_opt(a, "ctl", 2, &ctl)))
		return why;
	if (rounds > FLOOD_MAX_ROUNDS)
		return "rounds= is at most 4000";
	why = evt_ping_rounds(a->port, 0, a->warmup, a->timeout_ns, NULL);
	if (!why)
		why = evt_ping_rounds(a->port, 0, rounds, a->timeout_ns, base);
	if (why)
		return why;
	if (bolt_evtchn_send((evtchn_port_t)ctl) < 0)
		return "cannot start the flooder";
	/* Let the flood reach full speed before measuring again. */
	uint64_t until = bolt_now_ns() + 2 * EVT_MS;
	while (bolt_now_ns() < until)
		bolt_yield();
	why = evt_ping_rounds(a->port, 0, rounds, a->timeout_ns, during);
	bolt_evtchn_send((evtchn_port_t)ctl); /* stop */
	if (why)
		return why;
	bolt_sort_u64(base, rounds);
	bolt_sort_u64(during, rounds);
	p99_base = bolt_percentile(base, rounds, 99);
	p99_flood = bolt_percentile(during, rounds, 99);
	printf("%s: round-trip p99 %llu ns without flood, %llu ns during it (%llu.%02llux); "
	       "p50 %llu -> %llu ns\n",
	       a->name, (unsigned long long)p99_base, (unsigned long long)p99_flood,
	       (unsigned long long)(p99_flood / p99_base),
	       (unsigned long long)(p99_flood * 100 / p99_base % 100),
	       (unsigned long long)bolt_percentile(base, rounds, 50),
	       (unsigned long long)bolt_percentile(during, rounds, 50));
	if (p99_flood > 2 * p99_base)
		return evt_fail("p99 during the flood is more than 2x its flood-free value");
	return NULL;
}

const char *evt_flood(const struct evt_args *a)
{
	uint64_t ctl, sent = 0, t0, ns;
	const char *why;

	if ((why = evt_opt(a, "ctl", 2, &ctl)))
		return why;
	if (!evt_poll((evtchn_port_t)ctl, a->timeout_ns))
		return "never told to start";
	t0 = bolt_now_ns();
	/* Full speed: nothing but sends, until the stop event. */
	while (!bolt_evtchn_test_and_clear((evtchn_port_t)ctl)) {
		long ret = bolt_evtchn_send(a->port);
		if (ret < 0)
			return evt_fail("send %llu returned %ld", (unsigned long long)sent + 1, ret);
		sent++;
		if (bolt_now_ns() - t0 > a->timeout_ns)
			return "never told to stop";
	}
	ns = bolt_now_ns() - t0;
	printf("%s: %llu sends in %llu us (%llu per ms)\n", a->name, (unsigned long long)sent,
	       (unsigned long long)(ns / 1000), (unsigned long long)(ns ? sent * EVT_MS / ns : 0));
	return NULL;
}

const char *evt_flood_sink(const struct evt_args *a)
{
	uint64_t got = 0, alloc;
	evtchn_port_t port = 0;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "alloc", 0, &alloc)))
		return why;
	if (alloc) {
		ret = bolt_evtchn_alloc_unbound((domid_t)alloc, &port);
		if (ret < 0)
			return evt_fail("alloc_unbound toward domain %llu returned %ld",
					(unsigned long long)alloc, ret);
		if (port != a->port)
			return evt_fail("alloc_unbound gave port %u, not port=%u (the lowest free)",
					port, a->port);
		printf("%s: port %u offered to domain %llu\n", a->name, port,
		       (unsigned long long)alloc);
	}
	if (!evt_poll(a->port, a->timeout_ns))
		return "no flood arrived";
	got++;
	while (evt_poll(a->port, FLOOD_QUIET_NS))
		got++;
	printf("%s: received %llu events (coalesced where the flood outran it)\n", a->name,
	       (unsigned long long)got);
	return NULL;
}

/*
 * Send n events round-robin on ports[0..nr) as fast as possible; print and
 * return the rate in events per ms (x100, for two decimals).
 */
static const char *evt_flood_rate(const struct evt_args *a, const char *what,
				  const evtchn_port_t *ports, unsigned nr, uint64_t n,
				  uint64_t budget, uint64_t *rate_x100)
{
	uint64_t t0 = bolt_now_ns(), ns;

	for (uint64_t i = 0; i < n; i++) {
		long ret = bolt_evtchn_send(ports[i % nr]);

		if (ret < 0)
			return evt_fail("%s: send %llu on port %u returned %ld", what,
					(unsigned long long)i + 1, ports[i % nr], ret);
	}
	ns = bolt_now_ns() - t0;
	*rate_x100 = ns ? n * EVT_MS * 100 / ns : ~0ull;
	printf("%s: %s: sent %llu in %llu us = %llu.%02llu per ms (budget %llu per ms)\n",
	       a->name, what, (unsigned long long)n, (unsigned long long)(ns / 1000),
	       (unsigned long long)(*rate_x100 / 100), (unsigned long long)(*rate_x100 % 100),
	       (unsigned long long)budget);
	return NULL;
}

/* Throttled: at most 1.5x the budget (the first window may start full). */
static const char *evt_flood_check_within(const char *what, uint64_t rate_x100, uint64_t budget)
{
	if (rate_x100 * 2 > budget * 100 * 3)
		return evt_fail("%s: %llu.%02llu sends per ms, more than 1.5x the budget of %llu "
				"per ms: not throttled", what, (unsigned long long)(rate_x100 / 100),
				(unsigned long long)(rate_x100 % 100), (unsigned long long)budget);
	return NULL;
}

const char *evt_flood_rebind(const struct evt_args *a)
{
	uint64_t peer, peer_port, n, budget, deadline, ipi_rate, new_rate;
	evtchn_port_t ipi = 0, lport = 0;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "peer", 2, &peer)) || (why = evt_opt(a, "peer_port", 2, &peer_port)) ||
	    (why = evt_opt(a, "count", 200, &n)) || (why = evt_opt(a, "budget", 10, &budget)))
		return why;
	ret = bolt_evtchn_close(a->port);
	if (ret < 0)
		return evt_fail("close of the budgeted port %u returned %ld", a->port, ret);
	ret = bolt_evtchn_bind_ipi(&ipi);
	if (ret < 0)
		return evt_fail("bind_ipi returned %ld", ret);
	deadline = bolt_now_ns() + a->timeout_ns;
	for (;;) {
		ret = bolt_evtchn_bind_interdomain((domid_t)peer, (evtchn_port_t)peer_port, &lport);
		if (ret != -XEN_EINVAL)
			break;
		if (bolt_now_ns() >= deadline)
			return "the peer never offered its unbound port";
		bolt_yield();
	}
	if (ret < 0)
		return evt_fail("bind_interdomain to domain %llu port %llu returned %ld",
				(unsigned long long)peer, (unsigned long long)peer_port, ret);
	printf("%s: closed budgeted port %u; IPI port %u; new port %u -> domain %llu port %llu\n",
	       a->name, a->port, ipi, lport, (unsigned long long)peer,
	       (unsigned long long)peer_port);
	if ((why = evt_flood_rate(a, "IPI port (self, no budget)", &ipi, 1, n, budget, &ipi_rate)) ||
	    (why = evt_flood_rate(a, "new port to the peer", &lport, 1, n, budget, &new_rate)))
		return why;
	/* The escape first: it is what the test is for. */
	if ((why = evt_flood_check_within("new port to the peer", new_rate, budget)))
		return why;
	if (ipi_rate <= budget * 100)
		return evt_fail("IPI port: %llu.%02llu sends per ms, throttled though this guest "
				"has no budget toward itself", (unsigned long long)(ipi_rate / 100),
				(unsigned long long)(ipi_rate % 100));
	return NULL;
}

#define FLOOD_SELF_MAX_ENDS 64u

const char *evt_flood_self(const struct evt_args *a)
{
	static evtchn_port_t ports[FLOOD_SELF_MAX_ENDS + 1];
	uint64_t n, budget, ends, rate;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "count", 200, &n)) || (why = evt_opt(a, "budget", 10, &budget)) ||
	    (why = evt_opt(a, "ends", FLOOD_SELF_MAX_ENDS, &ends)))
		return why;
	if (ends == 0 || ends > FLOOD_SELF_MAX_ENDS)
		return "ends= must be 1-64";
	for (unsigned i = 0; i < ends; i++)
		ports[i] = (evtchn_port_t)(2 * i + 1);
	ret = bolt_evtchn_bind_ipi(&ports[ends]);
	if (ret < 0)
		return evt_fail("bind_ipi returned %ld", ret);
	printf("%s: sending on %llu loopback a ends and IPI port %u\n", a->name,
	       (unsigned long long)ends, ports[ends]);
	if ((why = evt_flood_rate(a, "loopback ends and IPI port", ports, (unsigned)ends + 1, n,
				  budget, &rate)))
		return why;
	return evt_flood_check_within("loopback ends and IPI port", rate, budget);
}
