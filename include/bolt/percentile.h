/* SPDX-License-Identifier: MIT */
/*
 * The one percentile definition Bolt uses everywhere (guest SDK, host
 * tools): nearest rank on a sorted array, rank = ceil(pct * n / 100),
 * 1-based. Freestanding, so guests and host tools share it.
 */
#ifndef BOLT_PERCENTILE_H
#define BOLT_PERCENTILE_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t bolt_nearest_rank(const uint64_t *sorted, size_t n, unsigned pct)
{
	size_t rank;

	if (n == 0)
		return 0;
	if (pct >= 100)
		return sorted[n - 1];
	rank = ((size_t)pct * n + 99) / 100; /* cannot overflow for sane n */
	return sorted[rank ? rank - 1 : 0];
}

#endif
