/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for tools/stats.c: nearest-rank percentiles (checked against
 * the guest SDK's bolt_percentile, which they must equal), fixed-width
 * histograms at bucket edges, and CDF points.
 */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"
#include "lib/lib.h"

/* tools/ and the SDK are not in the Makefile's HOST_SRCS: compile them in. */
#include "guests/sdk/stats.c"
#include "tools/stats.c"

static void test_percentile_empty(void)
{
	CHECK_EQ(stats_percentile(NULL, 0, 50), 0);
	CHECK_EQ(stats_percentile(NULL, 0, 100), 0);
}

static void test_percentile_one(void)
{
	const uint64_t a[] = { 42 };

	CHECK_EQ(stats_percentile(a, 1, 0), 42);
	CHECK_EQ(stats_percentile(a, 1, 1), 42);
	CHECK_EQ(stats_percentile(a, 1, 50), 42);
	CHECK_EQ(stats_percentile(a, 1, 99), 42);
	CHECK_EQ(stats_percentile(a, 1, 100), 42);
	CHECK_EQ(stats_percentile(a, 1, 1000), 42);
}

static void test_percentile_ranks(void)
{
	uint64_t a[100];

	for (int i = 0; i < 100; i++)
		a[i] = (uint64_t)(i + 1) * 10; /* 10, 20, ... 1000 */
	CHECK_EQ(stats_percentile(a, 100, 0), 10);  /* rank 0 reads as rank 1 */
	CHECK_EQ(stats_percentile(a, 100, 1), 10);
	CHECK_EQ(stats_percentile(a, 100, 50), 500);
	CHECK_EQ(stats_percentile(a, 100, 99), 990);
	CHECK_EQ(stats_percentile(a, 100, 100), 1000);
	CHECK_EQ(stats_percentile(a, 100, 101), 1000);
	/* n = 3: p50 is rank ceil(1.5) = 2, p34 rank ceil(1.02) = 2, p33 rank 1. */
	CHECK_EQ(stats_percentile(a, 3, 50), 20);
	CHECK_EQ(stats_percentile(a, 3, 34), 20);
	CHECK_EQ(stats_percentile(a, 3, 33), 10);
	CHECK_EQ(stats_percentile(a, 3, 99), 30);
	/* n = 2: p50 is the lower sample, p51 the upper. */
	CHECK_EQ(stats_percentile(a, 2, 50), 10);
	CHECK_EQ(stats_percentile(a, 2, 51), 20);
}

static void test_percentile_ties(void)
{
	const uint64_t a[] = { 5, 5, 5, 7 };

	CHECK_EQ(stats_percentile(a, 4, 0), 5);
	CHECK_EQ(stats_percentile(a, 4, 50), 5);
	CHECK_EQ(stats_percentile(a, 4, 75), 5);
	CHECK_EQ(stats_percentile(a, 4, 76), 7);
	CHECK_EQ(stats_percentile(a, 4, 99), 7);
}

static void test_sort_unsorted(void)
{
	uint64_t a[] = { 9, 3, UINT64_MAX, 0, 3, 12, 1 };
	const uint64_t want[] = { 0, 1, 3, 3, 9, 12, UINT64_MAX };
	struct stats_summary s;

	stats_sort_u64(a, ARRAY_SIZE(a));
	for (size_t i = 0; i < ARRAY_SIZE(a); i++)
		CHECK_EQ(a[i] == want[i], 1);
	stats_summarize(a, 6, &s); /* without UINT64_MAX */
	CHECK_EQ(s.n, 6);
	CHECK_EQ(s.min, 0);
	CHECK_EQ(s.p50, 3);
	CHECK_EQ(s.p99, 12);
	CHECK_EQ(s.max, 12);
	CHECK(s.mean > 4.66 && s.mean < 4.67);
	stats_summarize(a, 0, &s);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(s.max, 0);
	stats_sort_u64(a, 0); /* must not touch anything */
	CHECK_EQ(a[0], 0);
}

/* Same answers as the guest SDK, for many sizes and every percentile. */
static void test_matches_sdk(void)
{
	static uint64_t a[2000], b[2000];
	uint64_t x = 12345;

	for (size_t i = 0; i < ARRAY_SIZE(a); i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		a[i] = b[i] = (x >> 40) % 500; /* many ties */
	}
	stats_sort_u64(a, ARRAY_SIZE(a));
	bolt_sort_u64(b, ARRAY_SIZE(b));
	CHECK(!memcmp(a, b, sizeof(a)));
	for (size_t n = 1; n <= ARRAY_SIZE(a); n += 137)
		for (unsigned p = 0; p <= 101; p++)
			if (stats_percentile(a, n, p) != bolt_percentile(a, n, p))
				CHECK_EQ(stats_percentile(a, n, p), bolt_percentile(a, n, p));
	CHECK_EQ(stats_percentile(a, 2000, 99), a[1979]);
	CHECK_EQ(stats_percentile(a, 2000, 50), a[999]);
}

static void test_hist_edges(void)
{
	const uint64_t v[] = { 9, 10, 19, 20, 29, 30, 39, 40, 1000, UINT64_MAX };
	uint64_t counts[3];
	struct stats_hist h;

	/* Buckets [10,20) [20,30) [30,40); 9 is under, 40 and up are over. */
	CHECK_EQ(stats_hist_init(&h, 10, 10, counts, 3), 0);
	stats_hist_add_all(&h, v, ARRAY_SIZE(v));
	CHECK_EQ(h.under, 1);
	CHECK_EQ(counts[0], 2);
	CHECK_EQ(counts[1], 2);
	CHECK_EQ(counts[2], 2);
	CHECK_EQ(h.over, 3);
	CHECK_EQ(h.total, ARRAY_SIZE(v));
	CHECK_EQ(stats_hist_bucket_lo(&h, 0), 10);
	CHECK_EQ(stats_hist_bucket_lo(&h, 3), 40);
	/* Re-init clears counts. */
	CHECK_EQ(stats_hist_init(&h, 0, 1, counts, 3), 0);
	CHECK_EQ(counts[0] + counts[1] + counts[2] + h.over + h.under + h.total, 0);
}

static void test_hist_bad_args(void)
{
	uint64_t counts[2];
	struct stats_hist h;

	CHECK_EQ(stats_hist_init(&h, 0, 0, counts, 2), -XEN_EINVAL);
	CHECK_EQ(stats_hist_init(&h, 0, 1, counts, 0), -XEN_EINVAL);
	CHECK_EQ(stats_hist_init(&h, 0, 1, NULL, 2), -XEN_EINVAL);
	CHECK_EQ(stats_hist_auto(&h, counts, 0, 100, counts, 2), -XEN_EINVAL);
}

static void test_hist_huge_range(void)
{
	const uint64_t v[] = { 0, UINT64_MAX / 2, UINT64_MAX };
	uint64_t counts[4];
	struct stats_hist h;

	/* A span of 2^64 must neither overflow the width nor lose the maximum. */
	CHECK_EQ(stats_hist_auto(&h, v, 3, 100, counts, 4), 0);
	CHECK_EQ(h.width, UINT64_MAX / 4 + 1);
	CHECK_EQ(counts[0], 1);
	CHECK_EQ(counts[1], 1);
	CHECK_EQ(counts[3], 1);
	CHECK_EQ(h.over, 0);
	CHECK(stats_hist_bucket_lo(&h, 5) == UINT64_MAX); /* saturates */
}

static void test_hist_auto(void)
{
	uint64_t v[101], counts[10];
	struct stats_hist h;
	uint64_t sum = 0;

	for (int i = 0; i <= 100; i++)
		v[i] = 100 + (uint64_t)i; /* 100..200 */
	/* Full range: 101 values in 10 buckets of 11. */
	CHECK_EQ(stats_hist_auto(&h, v, 101, 100, counts, 10), 0);
	CHECK_EQ(h.lo, 100);
	CHECK_EQ(h.width, 11);
	CHECK_EQ(h.over, 0);
	CHECK_EQ(counts[0], 11);
	CHECK_EQ(counts[9], 2); /* 199, 200 */
	for (int i = 0; i < 10; i++)
		sum += counts[i];
	CHECK_EQ(sum, 101);
	/* Clipped at p50 (150): width ceil(51 / 10) = 6, 150 in range, beyond -> over. */
	CHECK_EQ(stats_hist_auto(&h, v, 101, 50, counts, 10), 0);
	CHECK_EQ(h.width, 6);
	CHECK_EQ(h.over, 41);
	CHECK_EQ(counts[8], 6); /* 148..153 */
	CHECK_EQ(counts[9], 6);
	/* All equal: width 1, all in bucket 0. */
	for (int i = 0; i < 5; i++)
		v[i] = 7;
	CHECK_EQ(stats_hist_auto(&h, v, 5, 100, counts, 3), 0);
	CHECK_EQ(h.width, 1);
	CHECK_EQ(counts[0], 5);
	CHECK_EQ(h.over + h.under, 0);
}

static void test_cdf_distinct(void)
{
	const uint64_t v[] = { 1, 2, 2, 2, 5 };
	struct stats_cdf_point pt[10];
	size_t n = stats_cdf(v, 5, pt, 10);

	/* One point per distinct value, at the end of each run of ties. */
	CHECK_EQ(n, 3);
	CHECK_EQ(pt[0].value, 1);
	CHECK(pt[0].frac == 0.2);
	CHECK_EQ(pt[1].value, 2);
	CHECK(pt[1].frac == 0.8);
	CHECK_EQ(pt[2].value, 5);
	CHECK(pt[2].frac == 1.0);
	CHECK_EQ(stats_cdf(v, 0, pt, 10), 0);
	CHECK_EQ(stats_cdf(v, 5, pt, 0), 0);
	/* A single point is the maximum at 1.0. */
	CHECK_EQ(stats_cdf(v, 5, pt, 1), 1);
	CHECK_EQ(pt[0].value, 5);
	CHECK(pt[0].frac == 1.0);
}

static void test_cdf_monotonic(void)
{
	static uint64_t v[5000];
	struct stats_cdf_point pt[64];
	uint64_t x = 99;
	size_t n;

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		v[i] = 1000 + (x >> 33) % 3000;
	}
	stats_sort_u64(v, ARRAY_SIZE(v));
	n = stats_cdf(v, ARRAY_SIZE(v), pt, ARRAY_SIZE(pt));
	CHECK(n > 32 && n <= ARRAY_SIZE(pt));
	CHECK_EQ(pt[0].value, v[0]);
	CHECK_EQ(pt[n - 1].value, v[ARRAY_SIZE(v) - 1]);
	CHECK(pt[n - 1].frac == 1.0);
	for (size_t i = 1; i < n; i++) {
		CHECK(pt[i].value > pt[i - 1].value);
		CHECK(pt[i].frac > pt[i - 1].frac);
	}
	/* Each fraction is exactly the share of samples <= its value. */
	for (size_t i = 0; i < n; i++) {
		size_t le = 0;

		while (le < ARRAY_SIZE(v) && v[le] <= pt[i].value)
			le++;
		CHECK(pt[i].frac == (double)le / (double)ARRAY_SIZE(v));
	}
}

void unit_main(void)
{
	TEST(test_percentile_empty);
	TEST(test_percentile_one);
	TEST(test_percentile_ranks);
	TEST(test_percentile_ties);
	TEST(test_sort_unsorted);
	TEST(test_matches_sdk);
	TEST(test_hist_edges);
	TEST(test_hist_bad_args);
	TEST(test_hist_huge_range);
	TEST(test_hist_auto);
	TEST(test_cdf_distinct);
	TEST(test_cdf_monotonic);
}
