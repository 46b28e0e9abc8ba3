/* SPDX-License-Identifier: MIT */
/*
 * The shared_info layout latch (core/shinfo_layout.h). What differs
 * between the layouts and who writes it:
 *   - the event bitmaps and vCPU 0's selector: evtchn/ writes them, so
 *     the latch switches its 2-level ops table (evtchn_set_compat_layout);
 *   - the wallclock: written once per boot, so the latch writes it again
 *     at the new layout's offsets (Xen's update_domain_wallclock_time()
 *     after a change of width, for the same reason);
 *   - vcpu_info's time and upcall flag sit at the same offsets in both
 *     layouts (core/compat.c asserts it): nothing to do.
 * As in Xen, pending events are not converted: a guest latches before it
 * binds ports, and the old layout's words are left as they were.
 */
#include "core/compat.h"
#include "core/guest.h"
#include "core/shinfo_layout.h"
#include "core/wallclock.h"
#include "evtchn/evtchn.h"

void shinfo_latch_layout(struct guest *g, bool compat)
{
	if (g->shinfo_compat == compat)
		return;
	g->shinfo_compat = compat;
	evtchn_set_compat_layout(&g->evtchn, compat);
	if (compat)
		wallclock_fill_compat((struct compat_shared_info *)(void *)g->shinfo);
	else
		wallclock_fill(g->shinfo);
}

void shinfo_reset_layout(struct guest *g)
{
	g->shinfo_compat = false;
	evtchn_set_compat_layout(&g->evtchn, false);
}
