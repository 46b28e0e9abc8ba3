/* SPDX-License-Identifier: MIT */
/*
 * Guests that compute instead of sleeping.
 *
 * test=running-rx: the receiver never halts. It computes with IF=1 while a
 * test=ping on another core sends rounds= events (1000), one at a time;
 * its handler, run from the upcall that interrupts the computation,
 * replies to each. It must see exactly rounds events, and the computation
 * must give the same result when redone with interrupts off (the upcall
 * must not corrupt the interrupted registers).
 *
 * test=busy: the CPU hog of the shared-core scenario. Computes with IF=0
 * (sti=1: IF=1; it has no handlers, so upcalls change nothing) and never
 * yields, until port= (a channel from the ping, which sends on it when
 * done) is pending; prints how far it got and its checksum (printed so
 * the compiler cannot drop the work). FAIL if it is never told to stop
 * within timeout_ms or made no progress.
 */
#include "tests/guests/evt/evt.h"

#define EVT_CHUNK 4096u
#define EVT_RUN_SEED 0x243f6a8885a308d3ull
#define EVT_RUN_QUIET_NS (20 * EVT_MS)

struct evt_work {
	uint64_t x, sum, iters;
};

static void evt_work_chunk(struct evt_work *w)
{
	uint64_t x = w->x, sum = w->sum;

	for (unsigned i = 0; i < EVT_CHUNK; i++) {
		x = evt_xorshift(x);
		sum += x * 0x2545f4914f6cdd1dull;
		sum = (sum << 5) | (sum >> 59);
	}
	w->x = x;
	w->sum = sum;
	w->iters += EVT_CHUNK;
}

static void evt_running_handler(evtchn_port_t port, void *arg)
{
	/* A hypercall from the upcall: reply at once; arg counts failures. */
	if (bolt_evtchn_send(port) < 0)
		__atomic_fetch_add((uint64_t *)arg, 1, __ATOMIC_RELAXED);
}

const char *evt_running_rx(const struct evt_args *a)
{
	static uint64_t send_errors;
	uint64_t rounds = a->rounds ? a->rounds : 1000, deadline, quiet, t0;
	struct evt_work w = { EVT_RUN_SEED, 0, 0 }, check = { EVT_RUN_SEED, 0, 0 };

	bolt_evtchn_set_handler(a->port, evt_running_handler, &send_errors);
	t0 = bolt_now_ns();
	deadline = t0 + a->timeout_ns;
	__asm__ volatile("sti" : : : "memory");
	while (bolt_evtchn_count(a->port) < rounds && bolt_now_ns() < deadline)
		evt_work_chunk(&w);
	/* Keep computing a little: an extra event would show up here. */
	quiet = bolt_now_ns() + EVT_RUN_QUIET_NS;
	while (bolt_now_ns() < quiet)
		evt_work_chunk(&w);
	__asm__ volatile("cli" : : : "memory");
	printf("%s: %llu events handled while computing (%llu iterations, %llu ms)\n",
	       a->name, (unsigned long long)bolt_evtchn_count(a->port),
	       (unsigned long long)w.iters,
	       (unsigned long long)((bolt_now_ns() - t0) / EVT_MS));
	if (send_errors)
		return evt_fail("%llu replies from the handler failed",
				(unsigned long long)send_errors);
	if (bolt_evtchn_count(a->port) != rounds)
		return evt_fail("handled %llu events, expected %llu",
				(unsigned long long)bolt_evtchn_count(a->port),
				(unsigned long long)rounds);
	while (check.iters < w.iters)
		evt_work_chunk(&check);
	if (check.x != w.x || check.sum != w.sum)
		return "computation interrupted by upcalls gave a different result";
	return NULL;
}

const char *evt_busy(const struct evt_args *a)
{
	struct evt_work w = { EVT_RUN_SEED, 0, 0 };
	uint64_t t0 = bolt_now_ns(), deadline = t0 + a->timeout_ns, sti;
	const char *why = evt_opt(a, "sti", 0, &sti);

	if (why)
		return why;
	if (sti)
		__asm__ volatile("sti" : : : "memory");
	while (!bolt_evtchn_test_and_clear(a->port)) {
		evt_work_chunk(&w);
		if (bolt_now_ns() >= deadline) {
			why = evt_fail("never told to stop within %llu ms (%llu iterations)",
				       (unsigned long long)(a->timeout_ns / EVT_MS),
				       (unsigned long long)w.iters);
			break;
		}
	}
	__asm__ volatile("cli" : : : "memory");
	printf("%s: %llu iterations in %llu ms while sharing the core (IF=%d), "
	       "checksum %llx\n", a->name, (unsigned long long)w.iters,
	       (unsigned long long)((bolt_now_ns() - t0) / EVT_MS), sti ? 1 : 0,
	       (unsigned long long)(w.x ^ w.sum));
	if (why)
		return why;
	if (w.iters == 0)
		return "made no progress";
	return NULL;
}
