/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, version 1 (xen/grant_table.h): the bookkeeping, with no
 * EPT and no guest list, so it builds and is tested on the host.
 *
 * Each guest has GNT_NR_FRAMES hypervisor-owned pages of grant_entry_v1_t
 * that it fills in (mapped with XENMEM_add_to_physmap,
 * XENMAPSPACE_grant_table) and an active entry per reference that Bolt
 * alone writes: which guest pinned it, the frame pinned, and pin counts.
 * A mapper has a maptrack table of GNT_MAPTRACK_MAX handles. As in Xen
 * (xen/common/grant_table.c), GTF_reading / GTF_writing are set in the
 * shared entry while the reference is pinned for reading / writing and
 * cleared with the last pin, so a granter sees a mapped grant busy. The
 * shared entry changes under the guest's feet: its flags and domid are
 * read and updated together by compare-and-swap, with a bounded number of
 * retries. Every function here is called under the caller's grant lock.
 */
#ifndef CORE_GRANT_TABLE_H
#define CORE_GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#define GNT_NR_FRAMES 4u /* grant-table frames per guest: query_size's nr and max */
#define GNT_ENTRIES_PER_FRAME (4096u / sizeof(grant_entry_v1_t))
#define GNT_NR_ENTRIES (GNT_NR_FRAMES * GNT_ENTRIES_PER_FRAME) /* 2048 references */
#define GNT_MAPTRACK_MAX 64u /* grant mappings one guest may hold at once */
#define GNT_PIN_MAX 0xffffu  /* pins of one reference (mappings and copies in flight) */

/* Bolt's own view of one reference while it is pinned. */
struct gnt_active {
	uint16_t domid;  /* the guest that pinned it (all pins are one guest's, as in Xen) */
	uint16_t pin_rw; /* writable pins */
	uint16_t pin_ro; /* read-only pins */
	uint32_t frame;  /* the granter's frame, read at the first pin */
};

struct gnt_table {
	grant_entry_v1_t *shared;  /* GNT_NR_ENTRIES, GNT_NR_FRAMES contiguous pages */
	struct gnt_active *active; /* GNT_NR_ENTRIES */
	uint64_t frame_gfn[GNT_NR_FRAMES]; /* where the guest mapped each frame; ~0: nowhere */
	/*
	 * Frame moves this boot: each may split a 2 MiB EPT page, so they are
	 * bounded (GNT_FRAME_MOVES_MAX), apart from shared_info's budget so
	 * that grant frames can never use up the moves shared_info needs.
	 */
	unsigned frame_moves;
};

#define GNT_FRAME_MOVES_MAX 16u

/* One grant mapping held by a mapper; handle = its index. */
struct gnt_map {
	uint16_t granter;  /* domid; 0: free slot */
	bool readonly;
	bool revoked;      /* the granter went away: to be torn down by the mapper's CPU */
	uint32_t ref;
	uint64_t gfn;      /* where in the mapper's guest-physical space */
};

struct gnt_maptrack {
	struct gnt_map m[GNT_MAPTRACK_MAX];
	unsigned used;
};

/* Empty table and active entries, no frame mapped (boot, restart). */
void gnt_table_reset(struct gnt_table *gt);

/*
 * Pin reference @ref of @gt for guest @domid, read-only or writable, as
 * Xen's _set_status_v1: a GNTST_* code. On the first pin the entry must
 * be GTF_permit_access for @domid (GTF_sub_page too when @whole_page: a
 * map needs the whole page) and not GTF_readonly for a writable pin; the
 * frame is read then and kept in *frame for every later pin. A reference
 * pinned by another guest cannot be pinned (GNTST_general_error).
 */
int gnt_pin(struct gnt_table *gt, uint32_t ref, uint16_t domid, bool readonly, bool whole_page,
	    uint32_t *frame);
/* Drop one pin taken by gnt_pin: the last writable / last pin clear GTF_writing / GTF_reading. */
void gnt_unpin(struct gnt_table *gt, uint32_t ref, bool readonly);
/* Pins of @ref (both kinds): 0 once nothing holds it. */
unsigned gnt_pins(const struct gnt_table *gt, uint32_t ref);

/* A free maptrack handle, or -1 (GNTST_no_space). */
int gnt_maptrack_alloc(struct gnt_maptrack *mt);
void gnt_maptrack_free(struct gnt_maptrack *mt, unsigned handle);
/* The handle whose mapping sits at @gfn, or -1. */
int gnt_maptrack_find_gfn(const struct gnt_maptrack *mt, uint64_t gfn);

#endif
