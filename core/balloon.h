/* SPDX-License-Identifier: MIT */
/*
 * Ballooning bookkeeping (XENMEM_decrease_reservation / populate_physmap):
 * which 4 KiB frames of a guest's configured RAM it has handed back and
 * are holes in its EPT. Pure data, no EPT: core/hc_memory_reservation.c
 * checks here, changes the EPT, then records the change.
 *
 * A hole inside a 2 MiB EPT page splits it and costs a page table from the
 * shared heap, so at most BALLOON_REGIONS_MAX 2 MiB regions may have holes
 * at once: the tables are then bounded per guest, and a region whose last
 * hole is repopulated folds back into one large page (arch/x86/ept.c).
 */
#ifndef CORE_BALLOON_H
#define CORE_BALLOON_H

#include <stdbool.h>
#include <stdint.h>

#define BALLOON_REGION_FRAMES 512u /* 4 KiB frames per 2 MiB region */
#define BALLOON_REGIONS_MAX 32u
/* Largest extent_order accepted: Xen's default for a domU (CONFIG_DOMU_MAX_ORDER). */
#define BALLOON_MAX_ORDER 9u

struct balloon_region {
	uint64_t base;  /* first frame, BALLOON_REGION_FRAMES-aligned */
	unsigned holes; /* 0: slot free */
	uint64_t bits[BALLOON_REGION_FRAMES / 64];
};

struct balloon {
	uint64_t nr_frames; /* configured RAM in frames (maximum reservation) */
	uint64_t nr_holes;
	struct balloon_region r[BALLOON_REGIONS_MAX];
};

/* Everything populated again (boot, restart). */
void balloon_init(struct balloon *b, uint64_t nr_frames);
/* A frame the guest's memory map calls RAM (the only ones it may balloon). */
bool balloon_frame_is_ram(const struct balloon *b, uint64_t pfn);
bool balloon_is_hole(const struct balloon *b, uint64_t pfn);
/*
 * May [pfn, pfn + n) (n <= BALLOON_REGION_FRAMES) become holes? 0, or
 * -XEN_EINVAL (not all RAM), -XEN_ENOENT (a frame is a hole already),
 * -XEN_EBUSY (more regions with holes than BALLOON_REGIONS_MAX).
 */
int balloon_can_decrease(const struct balloon *b, uint64_t pfn, uint64_t n);
/*
 * May [pfn, pfn + n) be populated? 0, or -XEN_EINVAL (not all RAM),
 * -XEN_EEXIST (a frame is populated: there is no page beyond the
 * configured RAM to give it, the reservation is at its maximum there).
 */
int balloon_can_populate(const struct balloon *b, uint64_t pfn, uint64_t n);
/* Record a checked change: the frames become holes (hole) or RAM again. */
void balloon_set(struct balloon *b, uint64_t pfn, uint64_t n, bool hole);
/* Populated frames: the current reservation. */
uint64_t balloon_pages(const struct balloon *b);

#endif
