/* SPDX-License-Identifier: MIT */
/* Grant-table bookkeeping: pins, GTF status bits, maptrack handles (core/grant_table.h). */
#include "core/grant_table.h"
#include "lib/lib.h"

/*
 * Retries of the compare-and-swap on a shared entry: the granter may
 * legitimately race us (changing GTF_readonly, say) but could also
 * rewrite the entry faster than we can update it, so give up after a few,
 * as Xen does ("Shared grant entry is unstable").
 */
#define GNT_CAS_RETRIES 4

/* flags (low half) and domid (high half) of a v1 entry, one 32-bit word. */
static uint32_t *combo_of(grant_entry_v1_t *e)
{
	_Static_assert(offsetof(grant_entry_v1_t, flags) == 0 &&
			       offsetof(grant_entry_v1_t, domid) == 2,
		       "flags and domid share the first 32-bit word");
	return (uint32_t *)(void *)e;
}

void gnt_table_reset(struct gnt_table *gt)
{
	memset(gt->shared, 0, GNT_NR_ENTRIES * sizeof(*gt->shared));
	memset(gt->active, 0, GNT_NR_ENTRIES * sizeof(*gt->active));
	for (unsigned i = 0; i < GNT_NR_FRAMES; i++)
		gt->frame_gfn[i] = ~0ULL;
	gt->frame_moves = 0;
}

/* Set GTF_reading (and GTF_writing) in the guest-writable entry, checking it first if unpinned. */
static int set_status(grant_entry_v1_t *e, bool pinned, uint16_t domid, bool readonly,
		      bool whole_page)
{
	uint32_t *combo = combo_of(e);
	uint32_t old = __atomic_load_n(combo, __ATOMIC_ACQUIRE);
	uint16_t mask = GTF_type_mask | (whole_page ? GTF_sub_page : 0);

	for (int tries = 0;; tries++) {
		uint16_t flags = (uint16_t)old, owner = (uint16_t)(old >> 16);
		uint32_t nflags = flags | GTF_reading | (readonly ? 0 : GTF_writing);

		if (!pinned && ((flags & mask) != GTF_permit_access || owner != domid))
			return GNTST_general_error;
		if (!readonly && (flags & GTF_readonly))
			return GNTST_general_error; /* a writable pin of a read-only grant */
		if (__atomic_compare_exchange_n(combo, &old, (old & 0xffff0000u) | nflags, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return GNTST_okay;
		if (tries == GNT_CAS_RETRIES)
			return GNTST_general_error;
	}
}

int gnt_pin(struct gnt_table *gt, uint32_t ref, uint16_t domid, bool readonly, bool whole_page,
	    uint32_t *frame)
{
	struct gnt_active *act;
	bool pinned;
	int rc;

	if (ref >= GNT_NR_ENTRIES)
		return GNTST_bad_gntref;
	act = &gt->active[ref];
	pinned = act->pin_rw || act->pin_ro;
	if (pinned && act->domid != domid)
		return GNTST_general_error;
	if ((readonly ? act->pin_ro : act->pin_rw) == GNT_PIN_MAX)
		return GNTST_general_error; /* the counter would overflow */
	/* Only the first pin, and the first writable one, look at the entry. */
	if (!pinned || (!readonly && !act->pin_rw)) {
		rc = set_status(&gt->shared[ref], pinned, domid, readonly, whole_page);
		if (rc)
			return rc;
	}
	if (!pinned) {
		act->domid = domid;
		act->frame = __atomic_load_n(&gt->shared[ref].frame, __ATOMIC_RELAXED);
	}
	if (readonly)
		act->pin_ro++;
	else
		act->pin_rw++;
	*frame = act->frame;
	return GNTST_okay;
}

void gnt_unpin(struct gnt_table *gt, uint32_t ref, bool readonly)
{
	struct gnt_active *act = &gt->active[ref];
	uint16_t clear = 0;

	if (readonly)
		act->pin_ro--;
	else
		act->pin_rw--;
	if (!act->pin_rw)
		clear |= GTF_writing;
	if (!act->pin_ro && !act->pin_rw)
		clear |= GTF_reading;
	/* Atomically against the granter's own writes to the entry (Xen's gnttab_clear_flags). */
	__atomic_fetch_and(&gt->shared[ref].flags, (uint16_t)~clear, __ATOMIC_ACQ_REL);
}

unsigned gnt_pins(const struct gnt_table *gt, uint32_t ref)
{
	return ref < GNT_NR_ENTRIES ? (unsigned)gt->active[ref].pin_rw + gt->active[ref].pin_ro : 0;
}

int gnt_maptrack_alloc(struct gnt_maptrack *mt)
{
	for (unsigned i = 0; i < GNT_MAPTRACK_MAX; i++) {
		if (!mt->m[i].granter) {
			mt->used++;
			return (int)i;
		}
	}
	return -1;
}

void gnt_maptrack_free(struct gnt_maptrack *mt, unsigned handle)
{
	mt->m[handle] = (struct gnt_map){ 0 };
	mt->used--;
}

int gnt_maptrack_find_gfn(const struct gnt_maptrack *mt, uint64_t gfn)
{
	for (unsigned i = 0; i < GNT_MAPTRACK_MAX; i++)
		if (mt->m[i].granter && mt->m[i].gfn == gfn)
			return (int)i;
	return -1;
}
