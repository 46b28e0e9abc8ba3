/* SPDX-License-Identifier: MIT */
/*
 * Output of the bench guest: raw samples as batched CSV lines (one
 * console_io exit per ~200 bytes, not per sample) and BENCH summary lines
 * in the format tools/bench.sh parses: `BENCH <name> <value> <unit>`.
 * Called only once a phase has finished measuring.
 */
#include "guests/bench/bench.h"

/* Keep each console line well inside bolt_printf's 256-byte line. */
#define BENCH_CSV_LINE 200

void bench_print_samples(const char *fig, const uint64_t *s, size_t n)
{
	char line[256];
	size_t i = 0;

	while (i < n) {
		int len = snprintf(line, sizeof(line), "CSV %s", fig);

		while (i < n && len < BENCH_CSV_LINE) {
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %llu",
					(unsigned long long)s[i]);
			i++;
		}
		printf("%s\n", line);
	}
}

/* Sorts s in place. */
void bench_print_summary(const char *fig, uint64_t *s, size_t n)
{
	if (!n) {
		printf("bench: %s: no samples\n", fig);
		return;
	}
	bolt_sort_u64(s, n);
	printf("BENCH %s_p50 %llu ticks\n", fig,
	       (unsigned long long)bolt_percentile(s, n, 50));
	printf("BENCH %s_p99 %llu ticks\n", fig,
	       (unsigned long long)bolt_percentile(s, n, 99));
	/* Nearest rank ceil(0.999 n), as tools/bench.sh computes it from the CSV. */
	printf("BENCH %s_p999 %llu ticks\n", fig,
	       (unsigned long long)s[(n * 999 + 999) / 1000 - 1]);
	printf("BENCH %s_max %llu ticks\n", fig, (unsigned long long)s[n - 1]);
}

void bench_report(const char *fig, uint64_t *s, size_t n)
{
	bench_print_samples(fig, s, n);
	bench_print_summary(fig, s, n);
}

/* num / den with three decimals (the console formatter has no %f). */
void bench_print_ratio(const char *name, uint64_t num, uint64_t den, const char *unit)
{
	uint64_t milli;

	if (!den) {
		printf("bench: %s: nothing to divide by\n", name);
		return;
	}
	milli = (num * 1000 + den / 2) / den;
	printf("BENCH %s %llu.%03llu %s\n", name, (unsigned long long)(milli / 1000),
	       (unsigned long long)(milli % 1000), unit);
}

void bench_print_timing(const char *name, const struct bolt_timing *t)
{
	if (!t->count) {
		printf("bench: %s: the hypervisor recorded no samples\n", name);
		return;
	}
	printf("bench: %s: %llu samples, min %llu, max %llu, mean %llu ticks\n", name,
	       (unsigned long long)t->count, (unsigned long long)t->min,
	       (unsigned long long)t->max, (unsigned long long)bolt_timing_mean(t));
	printf("BENCH %s_p50 %llu ticks\n", name,
	       (unsigned long long)bolt_timing_percentile(t, 50));
	printf("BENCH %s_p99 %llu ticks\n", name,
	       (unsigned long long)bolt_timing_percentile(t, 99));
	printf("BENCH %s_p999 %llu ticks\n", name,
	       (unsigned long long)bolt_timing_permille(t, 999));
	printf("BENCH %s_max %llu ticks\n", name, (unsigned long long)t->max);
	printf("BENCH %s_mean %llu ticks\n", name, (unsigned long long)bolt_timing_mean(t));
}

/* The counters of one measured loop, for the log (exit reasons that moved). */
void bench_print_stats_delta(const char *who, const struct bolt_stats *a,
			     const struct bolt_stats *b)
{
	char line[256];
	int len;
	unsigned r;

	printf("bench: %s: exits %llu, sends %llu, notifies %llu, upcalls %llu, "
	       "wakeups %llu\n", who, (unsigned long long)(b->exits - a->exits),
	       (unsigned long long)(b->sends - a->sends),
	       (unsigned long long)(b->notifies - a->notifies),
	       (unsigned long long)(b->upcalls - a->upcalls),
	       (unsigned long long)(b->wakeups - a->wakeups));
	len = snprintf(line, sizeof(line), "bench: %s: exits by reason:", who);
	for (r = 0; r < BOLT_STATS_EXIT_REASONS && len < 220; r++) {
		uint64_t d = b->exits_by_reason[r] - a->exits_by_reason[r];

		if (d)
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %u:%llu", r,
					(unsigned long long)d);
	}
	printf("%s\n", line);
}

/*
 * Exits of a measured loop that belong to its notifications: every exit
 * between the two bolt_stats reads, less the second read's own VMCALL and
 * the VMX-preemption-timer exits (Bolt's 1 ms tick, which runs on a CPU
 * with a lazy receiver whatever the loop does; logged, not hidden).
 */
uint64_t bench_notify_exits(const struct bolt_stats *a, const struct bolt_stats *b)
{
	uint64_t all = b->exits - a->exits;
	uint64_t timer = b->exits_by_reason[BENCH_EXIT_PREEMPTION_TIMER] -
			 a->exits_by_reason[BENCH_EXIT_PREEMPTION_TIMER];

	if (timer)
		printf("bench: %llu timer-tick exits not counted as notification exits\n",
		       (unsigned long long)timer);
	return all > timer ? all - timer - 1 : 0;
}
