/* SPDX-License-Identifier: MIT */
/* Unit tests for the ballooning bookkeeping (core/balloon.c). */
#include "unit.h"
#include "bolt/bolt.h"
#include "core/balloon.h"
#include "lib/errno.h"

#define RAM_FRAMES (MiB_FRAMES(128))
#define MiB_FRAMES(n) ((uint64_t)(n) * 256u)
#define HIGH (BOLT_GUEST_LOAD_MIN >> 12) /* first frame above 1 MiB */

static struct balloon b;

/* Only what the memory map calls RAM: not the start-info pages, the legacy hole, beyond RAM. */
static void test_ram_frames(void)
{
	balloon_init(&b, RAM_FRAMES);
	CHECK(!balloon_frame_is_ram(&b, 0));
	CHECK(!balloon_frame_is_ram(&b, (BOLT_GUEST_RESERVED_END >> 12) - 1));
	CHECK(balloon_frame_is_ram(&b, BOLT_GUEST_RESERVED_END >> 12));
	CHECK(balloon_frame_is_ram(&b, 0x9f));
	CHECK(!balloon_frame_is_ram(&b, 0xa0));
	CHECK(!balloon_frame_is_ram(&b, HIGH - 1));
	CHECK(balloon_frame_is_ram(&b, HIGH));
	CHECK(balloon_frame_is_ram(&b, RAM_FRAMES - 1));
	CHECK(!balloon_frame_is_ram(&b, RAM_FRAMES));
	CHECK_EQ(balloon_can_decrease(&b, RAM_FRAMES, 1), -XEN_EINVAL);
	CHECK_EQ(balloon_can_decrease(&b, RAM_FRAMES - 1, 2), -XEN_EINVAL); /* straddles the end */
	CHECK_EQ(balloon_can_decrease(&b, 0x9f, 2), -XEN_EINVAL);          /* into the legacy hole */
	CHECK_EQ(balloon_can_decrease(&b, ~0ULL, 1), -XEN_EINVAL);
	CHECK_EQ(balloon_can_decrease(&b, ~0ULL - 1, 4), -XEN_EINVAL);     /* wraps */
	CHECK_EQ(balloon_can_populate(&b, RAM_FRAMES, 1), -XEN_EINVAL);
}

/* Decrease, double decrease, populate, populate again (beyond the maximum). */
static void test_decrease_populate(void)
{
	balloon_init(&b, RAM_FRAMES);
	CHECK_EQ(balloon_pages(&b), RAM_FRAMES);
	CHECK_EQ(balloon_can_populate(&b, HIGH + 5, 1), -XEN_EEXIST);
	CHECK_EQ(balloon_can_decrease(&b, HIGH + 5, 1), 0);
	balloon_set(&b, HIGH + 5, 1, true);
	CHECK(balloon_is_hole(&b, HIGH + 5));
	CHECK(!balloon_is_hole(&b, HIGH + 4));
	CHECK_EQ(balloon_pages(&b), RAM_FRAMES - 1);
	CHECK_EQ(balloon_can_decrease(&b, HIGH + 5, 1), -XEN_ENOENT);
	CHECK_EQ(balloon_can_decrease(&b, HIGH + 4, 2), -XEN_ENOENT); /* one of two is a hole */
	CHECK_EQ(balloon_can_populate(&b, HIGH + 4, 2), -XEN_EEXIST); /* one of two is RAM */
	CHECK_EQ(balloon_can_populate(&b, HIGH + 5, 1), 0);
	balloon_set(&b, HIGH + 5, 1, false);
	CHECK(!balloon_is_hole(&b, HIGH + 5));
	CHECK_EQ(balloon_pages(&b), RAM_FRAMES);
	CHECK_EQ(balloon_can_populate(&b, HIGH + 5, 1), -XEN_EEXIST);
	/* Setting what already is so counts nothing. */
	balloon_set(&b, HIGH + 5, 1, false);
	CHECK_EQ(balloon_pages(&b), RAM_FRAMES);
}

/* Whole extents: order 9 (a 2 MiB region) and one straddling two regions. */
static void test_extents(void)
{
	uint64_t base = 4 * BALLOON_REGION_FRAMES;

	balloon_init(&b, RAM_FRAMES);
	CHECK_EQ(balloon_can_decrease(&b, base, BALLOON_REGION_FRAMES), 0);
	balloon_set(&b, base, BALLOON_REGION_FRAMES, true);
	CHECK_EQ(balloon_pages(&b), RAM_FRAMES - BALLOON_REGION_FRAMES);
	CHECK_EQ(balloon_can_decrease(&b, base, BALLOON_REGION_FRAMES + 1), -XEN_EINVAL);
	CHECK_EQ(balloon_can_decrease(&b, base + BALLOON_REGION_FRAMES - 8, 16), -XEN_ENOENT);
	CHECK_EQ(balloon_can_decrease(&b, base + BALLOON_REGION_FRAMES, 16), 0);
	balloon_set(&b, base + BALLOON_REGION_FRAMES, 16, true);
	CHECK_EQ(balloon_can_populate(&b, base + BALLOON_REGION_FRAMES - 8, 16), 0);
	balloon_set(&b, base + BALLOON_REGION_FRAMES - 8, 16, false);
	CHECK_EQ(balloon_pages(&b), RAM_FRAMES - BALLOON_REGION_FRAMES - 8 + 8);
	balloon_init(&b, RAM_FRAMES);
	CHECK_EQ(balloon_pages(&b), RAM_FRAMES);
	CHECK(!balloon_is_hole(&b, base));
}

/* No more than BALLOON_REGIONS_MAX regions with holes; a refilled one frees its slot. */
static void test_region_cap(void)
{
	uint64_t r0 = HIGH + BALLOON_REGION_FRAMES; /* a region boundary above 1 MiB */

	balloon_init(&b, RAM_FRAMES);
	r0 &= ~(uint64_t)(BALLOON_REGION_FRAMES - 1);
	for (unsigned i = 0; i < BALLOON_REGIONS_MAX; i++) {
		CHECK_EQ(balloon_can_decrease(&b, r0 + i * BALLOON_REGION_FRAMES, 1), 0);
		balloon_set(&b, r0 + i * BALLOON_REGION_FRAMES, 1, true);
	}
	CHECK_EQ(balloon_pages(&b), RAM_FRAMES - BALLOON_REGIONS_MAX);
	/* A new region is refused; more holes in a region that has some are fine. */
	CHECK_EQ(balloon_can_decrease(&b, r0 + BALLOON_REGIONS_MAX * BALLOON_REGION_FRAMES, 1),
		 -XEN_EBUSY);
	CHECK_EQ(balloon_can_decrease(&b, r0 + 1, 1), 0);
	/* Straddling into a new region needs a slot too. */
	CHECK_EQ(balloon_can_decrease(&b, r0 + (BALLOON_REGIONS_MAX + 1) * BALLOON_REGION_FRAMES - 2,
				      4), -XEN_EBUSY);
	balloon_set(&b, r0, 1, false);
	CHECK_EQ(balloon_can_decrease(&b, r0 + BALLOON_REGIONS_MAX * BALLOON_REGION_FRAMES, 1), 0);
	balloon_set(&b, r0 + BALLOON_REGIONS_MAX * BALLOON_REGION_FRAMES, 1, true);
	CHECK(balloon_is_hole(&b, r0 + BALLOON_REGIONS_MAX * BALLOON_REGION_FRAMES));
	CHECK(!balloon_is_hole(&b, r0));
	CHECK_EQ(balloon_pages(&b), RAM_FRAMES - BALLOON_REGIONS_MAX);
}

void unit_main(void)
{
	TEST(test_ram_frames);
	TEST(test_decrease_populate);
	TEST(test_extents);
	TEST(test_region_cap);
}
