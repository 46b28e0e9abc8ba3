/* SPDX-License-Identifier: MIT */
/*
 * test=ping / test=pong: strictly alternating round trips on one port (one
 * event in flight at a time, so pending bits never coalesce and every send
 * must produce exactly one event on the other side). The building block of
 * the doorbell, lazy, running and shared-core scenarios.
 *
 * ping: warmup + rounds round trips, timed with bolt_now_ns. Keys:
 *   bell=IOPORT     send with `outb` to this doorbell instead of EVTCHNOP_send
 *   done_port=P     after the last round, send once on P (stops a busy guest)
 *   stat_slot=N     publish p50 in slot N of the shm region "stats"
 *   compare_slot=N  wait for slot N there and print both p50s
 * pong: echoes warmup + rounds events (same keys: bell=), then checks that
 * nothing more arrives and that the SDK counted exactly that many events.
 */
#include "tests/guests/evt/evt.h"

#define EVT_PING_MAX_ROUNDS 20000u
#define EVT_PONG_QUIET_NS (20 * EVT_MS)
#define EVT_STATS_MAGIC 0x5054564545545645ull /* "EVTEEVTP" */
#define EVT_STATS_SLOTS 4u

struct evt_stats_slot {
	uint64_t magic;
	uint64_t p50_ns;
	uint64_t p99_ns;
	uint64_t rounds;
};

static uint64_t evt_samples[EVT_PING_MAX_ROUNDS];

const char *evt_ping_rounds(evtchn_port_t port, uint16_t bell, uint64_t n, uint64_t timeout_ns,
			    uint64_t *samples)
{
	uint64_t i, t0, before = bolt_evtchn_count(port);
	long ret;

	for (i = 0; i < n; i++) {
		/* Nothing may be pending before we send: the peer only replies. */
		if (bolt_evtchn_test_and_clear(port))
			return evt_fail("spurious event on port %u before send %llu", port,
					(unsigned long long)i + 1);
		t0 = bolt_now_ns();
		ret = evt_kick(port, bell);
		if (ret < 0)
			return evt_fail("send %llu on port %u returned %ld",
					(unsigned long long)i + 1, port, ret);
		if (!evt_poll(port, timeout_ns))
			return evt_fail("no reply to send %llu on port %u within %llu ms (lost)",
					(unsigned long long)i + 1, port,
					(unsigned long long)(timeout_ns / EVT_MS));
		if (samples)
			samples[i] = bolt_now_ns() - t0;
	}
	if (bolt_evtchn_count(port) - before != n)
		return evt_fail("port %u counted %llu events for %llu replies", port,
				(unsigned long long)(bolt_evtchn_count(port) - before),
				(unsigned long long)n);
	return NULL;
}

static volatile struct evt_stats_slot *evt_stats(const struct evt_args *a, uint64_t slot)
{
	struct bolt_shm shm;

	if (slot >= EVT_STATS_SLOTS || bolt_shm_find(a->si, "stats", &shm) < 0 ||
	    shm.size < EVT_STATS_SLOTS * sizeof(struct evt_stats_slot) || !shm.writable)
		return NULL;
	return (volatile struct evt_stats_slot *)(uintptr_t)shm.gpa + slot;
}

/* Publish and compare p50s through shared memory (the lazy scenario). */
static const char *evt_ping_stats(const struct evt_args *a, uint64_t p50, uint64_t p99)
{
	volatile struct evt_stats_slot *s;
	uint64_t mine, other, deadline;
	const char *why;

	if ((why = evt_opt(a, "stat_slot", ~0ull, &mine)) ||
	    (why = evt_opt(a, "compare_slot", ~0ull, &other)))
		return why;
	if (mine != ~0ull) {
		if (!(s = evt_stats(a, mine)))
			return "stat_slot= needs a writable shm region 'stats' of 128 bytes";
		s->p50_ns = p50;
		s->p99_ns = p99;
		s->rounds = a->rounds;
		__atomic_store_n(&s->magic, EVT_STATS_MAGIC, __ATOMIC_RELEASE);
	}
	if (other == ~0ull)
		return NULL;
	if (!(s = evt_stats(a, other)))
		return "compare_slot= needs a writable shm region 'stats' of 128 bytes";
	deadline = bolt_now_ns() + a->timeout_ns;
	while (__atomic_load_n(&s->magic, __ATOMIC_ACQUIRE) != EVT_STATS_MAGIC) {
		if (bolt_now_ns() >= deadline)
			return "the other ping never published its p50";
		bolt_yield();
	}
	printf("%s: p50 %llu ns here vs %llu ns in slot %llu (%llu.%02llux)\n", a->name,
	       (unsigned long long)p50, (unsigned long long)s->p50_ns,
	       (unsigned long long)other, (unsigned long long)(s->p50_ns ? p50 / s->p50_ns : 0),
	       (unsigned long long)(s->p50_ns ? p50 * 100 / s->p50_ns % 100 : 0));
	return NULL;
}

const char *evt_ping(const struct evt_args *a)
{
	uint64_t bell, done_port, rounds = a->rounds ? a->rounds : 1000, p50, p99;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "bell", 0, &bell)) || (why = evt_opt(a, "done_port", 0, &done_port)))
		return why;
	if (rounds > EVT_PING_MAX_ROUNDS || bell > 0xffff || done_port >= BOLT_EVTCHN_PORTS)
		return "rounds= (at most 20000), bell= or done_port= out of range";
	printf("%s: %llu warm-up + %llu round trips on port %u%s\n", a->name,
	       (unsigned long long)a->warmup, (unsigned long long)rounds, a->port,
	       bell ? " via doorbell" : "");
	why = evt_ping_rounds(a->port, (uint16_t)bell, a->warmup, a->timeout_ns, NULL);
	if (!why)
		why = evt_ping_rounds(a->port, (uint16_t)bell, rounds, a->timeout_ns, evt_samples);
	if (done_port) {
		ret = bolt_evtchn_send((evtchn_port_t)done_port);
		if (ret < 0 && !why)
			why = evt_fail("send on done_port %llu returned %ld",
				       (unsigned long long)done_port, ret);
	}
	if (why)
		return why;
	bolt_sort_u64(evt_samples, rounds);
	p50 = bolt_percentile(evt_samples, rounds, 50);
	p99 = bolt_percentile(evt_samples, rounds, 99);
	printf("%s: %llu round trips, p50 %llu ns, p99 %llu ns, max %llu ns, lost 0\n",
	       a->name, (unsigned long long)rounds, (unsigned long long)p50,
	       (unsigned long long)p99, (unsigned long long)evt_samples[rounds - 1]);
	return evt_ping_stats(a, p50, p99);
}

const char *evt_pong(const struct evt_args *a)
{
	uint64_t bell, i, total = a->warmup + (a->rounds ? a->rounds : 1000), count;
	const char *why;
	long ret;

	if ((why = evt_opt(a, "bell", 0, &bell)))
		return why;
	if (bell > 0xffff)
		return "bell= out of range";
	for (i = 0; i < total; i++) {
		if (!evt_poll(a->port, a->timeout_ns))
			return evt_fail("nothing on port %u for %llu ms after %llu of %llu events",
					a->port, (unsigned long long)(a->timeout_ns / EVT_MS),
					(unsigned long long)i, (unsigned long long)total);
		ret = evt_kick(a->port, (uint16_t)bell);
		if (ret < 0)
			return evt_fail("reply %llu on port %u returned %ld",
					(unsigned long long)i + 1, a->port, ret);
	}
	if (evt_poll(a->port, EVT_PONG_QUIET_NS))
		return "spurious event after the last round";
	count = bolt_evtchn_count(a->port);
	printf("%s: %llu events on port %u, %llu replies\n", a->name,
	       (unsigned long long)count, a->port, (unsigned long long)total);
	if (count != total)
		return evt_fail("counted %llu events for %llu sends", (unsigned long long)count,
				(unsigned long long)total);
	return NULL;
}
