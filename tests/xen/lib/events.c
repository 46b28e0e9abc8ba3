/* SPDX-License-Identifier: MIT */
/*
 * shared_info as a guest reads it: the pvclock, the 2-level pending and
 * mask bitmaps, vCPU 0's selector and upcall flag, all through this
 * build's own struct shared_info (xen/xen.h), so that a 32-bit build
 * uses 32-bit words at the 32-bit offsets, as a real 32-bit kernel does.
 */
#include "tests/xen/xc.h"

#include <xen/sched.h>

#define XC_WORD_BITS (sizeof(xen_ulong_t) * 8)

volatile struct shared_info *xc_shinfo;

/*
 * Xen's pvclock (xen.h, struct vcpu_time_info): read under an even
 * version that is the same before and after; system time = system_time +
 * ((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul >> 32, the
 * 64x32 product split in two so that a 32-bit build needs no libgcc.
 */
uint64_t xc_system_time(void)
{
	volatile struct vcpu_time_info *t = &xc_shinfo->vcpu_info[0].time;
	uint32_t ver, mul;
	uint64_t st, ts, tsc, d;
	int8_t shift;

	do {
		ver = t->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		st = t->system_time;
		ts = t->tsc_timestamp;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		tsc = xc_rdtsc();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((ver & 1) || ver != t->version);
	d = tsc - ts;
	if (shift < 0)
		d >>= -shift;
	else
		d <<= shift;
	return st + (d >> 32) * mul + (((d & 0xffffffffu) * mul) >> 32);
}

bool xc_port_pending(evtchn_port_t port)
{
	return (xc_shinfo->evtchn_pending[port / XC_WORD_BITS] >> (port % XC_WORD_BITS)) & 1;
}

void xc_port_clear(evtchn_port_t port)
{
	__atomic_fetch_and(&xc_shinfo->evtchn_pending[port / XC_WORD_BITS],
			   ~((xen_ulong_t)1 << (port % XC_WORD_BITS)), __ATOMIC_SEQ_CST);
}

void xc_port_mask(evtchn_port_t port, bool masked)
{
	xen_ulong_t bit = (xen_ulong_t)1 << (port % XC_WORD_BITS);

	if (masked)
		__atomic_fetch_or(&xc_shinfo->evtchn_mask[port / XC_WORD_BITS], bit,
				  __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&xc_shinfo->evtchn_mask[port / XC_WORD_BITS], ~bit,
				   __ATOMIC_SEQ_CST);
}

void xc_upcall_clear(void)
{
	__atomic_store_n(&xc_shinfo->vcpu_info[0].evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&xc_shinfo->vcpu_info[0].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
}

long xc_evtchn(int cmd, void *arg)
{
	return xc_hypercall(__HYPERVISOR_event_channel_op, (unsigned long)cmd, XC_ULONG(arg), 0,
			    0, 0);
}

long xc_poll1(evtchn_port_t port, uint64_t timeout)
{
	evtchn_port_t ports[1] = { port };
	struct sched_poll p = { .nr_ports = 1, .timeout = timeout };

	set_xen_guest_handle(p.ports, ports);
	return xc_hypercall(__HYPERVISOR_sched_op, SCHEDOP_poll, XC_ULONG(&p), 0, 0, 0);
}
