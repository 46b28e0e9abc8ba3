/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the bolt_stats histogram arithmetic of the guest SDK
 * (guests/sdk/bolt_op.c): percentiles and means of struct bolt_timing,
 * which the bench guests turn into hv_send_ticks / hv_wake_ticks.
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
		add(&t, 100); /* bucket 6: 96..111 */
	/* The bucket's upper edge (111) is clamped to the real maximum. */
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
		add(&t, 20);  /* bucket 1: 16..31 */
	for (i = 0; i < 10; i++)
		add(&t, 200); /* bucket 12: 192..207 */
	CHECK_EQ(bolt_timing_percentile(&t, 50), 31);
	CHECK_EQ(bolt_timing_percentile(&t, 90), 31);  /* rank 90 is the last 20 */
	CHECK_EQ(bolt_timing_percentile(&t, 91), 200); /* 207 clamped to max */
	CHECK_EQ(bolt_timing_percentile(&t, 99), 200);
	CHECK_EQ(bolt_timing_percentile(&t, 100), 200);
	/* Upper edge of the bucket: an overestimate by at most 15 ticks. */
	CHECK_EQ(bolt_timing_percentile(&t, 1), 31);
	CHECK_EQ(bolt_timing_mean(&t), (90 * 20 + 10 * 200) / 100);
}

static void test_open_bucket(void)
{
	struct bolt_timing t;

	memset(&t, 0, sizeof(t));
	add(&t, 5);
	add(&t, 100000); /* beyond 128 * 16: the open last bucket */
	CHECK_EQ(t.hist[BOLT_STATS_HIST_BUCKETS - 1], 1);
	CHECK_EQ(bolt_timing_percentile(&t, 50), 15);
	/* Rank 2 falls in the open bucket: only the maximum says where. */
	CHECK_EQ(bolt_timing_percentile(&t, 99), 100000);
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
	TEST(test_torn_copy);
	TEST(test_trace_map_alignment);
}
