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
	bolt_printf("%s: round-trip p99 %llu ns without flood, %llu ns during it (%llu.%02llux); "
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
	bolt_printf("%s: %llu sends in %llu us (%llu per ms)\n", a->name, (unsigned long long)sent,
		    (unsigned long long)(ns / 1000), (unsigned long long)(ns ? sent * EVT_MS / ns : 0));
	return NULL;
}

const char *evt_flood_sink(const struct evt_args *a)
{
	uint64_t got = 0;

	if (!evt_poll(a->port, a->timeout_ns))
		return "no flood arrived";
	got++;
	while (evt_poll(a->port, FLOOD_QUIET_NS))
		got++;
	bolt_printf("%s: received %llu events (coalesced where the flood outran it)\n", a->name,
		    (unsigned long long)got);
	return NULL;
}
