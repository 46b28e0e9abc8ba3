/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the Xen wallclock (core/wallclock.c): the firmware's
 * calendar time to Unix time, against values `date -u -d ... +%s` gives,
 * the range checks a bad RTC needs, and the shared_info fields a guest's
 * clock_gettime(CLOCK_REALTIME) reads.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../core/wallclock.c"

#include "unit.h"

static struct civil_time civil(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi,
			       unsigned s)
{
	return (struct civil_time){ .year = (uint16_t)y, .month = (uint8_t)mo, .day = (uint8_t)d,
				    .hour = (uint8_t)h, .minute = (uint8_t)mi,
				    .second = (uint8_t)s };
}

static uint64_t secs(struct civil_time t)
{
	uint64_t ns = 1;

	CHECK_EQ(wallclock_from_civil(&t, &ns), 0);
	return ns / 1000000000ull;
}

static void test_known_dates(void)
{
	CHECK_EQ(secs(civil(1970, 1, 1, 0, 0, 0)), 0);
	CHECK_EQ(secs(civil(1970, 1, 2, 0, 0, 1)), 86401);
	CHECK_EQ(secs(civil(2000, 2, 29, 12, 0, 0)), 951825600);   /* a leap day of a 400-year */
	CHECK_EQ(secs(civil(2000, 3, 1, 0, 0, 0)), 951868800);
	CHECK_EQ(secs(civil(2026, 12, 5, 11, 40, 0)), 1796470800);
	CHECK_EQ(secs(civil(2038, 1, 19, 3, 14, 8)), 2147483648);  /* past 31 bits */
	CHECK_EQ(secs(civil(2106, 2, 7, 6, 28, 16)), 4294967296);  /* past 32 bits */
	CHECK_EQ(secs(civil(2100, 3, 1, 0, 0, 0)), 4107542400);    /* 2100 is not leap */
	CHECK_EQ(secs(civil(2500, 12, 31, 23, 59, 59)), 16756761599);
}

static void test_offset_and_nanoseconds(void)
{
	struct civil_time t = civil(2026, 12, 5, 12, 40, 0);
	uint64_t ns;

	/* local = UTC + 60 min: 12:40 local is 11:40 UTC. */
	t.utc_offset_known = true;
	t.utc_offset_min = 60;
	t.nanosecond = 250000000;
	CHECK_EQ(wallclock_from_civil(&t, &ns), 0);
	CHECK_EQ(ns, 1796470800ull * 1000000000ull + 250000000);
	/* Unknown offset: the RTC is taken as UTC. */
	t.utc_offset_known = false;
	CHECK_EQ(wallclock_from_civil(&t, &ns), 0);
	CHECK_EQ(ns / 1000000000ull, 1796474400ull);
}

static void test_bad_rtc(void)
{
	static const struct {
		struct civil_time t;
		const char *why;
	} bad[] = {
		{ { 2023, 2, 29, 0, 0, 0, 0, false, 0 }, "29 February of a common year" },
		{ { 2024, 13, 1, 0, 0, 0, 0, false, 0 }, "month 13" },
		{ { 2501, 1, 1, 0, 0, 0, 0, false, 0 }, "past 2500" },
		{ { 2024, 0, 1, 0, 0, 0, 0, false, 0 }, "month 0" },
		{ { 2024, 4, 31, 0, 0, 0, 0, false, 0 }, "31 April" },
		{ { 2024, 4, 30, 24, 0, 0, 0, false, 0 }, "hour 24" },
		{ { 1969, 12, 31, 23, 59, 59, 0, false, 0 }, "before the epoch" },
		{ { 2024, 1, 1, 0, 0, 60, 0, false, 0 }, "second 60" },
		{ { 2024, 1, 1, 0, 0, 0, 1000000000, false, 0 }, "a whole second of ns" },
		/* EFI_UNSPECIFIED_TIMEZONE must not get here as an offset. */
		{ { 2024, 1, 1, 0, 0, 0, 0, true, 2047 }, "offset 2047" },
		/* 00:30 at UTC+1 is 23:30 the day before. */
		{ { 1970, 1, 1, 0, 30, 0, 0, true, 60 }, "before the epoch in UTC" },
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t ns = 77;
		int rc = wallclock_from_civil(&bad[i].t, &ns);

		if (rc != -XEN_EINVAL || ns != 77)
			printf("  accepted: %s\n", bad[i].why);
		CHECK_EQ(rc, -XEN_EINVAL);
		CHECK_EQ(ns, 77); /* untouched on error */
	}
}

static void test_fill(void)
{
	static struct shared_info s;

	memset(&s, 0, sizeof(s));
	wallclock_set(4294967296ull * 1000000000ull + 123);
	CHECK_EQ(wallclock_get(), 4294967296ull * 1000000000ull + 123);
	wallclock_fill(&s);
	CHECK_EQ(s.wc_version, 2); /* even: no update in progress */
	CHECK_EQ(s.wc_sec, 0);
	CHECK_EQ(s.wc_sec_hi, 1);
	CHECK_EQ(s.wc_nsec, 123);
	wallclock_set(1796470800ull * 1000000000ull);
	wallclock_fill(&s);
	CHECK_EQ(s.wc_version, 4);
	CHECK_EQ(s.wc_sec, 1796470800u);
	CHECK_EQ(s.wc_sec_hi, 0);
	CHECK_EQ(s.wc_nsec, 0);
}

/* A 32-bit guest's layout: wc_* at 2304, wc_sec_hi in arch at 2340. */
static void test_fill_compat(void)
{
	static struct compat_shared_info s;
	const uint8_t *b = (const uint8_t *)&s;
	uint32_t w;

	memset(&s, 0, sizeof(s));
	wallclock_set(4294967296ull * 1000000000ull + 123);
	wallclock_fill_compat(&s);
	memcpy(&w, b + 2304, 4);
	CHECK_EQ(w, 2);
	memcpy(&w, b + 2308, 4);
	CHECK_EQ(w, 0);
	memcpy(&w, b + 2312, 4);
	CHECK_EQ(w, 123);
	memcpy(&w, b + 2340, 4);
	CHECK_EQ(w, 1);
}

void unit_main(void)
{
	TEST(test_known_dates);
	TEST(test_offset_and_nanoseconds);
	TEST(test_bad_rtc);
	TEST(test_fill);
	TEST(test_fill_compat);
}
