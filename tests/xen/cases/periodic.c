/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_set_periodic_timer / VCPUOP_stop_periodic_timer (xen/vcpu.h):
 * Xen refuses a period under 1 ms or above STIME_DELTA_MAX (2^62 - 1 ns)
 * with -EINVAL (common/domain.c); a good one raises VIRQ_TIMER every
 * period until stopped. The ticks are seen as the VIRQ_TIMER port's bit
 * in shared_info's evtchn_pending (interrupts stay off); the case maps
 * shared_info over a page of its own.
 */
#include "tests/xen/xc.h"

#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/vcpu.h>

#define XC_TICKS 3
/* Spins per wait: far more than 1 ms of emulated or real time. */
#define XC_SPIN_MAX 50000000ul

static uint8_t xc_pt_shinfo[4096] __attribute__((aligned(4096)));

static long xc_periodic(uint64_t period_ns)
{
	struct vcpu_set_periodic_timer pt = { .period_ns = period_ns };

	return xc_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, XC_ULONG(&pt), 0,
			    0);
}

static long xc_pt_evtchn(int cmd, void *arg)
{
	return xc_hypercall(__HYPERVISOR_event_channel_op, (unsigned long)cmd, XC_ULONG(arg), 0,
			    0, 0);
}

/* The bitmap starts at the same offset in both layouts; bytes avoid the word size. */
static volatile uint8_t *xc_pt_byte(evtchn_port_t port)
{
	return (volatile uint8_t *)((volatile struct shared_info *)xc_pt_shinfo)->evtchn_pending +
	       port / 8;
}

/* Spins until the port is pending (then clears it): the spins taken, or 0 on timeout. */
static unsigned long xc_wait_pending(evtchn_port_t port, unsigned long max)
{
	volatile uint8_t *b = xc_pt_byte(port);
	uint8_t bit = (uint8_t)(1u << (port % 8));

	for (unsigned long i = 1; i <= max; i++) {
		if (*b & bit) {
			__atomic_fetch_and(b, (uint8_t)~bit, __ATOMIC_SEQ_CST);
			return i;
		}
	}
	return 0;
}

void xc_case_periodic(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (xen_pfn_t)(XC_ULONG(xc_pt_shinfo) >> 12),
	};
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_close cl;
	unsigned long spins = 0, most = 0;
	long ret;

	XC_RC("set_periodic_timer(0)", xc_periodic(0), -XEN_EINVAL);
	XC_RC("set_periodic_timer(1 ms - 1 ns)", xc_periodic(999999), -XEN_EINVAL);
	XC_RC("set_periodic_timer(2^62 ns)", xc_periodic(1ull << 62), -XEN_EINVAL);
	ret = xc_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, 0xfffff000ul, 0, 0);
	XC_RC("set_periodic_timer(argument not readable)", ret, -XEN_EFAULT);
	if (!XC_RC("add_to_physmap(shared_info)",
		   xc_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XC_ULONG(&xatp), 0,
				0, 0),
		   0))
		return;
	if (!XC_RC("bind_virq(VIRQ_TIMER)", xc_pt_evtchn(EVTCHNOP_bind_virq, &bv), 0))
		return;
	*xc_pt_byte(bv.port) &= (uint8_t)~(1u << (bv.port % 8));
	if (XC_RC("set_periodic_timer(1 ms)", xc_periodic(1000000), 0)) {
		for (int t = 0; t < XC_TICKS; t++) {
			spins = xc_wait_pending(bv.port, XC_SPIN_MAX);
			if (!XC_CHECK(spins, "periodic tick %d of %d never came", t + 1, XC_TICKS))
				break;
			most = spins > most ? spins : most;
		}
	}
	XC_RC("stop_periodic_timer", xc_hypercall(__HYPERVISOR_vcpu_op,
						   VCPUOP_stop_periodic_timer, 0, 0, 0, 0), 0);
	/* A tick may have come between the last wait and the stop: none after it. */
	*xc_pt_byte(bv.port) &= (uint8_t)~(1u << (bv.port % 8));
	if (most) {
		spins = xc_wait_pending(bv.port, 8 * most);
		XC_CHECK(!spins, "a tick came after stop_periodic_timer (after %lu spins)", spins);
	}
	cl.port = bv.port;
	XC_RC("close the VIRQ_TIMER port", xc_pt_evtchn(EVTCHNOP_close, &cl), 0);
}
