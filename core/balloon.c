/* SPDX-License-Identifier: MIT */
/* Ballooning bookkeeping: holes per 2 MiB region, a bounded number of regions (core/balloon.h). */
#include "bolt/bolt.h"
#include "core/balloon.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define LEGACY_HOLE_PFN (0xa0000u >> 12) /* VGA/BIOS area: not RAM in the memory map */

void balloon_init(struct balloon *b, uint64_t nr_frames)
{
	memset(b, 0, sizeof(*b));
	b->nr_frames = nr_frames;
}

/* The RAM entries write_start_info (core/lifecycle.c) puts in the memory map. */
bool balloon_frame_is_ram(const struct balloon *b, uint64_t pfn)
{
	if (pfn >= b->nr_frames || pfn < (BOLT_GUEST_RESERVED_END >> 12))
		return false;
	return pfn < LEGACY_HOLE_PFN || pfn >= (BOLT_GUEST_LOAD_MIN >> 12);
}

static const struct balloon_region *region_of(const struct balloon *b, uint64_t pfn)
{
	uint64_t base = pfn & ~(uint64_t)(BALLOON_REGION_FRAMES - 1);

	for (unsigned i = 0; i < BALLOON_REGIONS_MAX; i++)
		if (b->r[i].holes && b->r[i].base == base)
			return &b->r[i];
	return NULL;
}

bool balloon_is_hole(const struct balloon *b, uint64_t pfn)
{
	const struct balloon_region *r = region_of(b, pfn);
	unsigned i = (unsigned)(pfn & (BALLOON_REGION_FRAMES - 1));

	return r && ((r->bits[i / 64] >> (i % 64)) & 1);
}

static int check_ram(const struct balloon *b, uint64_t pfn, uint64_t n)
{
	if (!n || n > BALLOON_REGION_FRAMES || pfn + n < pfn)
		return -XEN_EINVAL;
	for (uint64_t f = pfn; f < pfn + n; f++)
		if (!balloon_frame_is_ram(b, f))
			return -XEN_EINVAL;
	return 0;
}

static unsigned free_slots(const struct balloon *b)
{
	unsigned n = 0;

	for (unsigned i = 0; i < BALLOON_REGIONS_MAX; i++)
		n += !b->r[i].holes;
	return n;
}

int balloon_can_decrease(const struct balloon *b, uint64_t pfn, uint64_t n)
{
	uint64_t last = pfn + n - 1;
	unsigned need = 0;
	int rc = check_ram(b, pfn, n);

	if (rc)
		return rc;
	for (uint64_t f = pfn; f <= last; f++)
		if (balloon_is_hole(b, f))
			return -XEN_ENOENT;
	/* n <= one region's frames: the range touches at most two regions. */
	need += !region_of(b, pfn);
	if ((last ^ pfn) & ~(uint64_t)(BALLOON_REGION_FRAMES - 1))
		need += !region_of(b, last);
	return need > free_slots(b) ? -XEN_EBUSY : 0;
}

int balloon_can_populate(const struct balloon *b, uint64_t pfn, uint64_t n)
{
	int rc = check_ram(b, pfn, n);

	if (rc)
		return rc;
	for (uint64_t f = pfn; f < pfn + n; f++)
		if (!balloon_is_hole(b, f))
			return -XEN_EEXIST;
	return 0;
}

static struct balloon_region *region_for(struct balloon *b, uint64_t pfn)
{
	uint64_t base = pfn & ~(uint64_t)(BALLOON_REGION_FRAMES - 1);
	struct balloon_region *r = (struct balloon_region *)region_of(b, pfn);

	for (unsigned i = 0; !r && i < BALLOON_REGIONS_MAX; i++) {
		if (!b->r[i].holes) {
			r = &b->r[i];
			memset(r, 0, sizeof(*r));
			r->base = base;
		}
	}
	return r; /* never NULL after balloon_can_decrease said 0 */
}

void balloon_set(struct balloon *b, uint64_t pfn, uint64_t n, bool hole)
{
	for (uint64_t f = pfn; f < pfn + n; f++) {
		struct balloon_region *r = hole ? region_for(b, f)
						: (struct balloon_region *)region_of(b, f);
		unsigned i = (unsigned)(f & (BALLOON_REGION_FRAMES - 1));
		uint64_t bit = 1ULL << (i % 64);

		if (!r || !!(r->bits[i / 64] & bit) == hole)
			continue; /* already so: nothing to count */
		r->bits[i / 64] ^= bit;
		if (hole) {
			r->holes++;
			b->nr_holes++;
		} else {
			r->holes--;
			b->nr_holes--;
		}
	}
}

uint64_t balloon_pages(const struct balloon *b)
{
	return b->nr_frames - b->nr_holes;
}
