/* SPDX-License-Identifier: MIT */
/*
 * Host statistics for latency samples (tools/stats.h). Plain libc: this
 * runs in host tools only, never in the hypervisor or a guest.
 */
#include "bolt/percentile.h"
#include <stdlib.h>

#include "lib/errno.h"
#include "tools/stats.h"

static int stats_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void stats_sort_u64(uint64_t *a, size_t n)
{
	if (n > 1)
		qsort(a, n, sizeof(*a), stats_cmp_u64);
}

/* The same definition as the guest SDK's bolt_percentile(): one shared header. */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, unsigned pct)
{
	return bolt_nearest_rank(sorted, n, pct);
}

void stats_summarize(const uint64_t *sorted, size_t n, struct stats_summary *s)
{
	double sum = 0;

	*s = (struct stats_summary){ .n = n };
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		sum += (double)sorted[i];
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->p50 = stats_percentile(sorted, n, 50);
	s->p99 = stats_percentile(sorted, n, 99);
	s->mean = sum / (double)n;
}

int stats_hist_init(struct stats_hist *h, uint64_t lo, uint64_t width, uint64_t *counts,
		    size_t nbuckets)
{
	if (!width || !nbuckets || !counts)
		return -XEN_EINVAL;
	*h = (struct stats_hist){ .lo = lo, .width = width, .nbuckets = nbuckets, .counts = counts };
	for (size_t i = 0; i < nbuckets; i++)
		counts[i] = 0;
	return 0;
}

void stats_hist_add(struct stats_hist *h, uint64_t v)
{
	uint64_t i;

	h->total++;
	if (v < h->lo) {
		h->under++;
		return;
	}
	/* Divide before comparing: lo + nbuckets * width may not fit in 64 bits. */
	i = (v - h->lo) / h->width;
	if (i >= h->nbuckets)
		h->over++;
	else
		h->counts[i]++;
}

void stats_hist_add_all(struct stats_hist *h, const uint64_t *samples, size_t n)
{
	for (size_t i = 0; i < n; i++)
		stats_hist_add(h, samples[i]);
}

int stats_hist_auto(struct stats_hist *h, const uint64_t *sorted, size_t n, unsigned clip_pct,
		    uint64_t *counts, size_t nbuckets)
{
	uint64_t lo, hi, width;
	int rc;

	if (!n || !nbuckets)
		return -XEN_EINVAL;
	lo = sorted[0];
	hi = stats_percentile(sorted, n, clip_pct);
	/* ceil((hi - lo + 1) / nbuckets) without overflowing when the span is 2^64. */
	width = (hi - lo) / nbuckets + 1;
	rc = stats_hist_init(h, lo, width, counts, nbuckets);
	if (rc)
		return rc;
	stats_hist_add_all(h, sorted, n);
	return 0;
}

uint64_t stats_hist_bucket_lo(const struct stats_hist *h, size_t i)
{
	if (i && h->width > (UINT64_MAX - h->lo) / i)
		return UINT64_MAX;
	return h->lo + (uint64_t)i * h->width;
}

size_t stats_cdf(const uint64_t *sorted, size_t n, struct stats_cdf_point *out,
		 size_t max_points)
{
	size_t written = 0, last_rank = 0;

	if (!n || !max_points)
		return 0;
	for (size_t j = 0; j < max_points; j++) {
		size_t rank;

		/* Ranks 1..n spread evenly; a single point is the maximum. */
		if (max_points == 1)
			rank = n;
		else
			rank = 1 + j * (n - 1) / (max_points - 1);
		if (rank > n)
			rank = n;
		/* The end of a run of ties, so frac is exactly P(X <= value). */
		while (rank < n && sorted[rank] == sorted[rank - 1])
			rank++;
		if (rank <= last_rank)
			continue;
		out[written].value = sorted[rank - 1];
		out[written].frac = (double)rank / (double)n;
		written++;
		last_rank = rank;
	}
	return written;
}
