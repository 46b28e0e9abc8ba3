/* SPDX-License-Identifier: MIT */
/*
 * shared_info in the layout of the caller's mode. Xen latches a 32-bit
 * format (struct shared_info as the i386 headers lay it out) for an HVM
 * guest that is in 32-bit mode when it installs the hypercall page, sets
 * HVM_PARAM_CALLBACK_IRQ or maps the page (hvm_latch_shinfo_size()); the
 * layouts differ from the 64-bit one in:
 *   - evtchn_pending_sel: 4 bytes at offset 4 of vcpu_info, not 8 at 8,
 *     and selector bit w means 32-bit pending word w (ports 32w..32w+31);
 *   - evtchn_mask: right after 32 pending words (offset 2176), not 64;
 *   - wc_version / wc_sec / wc_nsec at 2304, wc_sec_hi in arch (2340);
 *   - arch_vcpu_info: 24 bytes at 8 (the time info stays at 32).
 * Every check reads through this build's struct shared_info, so the same
 * source checks the 64-bit layout in xenconf64 and the 32-bit one in the
 * 32-bit builds.
 */
#include "tests/xen/xc.h"

#define XC_WORD_BITS (sizeof(xen_ulong_t) * 8)
/* 2001-09-09: a wallclock from a real RTC is later than this. */
#define XC_WC_SANE 1000000000u

/* The wallclock as a guest reads it: same even wc_version before and after. */
void xc_case_shinfo_wallclock(void)
{
	volatile struct shared_info *s = xc_shinfo;
	uint32_t ver, sec, nsec, sec_hi;
	unsigned tries = 0;

	if (!XC_CHECK(s, "shared_info is not mapped (shinfo-add-to-physmap failed)"))
		return;
	do {
		ver = s->wc_version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		sec = s->wc_sec;
		nsec = s->wc_nsec;
		sec_hi = s->xen_wc_sec_hi;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (((ver & 1) || ver != s->wc_version) && ++tries < 1000);
	XC_CHECK(tries < 1000, "wc_version never settled on an even value (0x%x)", ver);
	/* Xen bumps wc_version twice per update: written at least once -> >= 2. */
	XC_CHECK(ver != 0, "wc_version is 0: no wallclock at this build's offset");
	XC_CHECK(sec > XC_WC_SANE, "wc_sec %u is before 2001: not the RTC's date", sec);
	XC_CHECK(nsec < 1000000000u, "wc_nsec %u is not below 10^9", nsec);
	XC_CHECK(sec_hi == 0, "wc_sec_hi %u: a date after 2106", sec_hi);
}

/*
 * vcpu_info[0].time at its offset (32 in both layouts): an even version,
 * a multiplier, a shift in range, and a system time that advances.
 */
void xc_case_shinfo_time(void)
{
	volatile struct vcpu_time_info *t;
	uint64_t a, b;

	if (!XC_CHECK(xc_shinfo, "shared_info is not mapped (shinfo-add-to-physmap failed)"))
		return;
	t = &xc_shinfo->vcpu_info[0].time;
	XC_CHECK((t->version & 1) == 0 && t->version != 0, "time.version %u", t->version);
	XC_CHECK(t->tsc_to_system_mul != 0, "time.tsc_to_system_mul is 0");
	XC_CHECK(t->tsc_shift >= -31 && t->tsc_shift <= 31, "time.tsc_shift %d",
		 t->tsc_shift);
	a = xc_system_time();
	for (volatile unsigned i = 0; i < 100000; i++)
		;
	b = xc_system_time();
	XC_CHECK(a != 0 && b > a, "system time does not advance: %llu then %llu",
		 (unsigned long long)a, (unsigned long long)b);
}

#define XC_MAX_IPI 80

/*
 * 2-level delivery above the first word. IPI ports loop back, so a send on
 * port P (the first port >= one word + 8: 40 in a 32-bit build, 72 in a
 * 64-bit one) must set P's pending bit, exactly selector bit P / word
 * bits (1 in both builds; bit 0 if the hypervisor counts 64-bit words for
 * a 32-bit guest) and evtchn_upcall_pending. Masked in the guest's
 * evtchn_mask, the send leaves the selector and upcall alone, and
 * EVTCHNOP_unmask then delivers it.
 */
void xc_case_shinfo_selector(void)
{
	volatile struct vcpu_info *vi;
	evtchn_port_t ports[XC_MAX_IPI];
	unsigned n = 0;
	evtchn_port_t p = 0;
	xen_ulong_t want;

	if (!XC_CHECK(xc_shinfo, "shared_info is not mapped (shinfo-add-to-physmap failed)"))
		return;
	vi = &xc_shinfo->vcpu_info[0];
	while (n < XC_MAX_IPI) {
		struct evtchn_bind_ipi ipi = { .vcpu = 0 };

		if (!XC_RC("bind_ipi", xc_evtchn(EVTCHNOP_bind_ipi, &ipi), 0))
			break;
		ports[n++] = ipi.port;
		if (ipi.port >= XC_WORD_BITS + 8) {
			p = ipi.port;
			break;
		}
	}
	if (!XC_CHECK(p, "no IPI port above %u", (unsigned)XC_WORD_BITS + 8))
		goto out;
	want = (xen_ulong_t)1 << (p / XC_WORD_BITS);

	xc_port_mask(p, false);
	xc_port_clear(p);
	xc_upcall_clear();
	XC_RC("send", xc_evtchn(EVTCHNOP_send, &(struct evtchn_send){ .port = p }), 0);
	XC_CHECK(xc_port_pending(p), "port %u is not pending after the send", p);
	XC_CHECK(vi->evtchn_pending_sel == want,
		 "evtchn_pending_sel 0x%lx after a send on port %u, want 0x%lx",
		 (unsigned long)vi->evtchn_pending_sel, p, (unsigned long)want);
	XC_CHECK(vi->evtchn_upcall_pending == 1, "evtchn_upcall_pending %u after the send",
		 vi->evtchn_upcall_pending);

	xc_port_clear(p);
	xc_upcall_clear();
	xc_port_mask(p, true);
	XC_RC("send while masked",
	      xc_evtchn(EVTCHNOP_send, &(struct evtchn_send){ .port = p }), 0);
	XC_CHECK(xc_port_pending(p), "masked port %u is not pending after the send", p);
	XC_CHECK(vi->evtchn_pending_sel == 0 && vi->evtchn_upcall_pending == 0,
		 "a send on masked port %u set selector 0x%lx, upcall %u: mask not read at "
		 "this build's offset", p, (unsigned long)vi->evtchn_pending_sel,
		 vi->evtchn_upcall_pending);
	XC_RC("unmask", xc_evtchn(EVTCHNOP_unmask, &(struct evtchn_unmask){ .port = p }), 0);
	XC_CHECK(vi->evtchn_pending_sel == want && vi->evtchn_upcall_pending == 1,
		 "unmask of pending port %u: selector 0x%lx upcall %u, want 0x%lx and 1", p,
		 (unsigned long)vi->evtchn_pending_sel, vi->evtchn_upcall_pending,
		 (unsigned long)want);
	xc_port_clear(p);
out:
	for (unsigned i = 0; i < n; i++)
		XC_RC("close", xc_evtchn(EVTCHNOP_close, &(struct evtchn_close){ .port = ports[i] }),
		      0);
	xc_upcall_clear();
}
