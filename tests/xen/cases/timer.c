/* SPDX-License-Identifier: MIT */
/*
 * The timer and poll interfaces a PVH kernel's clock event device uses:
 * set_timer_op (xen.h; a 32-bit caller passes the 64-bit deadline in EBX
 * low, ECX high), SCHEDOP_poll (sched.h; struct sched_poll is 16 bytes
 * with a 4-byte handle for a 32-bit caller, 24 for a 64-bit one),
 * VCPUOP_set_singleshot_timer / stop_singleshot_timer and
 * VCPUOP_get_runstate_info (vcpu.h; runstate_info is 44 bytes with the
 * 64-bit fields 4-aligned for a 32-bit caller, 48 for a 64-bit one).
 * The timer raises VIRQ_TIMER; each case binds it, polls on its port and
 * closes it.
 */
#include "tests/xen/xc.h"

#include <xen/sched.h>
#include <xen/vcpu.h>

#define XC_MS 1000000ull
/* Past 2^32 ns from now: only the high half of the deadline keeps it away. */
#define XC_FAR (1ull << 33)

long xc_set_timer_op(uint64_t deadline);
long xc_set_timer_op(uint64_t deadline)
{
	if (sizeof(unsigned long) == 4)
		return xc_hypercall(__HYPERVISOR_set_timer_op, (unsigned long)deadline,
				    (unsigned long)(deadline >> 32), 0, 0, 0);
	return xc_hypercall(__HYPERVISOR_set_timer_op, (unsigned long)deadline, 0, 0, 0, 0);
}

static long xc_vcpu_op(int cmd, unsigned vcpu, void *arg)
{
	return xc_hypercall(__HYPERVISOR_vcpu_op, (unsigned long)cmd, vcpu, XC_ULONG(arg), 0, 0);
}

static evtchn_port_t xc_bind_timer(void)
{
	struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };

	if (!XC_RC("bind_virq(VIRQ_TIMER)", xc_evtchn(EVTCHNOP_bind_virq, &b), 0))
		return 0;
	xc_port_mask(b.port, false);
	xc_port_clear(b.port);
	return b.port;
}

static void xc_unbind(evtchn_port_t port)
{
	XC_RC("close(VIRQ_TIMER port)",
	      xc_evtchn(EVTCHNOP_close, &(struct evtchn_close){ .port = port }), 0);
	xc_upcall_clear();
}

/* Poll until the port is pending or the deadline passed; true if pending. */
static bool xc_wait(evtchn_port_t port, uint64_t until)
{
	while (!xc_port_pending(port) && xc_system_time() < until)
		if (!XC_RC("SCHEDOP_poll", xc_poll1(port, until), 0))
			break;
	return xc_port_pending(port);
}

void xc_case_set_timer_op(void)
{
	evtchn_port_t t;
	uint64_t now;

	if (!XC_CHECK(xc_shinfo, "shared_info is not mapped") || !(t = xc_bind_timer()))
		return;
	now = xc_system_time();
	XC_RC("set_timer_op(now + 2^33 ns)", xc_set_timer_op(now + XC_FAR), 0);
	XC_CHECK(!xc_wait(t, now + 20 * XC_MS),
		 "a deadline 2^33 ns away fired at once: its high half was lost");

	now = xc_system_time();
	XC_RC("set_timer_op(now + 1 ms)", xc_set_timer_op(now + XC_MS), 0);
	XC_CHECK(xc_wait(t, now + 2000 * XC_MS), "VIRQ_TIMER not pending 2 s after a 1 ms timer");
	xc_port_clear(t);

	now = xc_system_time();
	XC_RC("set_timer_op(now + 5 ms)", xc_set_timer_op(now + 5 * XC_MS), 0);
	XC_RC("set_timer_op(0)", xc_set_timer_op(0), 0);
	XC_CHECK(!xc_wait(t, now + 30 * XC_MS), "set_timer_op(0) did not cancel the timer");
	xc_unbind(t);
}

void xc_case_sched_poll(void)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	evtchn_port_t ports[2];
	struct sched_poll p;

	if (!XC_CHECK(xc_shinfo, "shared_info is not mapped") ||
	    !XC_RC("bind_ipi", xc_evtchn(EVTCHNOP_bind_ipi, &ipi), 0))
		return;
	xc_port_mask(ipi.port, false);
	xc_port_clear(ipi.port);
	/* Not pending, timeout already past: returns 0 at once. */
	XC_RC("poll(idle port, timeout 1 ns)", xc_poll1(ipi.port, 1), 0);
	XC_RC("poll(idle port, now + 10 ms)", xc_poll1(ipi.port, xc_system_time() + 10 * XC_MS),
	      0);
	XC_RC("send", xc_evtchn(EVTCHNOP_send, &(struct evtchn_send){ .port = ipi.port }), 0);
	/* Pending, no timeout: returns 0 at once (a lost handle would be -EFAULT or a hang). */
	XC_RC("poll(pending port, no timeout)", xc_poll1(ipi.port, 0), 0);
	XC_CHECK(xc_port_pending(ipi.port), "poll consumed the pending bit of port %u",
		 ipi.port);

	p = (struct sched_poll){ .nr_ports = 2, .timeout = 0 };
	set_xen_guest_handle(p.ports, ports);
	/* Xen reads the ports in order: a bad one before any pending one is -EINVAL. */
	ports[0] = 0x7fffffffu;
	ports[1] = ipi.port;
	XC_RC("poll(bad port first)",
	      xc_hypercall(__HYPERVISOR_sched_op, SCHEDOP_poll, XC_ULONG(&p), 0, 0, 0), -XEN_EINVAL);
	p.nr_ports = 129;
	XC_RC("poll(129 ports)", xc_hypercall(__HYPERVISOR_sched_op, SCHEDOP_poll, XC_ULONG(&p), 0,
					      0, 0),
	      -XEN_EINVAL);
	xc_port_clear(ipi.port);
	XC_RC("close", xc_evtchn(EVTCHNOP_close, &(struct evtchn_close){ .port = ipi.port }), 0);
	xc_upcall_clear();
}

void xc_case_vcpu_singleshot(void)
{
	struct vcpu_set_singleshot_timer st;
	evtchn_port_t t;
	uint64_t now;

	if (!XC_CHECK(xc_shinfo, "shared_info is not mapped") || !(t = xc_bind_timer()))
		return;
	now = xc_system_time();
	st = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = now + XC_MS, .flags = 0 };
	XC_RC("set_singleshot_timer(now + 1 ms)",
	      xc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0);
	XC_CHECK(xc_wait(t, now + 2000 * XC_MS), "VIRQ_TIMER not pending 2 s after a 1 ms timer");
	xc_port_clear(t);

	/* A deadline past with VCPU_SSHOTTMR_future: -ETIME, nothing armed. */
	st = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = 1,
						 .flags = VCPU_SSHOTTMR_future };
	XC_RC("set_singleshot_timer(past, future flag)",
	      xc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), -XEN_ETIME);

	/* Far away: only the high half of timeout_abs_ns keeps it from firing. */
	now = xc_system_time();
	st = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = now + XC_FAR, .flags = 0 };
	XC_RC("set_singleshot_timer(now + 2^33 ns)",
	      xc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0);
	XC_CHECK(!xc_wait(t, now + 20 * XC_MS), "a timer 2^33 ns away fired at once");
	XC_RC("stop_singleshot_timer", xc_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);

	now = xc_system_time();
	st = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = now + 5 * XC_MS };
	XC_RC("set_singleshot_timer(now + 5 ms)",
	      xc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0);
	XC_RC("stop_singleshot_timer", xc_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);
	XC_CHECK(!xc_wait(t, now + 30 * XC_MS), "stop_singleshot_timer did not stop it");
	XC_RC("set_singleshot_timer(vcpu 1)", xc_vcpu_op(VCPUOP_set_singleshot_timer, 1, &st),
	      -XEN_ENOENT);
	xc_unbind(t);
}

/*
 * get_runstate_info writes exactly the caller's struct: 44 bytes for a
 * 32-bit caller (a 64-bit layout would put state_entry_time at 8 and
 * overrun by 4), with the state running and the times within system time.
 */
void xc_case_vcpu_runstate(void)
{
	struct {
		struct vcpu_runstate_info ri;
		uint32_t guard;
	} __attribute__((packed)) b;
	uint64_t now, sum = 0;

	if (!XC_CHECK(xc_shinfo, "shared_info is not mapped"))
		return;
	memset(&b, 0xa5, sizeof(b));
	if (!XC_RC("get_runstate_info", xc_vcpu_op(VCPUOP_get_runstate_info, 0, &b.ri), 0))
		return;
	now = xc_system_time();
	XC_CHECK(b.guard == 0xa5a5a5a5u, "get_runstate_info wrote past the %u-byte struct",
		 (unsigned)sizeof(b.ri));
	XC_CHECK(b.ri.state == RUNSTATE_running, "state %d, not running", b.ri.state);
	XC_CHECK(b.ri.state_entry_time != 0 && b.ri.state_entry_time <= now,
		 "state_entry_time %llu, system time %llu",
		 (unsigned long long)b.ri.state_entry_time, (unsigned long long)now);
	for (unsigned i = 0; i < 4; i++)
		sum += b.ri.time[i];
	XC_CHECK(b.ri.time[RUNSTATE_running] != 0 && sum != 0 && sum <= now,
		 "time[] running %llu, sum %llu, system time %llu",
		 (unsigned long long)b.ri.time[RUNSTATE_running], (unsigned long long)sum,
		 (unsigned long long)now);
	XC_RC("get_runstate_info(vcpu 1)", xc_vcpu_op(VCPUOP_get_runstate_info, 1, &b.ri),
	      -XEN_ENOENT);
}
