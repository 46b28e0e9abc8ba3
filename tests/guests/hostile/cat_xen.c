/* SPDX-License-Identifier: MIT */
/*
 * hostile catalogue: attacks through the Xen interface. Event channels
 * (another guest's ports and domid: send, close, unmask, rebind, status,
 * reset), the hypercall page MSR and shared_info at bad or overlapping
 * addresses, and a 1 GiB console write that Bolt must bound.
 *
 * Command-line keys (hostile-catalogue.cfg): victim=D (a domid we share
 * nothing with: ping), allowed=D (a domid bolt.cfg lets us bind to, but
 * which offers us no port: pong), ro_shm=NAME (a read-only region we map),
 * bell=IOPORT (the victim pair's doorbell port, which is not ours).
 */
#include "tests/guests/hostile/hostile.h"
#include "lib/macros.h"

#define HOSTILE_GP	    13
#define HOSTILE_CONSOLE_GIB (1ull << 30)

static uint64_t hostile_opt(const struct hostile_args *a, const char *key, uint64_t def)
{
	uint64_t v;

	return bolt_cmdline_get_u64(a->si, key, &v) == 0 ? v : def;
}

static long hostile_evtchn_op(unsigned cmd, void *arg)
{
	return bolt_hypercall5(__HYPERVISOR_event_channel_op, cmd, (unsigned long)(uintptr_t)arg, 0,
			       0, 0);
}

void hostile_cat_evtchn(const struct hostile_args *a)
{
	domid_t victim = (domid_t)hostile_opt(a, "victim", 1);
	domid_t allowed = (domid_t)hostile_opt(a, "allowed", 2);
	uint16_t bell = (uint16_t)hostile_opt(a, "bell", 0);
	struct evtchn_status st = {.dom = victim, .port = 1};
	struct evtchn_alloc_unbound au = {.dom = victim, .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain bi = {.remote_dom = victim, .remote_port = 1};
	struct evtchn_reset rs = {.dom = victim};
	struct evtchn_bind_vcpu bv = {.port = 1, .vcpu = 0};
	struct evtchn_close cl = {.port = 1};
	struct evtchn_send sd = {.port = 1};
	struct evtchn_unmask um = {.port = 4096};
	long ret;

	ret = hostile_evtchn_op(EVTCHNOP_status, &st);
	hostile_expect_rc("evtchn: status of the victim's port 1 (dom = victim)", ret, -XEN_EPERM);
	ret = hostile_evtchn_op(EVTCHNOP_alloc_unbound, &au);
	hostile_expect_rc("evtchn: alloc_unbound in the victim's table", ret, -XEN_EPERM);
	au.dom = DOMID_SELF;
	au.remote_dom = victim;
	/*
	 * As Xen, an offer may name any domain: it connects nothing until the
	 * victim binds, and that bind is what bolt.cfg refuses. Withdraw it at
	 * once; "close port 1" below (-EINVAL) fails if it were left behind.
	 */
	ret = hostile_evtchn_op(EVTCHNOP_alloc_unbound, &au);
	hostile_expect_rc("evtchn: alloc_unbound offered to the victim (only its bind is checked)",
			  ret, 0);
	if (ret == 0) {
		struct evtchn_close offered = {.port = au.port};

		(void)hostile_evtchn_op(EVTCHNOP_close, &offered);
	}
	ret = hostile_evtchn_op(EVTCHNOP_reset, &rs);
	hostile_expect_rc("evtchn: reset of the victim's table", ret, -XEN_EPERM);
	ret = hostile_evtchn_op(EVTCHNOP_bind_interdomain, &bi);
	hostile_expect_rc("evtchn: bind_interdomain to the victim's port 1 (not allowed)", ret,
			  -XEN_EPERM);
	bi.remote_dom = allowed;
	ret = hostile_evtchn_op(EVTCHNOP_bind_interdomain, &bi);
	hostile_expect_rc("evtchn: rebind the allowed peer's bound port 1 (not offered to us)", ret,
			  -XEN_EINVAL);
	bi.remote_port = 2;
	ret = hostile_evtchn_op(EVTCHNOP_bind_interdomain, &bi);
	hostile_expect_rc("evtchn: bind the allowed peer's free port 2", ret, -XEN_EINVAL);
	bi.remote_dom = 99;
	ret = hostile_evtchn_op(EVTCHNOP_bind_interdomain, &bi);
	hostile_expect_rc("evtchn: bind_interdomain to domain 99", ret, -XEN_ESRCH);
	bi.remote_dom = 0;
	ret = hostile_evtchn_op(EVTCHNOP_bind_interdomain, &bi);
	hostile_expect_rc("evtchn: bind_interdomain to domain 0 (no dom0)", ret, -XEN_ESRCH);
	/* Port numbers are per domain: the victim's 1 is free in our table. */
	ret = hostile_evtchn_op(EVTCHNOP_send, &sd);
	hostile_expect_rc("evtchn: send on port 1 (the victim's number, free here)", ret,
			  -XEN_EINVAL);
	ret = bolt_hypercall5(BOLT_HYPERCALL_bolt_op, BOLT_OP_send, 1, 0, 0, 0);
	hostile_expect_rc("evtchn: bolt_op send on port 1", ret, -XEN_EINVAL);
	ret = hostile_evtchn_op(EVTCHNOP_close, &cl);
	hostile_expect_rc("evtchn: close port 1 (the victim's number)", ret, -XEN_EINVAL);
	ret = hostile_evtchn_op(EVTCHNOP_bind_vcpu, &bv);
	hostile_expect_rc("evtchn: bind_vcpu port 1 (the victim's number)", ret, -XEN_EINVAL);
	ret = hostile_evtchn_op(EVTCHNOP_unmask, &um);
	hostile_expect_rc("evtchn: unmask port 4096", ret, -XEN_EINVAL);
	um.port = 1;
	ret = hostile_evtchn_op(EVTCHNOP_unmask, &um);
	hostile_expect_rc("evtchn: unmask port 1 (only our own mask bit)", ret, 0);
	cl.port = 0;
	ret = hostile_evtchn_op(EVTCHNOP_close, &cl);
	hostile_expect_rc("evtchn: close port 0", ret, -XEN_EINVAL);
	/*
	 * The pair's doorbell port is not ours: an OUT there is an unassigned
	 * port for us. If Bolt sent on the owner's channel, ping would see
	 * spurious events and fail.
	 */
	if (bell) {
		for (int i = 0; i < 100; i++)
			__asm__ volatile("outb %b0, %w1" : : "a"((uint8_t)0), "Nd"(bell));
		hostile_expect("evtchn: 100 OUTs to the pair's doorbell port",
			       "no effect on the pair", "done (ping/pong check it)", true);
	}
}

static long hostile_physmap(domid_t dom, unsigned space, uint64_t idx, uint64_t gpfn)
{
	struct xen_add_to_physmap x = {
		.domid = dom, .space = space, .idx = (xen_ulong_t)idx, .gpfn = (xen_pfn_t)gpfn};

	return bolt_hypercall5(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			       (unsigned long)(uintptr_t)&x, 0, 0, 0);
}

void hostile_cat_pages(const struct hostile_args *a)
{
	uint64_t home = bolt_hypercall_page, shinfo = (uint64_t)(uintptr_t)bolt_shared_info();
	uint64_t ram_pages = a->ram_top >> 12, scratch_gfn = ram_pages - 1;
	struct bolt_shm ro;
	char what[96];
	uint64_t v;
	long ret;

	if (!home || !shinfo) {
		hostile_expect("hypercall page and shared_info set up by the SDK", "both",
			       "missing", false);
		return;
	}
	/* The hypercall page MSR. */
	hostile_expect_fault("hypercall page MSR: unaligned (page | 1)",
			     hostile_try_wrmsr(BOLT_XEN_HYPERCALL_MSR, home | 1), HOSTILE_GP);
	hostile_expect_fault("hypercall page MSR: page index 0x800",
			     hostile_try_wrmsr(BOLT_XEN_HYPERCALL_MSR, home | 0x800), HOSTILE_GP);
	hostile_expect_fault("hypercall page MSR: just past RAM",
			     hostile_try_wrmsr(BOLT_XEN_HYPERCALL_MSR, a->ram_top), HOSTILE_GP);
	hostile_expect_fault("hypercall page MSR: xAPIC page 0xFEE00000",
			     hostile_try_wrmsr(BOLT_XEN_HYPERCALL_MSR, 0xfee00000), HOSTILE_GP);
	hostile_expect_fault("hypercall page MSR: 0xFFFFFFFFF0000000",
			     hostile_try_wrmsr(BOLT_XEN_HYPERCALL_MSR, 0xfffffffff0000000ull),
			     HOSTILE_GP);
	hostile_expect_fault("hypercall page MSR: 1 TiB",
			     hostile_try_wrmsr(BOLT_XEN_HYPERCALL_MSR, 1ull << 40), HOSTILE_GP);
	if (bolt_shm_find(a->si, "ro", &ro) == 0 && !ro.writable)
		hostile_expect_fault("hypercall page MSR: read-only shared region",
				     hostile_try_wrmsr(BOLT_XEN_HYPERCALL_MSR, ro.gpa), HOSTILE_GP);
	hostile_fault_arm();
	__asm__ volatile(HOSTILE_TRY_BEGIN "rdmsr" HOSTILE_TRY_END
			 : "=a"(v)
			 : "c"(BOLT_XEN_HYPERCALL_MSR)
			 : "rdx", "r11", "memory");
	hostile_expect_fault("hypercall page MSR: RDMSR", hostile_fault_take(), HOSTILE_GP);
	/* The page still works (nothing above touched it). */
	ret = bolt_hypercall5(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
	hostile_expect_rc("hypercall page still works after the refused MSR writes", ret,
			  4 << 16 | 14);

	/* shared_info via XENMEM_add_to_physmap. */
	static const struct {
		uint64_t gpfn;
		const char *what;
	} bad[] = {
		{0, "gpfn 0 (reserved low page)"}, {1, "gpfn 1 (start info)"},
		{2, "gpfn 2 (xenstore page)"},	   {0xfee00, "gpfn 0xFEE00 (xAPIC)"},
		{0xf0000, "gpfn 0xF0000 (MMIO hole)"}, {0xe0, "gpfn 0xE0 (ACPI tables)"},
		{1ull << 40, "gpfn 2^40"},	   {~0ull, "gpfn ~0"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(what, sizeof(what), "shared_info at %s", bad[i].what);
		hostile_expect_rc(
			what, hostile_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, bad[i].gpfn),
			-XEN_EINVAL);
	}
	/*
	 * Unpopulated space above RAM is allowed, as on Xen (Linux PVH puts
	 * its grant table there); shared_info goes straight back home, before
	 * anything reads the clock in it.
	 */
	ret = hostile_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, ram_pages);
	long back = hostile_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, shinfo >> 12);
	hostile_expect_rc("shared_info at the first page past RAM", ret, 0);
	hostile_expect_rc("shared_info back home from above RAM", back, 0);
	if (bolt_shm_find(a->si, "ro", &ro) == 0)
		hostile_expect_rc(
			"shared_info over a shared region",
			hostile_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, ro.gpa >> 12),
			-XEN_EINVAL);
	hostile_expect_rc("shared_info with idx 1",
			  hostile_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 1, scratch_gfn),
			  -XEN_EINVAL);
	hostile_expect_rc("add_to_physmap of another space (gmfn)",
			  hostile_physmap(DOMID_SELF, XENMAPSPACE_gmfn, 0, scratch_gfn),
			  -XEN_ENOSYS);
	hostile_expect_rc("shared_info of another domain",
			  hostile_physmap((domid_t)hostile_opt(a, "victim", 1),
					  XENMAPSPACE_shared_info, 0, scratch_gfn),
			  -XEN_EPERM);
	ret = bolt_hypercall5(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, 0x8000000000001000ull,
			      0, 0, 0);
	hostile_expect_rc("add_to_physmap with a non-canonical struct pointer", ret, -XEN_EFAULT);
	/*
	 * Overlap: the trace-ack page may not go on top of shared_info, nor
	 * shared_info on top of the trace-ack page (Bolt would then track
	 * two pages at one frame and restore RAM under the other when one
	 * moves). Either way shared_info goes back home afterwards.
	 */
	ret = bolt_hypercall5(BOLT_HYPERCALL_bolt_op, BOLT_OP_trace_map, shinfo >> 12, 0, 0, 0);
	hostile_expect_rc("trace-ack page on top of shared_info", ret, -XEN_EINVAL);
	ret = bolt_hypercall5(BOLT_HYPERCALL_bolt_op, BOLT_OP_trace_map, scratch_gfn, 0, 0, 0);
	hostile_expect_rc("trace-ack page on a free RAM page", ret, 0);
	ret = hostile_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, scratch_gfn);
	hostile_expect_rc("shared_info on top of the trace-ack page", ret, -XEN_EINVAL);
	ret = hostile_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0, shinfo >> 12);
	hostile_expect_rc("shared_info back at its own page", ret, 0);
	/* shared_info still where the SDK put it, and alive: the pvclock moves. */
	uint64_t t0 = bolt_now_ns(), t1;
	for (volatile int i = 0; i < 10000; i++)
		;
	t1 = bolt_now_ns();
	hostile_expect("shared_info still mapped (pvclock advances)", "advancing",
		       t1 > t0 ? "advancing" : "stuck", t1 > t0);
}

/*
 * console_io(write, 1 GiB): Bolt copies 256 bytes per exit and continues
 * the call until the count is used up or a page is unreadable. The buffer
 * starts HOSTILE_CONSOLE_SPAN bytes before the end of our RAM and is
 * filled with '\r' (which Bolt's line buffer drops), so the log stays
 * clean; the write must end with -EFAULT at the end of RAM.
 */
void hostile_cat_console(const struct hostile_args *a)
{
	uint64_t span = hostile_opt(a, "console_span", MiB(4));
	uint64_t start = a->ram_top - span, t0, t1, ns0, ns1;
	extern char __bss_end[];
	char got[80];
	long ret;

	if (start < (uint64_t)(uintptr_t)__bss_end + MiB(1)) {
		hostile_expect("1 GiB console write", "room above the image", "not enough RAM",
			       false);
		return;
	}
	memset((void *)(uintptr_t)start, '\r', span);
	ns0 = bolt_now_ns();
	t0 = bolt_rdtsc();
	ret = bolt_hypercall5(__HYPERVISOR_console_io, CONSOLEIO_write, HOSTILE_CONSOLE_GIB, start,
			      0, 0);
	t1 = bolt_rdtsc();
	ns1 = bolt_now_ns();
	printf("hostile: console 1 GiB write from 0x%llx: %llu KiB readable, %llu exits, "
	       "%llu us, %llu ticks\n",
	       (unsigned long long)start, (unsigned long long)(span >> 10),
	       (unsigned long long)(span / 256), (unsigned long long)((ns1 - ns0) / 1000),
	       (unsigned long long)(t1 - t0));
	snprintf(got, sizeof(got), "%ld", ret);
	hostile_expect_rc("console_io(write, count 2^30) running off the end of RAM", ret,
			  -XEN_EFAULT);
	(void)got;
}
