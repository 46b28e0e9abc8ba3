/* SPDX-License-Identifier: MIT */
/* Hypervisor-side timing histograms (struct bolt_timing); also built on the host for tests. */
#include "core/stats.h"
#include "lib/lib.h"

void timing_add(struct bolt_timing *t, uint64_t ticks)
{
	unsigned b = bolt_timing_bucket(ticks);

	if (!t->count || ticks < t->min)
		t->min = ticks;
	if (ticks > t->max)
		t->max = ticks;
	t->count++;
	t->sum += ticks;
	t->hist[b]++;
}
