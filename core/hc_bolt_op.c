/* SPDX-License-Identifier: MIT */
/*
 * Bolt's own hypercall (include/bolt/bolt.h): measurement counters for
 * benchmarks and the trace controls. Everything a guest can reach here is
 * about itself.
 */
#include <stdint.h>

#include "bolt/bolt.h"
#include "core/grant.h"
#include "core/guest.h"
#include "core/heap.h"
#include "core/hypercall.h"
#include "core/send.h"
#include "core/stats.h"
#include "core/time.h"
#include "core/trace.h"
#include "lib/errno.h"
#include "lib/lib.h"

static void fill_stats(const struct vcpu *v, struct bolt_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->tsc_per_us = time_tsc_per_us();
	s->exits = v->nr_exits;
	for (unsigned r = 0; r < BOLT_STATS_EXIT_REASONS && r < ARCH_NR_EXIT_REASONS; r++)
		s->exits_by_reason[r] = v->exits[r];
	s->sends = v->sends;
	s->notifies = v->notifies;
	s->upcalls = v->upcalls;
	s->wakeups = v->wakeups;
	s->hv_send = v->hv_send;
	s->hv_wake = v->hv_wake;
}

static void reset_stats(struct vcpu *v)
{
	v->nr_exits = 0;
	memset(v->exits, 0, sizeof(v->exits));
	v->sends = v->notifies = v->upcalls = v->wakeups = 0;
	memset(&v->hv_send, 0, sizeof(v->hv_send));
	memset(&v->hv_wake, 0, sizeof(v->hv_wake));
}

/* The ack page lives in hypervisor memory and replaces one guest RAM page. */
static long trace_map(struct vcpu *v, uint64_t gfn)
{
	struct guest *g = v->guest;
	int rc;

	if (gfn < (BOLT_GUEST_RESERVED_END >> 12) || gfn >= (g->ram_size >> 12) || gfn == g->shinfo_gfn ||
	    gnt_range_busy(g, gfn, 1))
		return -XEN_EINVAL;
	if (!g->trace_acks) {
		g->trace_acks = heap_alloc_pages(1, 1);
		if (!g->trace_acks)
			return -XEN_ENOMEM;
	}
	if (gfn == g->trace_acks_gfn)
		return 0;
	if (g->page_remaps >= GUEST_PAGE_REMAPS_MAX)
		return -XEN_EBUSY;
	g->page_remaps++;
	rc = guest_arch_map_page(g, gfn << 12, g->trace_acks);
	if (rc)
		return rc;
	if (g->trace_acks_gfn && g->trace_acks_gfn != gfn)
		guest_arch_restore_ram_page(g, g->trace_acks_gfn << 12);
	g->trace_acks_gfn = gfn;
	return 0;
}

long hc_bolt_op(struct vcpu *v, struct hypercall_args *a)
{
	switch (a->a[0]) {
	case BOLT_OP_stats: {
		struct bolt_stats s;
		fill_stats(v, &s);
		return vcpu_copy_to_guest(v, a->a[1], &s, sizeof(s)) ? -XEN_EFAULT : 0;
	}
	case BOLT_OP_stats_reset:
		reset_stats(v);
		return 0;
	case BOLT_OP_trace_dump:
		/* Only an end of a traced channel: the dump fills the shared console. */
		if (!v->guest->trace_active)
			return -XEN_EPERM;
		trace_dump();
		return 0;
	case BOLT_OP_trace_map:
		return trace_map(v, a->a[1]);
	case BOLT_OP_send:
		/* Same semantics and errors as EVTCHNOP_send, minus the guest-memory argument. */
	{
		if (a->a[1] > UINT32_MAX)
			return -XEN_EINVAL;
		int rc = guest_send(v, (uint32_t)a->a[1]);
		if (rc == -XEN_EAGAIN) {
			a->continuation = true; /* throttled: retried when the budget window ends */
			return 0;
		}
		return rc;
	}
	case BOLT_OP_exit_status:
		/* The register holds a C int: anything wider is a guest bug, not a status. */
		if (a->compat) {
			/* EBX is the whole int; a[] is zero-extended, so sign-extend it. */
			v->guest->exit_status = (int32_t)(uint32_t)a->a[1];
		} else {
			if ((int64_t)a->a[1] < INT32_MIN || (int64_t)a->a[1] > INT32_MAX)
				return -XEN_EINVAL;
			v->guest->exit_status = (int)(int64_t)a->a[1];
		}
		v->guest->has_exit_status = true;
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
