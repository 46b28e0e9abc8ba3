/* SPDX-License-Identifier: MIT */
/*
 * test=mask-rx / test=mask-tx: a masked port collects its event as a
 * pending bit only; EVTCHNOP_unmask then delivers it through the upcall.
 *
 * Per round (rounds=N, default 3), on one channel:
 *   rx: masks its port, sends "ready", then sleeps with IF=1 (`sti; hlt`,
 *       woken by its own timer, whose upcalls keep running) until the
 *       port's pending bit shows tx's event. For 20 ms more of such sleeps
 *       the port's handler must not run. EVTCHNOP_unmask must then run the
 *       handler (pending bit cleared), and a second unmask with nothing
 *       pending must not.
 *   tx: waits for "ready", sends.
 * Finally rx sends "done" and tx checks that nothing else arrived.
 */
#include "tests/guests/evt/evt.h"

#define EVT_MASK_HOLD_NS (20 * EVT_MS)
#define EVT_MASK_DELIVER_NS (1000 * EVT_MS)
#define EVT_MASK_QUIET_NS (5 * EVT_MS)

static void evt_mask_handler(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg; /* the SDK counts the dispatch: bolt_evtchn_count() */
}

static bool evt_mask_pending(void *arg)
{
	return bolt_evtchn_is_pending(*(evtchn_port_t *)arg);
}

static bool evt_never(void *arg)
{
	(void)arg;
	return false;
}

static const char *evt_mask_round(const struct evt_args *a, uint64_t r)
{
	evtchn_port_t port = a->port;
	uint64_t base = bolt_evtchn_count(port);
	long ret;

	bolt_evtchn_mask(port);
	ret = bolt_evtchn_send(port);
	if (ret < 0)
		return evt_fail("round %llu: sending ready returned %ld", (unsigned long long)r, ret);
	if (!evt_sleep_until(evt_mask_pending, &port, a->timeout_ns))
		return evt_fail("round %llu: tx's event never became pending on masked port %u",
				(unsigned long long)r, port);
	evt_sleep_until(evt_never, NULL, EVT_MASK_HOLD_NS);
	if (bolt_evtchn_count(port) != base)
		return evt_fail("round %llu: handler ran while port %u was masked",
				(unsigned long long)r, port);
	if (!bolt_evtchn_is_pending(port))
		return evt_fail("round %llu: pending bit of masked port %u vanished",
				(unsigned long long)r, port);
	ret = bolt_evtchn_unmask(port);
	if (ret < 0)
		return evt_fail("round %llu: EVTCHNOP_unmask returned %ld", (unsigned long long)r, ret);
	if (!evt_sleep_until_count(port, base + 1, EVT_MASK_DELIVER_NS))
		return evt_fail("round %llu: no upcall within 1 s of EVTCHNOP_unmask "
				"(pending %d)", (unsigned long long)r, bolt_evtchn_is_pending(port));
	if (bolt_evtchn_is_pending(port))
		return evt_fail("round %llu: port %u still pending after its handler ran",
				(unsigned long long)r, port);
	/* Unmasking with nothing pending must not invent an event. */
	ret = bolt_evtchn_unmask(port);
	if (ret < 0)
		return evt_fail("round %llu: second EVTCHNOP_unmask returned %ld",
				(unsigned long long)r, ret);
	evt_sleep_until(evt_never, NULL, EVT_MASK_QUIET_NS);
	if (bolt_evtchn_count(port) != base + 1)
		return evt_fail("round %llu: %llu events after unmask, expected 1",
				(unsigned long long)r, (unsigned long long)(bolt_evtchn_count(port) - base));
	printf("%s: round %llu: held while masked, delivered on unmask\n", a->name,
	       (unsigned long long)r);
	return NULL;
}

const char *evt_mask_rx(const struct evt_args *a)
{
	uint64_t r, rounds = a->rounds ? a->rounds : 3;
	const char *why;
	long ret;

	if ((why = evt_safety_timer_init()))
		return why;
	bolt_evtchn_set_handler(a->port, evt_mask_handler, NULL);
	for (r = 1; r <= rounds; r++)
		if ((why = evt_mask_round(a, r)))
			return why;
	ret = bolt_evtchn_send(a->port); /* done */
	if (ret < 0)
		return evt_fail("sending done returned %ld", ret);
	return NULL;
}

const char *evt_mask_tx(const struct evt_args *a)
{
	uint64_t r, rounds = a->rounds ? a->rounds : 3;
	long ret;

	for (r = 1; r <= rounds; r++) {
		if (!evt_poll(a->port, a->timeout_ns))
			return evt_fail("round %llu: no ready from rx", (unsigned long long)r);
		ret = bolt_evtchn_send(a->port);
		if (ret < 0)
			return evt_fail("round %llu: send returned %ld", (unsigned long long)r, ret);
	}
	if (!evt_poll(a->port, a->timeout_ns))
		return "no done from rx";
	if (evt_poll(a->port, EVT_MASK_QUIET_NS))
		return "spurious event after done";
	return NULL;
}
