/* SPDX-License-Identifier: MIT */
/*
 * Tiny host unit-test harness. Each tests/unit/test_*.c defines
 * `void unit_main(void)` calling TEST(fn) for each case; CHECK* record
 * failures with file:line. The binary prints one
 * "RESULT unit-<name> PASS|FAIL" line and exits non-zero on failure.
 */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int unit_checks, unit_failures;
extern const char *unit_current;

#define CHECK(cond)                                                                   \
	do {                                                                          \
		unit_checks++;                                                        \
		if (!(cond)) {                                                        \
			unit_failures++;                                              \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__,    \
				__LINE__, unit_current, #cond);                       \
		}                                                                     \
	} while (0)

#define CHECK_EQ(a, b)                                                                \
	do {                                                                          \
		long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);         \
		unit_checks++;                                                        \
		if (unit_a_ != unit_b_) {                                             \
			unit_failures++;                                              \
			fprintf(stderr, "%s:%d: %s: %s == %s failed: %lld != %lld\n", \
				__FILE__, __LINE__, unit_current, #a, #b, unit_a_,    \
				unit_b_);                                             \
		}                                                                     \
	} while (0)

#define CHECK_STR(a, b)                                                               \
	do {                                                                          \
		const char *unit_a_ = (a), *unit_b_ = (b);                            \
		unit_checks++;                                                        \
		if (!unit_a_ || !unit_b_ || strcmp(unit_a_, unit_b_)) {               \
			unit_failures++;                                              \
			fprintf(stderr, "%s:%d: %s: \"%s\" != \"%s\"\n", __FILE__,    \
				__LINE__, unit_current, unit_a_ ? unit_a_ : "(null)", \
				unit_b_ ? unit_b_ : "(null)");                        \
		}                                                                     \
	} while (0)

/* True if needle occurs in haystack. */
#define CHECK_CONTAINS(hay, needle) CHECK(strstr((hay), (needle)) != NULL)

#define TEST(fn)                       \
	do {                           \
		unit_current = #fn;    \
		fn();                  \
	} while (0)

void unit_main(void);

/* Read a whole file into a malloc'd buffer (NUL-terminated); aborts on error. */
char *unit_read_file(const char *path, size_t *len);

#endif
