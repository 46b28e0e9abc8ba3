/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the bolt_stats histogram arithmetic of the guest SDK
 * (guests/sdk/bolt_op.c): the log-linear bucket layout of struct
 * bolt_timing (include/bolt/bolt.h), its quantiles (p50 to p99.9) and
 * means, which the bench guests turn into the hv_send / hv_wake figures.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/stats.h"
#include "unit.h"

/* Guest code, not one of the Makefile's HOST_SRCS: compile it in here. */
#include "guests/sdk/bolt_op.c"

/* Defined by the SDK's xen.c in a guest; never called through here. */
uintptr_t bolt_hypercall_page;

/* Samples go in through Bolt's own timing_add() (core/stats.c). */
static void add(struct bolt_timing *t, uint64_t ticks)
{
	timing_add(t, ticks);
}

static void test_empty(void)
{
	struct bolt_timing t;

	memset(&t, 0, sizeof(t));
	CHECK_EQ(bolt_timing_percentile(&t, 50), 0);
	CHECK_EQ(bolt_timing_percentile(&t, 100), 0);
	CHECK_EQ(bolt_timing_mean(&t), 0);
}

static void test_single_value(void)
{
	struct bolt_timing t;
	int i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 10; i++)
		add(&t, 100); /* bucket 100..101 */
	/* The bucket's upper edge (101) is clamped to the real maximum. */
	CHECK_EQ(bolt_timing_percentile(&t, 50), 100);
	CHECK_EQ(bolt_timing_percentile(&t, 99), 100);
	CHECK_EQ(bolt_timing_percentile(&t, 0), 100);
	CHECK_EQ(bolt_timing_mean(&t), 100);
}

static void test_two_buckets(void)
{
	struct bolt_timing t;
	int i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 90; i++)
		add(&t, 20);  /* exact: below 64 every value has its bucket */
	for (i = 0; i < 10; i++)
		add(&t, 210); /* bucket 208..211 */
	add(&t, 1000);        /* bucket 992..1007 */
	CHECK_EQ(bolt_timing_percentile(&t, 50), 20);
	CHECK_EQ(bolt_timing_percentile(&t, 89), 20);  /* rank 90 is the last 20 */
	CHECK_EQ(bolt_timing_percentile(&t, 90), 211); /* rank 91: upper edge of 208..211 */
	CHECK_EQ(bolt_timing_percentile(&t, 99), 211); /* rank 100 */
	CHECK_EQ(bolt_timing_permille(&t, 991), 1000); /* rank 101: 1007 clamped to max */
	CHECK_EQ(bolt_timing_percentile(&t, 100), 1000);
	CHECK_EQ(bolt_timing_percentile(&t, 1), 20);
	CHECK_EQ(bolt_timing_mean(&t), (90 * 20 + 10 * 210 + 1000) / 101);
}

static void test_open_bucket(void)
{
	struct bolt_timing t;

	memset(&t, 0, sizeof(t));
	add(&t, 5);
	add(&t, 3000000); /* 2^20 and beyond: the open last bucket */
	CHECK_EQ(t.hist[BOLT_STATS_HIST_BUCKETS - 1], 1);
	CHECK_EQ(bolt_timing_percentile(&t, 50), 5);
	/* Rank 2 falls in the open bucket: only the maximum says where. */
	CHECK_EQ(bolt_timing_percentile(&t, 99), 3000000);
}

/* Every value lands in a bucket whose edges hold it, no wider than 1/32 of it. */
static void test_layout(void)
{
	uint64_t v, top, prev_top = 0;
	unsigned b, prev = 0;
	bool ok = true;

	CHECK_EQ(bolt_timing_bucket(0), 0);
	CHECK_EQ(bolt_timing_bucket(63), 63);
	CHECK_EQ(bolt_timing_bucket(64), 64);
	CHECK_EQ(bolt_timing_bucket(65), 64);
	CHECK_EQ(bolt_timing_bucket_top(64), 65);
	CHECK_EQ(bolt_timing_bucket((1u << 20) - 1), BOLT_STATS_HIST_BUCKETS - 2);
	CHECK_EQ(bolt_timing_bucket(1u << 20), BOLT_STATS_HIST_BUCKETS - 1);
	CHECK_EQ(bolt_timing_bucket(UINT64_MAX), BOLT_STATS_HIST_BUCKETS - 1);
	for (v = 0; v < (1u << 20) && ok; v++) {
		b = bolt_timing_bucket(v);
		top = bolt_timing_bucket_top(b);
		/* Buckets are contiguous: a new bucket starts right after the last top. */
		if (v && b != prev && (b != prev + 1 || v != prev_top + 1))
			ok = false;
		if (top < v)
			ok = false;
		/* At a bucket's first value v: width 1 below 64, at most v / 32 above. */
		if ((!v || b != prev) && (v < 64 ? top != v : (top - v + 1) * 32 > v))
			ok = false;
		prev = b;
		prev_top = top;
	}
	CHECK(ok);
	CHECK_EQ(prev_top, (1u << 20) - 1);
}

/* p99.9 needs at least 1,000 samples to differ from the maximum. */
static void test_permille(void)
{
	struct bolt_timing t;
	int i;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < 1996; i++)
		add(&t, 150);
	for (i = 0; i < 3; i++)
		add(&t, 900); /* bucket 896..911 */
	add(&t, 3000);
	/* 150 lies in 148..151: quantiles report the bucket's upper edge. */
	CHECK_EQ(bolt_timing_permille(&t, 500), 151);
	CHECK_EQ(bolt_timing_permille(&t, 990), 151);
	/* Rank ceil(0.999 * 2000) = 1998: one of the 900s, as its bucket's edge. */
	CHECK_EQ(bolt_timing_permille(&t, 999), 911);
	CHECK_EQ(bolt_timing_permille(&t, 1000), 3000);
	CHECK_EQ(bolt_timing_percentile(&t, 99), bolt_timing_permille(&t, 990));
}

static void test_torn_copy(void)
{
	struct bolt_timing t;

	/* A histogram that sums to less than count (copied mid-update): no overrun. */
	memset(&t, 0, sizeof(t));
	add(&t, 40);
	t.count = 5;
	t.max = 40;
	CHECK_EQ(bolt_timing_percentile(&t, 50), 40);
}

static void test_trace_map_alignment(void)
{
	static uint8_t page[2 * 4096] __attribute__((aligned(4096)));

	/* Rejected before any hypercall is issued: safe on the host. */
	CHECK_EQ(bolt_trace_map(page + 8), -XEN_EINVAL);
	CHECK_EQ(bolt_trace_map(NULL), -XEN_EINVAL);
	CHECK_EQ(bolt_stats_get(NULL), -XEN_EINVAL);
}

void unit_main(void)
{
	TEST(test_empty);
	TEST(test_single_value);
	TEST(test_two_buckets);
	TEST(test_open_bucket);
	TEST(test_layout);
	TEST(test_permille);
	TEST(test_torn_copy);
	TEST(test_trace_map_alignment);
}
