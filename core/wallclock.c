/* SPDX-License-Identifier: MIT */
/*
 * The Xen wallclock (core/wallclock.h). Xen publishes in shared_info the
 * Unix time at system time 0; a guest adds its pvclock's system time to
 * get the current time. Bolt's system time 0 is the TSC value time_init()
 * took, and boot/ reads the RTC right before that, so the one value set
 * here holds for the whole run (the TSC is constant-rate; nothing adjusts
 * the clock afterwards).
 */
#include <stdint.h>
#include <xen/xen.h>

#include "core/compat.h"
#include "core/wallclock.h"
#include "lib/errno.h"

#define NS_PER_SEC 1000000000ull

static uint64_t wall_ns;

static bool is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/*
 * Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar:
 * count from 1 March of year 0 (so the leap day is the last day of its
 * "year"), in 400-year eras of 146,097 days; 719,468 is 1970-01-01 there.
 */
static uint64_t days_since_epoch(unsigned y, unsigned m, unsigned d)
{
	unsigned yy = m <= 2 ? y - 1 : y;
	unsigned era = yy / 400, yoe = yy % 400;
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	uint64_t doe = (uint64_t)yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (uint64_t)era * 146097 + doe - 719468;
}

int wallclock_from_civil(const struct civil_time *t, uint64_t *unix_ns)
{
	uint64_t secs;

	if (t->year < 1970 || t->year > 2500 || t->month < 1 || t->month > 12 || t->day < 1 ||
	    t->day > days_in_month(t->year, t->month) || t->hour > 23 || t->minute > 59 ||
	    t->second > 59 || t->nanosecond >= NS_PER_SEC)
		return -XEN_EINVAL;
	if (t->utc_offset_known && (t->utc_offset_min < -1440 || t->utc_offset_min > 1440))
		return -XEN_EINVAL;
	secs = days_since_epoch(t->year, t->month, t->day) * 86400 + t->hour * 3600u +
	       t->minute * 60u + t->second;
	/* local = UTC + offset (UEFI 2.7 and later), so UTC = local - offset. */
	if (t->utc_offset_known) {
		int64_t utc = (int64_t)secs - (int64_t)t->utc_offset_min * 60;

		if (utc < 0)
			return -XEN_EINVAL;
		secs = (uint64_t)utc;
	}
	*unix_ns = secs * NS_PER_SEC + t->nanosecond;
	return 0;
}

void wallclock_set(uint64_t unix_ns_at_boot)
{
	wall_ns = unix_ns_at_boot;
}

uint64_t wallclock_get(void)
{
	return wall_ns;
}

/*
 * Xen's protocol (xen.h, struct shared_info): an odd wc_version means an
 * update is in progress; a reader retries until it sees the same even
 * version before and after. The release fences order the version stores
 * around the data for a reader on another CPU.
 */
static void fill(uint32_t *version, uint32_t *sec_lo, uint32_t *nsec, uint32_t *sec_hi)
{
	uint64_t sec = wall_ns / NS_PER_SEC;

	(*version)++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*sec_lo = (uint32_t)sec;
	*sec_hi = (uint32_t)(sec >> 32);
	*nsec = (uint32_t)(wall_ns % NS_PER_SEC);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	(*version)++;
}

void wallclock_fill(struct shared_info *s)
{
	fill(&s->wc_version, &s->wc_sec, &s->wc_nsec, &s->wc_sec_hi);
}

void wallclock_fill_compat(struct compat_shared_info *s)
{
	fill(&s->wc_version, &s->wc_sec, &s->wc_nsec, &s->wc_sec_hi);
}
