/* SPDX-License-Identifier: MIT */
/*
 * Host-side statistics over latency samples (uint64_t ticks): sorting,
 * nearest-rank percentiles, fixed-width histograms and CDF points. Used by
 * bolt-trace and the benchmark tooling. The percentile definition is the
 * guest SDK's bolt_percentile (guests/sdk/stats.c), so a p99 computed here
 * from raw samples equals the one a benchmark guest prints.
 */
#ifndef TOOLS_STATS_H
#define TOOLS_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Sort ascending, in place. */
void stats_sort_u64(uint64_t *a, size_t n);

/*
 * Nearest-rank percentile of an ascending array: the sample of 1-based rank
 * ceil(pct * n / 100), with rank 0 read as 1; pct >= 100 is the maximum.
 * n == 0 gives 0.
 */
uint64_t stats_percentile(const uint64_t *sorted, size_t n, unsigned pct);

struct stats_summary {
	size_t n;
	uint64_t min, p50, p99, max;
	double mean;
};

/* Summary of an ascending array; all zero when n == 0. */
void stats_summarize(const uint64_t *sorted, size_t n, struct stats_summary *s);

/*
 * Fixed-width histogram: bucket i counts values in
 * [lo + i * width, lo + (i + 1) * width). Values below lo go to `under`,
 * values at or past the last bucket's end go to `over`.
 */
struct stats_hist {
	uint64_t lo, width;
	size_t nbuckets;
	uint64_t *counts; /* caller's array of nbuckets */
	uint64_t under, over, total;
};

/* Zero counts; -XEN_EINVAL if width or nbuckets is 0 or counts is NULL. */
int stats_hist_init(struct stats_hist *h, uint64_t lo, uint64_t width, uint64_t *counts,
		    size_t nbuckets);
void stats_hist_add(struct stats_hist *h, uint64_t v);
/* Add every sample (in any order). */
void stats_hist_add_all(struct stats_hist *h, const uint64_t *samples, size_t n);

/*
 * Choose lo and width for an ascending array so that nbuckets buckets
 * cover [min, percentile(clip_pct)] (clip_pct 100: up to the maximum;
 * anything above lands in `over`), then fill the histogram.
 * Width is at least 1. -XEN_EINVAL on bad arguments or n == 0.
 */
int stats_hist_auto(struct stats_hist *h, const uint64_t *sorted, size_t n, unsigned clip_pct,
		    uint64_t *counts, size_t nbuckets);

/* Start of bucket i (lo + i * width), saturating at UINT64_MAX. */
uint64_t stats_hist_bucket_lo(const struct stats_hist *h, size_t i);

/* One CDF point: frac of the samples are <= value. */
struct stats_cdf_point {
	uint64_t value;
	double frac;
};

/*
 * CDF points of an ascending array, at most max_points of them: one per
 * distinct value when they fit, else values at evenly spaced ranks. The
 * first point is the minimum, the last is (max, 1.0); values and fractions
 * both strictly increase. Returns the number of points written.
 */
size_t stats_cdf(const uint64_t *sorted, size_t n, struct stats_cdf_point *out,
		 size_t max_points);

#endif
