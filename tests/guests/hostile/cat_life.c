/* SPDX-License-Identifier: MIT */
/*
 * hostile test=life: a guest's lifetime against Bolt's resources (issue 8,
 * items 6 and 7).
 *
 *   case=restart-heap boots=N   shared_info moved into a new 2 MiB region
 *       again and again, every boot, then SHUTDOWN_reboot; the boot count
 *       lives in the [shm] region "life" (RAM is zeroed on restart). Every
 *       move must succeed and land where asked, the page it leaves must be
 *       RAM again with its contents, its neighbours untouched; the last
 *       boot prints the RESULT. Each split 2 MiB page used to stay split
 *       (one heap page each) for good.
 *   case=timer                  set_timer_op(~0) and huge SCHEDOP_poll
 *       timeouts: the vCPU must keep running, a "never" timer never fires,
 *       and a later short timer or a pending port still end the poll.
 */
#include <stdarg.h>

#include "lib/fmt.h"
#include "tests/guests/hostile/hostile.h"

#include <xen/sched.h>
#include "lib/macros.h"

#define LIFE_MAGIC 0x4c494645u /* "LIFE" */
#define REGION (2ull << 20)
#define REGION_PAGES (REGION >> 12)

struct life_state {
	uint32_t magic;
	uint32_t boots; /* boots finished so far */
};

static unsigned life_failures;

__attribute__((format(printf, 1, 2))) static void life_fail(const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("hostile-life: WRONG: %s\n", buf);
	life_failures++;
}

static long life_physmap(uint64_t gpfn)
{
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info, .idx = 0,
		.gpfn = (xen_pfn_t)gpfn};

	return bolt_hypercall5(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			       (unsigned long)(uintptr_t)&x, 0, 0, 0);
}

static volatile uint64_t *page_at(uint64_t gfn)
{
	return (volatile uint64_t *)(uintptr_t)(gfn << 12);
}

static uint64_t pattern(uint64_t gfn)
{
	return 0x11fe000000000000ull | gfn;
}

/*
 * One boot: move shared_info through regions 1..nr (region 0 holds the
 * image), one page further in each boot, then home. With the SDK's own
 * mapping at boot that is GUEST_PAGE_REMAPS_MAX (16) moves for nr = 14.
 */
static void life_moves(uint32_t boot, uint64_t ram_pages)
{
	uint64_t home = (uint64_t)(uintptr_t)bolt_shared_info() >> 12, prev = home;
	uint32_t mul = bolt_shared_info()->vcpu_info[0].time.tsc_to_system_mul;
	unsigned nr = (unsigned)MIN(14, ram_pages / REGION_PAGES - 1);

	for (unsigned r = 1; r <= nr; r++) {
		uint64_t gfn = r * REGION_PAGES + 8 + boot % 500;
		volatile struct shared_info *si = (volatile struct shared_info *)page_at(gfn);
		long rc;

		page_at(gfn)[0] = pattern(gfn);
		page_at(gfn + 1)[0] = pattern(gfn + 1);
		rc = life_physmap(gfn);
		if (rc) {
			life_fail("shared_info to gfn 0x%llx: %ld", (unsigned long long)gfn, rc);
			continue;
		}
		/* The same hypervisor page, now here: its pvclock, not our pattern. */
		if (si->vcpu_info[0].time.tsc_to_system_mul != mul || page_at(gfn)[0] == pattern(gfn))
			life_fail("gfn 0x%llx is not shared_info after the move (mul %u)",
				  (unsigned long long)gfn, (unsigned)si->vcpu_info[0].time.tsc_to_system_mul);
		if (page_at(gfn + 1)[0] != pattern(gfn + 1))
			life_fail("the page after gfn 0x%llx changed: 0x%llx", (unsigned long long)gfn,
				  (unsigned long long)page_at(gfn + 1)[0]);
		/* The page left behind is RAM again, with what it held (home: zeros). */
		if (prev != home && page_at(prev)[0] != pattern(prev))
			life_fail("gfn 0x%llx left behind holds 0x%llx", (unsigned long long)prev,
				  (unsigned long long)page_at(prev)[0]);
		page_at(prev)[1] = 0x5a5a5a5a5a5a5a5aull;
		if (page_at(prev)[1] != 0x5a5a5a5a5a5a5a5aull)
			life_fail("gfn 0x%llx left behind is not writable RAM", (unsigned long long)prev);
		page_at(prev)[1] = 0;
		prev = gfn;
	}
	if (life_physmap(home))
		life_fail("shared_info back home to gfn 0x%llx failed", (unsigned long long)home);
	else if (prev != home && page_at(prev)[0] != pattern(prev))
		life_fail("gfn 0x%llx left behind holds 0x%llx", (unsigned long long)prev,
				  (unsigned long long)page_at(prev)[0]);
}

static const char *life_restart_heap(const struct hostile_args *a)
{
	volatile struct life_state *st;
	struct bolt_shm shm;
	uint64_t boots = 0, t0;

	if (bolt_shm_find(a->si, "life", &shm) || !shm.writable || shm.size < sizeof(*st))
		return "no writable [shm] region 'life' for the boot count";
	if (bolt_cmdline_get_u64(a->si, "boots", &boots) || boots < 2 || boots > 1000)
		return "boots= missing or not 2..1000";
	st = (volatile struct life_state *)(uintptr_t)shm.gpa;
	if (st->magic != LIFE_MAGIC) {
		st->magic = LIFE_MAGIC;
		st->boots = 0;
	}
	life_moves(st->boots, a->ram_top >> 12);
	/* Home again: the SDK's clock works. */
	t0 = bolt_now_ns();
	if (!t0 || bolt_now_ns() < t0)
		life_fail("pvclock after the moves: %llu then %llu", (unsigned long long)t0,
			  (unsigned long long)bolt_now_ns());
	if (life_failures)
		return "a shared_info move failed (see WRONG lines)";
	st->boots++;
	if (st->boots < boots) {
		printf("hostile-life: boot %u of %llu: shared_info moved through new 2 MiB "
		       "regions; rebooting\n",
		       st->boots, (unsigned long long)boots);
		bolt_shutdown(SHUTDOWN_reboot);
	}
	printf("hostile-life: boot %u of %llu: every move succeeded\n", st->boots,
	       (unsigned long long)boots);
	return NULL;
}

/* SCHEDOP_poll on one port with an absolute timeout (ns of system time). */
static long life_poll(evtchn_port_t port, uint64_t timeout)
{
	struct sched_poll p = {.nr_ports = 1, .timeout = timeout};

	set_xen_guest_handle(p.ports, &port);
	return bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)(uintptr_t)&p,
			       0, 0, 0);
}

static long life_set_timer(uint64_t abs_ns)
{
	return bolt_hypercall5(__HYPERVISOR_set_timer_op, abs_ns, 0, 0, 0, 0);
}

/* Poll port with a huge timeout until it is pending; ns it took, or ~0 after 1 s. */
static uint64_t life_poll_until(evtchn_port_t port, uint64_t timeout)
{
	uint64_t t0 = bolt_now_ns();

	while (!bolt_evtchn_test_and_clear(port)) {
		if (bolt_now_ns() - t0 > 1000000000ull)
			return ~0ull;
		if (life_poll(port, timeout))
			return ~0ull;
	}
	return bolt_now_ns() - t0;
}

static const char *life_timer(void)
{
	static const uint64_t huge[] = {~0ull, ~0ull - 1, 1ull << 63, 6200000000000000000ull};
	evtchn_port_t tport, ipi;
	uint64_t t0, spins, took;

	if (bolt_evtchn_bind_virq(VIRQ_TIMER, &tport) || bolt_evtchn_bind_ipi(&ipi))
		return "cannot bind VIRQ_TIMER or an IPI port";
	for (unsigned i = 0; i < ARRAY_SIZE(huge); i++) {
		/* A "never" timer: accepted, the vCPU keeps running, nothing fires. */
		if (life_set_timer(huge[i]))
			life_fail("set_timer_op(0x%llx) refused", (unsigned long long)huge[i]);
		t0 = bolt_now_ns();
		for (spins = 0; bolt_now_ns() - t0 < 5000000; spins++)
			__asm__ volatile("pause");
		if (spins < 100)
			life_fail("set_timer_op(0x%llx): only %llu loops in 5 ms",
				  (unsigned long long)huge[i], (unsigned long long)spins);
		if (bolt_evtchn_test_and_clear(tport))
			life_fail("set_timer_op(0x%llx) fired within 5 ms", (unsigned long long)huge[i]);
		/* Huge poll timeout, a pending port: returns at once. */
		bolt_evtchn_send(ipi);
		took = life_poll_until(ipi, huge[i]);
		if (took > 100000000ull)
			life_fail("poll(timeout 0x%llx) on a pending port: %llu ns",
				  (unsigned long long)huge[i], (unsigned long long)took);
		/* Huge poll timeout; the short timer replacing the huge one ends it. */
		if (bolt_timer_set(2000000))
			life_fail("set_timer_op(now + 2 ms) refused");
		took = life_poll_until(tport, huge[i]);
		if (took > 500000000ull)
			life_fail("poll(timeout 0x%llx): a 2 ms timer took %llu ns",
				  (unsigned long long)huge[i], (unsigned long long)took);
	}
	/* A huge timer left armed while polling with a short timeout. */
	life_set_timer(~0ull);
	t0 = bolt_now_ns();
	if (life_poll(tport, t0 + 3000000) || bolt_now_ns() - t0 > 500000000ull)
		life_fail("3 ms poll with a ~0 timer armed: %llu ns",
			  (unsigned long long)(bolt_now_ns() - t0));
	if (bolt_evtchn_test_and_clear(tport))
		life_fail("the ~0 timer fired");
	bolt_timer_cancel();
	printf("hostile-life: set_timer_op and SCHEDOP_poll with %u huge deadlines: "
	       "the vCPU ran, only the short timers fired\n",
	       (unsigned)ARRAY_SIZE(huge));
	return life_failures ? "a huge deadline misbehaved (see WRONG lines)" : NULL;
}

const char *hostile_life(const struct hostile_args *a, const char *cas)
{
	if (strcmp(cas, "restart-heap") == 0)
		return life_restart_heap(a);
	if (strcmp(cas, "timer") == 0)
		return life_timer();
	return "unknown case= for test=life (restart-heap, timer)";
}
