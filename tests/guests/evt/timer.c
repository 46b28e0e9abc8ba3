/* SPDX-License-Identifier: MIT */
/*
 * test=timer: set_timer_op and VIRQ_TIMER on one guest.
 *   - a one-shot 2 ms ahead, slept on with SCHEDOP_block, twice: it must
 *     fire no earlier than 2 ms and no later than 50 ms of system time;
 *   - the same twice with a handler, sleeping in `sti; hlt`;
 *   - armed then cancelled (set_timer_op(0)): SCHEDOP_poll on the timer
 *     port with a 5 ms timeout must time out, after >= 5 ms;
 *   - re-armed: setting 50 ms then 2 ms replaces the first (one-shot: it
 *     fires once, at about 2 ms, and not again within 60 ms);
 *   - a deadline already in the past fires at once (as in Xen).
 */
#include "tests/guests/evt/evt.h"

#define EVT_TIMER_DELAY_NS (2 * EVT_MS)
#define EVT_TIMER_LATE_NS (50 * EVT_MS)
#define EVT_TIMER_CANCEL_WAIT_NS (5 * EVT_MS)

static volatile uint64_t evt_timer_fired_ns;

static void evt_timer_handler(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	evt_timer_fired_ns = bolt_now_ns();
}

/* Fire time minus t0 within [2 ms, 50 ms)? NULL or why not. */
static const char *evt_timer_judge(const char *how, int n, uint64_t t0, uint64_t t1)
{
	uint64_t dt = t1 - t0;

	printf("timer: %s #%d fired after %llu ns (asked 2000000)\n", how, n,
	       (unsigned long long)dt);
	if (dt < EVT_TIMER_DELAY_NS)
		return evt_fail("%s #%d: fired early, after %llu ns", how, n, (unsigned long long)dt);
	if (dt >= EVT_TIMER_LATE_NS)
		return evt_fail("%s #%d: fired late, after %llu ns", how, n, (unsigned long long)dt);
	return NULL;
}

/* SCHEDOP_block until the timer port is pending (no handler on it). */
static const char *evt_timer_block(evtchn_port_t tport, int n)
{
	struct vcpu_info *vi = &bolt_shared_info()->vcpu_info[0];
	uint64_t t0 = bolt_now_ns();
	long ret = evt_timer_abs(t0 + EVT_TIMER_DELAY_NS);

	if (ret < 0)
		return evt_fail("set_timer_op returned %ld", ret);
	while (!bolt_evtchn_is_pending(tport)) {
		if (bolt_now_ns() - t0 > 10 * EVT_TIMER_LATE_NS)
			return evt_fail("block #%d: timer never fired", n);
		/*
		 * IF stays 0, so no upcall consumes this flag: clear it, or
		 * SCHEDOP_block would return at once forever. An event after
		 * this store sets it again and ends the block.
		 */
		__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
		if (bolt_evtchn_is_pending(tport))
			break;
		bolt_block();
	}
	bolt_evtchn_test_and_clear(tport);
	return evt_timer_judge("SCHEDOP_block", n, t0, bolt_now_ns());
}

/* `sti; hlt` with a handler on the timer port. */
static const char *evt_timer_hlt(evtchn_port_t tport, int n)
{
	uint64_t t0;
	long ret;

	bolt_evtchn_set_handler(tport, evt_timer_handler, NULL);
	evt_timer_fired_ns = 0;
	t0 = bolt_now_ns();
	ret = evt_timer_abs(t0 + EVT_TIMER_DELAY_NS);
	if (ret < 0)
		return evt_fail("set_timer_op returned %ld", ret);
	/* Nothing else can wake this hlt: a timer that never fires hangs here. */
	while (!evt_timer_fired_ns) {
		__asm__ volatile("sti; hlt" : : : "memory");
		__asm__ volatile("cli" : : : "memory");
	}
	bolt_evtchn_set_handler(tport, NULL, NULL);
	return evt_timer_judge("sti;hlt", n, t0, evt_timer_fired_ns);
}

static const char *evt_timer_cancel(evtchn_port_t tport)
{
	uint64_t t0;
	long ret;
	int got;

	ret = evt_timer_abs(bolt_now_ns() + EVT_TIMER_DELAY_NS);
	if (ret == 0)
		ret = evt_timer_abs(0);
	if (ret < 0)
		return evt_fail("set_timer_op (arm, cancel) returned %ld", ret);
	t0 = bolt_now_ns();
	got = bolt_evtchn_poll(&tport, 1, EVT_TIMER_CANCEL_WAIT_NS);
	if (got != -1)
		return evt_fail("cancelled timer fired (poll returned %d after %llu ns)", got,
				(unsigned long long)(bolt_now_ns() - t0));
	if (bolt_now_ns() - t0 < EVT_TIMER_CANCEL_WAIT_NS)
		return evt_fail("SCHEDOP_poll timed out early, after %llu ns",
				(unsigned long long)(bolt_now_ns() - t0));
	printf("timer: cancelled timer silent for %llu ns\n",
	       (unsigned long long)(bolt_now_ns() - t0));
	return NULL;
}

static const char *evt_timer_rearm(evtchn_port_t tport)
{
	uint64_t t0 = bolt_now_ns(), dt;

	if (evt_timer_abs(t0 + EVT_TIMER_LATE_NS) < 0 || evt_timer_abs(t0 + EVT_TIMER_DELAY_NS) < 0)
		return "set_timer_op failed";
	if (!evt_poll(tport, 10 * EVT_TIMER_LATE_NS))
		return "re-armed timer never fired";
	dt = bolt_now_ns() - t0;
	if (dt < EVT_TIMER_DELAY_NS || dt >= EVT_TIMER_LATE_NS)
		return evt_fail("re-armed 2 ms timer fired after %llu ns", (unsigned long long)dt);
	if (evt_poll(tport, EVT_TIMER_LATE_NS + 10 * EVT_MS))
		return "replaced 50 ms timer fired too (set_timer_op must replace, one-shot)";
	printf("timer: re-armed timer fired once, after %llu ns\n", (unsigned long long)dt);
	return NULL;
}

static const char *evt_timer_past(evtchn_port_t tport)
{
	uint64_t t0 = bolt_now_ns();

	if (evt_timer_abs(t0 - 1000) < 0)
		return "set_timer_op (past deadline) failed";
	if (!evt_poll(tport, EVT_TIMER_LATE_NS))
		return "a deadline in the past did not fire within 50 ms";
	printf("timer: past deadline fired after %llu ns\n",
	       (unsigned long long)(bolt_now_ns() - t0));
	return NULL;
}

const char *evt_timer(const struct evt_args *a)
{
	evtchn_port_t tport;
	const char *why = NULL;
	long ret;
	int n;

	(void)a;
	ret = bolt_evtchn_bind_virq(VIRQ_TIMER, &tport);
	if (ret < 0)
		return evt_fail("EVTCHNOP_bind_virq(VIRQ_TIMER) returned %ld", ret);
	for (n = 1; n <= 2 && !why; n++)
		why = evt_timer_block(tport, n);
	for (n = 1; n <= 2 && !why; n++)
		why = evt_timer_hlt(tport, n);
	if (!why)
		why = evt_timer_cancel(tport);
	if (!why)
		why = evt_timer_rearm(tport);
	if (!why)
		why = evt_timer_past(tport);
	return why;
}
