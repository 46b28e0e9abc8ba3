/* SPDX-License-Identifier: MIT */
/*
 * libc: the newlib conformance test guest. Each check group (one file each)
 * runs a set of checks of the C library as a guest sees it through the SDK
 * and counts them in a struct libc_group; main.c prints one line per group
 * and the verdict:
 *   RESULT <name> PASS            or
 *   RESULT <name> FAIL: <group>: <first failed check>
 * then exits with status 3 either way (the config expects that status, so
 * it also checks that exit() reaches Bolt).
 */
#ifndef BOLT_TEST_LIBC_H
#define BOLT_TEST_LIBC_H

/* POSIX and BSD names (sbrk, usleep, strtok_r, kill) under -std=c11. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <bolt/sdk.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One check group: its name, how many checks ran and how many failed. */
struct libc_group {
	const char *name;
	unsigned int checks;
	unsigned int fails;
};

/*
 * Count one check; when !ok print "libc: <group>: FAIL: <detail>" and keep
 * the first failure of the run for the RESULT line. Returns ok.
 */
bool libc_check(struct libc_group *g, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The first failure of the run ("<group>: <detail>"), or NULL. */
const char *libc_first_failure(void);

/* One xorshift64 step: the deterministic PRNG of every group. */
static inline uint64_t libc_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* The groups, in the order main.c runs them (heap exhaustion last). */
void libc_fmt(struct libc_group *g);    /* fmt.c: printf family */
void libc_string(struct libc_group *g); /* string.c: mem* and str* */
void libc_conv(struct libc_group *g);   /* conv.c: strto*, atoi */
void libc_sort(struct libc_group *g);   /* conv.c: qsort, bsearch */
void libc_malloc(struct libc_group *g); /* malloc.c: malloc, realloc, calloc */
void libc_math(struct libc_group *g);   /* math.c: libm */
void libc_time(struct libc_group *g);   /* time.c: clocks and sleeps */
void libc_sys(struct libc_group *g);    /* sys.c: the syscall stubs' errno */
void libc_heap(struct libc_group *g);   /* heap.c: sbrk exhaustion */

#endif
