/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the bolt.cfg parser in config/. The input is
 * the file text, handed over unterminated so ASan sees any over-read.
 * Oracles beyond "does not crash":
 *  - a rejected file leaves the output struct all zero and an error text
 *    that names the file (config.h promises both);
 *  - an accepted file dumps, the dump parses again, and dumping that gives
 *    the same text (cfg_dump() must be a fixed point);
 *  - cfg_check_cpus() can only get happier with more CPUs;
 *  - cfg_may_bind() is symmetric and cfg_find_guest() finds every guest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "lib/errno.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DUMP_MAX (512 * 1024)

static struct bolt_config cfg, cfg2;
static struct cfg_error err;
static char dump1[DUMP_MAX], dump2[DUMP_MAX];

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_config: %s\n%s\n", what, detail ? detail : "");
	abort();
}

static void check_error(int rc, const struct bolt_config *out, const char *name)
{
	const uint8_t *p = (const uint8_t *)out;

	if (rc != -XEN_EINVAL)
		fail("cfg_parse returned neither 0 nor -XEN_EINVAL", NULL);
	for (size_t i = 0; i < sizeof(*out); i++)
		if (p[i])
			fail("rejected config left the output struct non-zero", err.msg);
	if (!memchr(err.msg, '\0', sizeof(err.msg)))
		fail("error message not NUL-terminated", NULL);
	if (strncmp(err.msg, name, strlen(name)) || err.msg[strlen(name)] != ':')
		fail("error message does not start with \"FILE:\"", err.msg);
}

static void check_cpus(const struct bolt_config *c)
{
	static const unsigned counts[] = { 0, 1, 2, 3, 4, 8, 64, 255, 256, 4096 };
	int prev = -1;

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		int rc = cfg_check_cpus(c, "fuzz.cfg", counts[i], &err);

		if (rc != 0 && rc != -XEN_EINVAL)
			fail("cfg_check_cpus returned an unexpected code", NULL);
		if (rc && !err.msg[0])
			fail("cfg_check_cpus failed without a message", NULL);
		if (prev == 0 && rc)
			fail("cfg_check_cpus failed with more CPUs than an accepted count",
			     err.msg);
		prev = rc;
	}
	/* A config with no guests cannot be valid, and 0 CPUs fit no guest. */
	if (cfg_check_cpus(c, "fuzz.cfg", 0, NULL) == 0)
		fail("cfg_check_cpus accepted a machine with 0 CPUs", NULL);
}

static void check_queries(const struct bolt_config *c)
{
	for (unsigned a = 0; a <= c->nr_guests; a++) {
		for (unsigned b = 0; b <= c->nr_guests; b++)
			if (cfg_may_bind(c, a, b) != cfg_may_bind(c, b, a))
				fail("cfg_may_bind is not symmetric", NULL);
		if (a < c->nr_guests && cfg_find_guest(c, c->guests[a].name) != &c->guests[a])
			fail("cfg_find_guest does not find a parsed guest", c->guests[a].name);
	}
	if (cfg_may_bind(c, c->nr_guests, 0) || cfg_may_bind(c, 0, 1000))
		fail("cfg_may_bind accepted an out-of-range guest", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exactly-sized copy: the parser must not read past the text. */
	char *text = malloc(size ? size : 1);
	int rc, rc2, n1, n2;

	if (!text)
		return 0;
	memcpy(text, data, size);
	/* NULL filename and NULL err are allowed; the result must not change. */
	rc2 = cfg_parse(text, size, NULL, &cfg2, NULL);
	memset(&cfg, 0xa5, sizeof(cfg));
	memset(&err, 0xa5, sizeof(err));
	rc = cfg_parse(text, size, "fuzz.cfg", &cfg, &err);
	free(text);
	if (rc != rc2)
		fail("cfg_parse result depends on filename/err being given", NULL);
	if (rc) {
		check_error(rc, &cfg, "fuzz.cfg");
		return 0;
	}
	if (cfg.nr_guests < 1 || cfg.nr_guests > CFG_MAX_GUESTS)
		fail("accepted config has a bad guest count", NULL);

	n1 = cfg_dump(&cfg, dump1, sizeof(dump1));
	if (n1 < 0 || (size_t)n1 >= sizeof(dump1) || strlen(dump1) != (size_t)n1)
		fail("cfg_dump length is wrong or the dump does not fit", NULL);
	rc = cfg_parse(dump1, (size_t)n1, NULL, &cfg2, &err);
	if (rc)
		fail("the dump of an accepted config does not parse", err.msg);
	n2 = cfg_dump(&cfg2, dump2, sizeof(dump2));
	if (n1 != n2 || memcmp(dump1, dump2, (size_t)n1))
		fail("dump -> parse -> dump is not a fixed point", dump1);
	/* snprintf semantics with a short buffer: same length, truncated text. */
	if (cfg_dump(&cfg, dump2, 7) != n1 || strlen(dump2) != 6 || memcmp(dump1, dump2, 6))
		fail("cfg_dump into a short buffer misbehaves", dump2);

	check_cpus(&cfg);
	check_queries(&cfg);
	return 0;
}
