/* SPDX-License-Identifier: MIT */
/*
 * hostile-fifo-restart: a FIFO guest restarted again and again while its
 * peer floods it.
 *   test=restart-victim peer=D boots=N  every boot: (after the first) bind
 *     to the peer's port 1 again, take 50 events on 2-level and check that
 *     its FIFO pages of the last life (the same addresses: control page
 *     and array) are still all zero, i.e. Bolt forgot them at the restart;
 *     then (but on the last boot) switch to FIFO again, take 50 events
 *     from its queues and crash. The last boot tells the peer it is done.
 *   test=flooder boots=N  sends on port 1 without pause (dropped while the
 *     victim is down), counts VIRQ_DOM_EXC, stops when the victim says done.
 */
#include "fifo.h"

#define EVENTS 50u
#define FG_TIMEOUT (60000 * FG_MS)

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static const char *pages_untouched(void)
{
	if (!all_zero(fg_cb_page(), 4096))
		return "Bolt wrote the control page of the guest's previous life";
	if (!all_zero(fg_array_bytes(), FG_PAGES * 4096))
		return "Bolt wrote an event-array page of the guest's previous life";
	return NULL;
}

const char *fg_restart_victim(const struct hvm_start_info *si, const char *name)
{
	uint64_t peer = fg_opt(si, "peer", 2), boots = fg_opt(si, "boots", 4);
	evtchn_port_t port = 1;
	struct bolt_info info;
	const char *why;
	unsigned n = 0;
	long ret;

	if (bolt_info(&info) < 0)
		return "not on Bolt";
	if (info.boot_count > 0) {
		uint64_t until = bolt_now_ns() + FG_TIMEOUT;

		while ((ret = bolt_evtchn_bind_interdomain((domid_t)peer, 1, &port)) != 0)
			if (bolt_now_ns() > until)
				return fg_fail("re-binding to the peer returned %ld", ret);
		bolt_evtchn_test_and_clear(port);
		for (n = 0; n < EVENTS; n++) {
			bool came = bolt_evtchn_poll(&port, 1, 5000 * FG_MS) == 0;

			/* First: a Bolt still on the old pages also starves 2-level. */
			if ((why = pages_untouched()))
				return fg_fail("boot %u, event %u: %s", info.boot_count, n + 1, why);
			if (!came)
				return fg_fail("boot %u: 2-level event %u never came", info.boot_count,
					       n + 1);
		}
		printf("%s: boot %u: 2-level, %u events, old FIFO pages untouched\n", name,
		       info.boot_count, EVENTS);
	}
	if (info.boot_count + 1 >= boots) {
		if ((ret = bolt_evtchn_send(port)) != 0)
			return fg_fail("telling the flooder returned %ld", ret);
		return NULL;
	}
	fg_upcalls_off();
	if ((ret = fg_init(1)) != 0)
		return fg_fail("boot %u: init_control returned %ld", info.boot_count, ret);
	if ((ret = fg_set_priority(port, 3)) != 0)
		return fg_fail("boot %u: set_priority returned %ld", info.boot_count, ret);
	n = 0;
	for (uint64_t until = bolt_now_ns() + FG_TIMEOUT; n < EVENTS;) {
		evtchn_port_t p = fg_consume();

		if (p == port)
			n++;
		else if (p)
			return fg_fail("boot %u: FIFO event on port %u", info.boot_count, p);
		if (bolt_now_ns() > until)
			return fg_fail("boot %u: only %u FIFO events", info.boot_count, n);
	}
	printf("%s: boot %u: FIFO, %u events, crashing\n", name, info.boot_count, EVENTS);
	bolt_shutdown(SHUTDOWN_crash);
}

const char *fg_flooder(const struct hvm_start_info *si, const char *name)
{
	uint64_t boots = fg_opt(si, "boots", 4), sends = 0, downs = 0;
	uint64_t until = bolt_now_ns() + 4 * FG_TIMEOUT;
	evtchn_port_t dom_exc;
	long ret;

	if ((ret = bolt_evtchn_bind_virq(VIRQ_DOM_EXC, &dom_exc)) != 0)
		return fg_fail("bind VIRQ_DOM_EXC returned %ld", ret);
	for (;;) {
		if ((ret = bolt_evtchn_send(1)) != 0)
			return fg_fail("send %llu returned %ld", (unsigned long long)sends, ret);
		sends++;
		if (bolt_evtchn_test_and_clear(dom_exc))
			downs++;
		if (bolt_evtchn_test_and_clear(1))
			break;
		if (bolt_now_ns() > until)
			return fg_fail("the victim never finished (%llu restarts seen)",
				       (unsigned long long)downs);
	}
	printf("%s: %llu sends, victim restarted %llu times\n", name, (unsigned long long)sends,
	       (unsigned long long)downs);
	/* Two restarts between two looks count once: at least one, at most boots - 1. */
	if (downs < 1 || downs + 1 > boots)
		return fg_fail("saw %llu restarts, want 1..%llu", (unsigned long long)downs,
			       (unsigned long long)(boots - 1));
	return NULL;
}
