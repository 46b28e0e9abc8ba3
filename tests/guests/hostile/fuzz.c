/* SPDX-License-Identifier: MIT */
/*
 * hostile fuzz: seeded random hypercalls (numbers 0..63) with arguments
 * drawn from classes that are hostile to a hypervisor: unmapped memory
 * above our RAM, the hypervisor's and the APIC's addresses as seen from
 * outside, non-canonical pointers, buffers that straddle a page or the
 * end of RAM, huge counts, random domids and ports. Every call must
 * return with a value in the expected set (fuzz_stats.c).
 *
 * Three rules keep the fuzzer itself alive (see gen_* below): Bolt may
 * only write where we can afford it (a scratch arena, the low reserved
 * pages, the last bytes of RAM), calls that would legitimately stop or
 * block us forever are never made (SCHEDOP_shutdown and SCHEDOP_poll get
 * only unreadable or invalid arguments or a timeout, SCHEDOP_block is
 * left out, as is bolt_op trace_dump, which prints every trace buffer),
 * and a successful call that moved shared_info or the upcall vector is
 * undone at once.
 *
 * grant_table_op gets ops of its own (fz_gen_gnttab); Bolt must keep to
 * the allowed returns, and every op fails with a GNTST_* status.
 *
 * Command line: test=fuzz seed=N (1) calls=N (200000) ping=D pong=D (the
 * pair's domids, which bolt.cfg does not let us bind to).
 */
#include "tests/guests/hostile/hostile.h"
#include <xen/grant_table.h>
#include "lib/macros.h"

#define FZ_SCRATCH	16384u
#define FZ_MAX_WRITE	2048u /* largest thing Bolt writes: struct bolt_stats */
#define FZ_ZONE_PAGES	16u   /* shared_info / trace-ack target pages below the top */
#define FZ_STRADDLE	64u   /* last bytes of RAM we let Bolt scribble on */
#define FZ_CONSOLE_TAIL 1024u /* console buffers end in this much '\r' before the top */
#define FZ_PROGRESS	50000u

static uint8_t fz_scratch[FZ_SCRATCH] __attribute__((aligned(4096)));
static struct hostile_fuzz_stats fz_stats;

struct fz {
	struct hostile_rng rng;
	uint64_t ram_top, ram_pages, home_gfn;
	domid_t self, ping, pong;
	bool touched_top; /* a straddle pointer was used: refill the tail */
};

static uint64_t fz_r(struct fz *f)
{
	return hostile_rng_next(&f->rng);
}
static uint64_t fz_below(struct fz *f, uint64_t n)
{
	return hostile_rng_below(&f->rng, n);
}
static uint64_t fz_pick(struct fz *f, const uint64_t *v, size_t n)
{
	return v[fz_below(f, n)];
}
#define FZ_PICK(f, ...)                                                                            \
	fz_pick(f, (const uint64_t[]){__VA_ARGS__},                                                \
		sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t))

/* An address no access can succeed at: above RAM, the hypervisor's, non-canonical. */
static uint64_t fz_bad_ptr(struct fz *f)
{
	switch (fz_below(f, 9)) {
	case 0: return f->ram_top + fz_below(f, MiB(256));
	case 1: return 0x100000000ull + fz_below(f, GiB(1));
	case 2: return 0xfee00000ull + fz_below(f, 4096);
	case 3: return 0xfec00000ull + fz_below(f, 4096);
	case 4: return 0xfffffffff0000000ull + fz_below(f, MiB(256));
	case 5: return 0x8000000000000000ull | fz_r(f);
	case 6: return 0x0000800000000000ull + fz_below(f, 4096);
	case 7: return 0x0000800000000000ull - 1 - fz_below(f, 8); /* straddles non-canonical */
	default: return f->ram_top - 1 - fz_below(f, 3);	   /* 1-3 bytes left in RAM */
	}
}

/* A pointer Bolt may read or write `len` bytes at without hurting us (or a bad one). */
static uint64_t fz_ptr(struct fz *f, size_t len)
{
	uint64_t s = (uint64_t)(uintptr_t)fz_scratch;

	switch (fz_below(f, 10)) {
	case 0:
	case 1:
	case 2: return s + fz_below(f, FZ_SCRATCH - FZ_MAX_WRITE);
	case 3: return s + 4096 * (1 + fz_below(f, 2)) - 1 - fz_below(f, len ? len : 1); /* page */
	case 4: f->touched_top = true; return f->ram_top - 1 - fz_below(f, FZ_STRADDLE);
	case 5: return fz_below(f, 0x3000 - FZ_MAX_WRITE); /* our reserved low pages */
	case 6: return fz_r(f);
	case 7: return 0;
	default: return fz_bad_ptr(f);
	}
}

/* A struct of `len` bytes at a random scratch place (sometimes across a page), or a bad pointer. */
static void *fz_struct(struct fz *f, size_t len, uint64_t *ptr)
{
	uint64_t s = (uint64_t)(uintptr_t)fz_scratch, p;

	if (fz_below(f, 8) == 0) {
		*ptr = fz_bad_ptr(f);
		return NULL;
	}
	p = fz_below(f, 4) ? s + fz_below(f, FZ_SCRATCH - FZ_MAX_WRITE)
			   : s + 4096 - 1 - fz_below(f, len); /* crosses into the next page */
	for (size_t i = 0; i < len; i++)
		((uint8_t *)(uintptr_t)p)[i] = (uint8_t)fz_r(f);
	*ptr = p;
	return (void *)(uintptr_t)p;
}

static uint64_t fz_int(struct fz *f)
{
	switch (fz_below(f, 6)) {
	case 0:
	case 1: return fz_below(f, 16);
	case 2: return 0 - fz_below(f, 16); /* small negative */
	case 3: return fz_r(f);
	case 4: return fz_ptr(f, 64);
	default: return 1ull << fz_below(f, 64);
	}
}

static domid_t fz_dom(struct fz *f)
{
	return (domid_t)FZ_PICK(f, DOMID_SELF, DOMID_SELF, f->self, f->ping, f->pong, 0, 5, 16, 17,
				99, DOMID_IO, DOMID_XEN, DOMID_COW, fz_r(f));
}

static uint32_t fz_port(struct fz *f)
{
	return (uint32_t)FZ_PICK(f, 0, 1 + fz_below(f, 16), 1 + fz_below(f, 16), fz_below(f, 4096),
				 4095, 4096, 4097, 0xffffffffu, fz_r(f));
}

static uint64_t fz_gfn(struct fz *f)
{
	/* The zone stops short of the last two pages: the console tail lives there. */
	return FZ_PICK(f, 0, 1, 2, f->home_gfn, f->ram_pages - 3 - fz_below(f, FZ_ZONE_PAGES),
		       f->ram_pages - 3 - fz_below(f, FZ_ZONE_PAGES), f->ram_pages,
		       f->ram_pages + fz_below(f, 1 << 20), 0xfee00, 1ull << 40, fz_r(f));
}

/*
 * grant_table_op(cmd, ops, count): random ops in scratch (or a bad pointer
 * with any count). We grant nothing and bolt.cfg lets us map no one's
 * grants, so no map can succeed; what Bolt may write is the ops themselves
 * (in scratch) and, for a copy or setup_table, the places they name: a
 * copy's frames come from fz_gfn (its zone, ours to lose), setup_table's
 * frame list is a fz_ptr.
 */
static void fz_gen_gnttab(struct fz *f, uint64_t a[5])
{
	const size_t op_max = sizeof(struct gnttab_copy); /* the largest op */
	const unsigned n_max = 17;                        /* one continuation and one more */
	uint64_t p;
	uint8_t *ops;

	a[0] = fz_below(f, 8) ? fz_below(f, 13) : FZ_PICK(f, fz_below(f, 64), fz_r(f));
	a[2] = FZ_PICK(f, 0, 1, 1, 2, 16, n_max);
	ops = fz_struct(f, op_max * n_max, &p);
	a[1] = p;
	if (!ops) {
		a[2] = FZ_PICK(f, 1, 2, 1u << 20, 0x80000000u, fz_r(f));
		return;
	}
	for (unsigned i = 0; i < n_max; i++) {
		if (a[0] == GNTTABOP_copy) {
			struct gnttab_copy *c = (void *)(ops + i * sizeof(*c));

			c->source.u.gmfn = (xen_pfn_t)fz_gfn(f);
			c->dest.u.gmfn = (xen_pfn_t)fz_gfn(f);
			c->source.domid = fz_below(f, 2) ? DOMID_SELF : fz_dom(f);
			c->dest.domid = fz_below(f, 2) ? DOMID_SELF : fz_dom(f);
		} else if (a[0] == GNTTABOP_setup_table && i == 0) {
			struct gnttab_setup_table *st = (void *)ops;

			st->dom = fz_below(f, 2) ? DOMID_SELF : fz_dom(f);
			st->nr_frames = (uint32_t)FZ_PICK(f, 0, 1, 4, 5, fz_r(f));
			set_xen_guest_handle(st->frame_list,
					     (xen_pfn_t *)(uintptr_t)fz_ptr(f, 4 * sizeof(xen_pfn_t)));
		} else if (a[0] == GNTTABOP_map_grant_ref) {
			struct gnttab_map_grant_ref *m = (void *)(ops + i * sizeof(*m));

			m->dom = fz_dom(f);
			m->ref = (grant_ref_t)FZ_PICK(f, 0, 8, 2047, 2048, fz_r(f));
			m->host_addr = fz_gfn(f) << 12;
		}
	}
}

/* Fill a[] for one call of `nr`; returns what the result must be, or 1 for "any allowed". */
static long fz_gen(struct fz *f, unsigned nr, uint64_t a[5])
{
	uint64_t p;

	a[0] = fz_int(f);
	a[1] = fz_int(f);
	a[2] = fz_int(f);
	a[3] = fz_int(f);
	a[4] = fz_int(f);
	switch (nr) {
	case __HYPERVISOR_memory_op: {
		struct xen_add_to_physmap *x = fz_struct(f, sizeof(*x), &p);

		a[0] = fz_below(f, 4) ? XENMEM_add_to_physmap
				      : FZ_PICK(f, fz_below(f, 32), fz_r(f));
		a[1] = p;
		if (x) {
			x->domid = fz_below(f, 2) ? DOMID_SELF : fz_dom(f);
			x->space =
				(unsigned)FZ_PICK(f, XENMAPSPACE_shared_info,
						  XENMAPSPACE_shared_info, fz_below(f, 6), fz_r(f));
			x->idx = (xen_ulong_t)FZ_PICK(f, 0, 0, 0, 1, fz_r(f));
			x->gpfn = (xen_pfn_t)fz_gfn(f);
			/*
			 * Bolt maps grant frames above RAM (docs/abi.md), where
			 * they stay: never on the first frame past RAM, which
			 * the straddle pointers (fz_ptr case 4) must find
			 * unreadable. shared_info goes home at once (fz_repair).
			 */
			if (x->space == XENMAPSPACE_grant_table && x->gpfn == f->ram_pages)
				x->gpfn++;
		}
		break;
	}
	case __HYPERVISOR_set_timer_op:
		a[0] = FZ_PICK(f, 0, 1, bolt_now_ns() + fz_below(f, 1000000),
			       bolt_now_ns() + fz_below(f, 10000000000ull), ~0ull, fz_r(f));
		break;
	case __HYPERVISOR_vcpu_op:
		/* Real sub-ops (0..13) on vCPU 0 mostly; the struct in scratch or unreadable. */
		a[0] = fz_below(f, 8) ? fz_below(f, 16) : fz_r(f);
		a[1] = FZ_PICK(f, 0, 0, 0, 1, fz_r(f));
		a[2] = fz_below(f, 3) ? fz_ptr(f, 64) : fz_bad_ptr(f);
		break;
	case __HYPERVISOR_xen_version:
		a[0] = fz_below(f, 8) ? fz_below(f, 10) : fz_r(f);
		a[1] = fz_ptr(f, 1024);
		break;
	case __HYPERVISOR_console_io:
		a[0] = FZ_PICK(f, CONSOLEIO_write, CONSOLEIO_write, CONSOLEIO_write, CONSOLEIO_read,
			       fz_r(f));
		a[1] = FZ_PICK(f, 0, fz_below(f, 300), fz_below(f, 65536), 1ull << 30, ~0ull,
			       fz_r(f));
		/* Readable buffers all end in the '\r' tail: nothing reaches the log. */
		a[2] = fz_below(f, 3) ? f->ram_top - 1 - fz_below(f, FZ_CONSOLE_TAIL)
				      : fz_bad_ptr(f);
		break;
	case __HYPERVISOR_sched_op:
		a[0] = FZ_PICK(f, SCHEDOP_yield, SCHEDOP_poll, SCHEDOP_poll, SCHEDOP_shutdown,
			       4 + fz_below(f, 60), fz_r(f) | (1ull << 63));
		a[1] = fz_bad_ptr(f);
		if (a[0] == SCHEDOP_poll && fz_below(f, 4)) {
			struct sched_poll *sp = fz_struct(f, sizeof(*sp), &p);
			evtchn_port_t *ports =
				(evtchn_port_t *)(uintptr_t)(fz_scratch + FZ_SCRATCH - 1024);

			a[1] = p;
			if (sp) {
				for (unsigned i = 0; i < 130; i++)
					ports[i] = fz_port(f);
				set_xen_guest_handle(
					sp->ports,
					fz_below(f, 6) ? ports
						       : (evtchn_port_t *)(uintptr_t)fz_bad_ptr(f));
				sp->nr_ports = (unsigned)FZ_PICK(f, 0, 1, 2, 4, 128, 129, fz_r(f));
				/* Never 0 (= no timeout): at most 200 us from now, or already past.
				 */
				sp->timeout = FZ_PICK(f, 1, bolt_now_ns() + fz_below(f, 200000));
			}
		} else if (a[0] == SCHEDOP_shutdown && fz_below(f, 2)) {
			struct sched_shutdown *sd = fz_struct(f, sizeof(*sd), &p);

			a[1] = p;
			if (sd) /* suspend, watchdog, soft_reset or garbage: all -EINVAL */
				sd->reason = (unsigned)FZ_PICK(
					f, SHUTDOWN_suspend, SHUTDOWN_watchdog, SHUTDOWN_soft_reset,
					6 + fz_below(f, 1000));
		}
		break;
	case __HYPERVISOR_event_channel_op: {
		uint32_t *w = fz_struct(f, 32, &p);

		a[0] = fz_below(f, 8) ? fz_below(f, 14) : FZ_PICK(f, fz_below(f, 64), fz_r(f));
		a[1] = p;
		if (!w)
			break;
		/* Every EVTCHNOP struct is a few 16/32-bit fields: fill the plausible ones. */
		switch (a[0]) {
		case EVTCHNOP_alloc_unbound: {
			struct evtchn_alloc_unbound *u = (void *)w;
			u->dom = fz_below(f, 2) ? DOMID_SELF : fz_dom(f);
			/* Any remote domain, as in Xen: bolt.cfg is checked at bind time. */
			u->remote_dom = fz_dom(f);
			break;
		}
		case EVTCHNOP_bind_interdomain: {
			struct evtchn_bind_interdomain *b = (void *)w;
			b->remote_dom = fz_dom(f);
			b->remote_port = fz_port(f);
			if (b->remote_dom == f->ping || b->remote_dom == f->pong)
				return -XEN_EPERM; /* bolt.cfg allows no binding to the pair */
			break;
		}
		case EVTCHNOP_bind_virq: {
			struct evtchn_bind_virq *v = (void *)w;
			v->virq = (uint32_t)FZ_PICK(f, 0, 1, 2, 3, 4, 23, 24, fz_r(f));
			v->vcpu = (uint32_t)FZ_PICK(f, 0, 0, 1, fz_r(f));
			break;
		}
		case EVTCHNOP_init_control: {
			/*
			 * Never a frame of our RAM: a switch to FIFO would have Bolt
			 * write queue heads into a random page of this guest. So Xen's
			 * -EINVAL (no RAM there, bad offset) or -ENOENT (vCPU).
			 */
			struct evtchn_init_control *ic = (void *)w;
			ic->control_gfn = FZ_PICK(f, f->ram_pages + fz_below(f, 1 << 20), 0xfee00,
						  fz_r(f) | (1ull << 40));
			ic->vcpu = (uint32_t)FZ_PICK(f, 0, 0, 1, fz_r(f));
			break;
		}
		case EVTCHNOP_expand_array: /* 2-level: -EOPNOTSUPP whatever the frame */
			((struct evtchn_expand_array *)(void *)w)->array_gfn = fz_gfn(f);
			break;
		case EVTCHNOP_set_priority: { /* 2-level: -ENOSYS, or -EINVAL for a bad port */
			struct evtchn_set_priority *sp = (void *)w;
			sp->port = fz_port(f);
			sp->priority = (uint32_t)FZ_PICK(f, 0, 7, 15, 16, fz_r(f));
			break;
		}
		default: {
			/* close/send/unmask/bind_vcpu: port first; status/reset: dom first. */
			struct evtchn_status *s = (void *)w;
			if (a[0] == EVTCHNOP_status || a[0] == EVTCHNOP_reset) {
				s->dom = fz_below(f, 2) ? DOMID_SELF : fz_dom(f);
				s->port = fz_port(f);
			} else {
				w[0] = fz_port(f);
				w[1] = (uint32_t)FZ_PICK(f, 0, 0, 1, fz_r(f));
			}
			break;
		}
		}
		break;
	}
	case __HYPERVISOR_hvm_op: {
		struct xen_hvm_param *hp = fz_struct(f, sizeof(*hp), &p);

		a[0] = FZ_PICK(f, HVMOP_set_param, HVMOP_get_param, HVMOP_set_evtchn_upcall_vector,
			       fz_below(f, 64), fz_r(f));
		a[1] = p;
		if (hp && a[0] == HVMOP_set_evtchn_upcall_vector) {
			struct xen_hvm_evtchn_upcall_vector *uv = (void *)hp;
			uv->vcpu = (uint32_t)FZ_PICK(f, 0, 0, 1, fz_r(f));
			uv->vector = (uint8_t)fz_r(f);
		} else if (hp) {
			hp->domid = fz_below(f, 2) ? DOMID_SELF : fz_dom(f);
			hp->index = (uint32_t)FZ_PICK(f, 0, 1, 2, fz_below(f, 40), fz_r(f));
			hp->value =
				FZ_PICK(f, 0, (2ull << 56) | BOLT_UPCALL_VECTOR,
					(2ull << 56) | fz_below(f, 256), (1ull << 56) | 5, fz_r(f));
		}
		break;
	}
	case __HYPERVISOR_grant_table_op:
		fz_gen_gnttab(f, a);
		break;
	case BOLT_HYPERCALL_bolt_op:
		a[0] = FZ_PICK(f, BOLT_OP_stats, BOLT_OP_stats_reset, BOLT_OP_trace_map,
			       BOLT_OP_send, 5 + fz_below(f, 60), fz_r(f) | (1ull << 62));
		if (a[0] == BOLT_OP_stats)
			a[1] = fz_ptr(f, sizeof(struct bolt_stats));
		else if (a[0] == BOLT_OP_trace_map)
			a[1] = fz_gfn(f);
		else if (a[0] == BOLT_OP_send)
			a[1] = fz_below(f, 2) ? fz_port(f) : fz_r(f);
		break;
	default: break;
	}
	return 1;
}

/* Put back what a successful call may have moved: shared_info, the upcall vector. */
static void fz_repair(struct fz *f, unsigned nr, uint64_t sub, long ret)
{
	if (ret == 0 && nr == __HYPERVISOR_memory_op && sub == XENMEM_add_to_physmap) {
		struct xen_add_to_physmap x = {.domid = DOMID_SELF,
					       .space = XENMAPSPACE_shared_info,
					       .idx = 0,
					       .gpfn = f->home_gfn};
		bolt_hypercall5(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				(unsigned long)(uintptr_t)&x, 0, 0, 0);
	}
	if (ret == 0 && nr == __HYPERVISOR_hvm_op &&
	    (sub == HVMOP_set_param || sub == HVMOP_set_evtchn_upcall_vector)) {
		struct xen_hvm_evtchn_upcall_vector uv = {.vcpu = 0, .vector = BOLT_UPCALL_VECTOR};
		bolt_hypercall5(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector,
				(unsigned long)(uintptr_t)&uv, 0, 0, 0);
	}
	if (f->touched_top) {
		memset((void *)(uintptr_t)(f->ram_top - FZ_STRADDLE), '\r', FZ_STRADDLE);
		f->touched_top = false;
	}
}

/* After the run: the fuzzer's own Xen interface must still work. */
static const char *fz_still_works(struct fz *f)
{
	struct evtchn_reset rs = {.dom = DOMID_SELF};
	evtchn_port_t port;
	long ret;

	fz_repair(f, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, 0);
	fz_repair(f, __HYPERVISOR_hvm_op, HVMOP_set_param, 0);
	bolt_hypercall5(__HYPERVISOR_set_timer_op, 0, 0, 0, 0, 0);
	ret = bolt_hypercall5(__HYPERVISOR_event_channel_op, EVTCHNOP_reset,
			      (unsigned long)(uintptr_t)&rs, 0, 0, 0);
	if (ret != 0)
		return "EVTCHNOP_reset after the run failed";
	if (bolt_evtchn_bind_ipi(&port) != 0 || bolt_evtchn_send(port) != 0 ||
	    !bolt_evtchn_test_and_clear(port) || bolt_evtchn_close(port) != 0)
		return "an IPI port no longer works after the run";
	if (bolt_hypercall5(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0) != (4 << 16 | 14))
		return "xen_version no longer answers after the run";
	return NULL;
}

const char *hostile_fuzz(const struct hostile_args *a)
{
	static char why[96];
	uint64_t seed = 1, calls = 200000, v, t0;
	struct fz f = {.ram_top = a->ram_top, .self = (domid_t)a->domid};
	const char *err;

	bolt_cmdline_get_u64(a->si, "seed", &seed);
	bolt_cmdline_get_u64(a->si, "calls", &calls);
	f.ping = bolt_cmdline_get_u64(a->si, "ping", &v) == 0 ? (domid_t)v : 1;
	f.pong = bolt_cmdline_get_u64(a->si, "pong", &v) == 0 ? (domid_t)v : 2;
	f.ram_pages = f.ram_top >> 12;
	f.home_gfn = (uint64_t)(uintptr_t)bolt_shared_info() >> 12;
	if (f.ram_top < MiB(4))
		return "the fuzzer needs at least 4 MiB of RAM";
	hostile_rng_seed(&f.rng, seed);
	memset((void *)(uintptr_t)(f.ram_top - FZ_CONSOLE_TAIL), '\r', FZ_CONSOLE_TAIL);
	printf("hostile: fuzz: seed %llu, %llu calls, domid %u, pair %u/%u, RAM 0x%llx\n",
	       (unsigned long long)seed, (unsigned long long)calls, f.self, f.ping, f.pong,
	       (unsigned long long)f.ram_top);
	t0 = bolt_now_ns();
	for (uint64_t i = 0; i < calls; i++) {
		unsigned nr = fz_below(&f, 2)
				      ? (unsigned)FZ_PICK(&f, 12, 15, 17, 18, 24, 29, 32, 32, 34, 56)
				      : (unsigned)fz_below(&f, HOSTILE_FUZZ_NRS);
		uint64_t args[5];
		long want = fz_gen(&f, nr, args), ret;

		if (fz_below(&f, 2)) {
			fz_stats.via_page++;
			ret = bolt_hypercall5(nr, args[0], args[1], args[2], args[3], args[4]);
		} else {
			fz_stats.via_vmcall++;
			ret = hostile_vmcall5(nr, args[0], args[1], args[2], args[3], args[4]);
		}
		if (hostile_fuzz_account(&fz_stats, nr, args[0], ret, i) && want != 1 &&
		    ret != want) {
			if (fz_stats.unexpected++ < 20)
				printf("hostile: fuzz: call %llu: hypercall %u sub-op %llu "
				       "returned "
				       "%ld, expected %ld  <-- WRONG\n",
				       (unsigned long long)i, nr, (unsigned long long)args[0],
				       ret, want);
		}
		fz_repair(&f, nr, args[0], ret);
		if ((i + 1) % FZ_PROGRESS == 0)
			printf("hostile: fuzz: %llu calls done, %llu ms\n",
			       (unsigned long long)(i + 1),
			       (unsigned long long)((bolt_now_ns() - t0) / 1000000));
	}
	printf("hostile: fuzz: %llu calls returned in %llu ms\n", (unsigned long long)calls,
	       (unsigned long long)((bolt_now_ns() - t0) / 1000000));
	hostile_fuzz_print(&fz_stats);
	err = fz_still_works(&f);
	if (err)
		return err;
	if (fz_stats.unexpected) {
		snprintf(why, sizeof(why), "%llu results outside the expected set",
			 (unsigned long long)fz_stats.unexpected);
		return why;
	}
	return NULL;
}
