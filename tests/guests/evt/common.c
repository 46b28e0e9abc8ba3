/* SPDX-License-Identifier: MIT */
/*
 * Helpers every evt scenario uses: failure reasons, raw hypercalls (the SDK
 * wrappers always name DOMID_SELF; the attacks need other domids), bounded
 * waits. Every wait here has a timeout so that a lost event shows up as a
 * FAIL line instead of a hung run.
 */
#include <stdarg.h>
#include "tests/guests/evt/evt.h"
#include "lib/macros.h"

/* Re-arm the safety timer at most this far ahead: bounds each hlt. */
#define EVT_SAFETY_SLICE_NS (10 * EVT_MS)

static char evt_why[200];
static evtchn_port_t evt_safety_port;
static uint64_t evt_safety_fired;

const char *evt_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(evt_why, sizeof(evt_why), fmt, ap);
	va_end(ap);
	return evt_why;
}

const char *evt_check_rc(const char *what, long got, long want)
{
	if (got == want)
		return NULL;
	return evt_fail("%s returned %ld, expected %ld", what, got, want);
}

const char *evt_opt(const struct evt_args *a, const char *key, uint64_t def, uint64_t *out)
{
	int ret = bolt_cmdline_get_u64(a->si, key, out);

	if (ret == -XEN_ENOENT) {
		*out = def;
		return NULL;
	}
	if (ret < 0)
		return evt_fail("bad %s= value on the command line", key);
	return NULL;
}

long evt_raw_evtchn_op(unsigned int cmd, void *arg)
{
	return bolt_hypercall5(__HYPERVISOR_event_channel_op, cmd, (unsigned long)(uintptr_t)arg,
			       0, 0, 0);
}

long evt_timer_abs(uint64_t deadline_ns)
{
	return bolt_hypercall5(__HYPERVISOR_set_timer_op, deadline_ns, 0, 0, 0, 0);
}

bool evt_poll(evtchn_port_t port, uint64_t timeout_ns)
{
	return bolt_evtchn_poll(&port, 1, timeout_ns) == 0;
}

long evt_kick(evtchn_port_t port, uint16_t bell)
{
	if (bell) {
		bolt_outb(bell, 1);
		return 0;
	}
	return bolt_evtchn_send(port);
}

static void evt_safety_handler(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	__atomic_fetch_add(&evt_safety_fired, 1, __ATOMIC_RELAXED);
}

const char *evt_safety_timer_init(void)
{
	long ret;

	if (evt_safety_port)
		return NULL;
	ret = bolt_evtchn_bind_virq(VIRQ_TIMER, &evt_safety_port);
	if (ret < 0)
		return evt_fail("EVTCHNOP_bind_virq(VIRQ_TIMER) returned %ld", ret);
	bolt_evtchn_set_handler(evt_safety_port, evt_safety_handler, NULL);
	return NULL;
}

bool evt_sleep_until(bool (*done)(void *arg), void *arg, uint64_t timeout_ns)
{
	uint64_t deadline = bolt_now_ns() + timeout_ns;
	bool ok = false;

	if (evt_safety_timer_init())
		return done(arg);
	for (;;) {
		uint64_t now = bolt_now_ns();

		if (done(arg)) {
			ok = true;
			break;
		}
		if (now >= deadline)
			break;
		/* The timer wakes the hlt if nothing else does. */
		evt_timer_abs(MIN(deadline, now + EVT_SAFETY_SLICE_NS));
		/* STI's shadow: an upcall pending now is taken inside the HLT. */
		__asm__ volatile("sti; hlt" : : : "memory");
		__asm__ volatile("cli" : : : "memory");
	}
	evt_timer_abs(0);
	return ok;
}

struct evt_count_goal {
	evtchn_port_t port;
	uint64_t target;
};

static bool evt_count_reached(void *arg)
{
	const struct evt_count_goal *g = arg;

	return bolt_evtchn_count(g->port) >= g->target;
}

bool evt_sleep_until_count(evtchn_port_t port, uint64_t target, uint64_t timeout_ns)
{
	struct evt_count_goal g = { port, target };

	return evt_sleep_until(evt_count_reached, &g, timeout_ns);
}
