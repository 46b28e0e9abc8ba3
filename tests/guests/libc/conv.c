/* SPDX-License-Identifier: MIT */
/*
 * libc conv: the numeric conversions strtod, strtol, strtoul, strtoll,
 * strtoull and atoi (C11 7.22.1), with their end pointers and ERANGE; and
 * qsort/bsearch (C11 7.22.5) on 1000 random ints, checked to come out
 * sorted and a permutation of the input.
 */
#include "tests/guests/libc/libc.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SORT_N 1000
#define SORT_SEED 0x5eed50f7ull

static const struct {
	const char *s;
	double want;
	size_t end; /* characters converted */
} conv_doubles[] = {
	{ "3.25", 3.25, 4 },
	{ "-1e-3", -1e-3, 5 },
	{ "0x1p4", 16.0, 5 },
	{ " 12abc", 12.0, 3 },
	{ "0.1", 0.1, 3 },
	{ "+.5e1x", 5.0, 5 },
	{ "2.2250738585072014e-308", DBL_MIN, 23 },
	{ "1.7976931348623157e308", DBL_MAX, 22 },
	{ "9007199254740993", 9007199254740992.0, 16 }, /* halfway: to even */
	{ "abc", 0.0, 0 },
	{ "inf", INFINITY, 3 },
	{ "-INFINITY", -INFINITY, 9 },
};

static void conv_strtod(struct libc_group *g)
{
	for (size_t i = 0; i < sizeof(conv_doubles) / sizeof(conv_doubles[0]); i++) {
		const char *s = conv_doubles[i].s;
		char *end;
		double d = strtod(s, &end);

		libc_check(g, d == conv_doubles[i].want && end == s + conv_doubles[i].end,
			   "strtod(\"%s\"): expected %.17g, %zu chars; got %.17g, %td chars", s,
			   conv_doubles[i].want, conv_doubles[i].end, d, end - s);
	}
	libc_check(g, isnan(strtod("nan", NULL)), "strtod(\"nan\") is not a NaN");
	errno = 0;
	libc_check(g, strtod("1e400", NULL) == HUGE_VAL && errno == ERANGE,
		   "strtod(\"1e400\"): expected HUGE_VAL and ERANGE (errno %d)", errno);
	libc_check(g, strtod("1e-400", NULL) < DBL_MIN, "strtod(\"1e-400\") is not tiny");
}

static const struct {
	const char *s;
	int base;
	long want;
	int err;
	size_t end;
} conv_longs[] = {
	{ "123", 10, 123, 0, 3 },
	{ "  -0x1A!", 0, -26, 0, 7 },
	{ "0755", 0, 493, 0, 4 },
	{ "ff", 16, 255, 0, 2 },
	{ "0XfF", 16, 255, 0, 4 },
	{ "z", 36, 35, 0, 1 },
	{ "+42xyz", 10, 42, 0, 3 },
	{ "12", 0, 12, 0, 2 },
	{ "9223372036854775807", 10, LONG_MAX, 0, 19 },
	{ "9223372036854775808", 10, LONG_MAX, ERANGE, 19 },
	{ "-9223372036854775809", 10, LONG_MIN, ERANGE, 20 },
	{ "0x7fffffffffffffffff", 0, LONG_MAX, ERANGE, 20 },
	{ "xyz", 10, 0, 0, 0 },
};

static void conv_strtol(struct libc_group *g)
{
	for (size_t i = 0; i < sizeof(conv_longs) / sizeof(conv_longs[0]); i++) {
		const char *s = conv_longs[i].s;
		char *end;
		long v;

		errno = 0;
		v = strtol(s, &end, conv_longs[i].base);
		libc_check(g, v == conv_longs[i].want && errno == conv_longs[i].err &&
				      end == s + conv_longs[i].end,
			   "strtol(\"%s\", %d): expected %ld errno %d %zu chars; got %ld errno %d %td chars",
			   s, conv_longs[i].base, conv_longs[i].want, conv_longs[i].err,
			   conv_longs[i].end, v, errno, end - s);
	}
	errno = 0;
	libc_check(g, strtoll("-9223372036854775808", NULL, 10) == LLONG_MIN && errno == 0,
		   "strtoll(LLONG_MIN) (errno %d)", errno);
}

static void conv_strtoul(struct libc_group *g)
{
	unsigned long v;

	errno = 0;
	v = strtoul("18446744073709551615", NULL, 10);
	libc_check(g, v == ULONG_MAX && errno == 0,
		   "strtoul(ULONG_MAX): got %lu errno %d", v, errno);
	v = strtoul("18446744073709551616", NULL, 10);
	libc_check(g, v == ULONG_MAX && errno == ERANGE,
		   "strtoul(ULONG_MAX + 1): expected ULONG_MAX ERANGE, got %lu errno %d", v, errno);
	errno = 0;
	v = strtoul("-1", NULL, 10);
	libc_check(g, v == ULONG_MAX && errno == 0, "strtoul(\"-1\"): got %lu errno %d", v, errno);
	v = strtoul("0xDeadBeef", NULL, 0);
	libc_check(g, v == 0xdeadbeefUL, "strtoul(\"0xDeadBeef\", 0): got %#lx", v);
	errno = 0;
	libc_check(g, strtoull("0x10000000000000000", NULL, 16) == ULLONG_MAX && errno == ERANGE,
		   "strtoull(2^64): expected ULLONG_MAX ERANGE (errno %d)", errno);
	libc_check(g, atoi("  -17abc") == -17 && atoi("2147483647") == INT_MAX && atoi("x") == 0,
		   "atoi: got %d %d %d", atoi("  -17abc"), atoi("2147483647"), atoi("x"));
}

void libc_conv(struct libc_group *g)
{
	conv_strtod(g);
	conv_strtol(g);
	conv_strtoul(g);
}

/* No subtraction: the ints span the whole range. */
static int sort_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void sort_sum(const int *v, size_t n, uint64_t *sum, uint32_t *xor)
{
	*sum = 0;
	*xor = 0;
	for (size_t i = 0; i < n; i++) {
		*sum += (uint32_t)v[i];
		*xor ^= (uint32_t)v[i] * 0x9e3779b1u;
	}
}

/* qsort then bsearch on v[n]; mod > 0 folds the values to make duplicates. */
static void sort_run(struct libc_group *g, int *v, size_t n, uint32_t mod)
{
	uint64_t seed = SORT_SEED + mod, sum0, sum1;
	uint32_t xor0, xor1;
	size_t bad = 0, missed = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t r = (uint32_t)libc_rand(&seed);

		v[i] = (int)(mod ? r % mod : r);
	}
	sort_sum(v, n, &sum0, &xor0);
	qsort(v, n, sizeof(v[0]), sort_cmp);
	sort_sum(v, n, &sum1, &xor1);
	for (size_t i = 1; i < n; i++)
		bad += v[i - 1] > v[i];
	libc_check(g, bad == 0, "qsort (mod %u): %zu pairs out of order", mod, bad);
	libc_check(g, sum0 == sum1 && xor0 == xor1,
		   "qsort (mod %u): not a permutation of the input", mod);
	for (size_t i = 0; i < n; i += 7) {
		const int *hit = bsearch(&v[i], v, n, sizeof(v[0]), sort_cmp);

		missed += !hit || *hit != v[i];
	}
	libc_check(g, missed == 0, "bsearch (mod %u): %zu present keys not found", mod, missed);
}

void libc_sort(struct libc_group *g)
{
	static int v[SORT_N];
	const int absent = INT_MIN;

	sort_run(g, v, SORT_N, 0);
	libc_check(g, v[0] == INT_MIN ||
			      bsearch(&absent, v, SORT_N, sizeof(v[0]), sort_cmp) == NULL,
		   "bsearch found INT_MIN, which is not there");
	sort_run(g, v, SORT_N, 10);
	sort_run(g, v, 1, 0);
	sort_run(g, v, 2, 0);
}
