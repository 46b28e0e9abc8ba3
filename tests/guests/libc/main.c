/* SPDX-License-Identifier: MIT */
/*
 * libc: entry point of the newlib conformance test guest. The guest SDK
 * runs on newlib (x86_64-elf); this guest checks that what a C author
 * expects of it holds inside a Bolt guest: the printf family's formats
 * against literal strings, malloc/realloc/calloc under a random workload,
 * qsort/bsearch, strto*, the string functions, libm against known values,
 * the clocks against bolt_now_ns() and the sleeps, the errno of the
 * syscall stubs, and last sbrk exhaustion (ENOMEM, no overlap, recovery).
 * The whole run is deterministic (fixed PRNG seeds).
 *
 * Command line: name=NAME sets the RESULT name (default "libc").
 * Output: one "libc: <group>: ..." line per group, a "libc: <group>: FAIL:"
 * line per failed check with expected and actual values, then
 *   RESULT <name> PASS   or   RESULT <name> FAIL: <group>: <first failure>
 * and exit(3) in both cases.
 */
#include "tests/guests/libc/libc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIBC_NAME_MAX 48
#define LIBC_WHY_MAX 200
/* The status the config expects in Bolt's "stopped (poweroff)" line. */
#define LIBC_EXIT_STATUS 3

static char libc_why[LIBC_WHY_MAX];

bool libc_check(struct libc_group *g, bool ok, const char *fmt, ...)
{
	char detail[LIBC_WHY_MAX];
	va_list ap;

	g->checks++;
	if (ok)
		return true;
	g->fails++;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	printf("libc: %s: FAIL: %s\n", g->name, detail);
	if (!libc_why[0])
		snprintf(libc_why, sizeof(libc_why), "%s: %.150s", g->name, detail);
	return false;
}

const char *libc_first_failure(void)
{
	return libc_why[0] ? libc_why : NULL;
}

static const struct {
	const char *name;
	void (*run)(struct libc_group *g);
} libc_groups[] = {
	{ "fmt", libc_fmt },
	{ "string", libc_string },
	{ "conv", libc_conv },
	{ "sort", libc_sort },
	{ "malloc", libc_malloc },
	{ "math", libc_math },
	{ "time", libc_time },
	{ "sys", libc_sys },
	{ "heap", libc_heap }, /* last: it exhausts the heap */
};

static void libc_name(int argc, char **argv, char *name, size_t size)
{
	snprintf(name, size, "libc");
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "name=", 5) == 0 && argv[i][5])
			snprintf(name, size, "%s", argv[i] + 5);
}

int main(int argc, char **argv)
{
	char name[LIBC_NAME_MAX];
	unsigned int checks = 0, fails = 0;

	libc_name(argc, argv, name, sizeof(name));
	for (size_t i = 0; i < sizeof(libc_groups) / sizeof(libc_groups[0]); i++) {
		struct libc_group g = {.name = libc_groups[i].name};

		libc_groups[i].run(&g);
		if (g.fails)
			printf("libc: %s: %u of %u checks FAILED\n", g.name, g.fails, g.checks);
		else
			printf("libc: %s: %u checks ok\n", g.name, g.checks);
		checks += g.checks;
		fails += g.fails;
	}
	printf("libc: %u checks, %u failed\n", checks, fails);
	if (libc_first_failure())
		printf("RESULT %s FAIL: %s\n", name, libc_first_failure());
	else
		printf("RESULT %s PASS\n", name);
	exit(LIBC_EXIT_STATUS);
}
