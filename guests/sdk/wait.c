/* SPDX-License-Identifier: MIT */
/*
 * Waiting for events: sti;hlt waits woken by the upcall, SCHEDOP_poll
 * waits with a timeout, SCHEDOP_block and the one-shot timer. Every wait
 * consumes the event by clearing its pending bit itself, so it works
 * whether or not the upcall runs (ports without a handler stay pending).
 */
#include "guests/sdk/sdk-internal.h"
#include <bolt/sdk/evtchn.h>

/* SCHEDOP_poll takes at most this many ports (Xen's limit). */
#define SDK_POLL_MAX_PORTS 128u

/* Cleared after the first failed SCHEDOP_poll: waits then spin instead. */
static bool sdk_poll_works = true;

static long sdk_sched_poll(const evtchn_port_t *ports, unsigned int n, uint64_t deadline_ns)
{
	struct sched_poll p = { .nr_ports = n, .timeout = deadline_ns };
	long ret;

	/* The handle is not const in the Xen headers; Bolt only reads it. */
	set_xen_guest_handle(p.ports, (evtchn_port_t *)(uintptr_t)ports);
	ret = bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)(uintptr_t)&p,
			      0, 0, 0);
	if (ret < 0 && sdk_poll_works) {
		sdk_poll_works = false;
		sdk_log("sdk: SCHEDOP_poll failed: %ld; waits with a timeout will spin", ret);
	}
	return ret;
}

static void sdk_pause(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/* TSC ticks to ns with the current pvclock parameters; 0 if there are none. */
static uint64_t sdk_ticks_to_ns(uint64_t ticks)
{
	struct shared_info *sh = bolt_shared_info();
	const volatile struct vcpu_time_info *t;

	if (!sh)
		return 0;
	t = &sh->vcpu_info[0].time;
	return bolt_pvclock_scale(ticks, t->tsc_to_system_mul, t->tsc_shift);
}

__attribute__((noreturn)) static void sdk_no_events(const char *what, evtchn_port_t port)
{
	sdk_log("%s(port %u): event channels are not set up (no Xen CPUID leaves or "
		"shared_info); see the sdk: lines above", what, port);
	sdk_shutdown_now(SHUTDOWN_crash);
}

void bolt_evtchn_wait(evtchn_port_t port)
{
	const struct bolt_xen_state *x = bolt_xen();

	if (!x->shared_info)
		sdk_no_events("bolt_evtchn_wait", port);
	for (;;) {
		if (bolt_evtchn_test_and_clear(port))
			return;
		if (x->upcall) {
			/*
			 * STI's one-instruction shadow makes the pair atomic:
			 * an event that became pending since the test above is
			 * injected only once HLT has started, and wakes it.
			 */
			__asm__ volatile("sti; hlt" : : : "memory");
			__asm__ volatile("cli" : : : "memory");
		} else if (!sdk_poll_works || sdk_sched_poll(&port, 1, 0) < 0) {
			sdk_pause();
		}
	}
}

bool bolt_evtchn_wait_timeout(evtchn_port_t port, uint64_t ticks)
{
	uint64_t start = bolt_rdtsc();

	if (bolt_evtchn_test_and_clear(port))
		return true;
	if (!bolt_xen()->shared_info)
		return false;
	for (;;) {
		uint64_t elapsed, left_ns;

		if (bolt_evtchn_test_and_clear(port))
			return true;
		elapsed = bolt_rdtsc() - start;
		if (elapsed >= ticks)
			return false;
		/*
		 * The TSC decides when we give up; the poll timeout only
		 * bounds the sleep (+1 ns: a timeout of 0 means none).
		 */
		left_ns = sdk_ticks_to_ns(ticks - elapsed);
		if (!sdk_poll_works || left_ns == 0 ||
		    sdk_sched_poll(&port, 1, bolt_now_ns() + left_ns + 1) < 0)
			sdk_pause();
	}
}

int bolt_evtchn_poll(const evtchn_port_t *ports, unsigned n, uint64_t timeout_ns_from_now)
{
	uint64_t deadline = 0;
	unsigned int i;

	if (n == 0 || n > SDK_POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (!bolt_xen()->shared_info)
		return -XEN_ENOSYS;
	if (timeout_ns_from_now)
		deadline = bolt_now_ns() + timeout_ns_from_now;
	for (;;) {
		for (i = 0; i < n; i++)
			if (bolt_evtchn_test_and_clear(ports[i]))
				return (int)i;
		if (deadline && bolt_now_ns() >= deadline)
			return -1;
		if (!sdk_poll_works || sdk_sched_poll(ports, n, deadline) < 0)
			sdk_pause();
	}
}

void bolt_block(void)
{
	if (!bolt_xen()->cpuid_base) {
		__asm__ volatile("pause" : : : "memory");
		return;
	}
	bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0, 0, 0);
}

static int sdk_set_timer(uint64_t abs_ns)
{
	if (!bolt_xen()->shared_info)
		return -XEN_ENOSYS;
	return (int)bolt_hypercall5(__HYPERVISOR_set_timer_op, abs_ns, 0, 0, 0, 0);
}

int bolt_timer_set(uint64_t ns_from_now)
{
	uint64_t abs_ns = bolt_now_ns() + ns_from_now;

	/* 0 would mean "cancel" to set_timer_op: ask for the next ns instead. */
	return sdk_set_timer(abs_ns ? abs_ns : 1);
}

int bolt_timer_cancel(void)
{
	return sdk_set_timer(0);
}
