/* SPDX-License-Identifier: MIT */
/*
 * Guest SDK: Bolt's own hypercall, bolt_op (include/bolt/bolt.h), which
 * benchmarks and tracing use: this vCPU's exit and event counters, the
 * hypervisor-side send/wake timings, and the per-channel trace controls.
 * Included by bolt.h; not meant to be included alone.
 *
 * A Bolt without bolt_op answers -XEN_ENOSYS; callers are expected to skip
 * what they measure with it rather than fail.
 */
#ifndef BOLT_GUEST_SDK_BOLT_OP_H
#define BOLT_GUEST_SDK_BOLT_OP_H

#include <stdint.h>

#include <bolt/bolt.h>

/* BOLT_OP_stats: copy this vCPU's counters to *out. 0 or a negative Xen errno. */
long bolt_stats_get(struct bolt_stats *out);
/* BOLT_OP_stats_reset: zero this vCPU's counters and timings. */
long bolt_stats_reset(void);
/* BOLT_OP_trace_dump: Bolt prints every trace buffer on its console now. */
long bolt_trace_dump(void);
/*
 * Tell Bolt the status the next SCHEDOP_shutdown(poweroff) reports ("exit
 * status N" in its log and summary). exit() does this; 0 or -XEN_ENOSYS
 * on a Bolt that does not know the call.
 */
long bolt_exit_status(int status);
/*
 * BOLT_OP_trace_map: Bolt maps its struct bolt_trace_acks page over the
 * guest page at `page` (identity-mapped, 4 KiB aligned, in guest RAM);
 * whatever the page held is hidden until unmapped. -XEN_EINVAL if page is
 * not page-aligned.
 */
long bolt_trace_map(void *page);

/*
 * Nearest-rank quantile of a bolt_timing histogram (include/bolt/bolt.h:
 * exact below 64 ticks, within 3.1 % above, the last bucket open), in
 * ticks, pm in thousandths (999 = p99.9): the upper edge of the bucket
 * holding the rank, clamped to [min, max] (so the open bucket and
 * pm >= 1000 give max, pm 0 gives min). 0 when the timing has no samples.
 */
uint64_t bolt_timing_permille(const struct bolt_timing *t, unsigned pm);
/* The same in percent (pct 99 = pm 990). */
uint64_t bolt_timing_percentile(const struct bolt_timing *t, unsigned pct);
/* Mean in ticks (sum / count, rounded down), 0 without samples. */
uint64_t bolt_timing_mean(const struct bolt_timing *t);

#endif
