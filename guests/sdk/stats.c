/* SPDX-License-Identifier: MIT */
/*
 * Statistics for benchmark guests: an in-place sort and nearest-rank
 * percentiles over latency samples. Heapsort: O(n log n) whatever the
 * input, no recursion and no allocation, which suits a guest with a small
 * stack and no malloc.
 */
#include "bolt/percentile.h"
#include <string.h>

#include <bolt/sdk/base.h>

/* Restore the max-heap property below root in a[0..n). */
static void sdk_sift_down(uint64_t *a, size_t root, size_t n)
{
	uint64_t v = a[root];

	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			break;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[child] <= v)
			break;
		a[root] = a[child];
		root = child;
	}
	a[root] = v;
}

void bolt_sort_u64(uint64_t *a, size_t n)
{
	size_t i;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		sdk_sift_down(a, i, n);
	for (i = n - 1; i > 0; i--) {
		uint64_t top = a[0];

		a[0] = a[i];
		a[i] = top;
		sdk_sift_down(a, 0, i);
	}
}

uint64_t bolt_percentile(const uint64_t *sorted, size_t n, unsigned pct)
{
	return bolt_nearest_rank(sorted, n, pct);
}
