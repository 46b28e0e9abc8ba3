/* SPDX-License-Identifier: MIT */
/*
 * libc fmt: the printf family against literal strings (C11 7.21.6.1).
 * Each case formats with vsnprintf and must give exactly the expected text
 * and return its length. The cases avoid what C11 leaves to the
 * implementation (%p, the sign of a NaN, %a digits, exact-halfway rounding)
 * so that newlib and glibc must agree. Values come through volatile
 * variables where the compiler could otherwise fold the call.
 */
#include "tests/guests/libc/libc.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FMT_BUF 512

static void fmt_expect(struct libc_group *g, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fmt_expect(struct libc_group *g, const char *want, const char *fmt, ...)
{
	char buf[FMT_BUF];
	va_list ap;
	int n;

	memset(buf, 0x5a, sizeof(buf));
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	libc_check(g, n == (int)strlen(want) && strcmp(buf, want) == 0,
		   "\"%s\": expected \"%s\" (%zu), got \"%.80s\" (%d)", fmt, want,
		   strlen(want), buf, n);
}

static void fmt_ints(struct libc_group *g)
{
	fmt_expect(g, "0", "%d", 0);
	fmt_expect(g, "-42", "%d", -42);
	fmt_expect(g, "123", "%i", 123);
	fmt_expect(g, "4294967295", "%u", 4294967295u);
	fmt_expect(g, "deadbeef", "%x", 0xdeadbeefu);
	fmt_expect(g, "DEADBEEF", "%X", 0xdeadbeefu);
	fmt_expect(g, "777", "%o", 0777u);
	fmt_expect(g, "2147483647 -2147483648", "%d %d", INT_MAX, INT_MIN);
	fmt_expect(g, "   42|42   |", "%5d|%-5d|", 42, 42);
	fmt_expect(g, "-0042|+5| 5", "%05d|%+d|% d", -42, 5, 5);
	fmt_expect(g, "0xff 0XFF 010 0", "%#x %#X %#o %#x", 255u, 255u, 8u, 0u);
	fmt_expect(g, "007|    -007|", "%.3d|%8.3d|", 7, -7);
	fmt_expect(g, "||", "%.0d||", 0);
	fmt_expect(g, "+3    |0x00ff", "%-+6d|%#06x", 3, 255u);
	fmt_expect(g, "   42|1   |005", "%*d|%-*d|%.*d", 5, 42, 4, 1, 3, 5);
	fmt_expect(g, "100%", "%d%%", 100);
}

static void fmt_sized(struct libc_group *g)
{
	fmt_expect(g, "-9223372036854775808", "%ld", LONG_MIN);
	fmt_expect(g, "9223372036854775807", "%lld", LLONG_MAX);
	fmt_expect(g, "-9223372036854775808", "%" PRId64, INT64_MIN);
	fmt_expect(g, "18446744073709551615", "%llu", ULLONG_MAX);
	fmt_expect(g, "18446744073709551615", "%" PRIu64, UINT64_MAX);
	fmt_expect(g, "ffffffffffffffff", "%" PRIx64, UINT64_MAX);
	fmt_expect(g, "1777777777777777777777", "%llo", ULLONG_MAX);
	fmt_expect(g, "123456789 -1", "%zu %zd", (size_t)123456789, (ptrdiff_t)-1);
	fmt_expect(g, "-9223372036854775808 18446744073709551615", "%jd %ju",
		   INTMAX_MIN, UINTMAX_MAX);
	fmt_expect(g, "-1 1 ff", "%hhd %hhu %hhx", (signed char)-1,
		   (unsigned char)1, (unsigned char)255);
	fmt_expect(g, "-1 2345", "%hd %hx", (short)-1, (unsigned short)0x2345);
	fmt_expect(g, "-100", "%td", (ptrdiff_t)-100);
}

static void fmt_floats(struct libc_group *g)
{
	static volatile double tenth = 0.1, big = 1e300, tiny = 1e-300;

	fmt_expect(g, "3.250000 -1.500000", "%f %f", 3.25, -1.5);
	fmt_expect(g, "3.142|2.67|-00003.142", "%.3f|%.2f|%010.3f", 3.14159, 2.675, -3.14159);
	fmt_expect(g, "0.100000", "%f", tenth);
	fmt_expect(g, "0.10000000000000000555", "%.20f", tenth);
	fmt_expect(g, "10000000000000000000000.000000", "%f", 1e22);
	fmt_expect(g, "+2.00|1.50    |3.|3", "%+.2f|%-8.2f|%#.0f|%.0f", 2.0, 1.5, 3.0, 3.0);
	fmt_expect(g, "0.000000 -0.000000", "%f %f", tiny, -tiny);
	fmt_expect(g, "1.234568e+04 0.000000e+00", "%e %e", 12345.678, 0.0);
	fmt_expect(g, "  1.23e+03| -1.23e-04", "%10.2e|%10.2e", 1234.5, -0.000123);
	fmt_expect(g, "1.000000e+300 1.000000e-300", "%e %e", big, tiny);
	fmt_expect(g, "-1.000000E-300", "%E", -tiny);
	fmt_expect(g, "1e+300 1e-300 0.1", "%g %g %g", big, tiny, tenth);
	fmt_expect(g, "0.0001 1e-05 123456 1.23457e+06", "%g %g %g %g",
		   0.0001, 0.00001, 123456.0, 1234567.0);
	fmt_expect(g, "100 1.00000 3.14 -0", "%g %#g %.3g %g", 100.0, 1.0, 3.14159, -0.0);
	fmt_expect(g, "-2.5E-07", "%G", -2.5e-7);
}

static void fmt_nonfinite(struct libc_group *g)
{
	static volatile double inf = INFINITY, nan = NAN;

	fmt_expect(g, "inf -inf INF", "%f %f %F", inf, -inf, inf);
	fmt_expect(g, "inf -inf inf", "%e %e %g", inf, -inf, inf);
	fmt_expect(g, "  inf|-inf |", "%5f|%-5f|", inf, -inf);
	fmt_expect(g, "nan nan NAN", "%f %e %G", nan, nan, nan);
}

static void fmt_strings(struct libc_group *g)
{
	static const char abc[3] = { 'a', 'b', 'c' }; /* not terminated */

	fmt_expect(g, "hello", "%s", "hello");
	fmt_expect(g, "hel|ab|abc", "%.3s|%.*s|%.3s", "hello", 2, "abc", abc);
	fmt_expect(g, "abc     |     abc|", "%-8s|%8s|", "abc", "abc");
	fmt_expect(g, "[]", "[%s]", "");
	fmt_expect(g, "x  x|x  |", "%c%3c|%-3c|", 'x', 'x', 'x');
	fmt_expect(g, "a\xe9z", "%c%c%c", 'a', 0xe9, 'z');
}

/* snprintf returns the length the whole output would have had. */
static void fmt_truncate(struct libc_group *g)
{
	static volatile int nine = 123456789, forty2 = 42;
	static volatile size_t one = 1, five = 5, six = 6;
	char buf[16];
	int n;

	memset(buf, 'z', sizeof(buf));
	n = snprintf(buf, five, "%d", nine);
	libc_check(g, n == 9 && strcmp(buf, "1234") == 0 && buf[5] == 'z',
		   "snprintf(5, %%d of 123456789): expected 9 \"1234\", got %d \"%.16s\"", n,
		   buf);
	n = snprintf(NULL, 0, "%s-%d", "ab", forty2);
	libc_check(g, n == 5, "snprintf(NULL, 0, \"ab-42\"): expected 5, got %d", n);
	buf[0] = 'q';
	n = snprintf(buf, one, "abc%d", forty2);
	libc_check(g, n == 5 && buf[0] == '\0',
		   "snprintf(1, \"abc42\"): expected 5 \"\", got %d \"%.16s\"", n, buf);
	n = snprintf(buf, six, "%.2f", 3.14159 * (forty2 / 42));
	libc_check(g, n == 4 && strcmp(buf, "3.14") == 0,
		   "snprintf(6, %%.2f of pi): expected 4 \"3.14\", got %d \"%.16s\"", n, buf);
	n = sprintf(buf, "%s=%03d", "k", forty2);
	libc_check(g, n == 5 && strcmp(buf, "k=042") == 0,
		   "sprintf: expected 5 \"k=042\", got %d \"%.16s\"", n, buf);
}

/* printf and puts return what they wrote to the console. */
static void fmt_stdout(struct libc_group *g)
{
	const char *line = "libc: fmt: printf to stdout: ok 7\n";
	int n;

	n = printf("libc: fmt: printf to stdout: %s %d\n", "ok", 7);
	libc_check(g, n == (int)strlen(line), "printf returned %d, expected %zu", n,
		   strlen(line));
	n = puts("libc: fmt: puts to stdout");
	libc_check(g, n >= 0, "puts returned %d", n);
	n = fputs("libc: fmt: fputs to stdout\n", stdout);
	libc_check(g, n >= 0, "fputs returned %d", n);
	libc_check(g, fflush(stdout) == 0, "fflush(stdout) failed");
}

void libc_fmt(struct libc_group *g)
{
	fmt_ints(g);
	fmt_sized(g);
	fmt_floats(g);
	fmt_nonfinite(g);
	fmt_strings(g);
	fmt_truncate(g);
	fmt_stdout(g);
}
