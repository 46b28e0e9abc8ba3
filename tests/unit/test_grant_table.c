/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the grant-table bookkeeping (core/grant_table.c): the
 * entry checks and GNTST codes of a pin, the GTF_reading / GTF_writing bits
 * a granter sees while its grant is mapped or copied, and maptrack handles.
 */
#include "unit.h"
#include "core/grant_table.h"

static grant_entry_v1_t shared[GNT_NR_ENTRIES];
static struct gnt_active active[GNT_NR_ENTRIES];
static struct gnt_table gt = { .shared = shared, .active = active };

static void grant(uint32_t ref, uint16_t domid, uint32_t frame, uint16_t flags)
{
	shared[ref] = (grant_entry_v1_t){ .flags = flags, .domid = domid, .frame = frame };
}

static void test_reset(void)
{
	grant(7, 2, 0x123, GTF_permit_access | GTF_reading);
	active[7].pin_ro = 3;
	gt.frame_gfn[1] = 0x555;
	gt.frame_moves = 3;
	gnt_table_reset(&gt);
	CHECK_EQ(shared[7].flags, 0);
	CHECK_EQ(gnt_pins(&gt, 7), 0);
	for (unsigned i = 0; i < GNT_NR_FRAMES; i++)
		CHECK_EQ(gt.frame_gfn[i], ~0ULL);
	CHECK_EQ(gt.frame_moves, 0);
	CHECK_EQ(GNT_NR_ENTRIES, 2048);
}

/* Xen's _set_status_v1 refusals, all GNTST_general_error, and a bad ref. */
static void test_pin_refusals(void)
{
	uint32_t frame = 0;

	gnt_table_reset(&gt);
	CHECK_EQ(gnt_pin(&gt, GNT_NR_ENTRIES, 2, true, true, &frame), GNTST_bad_gntref);
	CHECK_EQ(gnt_pin(&gt, ~0u, 2, true, true, &frame), GNTST_bad_gntref);
	/* Not granted at all. */
	CHECK_EQ(gnt_pin(&gt, 10, 2, true, true, &frame), GNTST_general_error);
	/* Granted to another domain. */
	grant(10, 3, 0x200, GTF_permit_access);
	CHECK_EQ(gnt_pin(&gt, 10, 2, true, true, &frame), GNTST_general_error);
	/* A transfer grant is not an access grant. */
	grant(10, 2, 0x200, GTF_accept_transfer);
	CHECK_EQ(gnt_pin(&gt, 10, 2, true, true, &frame), GNTST_general_error);
	/* Writable pin of a read-only grant. */
	grant(10, 2, 0x200, GTF_permit_access | GTF_readonly);
	CHECK_EQ(gnt_pin(&gt, 10, 2, false, true, &frame), GNTST_general_error);
	/* A sub-page grant may be copied but not mapped. */
	grant(10, 2, 0x200, GTF_permit_access | GTF_sub_page);
	CHECK_EQ(gnt_pin(&gt, 10, 2, true, true, &frame), GNTST_general_error);
	CHECK_EQ(gnt_pin(&gt, 10, 2, true, false, &frame), GNTST_okay);
	gnt_unpin(&gt, 10, true);
	/* Nothing refused left a pin or a status bit behind. */
	CHECK_EQ(gnt_pins(&gt, 10), 0);
	CHECK_EQ(shared[10].flags, GTF_permit_access | GTF_sub_page);
}

/* GTF_reading / GTF_writing follow the pins, as a granter polls them. */
static void test_status_bits(void)
{
	uint32_t frame = 0;

	gnt_table_reset(&gt);
	grant(20, 2, 0x345, GTF_permit_access);
	CHECK_EQ(gnt_pin(&gt, 20, 2, true, true, &frame), GNTST_okay);
	CHECK_EQ(frame, 0x345);
	CHECK_EQ(shared[20].flags, GTF_permit_access | GTF_reading);
	CHECK_EQ(gnt_pin(&gt, 20, 2, false, true, &frame), GNTST_okay);
	CHECK_EQ(shared[20].flags, GTF_permit_access | GTF_reading | GTF_writing);
	CHECK_EQ(gnt_pins(&gt, 20), 2);
	/* Once pinned, the frame stays the one pinned whatever the granter writes. */
	shared[20].frame = 0x999;
	CHECK_EQ(gnt_pin(&gt, 20, 2, true, true, &frame), GNTST_okay);
	CHECK_EQ(frame, 0x345);
	/* A granter cannot end access while pinned: another guest still cannot pin it. */
	shared[20].domid = 3;
	CHECK_EQ(gnt_pin(&gt, 20, 3, true, true, &frame), GNTST_general_error);
	gnt_unpin(&gt, 20, false);
	CHECK_EQ(shared[20].flags, GTF_permit_access | GTF_reading); /* last writer gone */
	gnt_unpin(&gt, 20, true);
	CHECK_EQ(shared[20].flags, GTF_permit_access | GTF_reading); /* one reader left */
	gnt_unpin(&gt, 20, true);
	CHECK_EQ(shared[20].flags, GTF_permit_access);
	CHECK_EQ(gnt_pins(&gt, 20), 0);
	/* Unpinned, the entry is looked at again: now granted to domain 3. */
	CHECK_EQ(gnt_pin(&gt, 20, 2, true, true, &frame), GNTST_general_error);
	CHECK_EQ(gnt_pin(&gt, 20, 3, true, true, &frame), GNTST_okay);
	CHECK_EQ(frame, 0x999);
	gnt_unpin(&gt, 20, true);
}

/* A read-only pin, then the granter makes it read-only: a writable pin is refused then. */
static void test_readonly_later(void)
{
	uint32_t frame = 0;

	gnt_table_reset(&gt);
	grant(30, 2, 0x10, GTF_permit_access);
	CHECK_EQ(gnt_pin(&gt, 30, 2, true, true, &frame), GNTST_okay);
	shared[30].flags |= GTF_readonly;
	CHECK_EQ(gnt_pin(&gt, 30, 2, false, true, &frame), GNTST_general_error);
	CHECK_EQ(shared[30].flags & GTF_writing, 0);
	CHECK_EQ(gnt_pins(&gt, 30), 1);
	gnt_unpin(&gt, 30, true);
	CHECK_EQ(shared[30].flags, GTF_permit_access | GTF_readonly);
}

/* The pin counter saturates instead of wrapping (a wrapped count would unpin early). */
static void test_pin_overflow(void)
{
	uint32_t frame = 0;

	gnt_table_reset(&gt);
	grant(40, 2, 0x10, GTF_permit_access);
	active[40] = (struct gnt_active){ .domid = 2, .pin_ro = GNT_PIN_MAX, .frame = 0x10 };
	CHECK_EQ(gnt_pin(&gt, 40, 2, true, true, &frame), GNTST_general_error);
	CHECK_EQ(gnt_pin(&gt, 40, 2, false, true, &frame), GNTST_okay);
	CHECK_EQ(active[40].pin_ro, GNT_PIN_MAX);
	CHECK_EQ(active[40].pin_rw, 1);
}

static void test_maptrack(void)
{
	static struct gnt_maptrack mt;
	int h;

	for (unsigned i = 0; i < GNT_MAPTRACK_MAX; i++) {
		h = gnt_maptrack_alloc(&mt);
		CHECK_EQ(h, (int)i);
		mt.m[h] = (struct gnt_map){ .granter = 2, .ref = i, .gfn = 0x1000 + i };
	}
	CHECK_EQ(mt.used, GNT_MAPTRACK_MAX);
	CHECK_EQ(gnt_maptrack_alloc(&mt), -1); /* bounded: GNTST_no_space */
	CHECK_EQ(gnt_maptrack_find_gfn(&mt, 0x1005), 5);
	CHECK_EQ(gnt_maptrack_find_gfn(&mt, 0x2000), -1);
	gnt_maptrack_free(&mt, 5);
	CHECK_EQ(mt.used, GNT_MAPTRACK_MAX - 1);
	CHECK_EQ(gnt_maptrack_find_gfn(&mt, 0x1005), -1);
	CHECK_EQ(gnt_maptrack_alloc(&mt), 5); /* a freed handle is reused */
}

void unit_main(void)
{
	TEST(test_reset);
	TEST(test_pin_refusals);
	TEST(test_status_bits);
	TEST(test_readonly_later);
	TEST(test_pin_overflow);
	TEST(test_maptrack);
}
