/* SPDX-License-Identifier: MIT */
/*
 * Host tests for system time (core/time.c), included directly with a fake
 * TSC. Issue 8 item 7: time_ns_to_tsc() of a huge deadline
 * (set_timer_op(~0), a huge SCHEDOP_poll timeout) must saturate to "never"
 * instead of wrapping to a TSC value in the past, which armed the
 * VMX-preemption timer at 0 on every entry and made the idle loop spin.
 * The wrap needs a TSC of about 1 GHz or more, so Bochs (50 MHz) cannot
 * show it: these tests carry the regression.
 */
#include <stdint.h>

#include "../../core/time.c"

#include "lib/lib.h"

#include "unit.h"

static uint64_t fake_tsc;

uint64_t arch_timestamp(void)
{
	return fake_tsc;
}

/* The exact conversion, in 128 bits, clamped to what a TSC can hold. */
static uint64_t exact_tsc(uint64_t boot, uint64_t tpu, uint64_t ns)
{
	unsigned __int128 t = (unsigned __int128)ns * tpu / 1000 + boot;

	return t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
}

static const uint64_t freqs_tpu[] = {
	50,   /* Bochs at ips=50000000 */
	1000, /* 1 GHz: ~0 ns / 1000 * 1000 is just under 2^64; boot_tsc tips it over */
	3000, /* 3 GHz */
	5000, /* 5 GHz */
};

static const uint64_t boots[] = { 0, 123456789ULL, 900000000000ULL /* 5 min at 3 GHz */ };

static const uint64_t deadlines_ns[] = {
	0, 1, 999, 1000, 1001, 1500000, 1000000000ULL, 3600ULL * 1000000000ULL,
	100000000000000000ULL,  /* 3.2 years: fits at 5 GHz */
	3700000000000000000ULL, /* 117 years: past 2^64 ticks at 5 GHz */
	6200000000000000000ULL, /* 196 years: past 2^64 ticks at 3 GHz */
	1ULL << 63, UINT64_MAX - 1, UINT64_MAX,
};

static void test_conversion(void)
{
	int bad = 0;

	for (size_t f = 0; f < ARRAY_SIZE(freqs_tpu); f++) {
		for (size_t b = 0; b < ARRAY_SIZE(boots); b++) {
			uint64_t prev = 0;

			time_init(boots[b], freqs_tpu[f]);
			for (size_t d = 0; d < ARRAY_SIZE(deadlines_ns); d++) {
				uint64_t ns = deadlines_ns[d], got = time_ns_to_tsc(ns);
				uint64_t want = exact_tsc(boots[b], freqs_tpu[f], ns);

				/* Exact where representable, "never" beyond; never in the past. */
				if (got != want || got < boots[b] || got < prev) {
					fprintf(stderr,
						"  %" PRIu64 " ticks/us, boot %" PRIu64 ", %" PRIu64
						" ns: got %" PRIu64 ", want %" PRIu64 "\n",
						freqs_tpu[f], boots[b], ns, got, want);
					bad++;
				}
				prev = got;
			}
		}
	}
	CHECK_EQ(bad, 0);
}

/* What the preemption timer and the idle loop see: a huge deadline is in the future. */
static void test_huge_is_future(void)
{
	for (size_t f = 0; f < ARRAY_SIZE(freqs_tpu); f++) {
		time_init(900000000000ULL, freqs_tpu[f]);
		fake_tsc = 900000000000ULL + 60 * 1000000 * freqs_tpu[f]; /* a minute later */
		CHECK(time_ns_to_tsc(UINT64_MAX) > arch_timestamp());
		CHECK(time_ns_to_tsc(100000000000000000ULL) > arch_timestamp());
		CHECK(time_ns_to_tsc(time_now_ns() + 1000000) > arch_timestamp());
		CHECK_EQ(time_now_ns(), 60000000000ULL);
	}
	/* The saturated value is exactly "never". */
	time_init(900000000000ULL, 3000);
	CHECK(time_ns_to_tsc(UINT64_MAX) == UINT64_MAX);
	CHECK(time_ns_to_tsc(6200000000000000000ULL) == UINT64_MAX);
	/* Normal values unchanged: 1.5 ms at 3 GHz. */
	CHECK_EQ(time_ns_to_tsc(1500000) - 900000000000ULL, 4500000);
	/* Bochs: even ~0 fits (9.2e17 ticks), so nothing saturates there. */
	time_init(900000000000ULL, 50);
	CHECK_EQ(time_ns_to_tsc(UINT64_MAX), UINT64_MAX / 1000 * 50 + 615 * 50 / 1000 + 900000000000ULL);
}

void unit_main(void)
{
	TEST(test_conversion);
	TEST(test_huge_is_future);
}
