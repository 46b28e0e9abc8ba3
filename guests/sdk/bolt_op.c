/* SPDX-License-Identifier: MIT */
/*
 * Guest SDK: wrappers for the bolt_op hypercall (see bolt_op.h) and the
 * arithmetic on the histograms it returns. The histogram code is pure so
 * that the host unit tests can include this file.
 */
#include <bolt/sdk/base.h>
#include "lib/macros.h"
#include <bolt/sdk/bolt_op.h>

static long sdk_bolt_op(unsigned long op, unsigned long arg)
{
	return bolt_hypercall5(BOLT_HYPERCALL_bolt_op, op, arg, 0, 0, 0);
}

long bolt_stats_get(struct bolt_stats *out)
{
	if (!out)
		return -XEN_EINVAL;
	return sdk_bolt_op(BOLT_OP_stats, (unsigned long)(uintptr_t)out);
}

long bolt_stats_reset(void)
{
	return sdk_bolt_op(BOLT_OP_stats_reset, 0);
}

long bolt_trace_dump(void)
{
	return sdk_bolt_op(BOLT_OP_trace_dump, 0);
}

long bolt_exit_status(int status)
{
	return sdk_bolt_op(BOLT_OP_exit_status, (unsigned long)(long)status);
}

long bolt_trace_map(void *page)
{
	uintptr_t gpa = (uintptr_t)page;

	/* The guest runs on an identity map, so the address is the frame. */
	if (!page || !IS_ALIGNED(gpa, BOLT_PAGE_SIZE))
		return -XEN_EINVAL;
	return sdk_bolt_op(BOLT_OP_trace_map, gpa / BOLT_PAGE_SIZE);
}

uint64_t bolt_timing_permille(const struct bolt_timing *t, unsigned pm)
{
	uint64_t rank, seen = 0, v;
	unsigned b;

	if (!t->count)
		return 0;
	if (pm >= 1000)
		return t->max;
	if (pm == 0)
		return t->min;
	/* Nearest rank: ceil(pm * count / 1000), at least 1. */
	rank = ((uint64_t)pm * t->count + 999) / 1000;
	if (!rank)
		rank = 1;
	for (b = 0; b < BOLT_STATS_HIST_BUCKETS; b++) {
		seen += t->hist[b];
		if (seen >= rank)
			break;
	}
	/* Not reached (hist sums to less than count: a torn copy) or open bucket. */
	if (b >= BOLT_STATS_HIST_BUCKETS - 1)
		return t->max;
	v = bolt_timing_bucket_top(b);
	if (v > t->max)
		v = t->max;
	if (v < t->min)
		v = t->min;
	return v;
}

uint64_t bolt_timing_percentile(const struct bolt_timing *t, unsigned pct)
{
	return bolt_timing_permille(t, pct >= 100 ? 1000 : pct * 10);
}

uint64_t bolt_timing_mean(const struct bolt_timing *t)
{
	return t->count ? t->sum / t->count : 0;
}
