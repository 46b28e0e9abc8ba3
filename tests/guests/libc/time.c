/* SPDX-License-Identifier: MIT */
/*
 * libc time: the clocks and sleeps the SDK builds on the pvclock.
 * CLOCK_MONOTONIC must not go back and must agree with bolt_now_ns() read
 * between two of its readings; gettimeofday and time() must agree with
 * CLOCK_REALTIME (same second, or the next one); REALTIME must advance
 * with MONOTONIC; nanosleep and usleep must sleep at least as long as
 * asked, and not absurdly longer. REALTIME is the wallclock Bolt
 * publishes in shared_info (from the RTC at boot) plus system time: when
 * there is one, time() must equal it plus the pvclock's seconds and be a
 * date after 2020 (Bochs' and QEMU's RTCs follow the host clock);
 * without one it starts at the epoch.
 */
#include "tests/guests/libc/libc.h"

#include <errno.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TIME_MS 1000000ll /* ns */
#define TIME_SLACK (1 * TIME_MS)
#define TIME_LONGEST (500 * TIME_MS)
#define TIME_READS 1000

static int64_t time_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void time_monotonic(struct libc_group *g)
{
	int64_t t1, t2, now, prev = time_ns(CLOCK_MONOTONIC), back = 0;

	for (int i = 0; i < TIME_READS; i++) {
		int64_t t = time_ns(CLOCK_MONOTONIC);

		if (t < prev && prev - t > back)
			back = prev - t;
		prev = t;
	}
	libc_check(g, prev > 0, "clock_gettime(CLOCK_MONOTONIC) failed or is 0");
	libc_check(g, back == 0, "CLOCK_MONOTONIC went back by up to %lld ns", (long long)back);
	t1 = time_ns(CLOCK_MONOTONIC);
	now = (int64_t)bolt_now_ns();
	t2 = time_ns(CLOCK_MONOTONIC);
	libc_check(g, t1 <= t2 && t1 - TIME_SLACK <= now && now <= t2 + TIME_SLACK,
		   "bolt_now_ns() %lld not within 1 ms of [%lld, %lld] (MONOTONIC)",
		   (long long)now, (long long)t1, (long long)t2);
}

static void time_realtime(struct libc_group *g)
{
	struct timespec ts;
	struct timeval tv;
	time_t t;
	int rc1, rc2;

	rc1 = clock_gettime(CLOCK_REALTIME, &ts);
	rc2 = gettimeofday(&tv, NULL);
	t = time(NULL);
	libc_check(g, rc1 == 0 && rc2 == 0 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000 &&
			      tv.tv_usec >= 0 && tv.tv_usec < 1000000,
		   "REALTIME %d %lld.%09ld, gettimeofday %d %lld.%06ld", rc1,
		   (long long)ts.tv_sec, (long)ts.tv_nsec, rc2, (long long)tv.tv_sec,
		   (long)tv.tv_usec);
	libc_check(g, tv.tv_sec - ts.tv_sec <= 1 && tv.tv_sec >= ts.tv_sec &&
			      t - tv.tv_sec <= 1 && t >= tv.tv_sec,
		   "seconds: REALTIME %lld, gettimeofday %lld, time() %lld", (long long)ts.tv_sec,
		   (long long)tv.tv_sec, (long long)t);
}

/* REALTIME = the published wallclock + system time, and a plausible date. */
static void time_wallclock(struct libc_group *g)
{
	const struct shared_info *sh = bolt_shared_info();
	uint64_t wc, now;
	time_t t;
	struct tm tm;

	if (!sh) {
		libc_check(g, false, "no shared_info");
		return;
	}
	wc = (uint64_t)sh->wc_sec_hi << 32 | sh->wc_sec;
	now = bolt_now_ns() / 1000000000ull;
	t = time(NULL);
	printf("libc: time: wallclock %llu, time() %lld, %s", (unsigned long long)wc, (long long)t,
	       asctime(gmtime_r(&t, &tm)));
	libc_check(g, (uint64_t)t >= wc + now && (uint64_t)t <= wc + now + 2,
		   "time() %lld is not wallclock %llu + system time %llu s", (long long)t,
		   (unsigned long long)wc, (unsigned long long)now);
	libc_check(g, wc == 0 || t >= 1577836800, "time() %lld is before 2020 with a wallclock",
		   (long long)t);
	libc_check(g, sh->wc_version % 2 == 0, "wc_version %u is odd", sh->wc_version);
}

/* Monotonic time across f(arg) must be in [min_ns, TIME_LONGEST). */
static void time_sleep(struct libc_group *g, const char *what, int (*f)(long), long arg,
		       int64_t min_ns)
{
	int64_t m1 = time_ns(CLOCK_MONOTONIC), r1 = time_ns(CLOCK_REALTIME), m2, r2;
	int rc = f(arg);

	r2 = time_ns(CLOCK_REALTIME);
	m2 = time_ns(CLOCK_MONOTONIC);
	libc_check(g, rc == 0 && m2 - m1 >= min_ns && m2 - m1 < TIME_LONGEST,
		   "%s returned %d errno %d after %lld ns (MONOTONIC)", what, rc, errno,
		   (long long)(m2 - m1));
	libc_check(g, (r2 - r1) - (m2 - m1) <= TIME_SLACK && (m2 - m1) - (r2 - r1) <= TIME_SLACK,
		   "%s: REALTIME advanced %lld ns, MONOTONIC %lld ns", what,
		   (long long)(r2 - r1), (long long)(m2 - m1));
}

static int time_nanosleep(long ns)
{
	struct timespec req = {.tv_sec = 0, .tv_nsec = ns}, rem;

	return nanosleep(&req, &rem);
}

static int time_usleep(long us)
{
	return usleep((useconds_t)us);
}

/* Malformed requests fail with EINVAL instead of sleeping some other time. */
static void time_bad_sleeps(struct libc_group *g)
{
	static const struct timespec bad[] = { { 0, 1000000000 }, { 0, -1 }, { -1, 0 } };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;

		errno = 0;
		rc = nanosleep(&bad[i], NULL);
		libc_check(g, rc == -1 && errno == EINVAL,
			   "nanosleep({%lld, %ld}): rc %d errno %d, expected -1 EINVAL",
			   (long long)bad[i].tv_sec, bad[i].tv_nsec, rc, errno);
	}
}

void libc_time(struct libc_group *g)
{
	time_monotonic(g);
	time_realtime(g);
	time_wallclock(g);
	time_bad_sleeps(g);
	time_sleep(g, "nanosleep(2 ms)", time_nanosleep, 2 * TIME_MS, 2 * TIME_MS);
	time_sleep(g, "usleep(1000)", time_usleep, 1000, 1 * TIME_MS);
}
