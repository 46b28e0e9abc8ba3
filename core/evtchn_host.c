/* SPDX-License-Identifier: MIT */
/*
 * The guest side of the FIFO event ABI's embedder hooks (evtchn/evtchn.h,
 * struct evtchn_host): the guest frames it names for its control block and
 * event-array pages, and heap memory for port buckets.
 *
 * A frame is accepted only if it is the guest's own RAM as it sees it now:
 * inside its configured RAM, not ballooned out, not a hypervisor page
 * mapped over RAM (shared_info, the trace-ack page). Anything else (MMIO,
 * a hole, a gfn beyond RAM) is refused and the command fails with Xen's
 * -EINVAL; nothing is read or written. The pointer handed back is into
 * the guest's RAM allocation, which Bolt never frees, so it stays safe to
 * use even if the guest later balloons the frame out or maps something
 * over it (Xen would keep the page referenced; the guest only loses its
 * own events either way).
 */
#include <stdint.h>

#include "core/balloon.h"
#include "core/evtchn_host.h"
#include "core/guest.h"
#include "core/heap.h"

static void *map_frame(void *ctx, uint64_t gfn)
{
	struct guest *g = ctx;

	if (gfn >= g->ram_size >> 12)
		return NULL;
	if (gfn == g->shinfo_gfn || (g->trace_acks_gfn && gfn == g->trace_acks_gfn))
		return NULL;
	if (balloon_is_hole(&g->balloon, gfn))
		return NULL;
	return g->ram + (gfn << 12);
}

static void *zalloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return heap_zalloc(bytes);
}

const struct evtchn_host guest_evtchn_host = {
	.map_frame = map_frame,
	.zalloc = zalloc,
};
