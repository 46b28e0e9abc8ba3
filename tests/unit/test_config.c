/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the bolt.cfg parser in config/. Good fixtures must
 * parse to exact values; each bad fixture names the exact error it must
 * produce in its "# expect: " line. Texts are handed to the parser in
 * exactly-sized, unterminated buffers so ASan catches any over-read.
 */
#include <dirent.h>

#include "unit.h"

#include "config/config.h"
#include "lib/errno.h"

#define FIXTURES "tests/data/cfg/"

static const char *const bad_fixtures[] = {
	"bad-after-quote",
	"bad-allow-dup",
	"bad-allow-format",
	"bad-allow-section",
	"bad-allow-three",
	"bad-allow-unknown",
	"bad-bolt-key",
	"bad-grant-dup",
	"bad-grant-format",
	"bad-grant-section",
	"bad-grant-unknown",
	"bad-bolt-repeated",
	"bad-channel-budget-pair",
	"bad-channel-delivery",
	"bad-channel-dup-name",
	"bad-channel-guest-name",
	"bad-channel-key",
	"bad-channel-missing-b",
	"bad-channel-runtime-both",
	"bad-channel-runtime-self",
	"bad-channel-no-guest",
	"bad-channel-noname",
	"bad-channel-port-nan",
	"bad-channel-port-range",
	"bad-channel-port-reused",
	"bad-channel-port-zero",
	"bad-channel-same",
	"bad-channel-trace",
	"bad-channel-unknown-guest",
	"bad-cmdline-long",
	"bad-console",
	"bad-console-empty",
	"bad-console-twice",
	"bad-cpu-full",
	"bad-cpu-hex",
	"bad-cpu-nan",
	"bad-cpu-range",
	"bad-delivery",
	"bad-doorbell-com1",
	"bad-doorbell-dup-channel",
	"bad-doorbell-dup-ioport",
	"bad-doorbell-e9",
	"bad-doorbell-missing",
	"bad-doorbell-other-guest",
	"bad-doorbell-port-hex",
	"bad-doorbell-port-junk",
	"bad-doorbell-port-range",
	"bad-doorbell-unknown-guest",
	"bad-dup-guest",
	"bad-dup-key",
	"bad-empty",
	"bad-empty-value",
	"bad-guest-name-char",
	"bad-guest-name-long",
	"bad-guest-name-space",
	"bad-guest-noname",
	"bad-handover",
	"bad-image-dotdot",
	"bad-image-empty",
	"bad-image-long",
	"bad-key-case",
	"bad-key-outside",
	"bad-max-restarts",
	"bad-mem-align",
	"bad-mem-align-bytes",
	"bad-mem-empty-number",
	"bad-mem-max",
	"bad-mem-min",
	"bad-mem-overflow",
	"bad-mem-shift-overflow",
	"bad-mem-suffix",
	"bad-mem-zero",
	"bad-missing-cpu-eof",
	"bad-missing-image",
	"bad-no-equals",
	"bad-no-guests",
	"bad-no-key",
	"bad-on-all-stopped",
	"bad-on-crash",
	"bad-priority",
	"bad-section",
	"bad-section-trailing",
	"bad-section-unclosed",
	"bad-shm-access",
	"bad-shm-address-align",
	"bad-shm-address-limit",
	"bad-shm-address-low",
	"bad-shm-address-overflow",
	"bad-shm-guests-empty",
	"bad-shm-guests-many",
	"bad-shm-guests-twice",
	"bad-shm-missing-size",
	"bad-shm-name",
	"bad-shm-overlap",
	"bad-shm-ram",
	"bad-shm-size-align",
	"bad-shm-size-max",
	"bad-shm-size-min",
	"bad-shm-unknown-guest",
	"bad-too-many-guests",
	"bad-unknown-key",
	"bad-unterminated",
};

static struct bolt_config cfg, cfg2;
static struct cfg_error err;

/* Parse @len bytes from an exactly-sized copy (no NUL after the text). */
static int parse_exact(const char *text, size_t len, const char *name, struct bolt_config *out)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	CHECK(copy != NULL);
	memcpy(copy, text, len);
	memset(out, 0xa5, sizeof(*out)); /* garbage: a failed parse must zero it */
	rc = cfg_parse(copy, len, name, out, &err);
	free(copy);
	return rc;
}

static int parse_str(const char *text, struct bolt_config *out)
{
	return parse_exact(text, strlen(text), "t.cfg", out);
}

static int parse_file(const char *path, const char *name, struct bolt_config *out)
{
	size_t len;
	char *text = unit_read_file(path, &len);
	int rc = parse_exact(text, len, name, out);

	free(text);
	return rc;
}

static bool is_zeroed(const struct bolt_config *c)
{
	static const struct bolt_config zero;

	return !memcmp(c, &zero, sizeof(zero));
}

static void test_good_minimal(void)
{
	const struct cfg_guest *g = &cfg.guests[0];

	CHECK_EQ(parse_file(FIXTURES "good-minimal.cfg", "good-minimal.cfg", &cfg), 0);
	CHECK_STR(err.msg, "");
	CHECK_EQ(cfg.console, CFG_CONSOLE_COM1 | CFG_CONSOLE_E9);
	CHECK_EQ(cfg.on_all_stopped, CFG_ALL_STOPPED_POWEROFF);
	CHECK_EQ(cfg.nr_guests, 1);
	CHECK_STR(g->name, "solo");
	CHECK_STR(g->image, "solo.elf");
	CHECK_EQ(g->memory, MiB(2));
	CHECK_EQ(g->cpu, 0);
	CHECK_STR(g->cmdline, "");
	CHECK_EQ(g->on_crash, CFG_ON_CRASH_STOP);
	CHECK_EQ(g->max_restarts, 3);
	CHECK_EQ(g->priority, CFG_PRIORITY_DEFAULT);
	CHECK_EQ(g->priority, 100);
	CHECK_EQ(g->delivery, CFG_DELIVERY_IMMEDIATE);
	CHECK(!g->handover);
	CHECK(!g->lapic);
	CHECK_EQ(g->max_event_channels, 4096);
	CHECK_EQ(cfg.nr_channels, 0);
	CHECK_EQ(cfg.nr_allows, 0);
	CHECK_EQ(cfg.nr_doorbells, 0);
	CHECK_EQ(cfg.nr_shms, 0);
	CHECK(!cfg_may_bind(&cfg, 0, 0));
	CHECK_EQ(g->line, 3);
	CHECK_EQ(g->image_line, 4);
	CHECK_EQ(g->memory_line, 5);
	CHECK_EQ(g->cpu_line, 6);
}

static void test_good_full(void)
{
	const struct cfg_guest *g;

	CHECK_EQ(parse_file(FIXTURES "good-full.cfg", "good-full.cfg", &cfg), 0);
	CHECK_STR(err.msg, "");
	CHECK_EQ(cfg.console, CFG_CONSOLE_COM1 | CFG_CONSOLE_E9 | CFG_CONSOLE_GOP);
	CHECK_EQ(cfg.on_all_stopped, CFG_ALL_STOPPED_HALT);
	CHECK_EQ(cfg.nr_guests, 3);

	g = &cfg.guests[0];
	CHECK_STR(g->name, "web-1");
	CHECK_STR(g->image, "efi/bolt/web.elf");
	CHECK_EQ(g->memory, GiB(1));
	CHECK_EQ(g->cpu, 3);
	CHECK_STR(g->cmdline, "console=hvc0 quiet # not a comment; \"quoted\" back\\slash");
	CHECK_EQ(g->on_crash, CFG_ON_CRASH_RESTART);
	CHECK_EQ(g->max_restarts, 1000);
	CHECK_EQ(g->line, 8);
	CHECK_EQ(g->cpu_line, 11);

	g = &cfg.guests[1];
	CHECK_STR(g->name, "Db_2");
	CHECK_STR(g->image, "db.elf");
	CHECK_EQ(g->memory, GiB(4));
	CHECK_EQ(g->cpu, 255);
	CHECK_STR(g->cmdline, "");
	CHECK_EQ(g->on_crash, CFG_ON_CRASH_STOP);
	CHECK_EQ(g->max_restarts, 0);

	g = &cfg.guests[2];
	CHECK_STR(g->name, "c");
	CHECK_STR(g->image, "dir\\c.elf");
	CHECK_EQ(g->memory, MiB(2));
	CHECK_EQ(g->cpu, 7);
	CHECK_STR(g->cmdline, "a#b;c");
	CHECK(cfg_find_guest(&cfg, "c") == g);
	CHECK(cfg_find_guest(&cfg, "C") == NULL);
}

static void test_good_events(void)
{
	const struct cfg_channel *c;
	const struct cfg_doorbell *d;
	const struct cfg_shm *m;
	const struct cfg_guest *g;

	CHECK_EQ(parse_file(FIXTURES "good-events.cfg", "good-events.cfg", &cfg), 0);
	CHECK_STR(err.msg, "");
	CHECK_EQ(cfg.console, CFG_CONSOLE_COM1);
	CHECK_EQ(cfg.nr_guests, 3);
	/* Guest indexes follow [guest] order, whatever came before them. */
	CHECK_STR(cfg.guests[0].name, "front");
	CHECK_STR(cfg.guests[1].name, "back");
	CHECK_STR(cfg.guests[2].name, "solo");

	g = &cfg.guests[0];
	CHECK_EQ(g->cpu, 1);
	CHECK_EQ(g->priority, 255);
	CHECK_EQ(g->delivery, CFG_DELIVERY_LAZY);
	CHECK(g->handover);
	g = &cfg.guests[1];
	CHECK_EQ(g->cpu, 1);
	CHECK_EQ(g->priority, 0);
	CHECK_EQ(g->delivery, CFG_DELIVERY_IMMEDIATE);
	CHECK(!g->handover);
	CHECK_EQ(cfg.guests[2].priority, 100);

	CHECK_EQ(cfg.nr_channels, 2);
	c = &cfg.channels[0];
	CHECK_STR(c->name, "net");
	CHECK_EQ(c->guest[0], 0);
	CHECK_EQ(c->port[0], 1);
	CHECK_EQ(c->guest[1], 1);
	CHECK_EQ(c->port[1], 2);
	CHECK_EQ(c->delivery, CFG_DELIVERY_LAZY);
	CHECK(c->trace);
	CHECK_EQ(c->line, 5);
	CHECK_EQ(c->end_line[0], 6);
	CHECK_EQ(c->end_line[1], 7);
	c = &cfg.channels[1];
	CHECK_STR(c->name, "loop");
	CHECK_EQ(c->guest[0], 2);
	CHECK_EQ(c->port[0], 7);
	CHECK_EQ(c->guest[1], 2);
	CHECK_EQ(c->port[1], CFG_EVTCHN_PORT_MAX);
	CHECK_EQ(c->delivery, CFG_DELIVERY_PER_GUEST);
	CHECK(!c->trace);
	CHECK_EQ(c->line, 61);

	CHECK_EQ(cfg.nr_allows, 2);
	CHECK_EQ(cfg.allows[0].a, 0);
	CHECK_EQ(cfg.allows[0].b, 1);
	CHECK_EQ(cfg.allows[0].line, 13);
	CHECK_EQ(cfg.allows[1].a, 2);
	CHECK_EQ(cfg.allows[1].b, 2);
	CHECK_EQ(cfg.allows[1].line, 14);

	CHECK_EQ(cfg.nr_doorbells, 2);
	d = &cfg.doorbells[0];
	CHECK_STR(d->name, "kick");
	CHECK_EQ(d->guest, 0);
	CHECK_EQ(d->ioport, 0x500);
	CHECK_EQ(d->evtchn_port, 1);
	CHECK_EQ(d->line, 30);
	CHECK_EQ(d->guest_line, 31);
	CHECK_EQ(d->port_line, 32);
	CHECK_EQ(d->channel_line, 33);
	d = &cfg.doorbells[1];
	CHECK_STR(d->name, "kick-back");
	CHECK_EQ(d->guest, 1);
	CHECK_EQ(d->ioport, 0x500);
	CHECK_EQ(d->evtchn_port, 2);

	CHECK_EQ(cfg.nr_shms, 4);
	m = &cfg.shms[0];
	CHECK_STR(m->name, "ring");
	CHECK_EQ(m->size, KiB(64));
	CHECK_EQ(m->gpa, 0x10000000);
	CHECK_EQ(m->nr_guests, 2);
	CHECK_EQ(m->guests[0], 0);
	CHECK_EQ(m->guests[1], 1);
	CHECK(!m->writable);
	m = &cfg.shms[1];
	CHECK_EQ(m->gpa, 0x10010000);
	CHECK_EQ(m->size, KiB(4));
	CHECK_EQ(m->nr_guests, 1);
	CHECK(m->writable);
	m = &cfg.shms[2];
	CHECK_STR(m->name, "solo-top");
	CHECK_EQ(m->gpa, 0xfffffc000000ULL);
	CHECK_EQ(m->gpa + m->size, CFG_SHM_GPA_LIMIT);
	CHECK_EQ(m->guests[0], 2);
	CHECK_EQ(cfg.shms[3].gpa, 0x10000000);
	CHECK_EQ(cfg.shms[3].guests[0], 2);

	CHECK_EQ(cfg_check_cpus(&cfg, "e.cfg", 2, &err), 0);
}

/* Guests may share a CPU, up to CFG_MAX_PER_CPU of them. */
/* `cpu = A, B`: one vCPU per listed CPU; `cpus` is the same key. */
static void test_cpu_lists(void)
{
	static char buf[4096];
	static const char *const bad[][2] = {
		{ "cpu=1,", "t.cfg:4: cpu: '' is not a number" },
		{ "cpu=1,,2", "t.cfg:4: cpu: '' is not a number" },
		{ "cpu=1, x", "t.cfg:4: cpu: 'x' is not a number" },
		{ "cpu=1, 256", "t.cfg:4: cpu: '256' is out of range (0..255)" },
		{ "cpus=2, 3, 2", "t.cfg:4: cpus: CPU 2 is listed twice (one vCPU per CPU in a guest)" },
		{ "cpu=0,1,2,3,4,5,6,7,8", "t.cfg:4: cpu: more than 8 CPUs (at most 8 vCPUs per guest)" },
		{ "cpu=1\ncpus=2", "t.cfg:5: 'cpus' in [guest a] repeats 'cpu' (line 4): give one of them" },
	};

	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu = 2, 3\n", &cfg), 0);
	CHECK_EQ(cfg.guests[0].nr_vcpus, 2);
	CHECK_EQ(cfg.guests[0].cpus[0], 2);
	CHECK_EQ(cfg.guests[0].cpus[1], 3);
	CHECK_EQ(cfg.guests[0].cpu, 2);
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpus=3,1\n", &cfg), 0);
	CHECK_EQ(cfg.guests[0].nr_vcpus, 2);
	CHECK_EQ(cfg.guests[0].cpu, 3);
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=7\n", &cfg), 0);
	CHECK_EQ(cfg.guests[0].nr_vcpus, 1);
	/* Written back as `cpu`, and read again the same. */
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpus = 1, 0\n", &cfg), 0);
	CHECK(cfg_dump(&cfg, buf, sizeof(buf)) > 0);
	CHECK_CONTAINS(buf, "cpu = 1, 0\n");
	CHECK(strstr(buf, "cpus") == NULL);
	CHECK_EQ(parse_str(buf, &cfg2), 0);
	CHECK_EQ(cfg2.guests[0].nr_vcpus, 2);
	CHECK_EQ(cfg2.guests[0].cpus[1], 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "[guest a]\nimage=a\nmemory=2M\n%s\n", bad[i][0]);
		CHECK_EQ(parse_exact(buf, strlen(buf), "t.cfg", &cfg), -XEN_EINVAL);
		CHECK_STR(err.msg, bad[i][1]);
	}
	/* Neither key: still the missing `cpu`. */
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\n", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:1: guest 'a': missing required key 'cpu'");
	/* A second vCPU counts on its CPU, and must exist on the machine. */
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0, 3\n", &cfg), 0);
	CHECK_EQ(cfg_check_cpus(&cfg, "t.cfg", 3, &err), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:4: guest 'a': cpu 3 does not exist (this machine has 3 CPUs)");
	CHECK_EQ(cfg_check_cpus(&cfg, "t.cfg", 4, &err), 0);
	CHECK(cfg_guest_uses_cpu(&cfg.guests[0], 3));
	CHECK(!cfg_guest_uses_cpu(&cfg.guests[0], 1));
	{
		size_t n = 0;

		for (unsigned i = 0; i < CFG_MAX_PER_CPU; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
					      "[guest g%u]\nimage=g.elf\nmemory=2M\ncpu=0, %u\n", i,
					      i + 1);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				      "[guest x]\nimage=g.elf\nmemory=2M\ncpu=9, 0\n");
		CHECK_EQ(parse_exact(buf, n, "t.cfg", &cfg), -XEN_EINVAL);
		CHECK_CONTAINS(err.msg, "guest 'x': cpu 0 already runs 8 guests");
	}
}

static void test_cpu_sharing(void)
{
	static char text[4096];
	size_t n = 0;

	for (unsigned i = 0; i < CFG_MAX_PER_CPU; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "[guest g%u]\nimage=g.elf\nmemory=2M\ncpu=5\n", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "[guest other]\nimage=g.elf\nmemory=2M\ncpu=4\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.nr_guests, CFG_MAX_PER_CPU + 1);
	CHECK_EQ(cfg_check_cpus(&cfg, "t.cfg", 6, &err), 0);
	CHECK_EQ(cfg_check_cpus(&cfg, "t.cfg", 5, &err), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:4: guest 'g0': cpu 5 does not exist "
		  "(this machine has 5 CPUs)");

	/* A hand-built config is held to the same per-CPU limit at boot. */
	cfg.guests[CFG_MAX_PER_CPU].cpu = cfg.guests[CFG_MAX_PER_CPU].cpus[0] = 5;
	CHECK_EQ(cfg_check_cpus(&cfg, "t.cfg", 6, &err), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:36: guest 'other': cpu 5 already runs 8 guests (at most 8 "
		  "per CPU): 'g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7'");

	/* The old one-guest-per-CPU rule is gone. */
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=1\n"
			   "[guest b]\nimage=b\nmemory=2M\ncpu=1\n", &cfg), 0);
	CHECK_EQ(cfg.guests[0].cpu, cfg.guests[1].cpu);
}

static void test_may_bind(void)
{
	CHECK_EQ(parse_file(FIXTURES "good-events.cfg", "good-events.cfg", &cfg), 0);
	CHECK(cfg_may_bind(&cfg, 0, 1)); /* allow and channel 'net' */
	CHECK(cfg_may_bind(&cfg, 1, 0));
	CHECK(cfg_may_bind(&cfg, 2, 2)); /* loopback: allow and channel 'loop' */
	CHECK(!cfg_may_bind(&cfg, 0, 2));
	CHECK(!cfg_may_bind(&cfg, 2, 1));
	CHECK(!cfg_may_bind(&cfg, 0, 0));
	CHECK(!cfg_may_bind(&cfg, 1, 1));
	CHECK(!cfg_may_bind(&cfg, 0, 3)); /* no such guest */
	CHECK(!cfg_may_bind(&cfg, 3, 3));
	CHECK(!cfg_may_bind(&cfg, 0, ~0u));

	/* A static channel alone allows its pair; an allow line alone too. */
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0\n"
			   "[guest b]\nimage=b\nmemory=2M\ncpu=0\n"
			   "[guest c]\nimage=c\nmemory=2M\ncpu=0\n"
			   "[channel x]\na=b:1\nb=c:1\n[bolt]\nallow=c,a\n", &cfg), 0);
	CHECK(cfg_may_bind(&cfg, 1, 2));
	CHECK(cfg_may_bind(&cfg, 2, 1));
	CHECK(cfg_may_bind(&cfg, 0, 2));
	CHECK(cfg_may_bind(&cfg, 2, 0));
	CHECK(!cfg_may_bind(&cfg, 0, 1));
	CHECK(!cfg_may_bind(&cfg, 2, 2));
}

/* Counts of the new sections and lines: exactly the maximum, then one more. */
static void test_may_grant(void)
{
	/* Only `grant` lines allow grants: not `allow`, not channels. */
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0\n"
			   "[guest b]\nimage=b\nmemory=2M\ncpu=0\n"
			   "[guest c]\nimage=c\nmemory=2M\ncpu=0\n"
			   "[channel x]\na=b:1\nb=c:1\n[bolt]\nallow=a,b\ngrant=c, a\n", &cfg), 0);
	CHECK_EQ(cfg.nr_grants, 1);
	CHECK_EQ(cfg.nr_allows, 1);
	CHECK_EQ(cfg.grants[0].a, 2);
	CHECK_EQ(cfg.grants[0].b, 0);
	CHECK_EQ(cfg.grants[0].line, 18);
	CHECK(cfg_may_grant(&cfg, 0, 2));
	CHECK(cfg_may_grant(&cfg, 2, 0));
	CHECK(!cfg_may_grant(&cfg, 0, 1)); /* `allow` only */
	CHECK(!cfg_may_grant(&cfg, 1, 2)); /* a channel only */
	CHECK(cfg_may_grant(&cfg, 1, 1));  /* a guest's own grants */
	CHECK(!cfg_may_grant(&cfg, 0, 3)); /* no such guest */
	CHECK(!cfg_may_grant(&cfg, 3, 3));
	CHECK(!cfg_may_bind(&cfg, 0, 2)); /* and a grant line allows no channel */

	/* The dump writes them back. */
	{
		static char buf[4096];

		CHECK(cfg_dump(&cfg, buf, sizeof(buf)) > 0);
		CHECK_CONTAINS(buf, "allow = a, b\ngrant = c, a\n");
		CHECK_EQ(parse_str(buf, &cfg2), 0);
		CHECK_EQ(cfg2.nr_grants, 1);
		CHECK(cfg_may_grant(&cfg2, 0, 2));
	}
}

static void test_section_limits(void)
{
	static char text[16384];
	const char *guests = "[guest a]\nimage=a\nmemory=2M\ncpu=0\n"
			     "[guest b]\nimage=b\nmemory=2M\ncpu=1\n";
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "%s", guests);
	for (unsigned i = 1; i <= CFG_MAX_CHANNELS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "[channel c%u]\na = a:%u\nb = b:%u\n", i, i, 4096 - i);
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.nr_channels, CFG_MAX_CHANNELS);
	CHECK_EQ(cfg.channels[63].port[1], 4032);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[channel more]\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:201: too many channels (at most 64)");

	/* 64 distinct pairs need 11 guests (66 pairs with loopback). */
	n = 0;
	for (unsigned i = 0; i < 11; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "[guest g%u]\nimage=g\nmemory=2M\ncpu=%u\n", i, i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[bolt]\n");
	for (unsigned i = 0, pairs = 0; i < 11 && pairs < CFG_MAX_ALLOWS; i++)
		for (unsigned j = i; j < 11 && pairs < CFG_MAX_ALLOWS; j++, pairs++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "allow = g%u, g%u\n",
					      j, i);
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.nr_allows, CFG_MAX_ALLOWS);
	CHECK_EQ(cfg.allows[63].a, 9);
	CHECK_EQ(cfg.allows[63].b, 9);
	CHECK_EQ(cfg.allows[63].line, 109);
	CHECK(cfg_may_bind(&cfg, 8, 10));
	CHECK(!cfg_may_bind(&cfg, 9, 10));
	n += (size_t)snprintf(text + n, sizeof(text) - n, "allow = g9, g10\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:110: allow: too many allow lines (at most 64)");
	/* The same limit for grant lines, counted on their own. */
	{
		char *g = text + n - strlen("allow = g9, g10\n");

		n = (size_t)(g - text);
		for (char *a = strstr(text, "allow = "); a; a = strstr(a, "allow = "))
			memcpy(a, "grant", 5);
	}
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.nr_grants, CFG_MAX_ALLOWS);
	CHECK_EQ(cfg.nr_allows, 0);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "grant = g9, g10\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:110: grant: too many grant lines (at most 64)");

	n = (size_t)snprintf(text, sizeof(text), "%s", guests);
	for (unsigned i = 0; i < CFG_MAX_DOORBELLS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "[doorbell d%u]\nguest = b\nport = 0x%x\nchannel = b:%u\n",
				      i, 0xc000 + i, i + 1);
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.nr_doorbells, CFG_MAX_DOORBELLS);
	CHECK_EQ(cfg.doorbells[63].ioport, 0xc03f);
	CHECK_EQ(cfg.doorbells[63].guest, 1);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[doorbell more]\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:265: too many doorbells (at most 64)");

	n = (size_t)snprintf(text, sizeof(text), "%s", guests);
	for (unsigned i = 0; i < CFG_MAX_SHMS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "[shm s%u]\nsize = 1M\naddress = 0x%x\nguests = a b\n",
				      i, 0x40000000 + i * 0x100000);
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.nr_shms, CFG_MAX_SHMS);
	CHECK_EQ(cfg.shms[15].gpa, 0x40f00000);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[shm more]\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:73: too many shm regions (at most 16)");

	/* Eight guests in one region is fine. */
	n = 0;
	for (unsigned i = 0; i < 8; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "[guest g%u]\nimage=g\nmemory=2M\ncpu=0\n", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[shm s]\nsize=4K\naddress=0x200000\n"
			      "guests=g7 g6 g5 g4 g3 g2 g1 g0\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.shms[0].nr_guests, 8);
	CHECK_EQ(cfg.shms[0].guests[0], 7);
	CHECK_EQ(cfg.shms[0].guests[7], 0);
}

/*
 * More distinct guest names than guests can exist: the first unknown one
 * is still the one reported, wherever it is.
 */
static void test_many_names(void)
{
	static char text[8192];
	size_t n = 0;

	for (unsigned i = 0; i < CFG_MAX_GUESTS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "[guest g%u]\nimage=g\nmemory=2M\ncpu=%u\n", i, i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[bolt]\n");
	for (unsigned i = 0; i < CFG_MAX_GUESTS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "allow = g%u, g%u\n", i,
				      (i + 1) % CFG_MAX_GUESTS);
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.nr_allows, CFG_MAX_GUESTS);
	CHECK(cfg_may_bind(&cfg, 15, 0));
	CHECK(!cfg_may_bind(&cfg, 0, 2));
	/* line 66: the 17th name fits the pool, the 18th and 19th overflow it. */
	n += (size_t)snprintf(text + n, sizeof(text) - n, "allow = g0, x17\n"
			      "allow = x18, x19\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:82: allow: unknown guest 'x17' (no [guest x17] section)");

	/* Unknown names first, then all real ones: still the first unknown. */
	n = (size_t)snprintf(text, sizeof(text), "[bolt]\n");
	for (unsigned i = 0; i < 20; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "allow = u%u, u%u\n", i, i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "[guest u5]\nimage=g\nmemory=2M\ncpu=0\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:2: allow: unknown guest 'u0' (no [guest u0] section)");
	CHECK(is_zeroed(&cfg));
}

/* The first "# expect: " line of a fixture is its exact expected error. */
static void test_bad_fixtures(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_fixtures); i++) {
		char path[256], name[128], want[512];
		size_t len;
		char *text, *exp, *nl;

		snprintf(path, sizeof(path), FIXTURES "%s.cfg", bad_fixtures[i]);
		snprintf(name, sizeof(name), "%s.cfg", bad_fixtures[i]);
		text = unit_read_file(path, &len);
		exp = strstr(text, "# expect: ");
		CHECK(exp != NULL);
		if (!exp) {
			fprintf(stderr, "%s: no '# expect: ' line\n", path);
			free(text);
			continue;
		}
		exp += strlen("# expect: ");
		nl = strchr(exp, '\n');
		snprintf(want, sizeof(want), "%.*s", (int)(nl ? nl - exp : (long)strlen(exp)), exp);

		CHECK_EQ(parse_exact(text, len, name, &cfg), -XEN_EINVAL);
		CHECK_STR(err.msg, want);
		CHECK(is_zeroed(&cfg));
		free(text);
	}
}

static const char demo_lf[] =
	"[bolt]\n"
	"console = e9\n"
	"\n"
	"[guest one]\n"
	"image = one.elf\n"
	"memory = 4M\n"
	"cpu = 1\n"
	"cmdline = \"x y\"";

static void check_demo_lf(const struct bolt_config *c)
{
	CHECK_EQ(c->console, CFG_CONSOLE_E9);
	CHECK_EQ(c->nr_guests, 1);
	CHECK_STR(c->guests[0].name, "one");
	CHECK_STR(c->guests[0].image, "one.elf");
	CHECK_EQ(c->guests[0].memory, MiB(4));
	CHECK_EQ(c->guests[0].cpu, 1);
	CHECK_EQ(c->guests[0].cpu_line, 7);
	CHECK_STR(c->guests[0].cmdline, "x y");
}

/* CRLF endings, a UTF-8 BOM and no final newline, alone and combined. */
static void test_line_endings(void)
{
	char buf[512];
	size_t n = 0;

	CHECK_EQ(parse_str(demo_lf, &cfg), 0); /* no trailing newline */
	check_demo_lf(&cfg);

	memcpy(buf, "\xef\xbb\xbf", 3);
	n = 3;
	for (const char *s = demo_lf; *s; s++) {
		if (*s == '\n')
			buf[n++] = '\r';
		buf[n++] = *s;
	}
	CHECK_EQ(parse_exact(buf, n, "t.cfg", &cfg), 0);
	check_demo_lf(&cfg);
	buf[n++] = '\r';
	buf[n++] = '\n';
	CHECK_EQ(parse_exact(buf, n, "t.cfg", &cfg), 0);
	check_demo_lf(&cfg);
	CHECK_EQ(parse_exact(buf + 3, n - 3, "t.cfg", &cfg), 0);
	check_demo_lf(&cfg);

	/* Errors keep counting lines correctly with CRLF. */
	CHECK_EQ(parse_str("\r\n[guest a]\r\nbogus = 1\r\n", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:3: unknown key 'bogus' in [guest a]");
	/* A lone CR inside a line is not a line ending. */
	CHECK_EQ(parse_str("[guest a]\rimage = a\n", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:1: invalid control character 0x0d");
	/* A BOM anywhere but the start is junk. */
	CHECK_EQ(parse_str("[bolt]\n\xef\xbb\xbf[guest a]\n", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:2: expected '=' after '\xef\xbb\xbf[guest' "
		  "(lines are 'key = value', '[section]' or comments)");
}

/* The parser must honour len, never a NUL terminator. */
static void test_len_bound(void)
{
	static const char text[] = "[guest a]\nimage = a.elf\nmemory = 4M\ncpu = 12X";

	CHECK_EQ(parse_exact(text, sizeof(text) - 2, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.guests[0].cpu, 12);
	CHECK_EQ(parse_exact(text, sizeof(text) - 1, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:4: cpu: '12X' is not a number");
	CHECK_EQ(cfg_parse(NULL, 0, NULL, &cfg, &err), -XEN_EINVAL);
	CHECK_STR(err.msg, "bolt.cfg: no guests defined (add a [guest NAME] section)");
}

static void test_binary_junk(void)
{
	static const char nul[] = "[guest a]\nimage = a.elf\nmem\0ory = 4M\ncpu = 0\n";

	CHECK_EQ(parse_exact(nul, sizeof(nul) - 1, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:3: NUL byte in file (is this a text file?)");
	CHECK(is_zeroed(&cfg));
	CHECK_EQ(parse_str("# ok\n\x01\n", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:2: invalid control character 0x01");
	CHECK_EQ(parse_str("[guest a\x7f]\n", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:1: invalid control character 0x7f");
	CHECK_EQ(parse_str("[guest \xc3\xa9]\n", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:1: guest name '\xc3\xa9' contains invalid byte 0xc3 "
		  "(use A-Z, a-z, 0-9, '_' and '-')");
}

static void test_long_lines(void)
{
	static char text[4096];
	size_t n;

	/* 1023 characters (the limit) in a comment, then a valid guest. */
	memset(text, 'x', sizeof(text));
	text[0] = '#';
	n = CFG_LINE_MAX - 1;
	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "\r\n[guest a]\nimage = a\nmemory = 2M\ncpu = 0\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.guests[0].line, 2);

	memset(text, 'x', sizeof(text));
	text[0] = '#';
	n = CFG_LINE_MAX;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "\n");
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:1: line too long (1024 characters, at most 1023)");
	memset(text, 'x', sizeof(text));
	CHECK_EQ(parse_exact(text, sizeof(text), "t.cfg", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:1: line too long (4096 characters, at most 1023)");
}

static void test_limits(void)
{
	static char text[4096];
	size_t n = 0;

	for (unsigned i = 0; i < CFG_MAX_GUESTS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "[guest g%u]\nimage=g.elf\nmemory=4G\ncpu=%u\n", i, 240 + i);
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(cfg.nr_guests, CFG_MAX_GUESTS);
	CHECK_STR(cfg.guests[15].name, "g15");
	CHECK_EQ(cfg.guests[15].cpu, 255);
	CHECK_EQ(cfg.guests[15].memory, GiB(4));

	/* Name of exactly 31 characters, cmdline of exactly 255, quoted escapes. */
	n = (size_t)snprintf(text, sizeof(text), "[guest %031d]\nimage=a\nmemory=2M\ncpu=0\n"
			     "cmdline=\"%0255d\"\n", 7, 9);
	CHECK_EQ(parse_exact(text, n, "t.cfg", &cfg), 0);
	CHECK_EQ(strlen(cfg.guests[0].name), 31);
	CHECK_EQ(strlen(cfg.guests[0].cmdline), 255);

	CHECK_EQ(parse_str("[guest a]\nimage=\"a b\\x\\\\\\\"\"\nmemory=2m\ncpu=0\n", &cfg), 0);
	CHECK_STR(cfg.guests[0].image, "a b\\x\\\"");
	CHECK_EQ(parse_str("[guest a]\nimage=a..b.elf\nmemory=1g\ncpu=0\n", &cfg), 0);
	CHECK_STR(cfg.guests[0].image, "a..b.elf");
	CHECK_EQ(cfg.guests[0].memory, GiB(1));
	CHECK_EQ(parse_str("[guest a]\nimage=..\\x\n", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:2: image: '..\\x' must not contain '..'");
}

static void test_check_cpus(void)
{
	CHECK_EQ(parse_file(FIXTURES "good-demo.cfg", "demo.cfg", &cfg), 0);
	CHECK_EQ(cfg_check_cpus(&cfg, "demo.cfg", 2, &err), 0);
	CHECK_EQ(cfg_check_cpus(&cfg, "demo.cfg", 64, &err), 0);
	CHECK_EQ(cfg_check_cpus(&cfg, "demo.cfg", 1, &err), -XEN_EINVAL);
	CHECK_STR(err.msg, "demo.cfg:17: guest 'spin': cpu 1 does not exist "
		  "(this machine has 1 CPU)");
	CHECK_EQ(cfg_check_cpus(&cfg, NULL, 0, &err), -XEN_EINVAL);
	CHECK_STR(err.msg, "bolt.cfg:11: guest 'hello': cpu 0 does not exist "
		  "(this machine has 0 CPUs)");
	CHECK_EQ(parse_file(FIXTURES "good-full.cfg", "full.cfg", &cfg), 0);
	CHECK_EQ(cfg_check_cpus(&cfg, "full.cfg", 5, &err), -XEN_EINVAL);
	CHECK_STR(err.msg, "full.cfg:19: guest 'Db_2': cpu 255 does not exist "
		  "(this machine has 5 CPUs)");
	CHECK_EQ(cfg_check_cpus(&cfg, "full.cfg", 256, &err), 0);
}

static void check_same_config(const struct bolt_config *a, const struct bolt_config *b)
{
	CHECK_EQ(a->console, b->console);
	CHECK_EQ(a->on_all_stopped, b->on_all_stopped);
	CHECK_EQ(a->nr_guests, b->nr_guests);
	for (unsigned i = 0; i < a->nr_guests && i < b->nr_guests; i++) {
		const struct cfg_guest *x = &a->guests[i], *y = &b->guests[i];

		CHECK_STR(x->name, y->name);
		CHECK_STR(x->image, y->image);
		CHECK_EQ(x->memory, y->memory);
		CHECK_EQ(x->cpu, y->cpu);
		CHECK_STR(x->cmdline, y->cmdline);
		CHECK_EQ(x->on_crash, y->on_crash);
		CHECK_EQ(x->max_restarts, y->max_restarts);
		CHECK_EQ(x->priority, y->priority);
		CHECK_EQ(x->delivery, y->delivery);
		CHECK_EQ(x->handover, y->handover);
		CHECK_EQ(x->lapic, y->lapic);
	}
	CHECK_EQ(a->nr_channels, b->nr_channels);
	for (unsigned i = 0; i < a->nr_channels && i < b->nr_channels; i++) {
		const struct cfg_channel *x = &a->channels[i], *y = &b->channels[i];

		CHECK_STR(x->name, y->name);
		for (unsigned e = 0; e < 2; e++) {
			CHECK_EQ(x->guest[e], y->guest[e]);
			CHECK_EQ(x->port[e], y->port[e]);
		}
		CHECK_EQ(x->delivery, y->delivery);
		CHECK_EQ(x->trace, y->trace);
	}
	CHECK_EQ(a->nr_allows, b->nr_allows);
	for (unsigned i = 0; i < a->nr_allows && i < b->nr_allows; i++) {
		CHECK_EQ(a->allows[i].a, b->allows[i].a);
		CHECK_EQ(a->allows[i].b, b->allows[i].b);
	}
	CHECK_EQ(a->nr_doorbells, b->nr_doorbells);
	for (unsigned i = 0; i < a->nr_doorbells && i < b->nr_doorbells; i++) {
		const struct cfg_doorbell *x = &a->doorbells[i], *y = &b->doorbells[i];

		CHECK_STR(x->name, y->name);
		CHECK_EQ(x->guest, y->guest);
		CHECK_EQ(x->ioport, y->ioport);
		CHECK_EQ(x->evtchn_port, y->evtchn_port);
	}
	CHECK_EQ(a->nr_shms, b->nr_shms);
	for (unsigned i = 0; i < a->nr_shms && i < b->nr_shms; i++) {
		const struct cfg_shm *x = &a->shms[i], *y = &b->shms[i];

		CHECK_STR(x->name, y->name);
		CHECK_EQ(x->size, y->size);
		CHECK_EQ(x->gpa, y->gpa);
		CHECK_EQ(x->nr_guests, y->nr_guests);
		for (unsigned j = 0; j < x->nr_guests && j < CFG_SHM_MAX_GUESTS; j++)
			CHECK_EQ(x->guests[j], y->guests[j]);
		CHECK_EQ(x->writable, y->writable);
	}
}

/*
 * Every shipped .cfg file in configs/ must parse and survive a dump round trip
 * (others edit them, so only that is checked; exact values use the
 * frozen copy good-demo.cfg).
 */
static void test_shipped_configs(void)
{
	static char buf[32768];
	DIR *dir = opendir("configs");
	struct dirent *de;
	unsigned seen = 0;

	CHECK(dir != NULL);
	while (dir && (de = readdir(dir))) {
		char path[300];
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".cfg"))
			continue;
		snprintf(path, sizeof(path), "configs/%s", de->d_name);
		CHECK_EQ(parse_file(path, path, &cfg), 0);
		if (err.msg[0])
			fprintf(stderr, "%s\n", err.msg);
		CHECK(cfg.nr_guests >= 1);
		CHECK(cfg_dump(&cfg, buf, sizeof(buf)) < (int)sizeof(buf));
		CHECK_EQ(parse_str(buf, &cfg2), 0);
		check_same_config(&cfg, &cfg2);
		seen++;
	}
	if (dir)
		closedir(dir);
	CHECK(seen >= 1);

	CHECK_EQ(parse_file(FIXTURES "good-demo.cfg", "demo.cfg", &cfg), 0);
	CHECK_EQ(cfg.console, CFG_CONSOLE_COM1 | CFG_CONSOLE_E9);
	CHECK_EQ(cfg.on_all_stopped, CFG_ALL_STOPPED_POWEROFF);
	CHECK_EQ(cfg.nr_guests, 2);
	CHECK_STR(cfg.guests[0].name, "hello");
	CHECK_STR(cfg.guests[0].image, "hello.elf");
	CHECK_EQ(cfg.guests[0].memory, MiB(4));
	CHECK_EQ(cfg.guests[0].cpu, 0);
	CHECK_STR(cfg.guests[0].cmdline, "demo hello");
	CHECK_STR(cfg.guests[1].name, "spin");
	CHECK_STR(cfg.guests[1].image, "spin.elf");
	CHECK_EQ(cfg.guests[1].memory, MiB(4));
	CHECK_EQ(cfg.guests[1].cpu, 1);
	CHECK_STR(cfg.guests[1].cmdline, "");
}

/* `debug = vmx`: a set of topics, printed only when set; unknown topics name the line. */
static void test_debug_key(void)
{
	static char buf[4096];
	const char *base = "[guest a]\nimage = a.elf\nmemory = 4M\ncpu = 0\n";
	char text[512];

	snprintf(text, sizeof(text), "[bolt]\ndebug = vmx\n%s", base);
	CHECK_EQ(parse_str(text, &cfg), 0);
	CHECK_EQ(cfg.debug, CFG_DEBUG_VMX);
	cfg_dump(&cfg, buf, sizeof(buf));
	CHECK_CONTAINS(buf, "on_all_stopped = poweroff\ndebug = vmx\n");
	CHECK_EQ(parse_str(buf, &cfg2), 0);
	CHECK_EQ(cfg2.debug, CFG_DEBUG_VMX);

	CHECK_EQ(parse_str(base, &cfg), 0);
	CHECK_EQ(cfg.debug, 0);
	cfg_dump(&cfg, buf, sizeof(buf));
	CHECK(strstr(buf, "debug") == NULL);

	snprintf(text, sizeof(text), "[bolt]\ndebug = vmx, ept\n%s", base);
	CHECK(parse_str(text, &cfg) != 0);
	CHECK_CONTAINS(err.msg, ":2:");
	CHECK_CONTAINS(err.msg, "debug: unknown topic 'ept' (expected vmx)");
	snprintf(text, sizeof(text), "[bolt]\ndebug = vmx, vmx\n%s", base);
	CHECK(parse_str(text, &cfg) != 0);
	CHECK_CONTAINS(err.msg, "listed twice");
}

/* max_event_channels: range, and static ports must be below each end's cap. */
static void test_max_event_channels(void)
{
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0\nmax_event_channels=131072\n"
			   "[guest b]\nimage=b\nmemory=2M\ncpu=0\nmax_event_channels=1\n", &cfg),
		 0);
	CHECK_EQ(cfg.guests[0].max_event_channels, 131072);
	CHECK_EQ(cfg.guests[1].max_event_channels, 1);
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0\nmax_event_channels=131073\n",
			   &cfg), -XEN_EINVAL);
	CHECK_CONTAINS(err.msg, "max_event_channels: '131073' is out of range (1..131072)");
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0\nmax_event_channels=0\n",
			   &cfg), -XEN_EINVAL);
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0\nmax_event_channels=64\n"
			   "[guest b]\nimage=b\nmemory=2M\ncpu=0\n"
			   "[channel x]\na=b:100\nb=a:63\n", &cfg), 0);
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0\nmax_event_channels=64\n"
			   "[guest b]\nimage=b\nmemory=2M\ncpu=0\n"
			   "[channel x]\na=b:100\nb=a:64\n", &cfg), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:12: channel 'x': b: port a:64 is not below guest 'a' "
		       "max_event_channels = 64 (line 1)");
}

/* A channel end without a port binds at run time; `initrd` names the PVH module. */
static void test_runtime_end(void)
{
	static char buf[4096];
	const char *text = "[guest linux]\nimage = vmlinux\ninitrd = initrd.gz\nmemory = 256M\n"
			   "cpu = 0\n[guest pong]\nimage = pong.elf\nmemory = 4M\ncpu = 1\n"
			   "[channel pp]\na = pong:1\nb = linux\n";

	CHECK_EQ(parse_str(text, &cfg), 0);
	CHECK_STR(err.msg, "");
	CHECK_STR(cfg.guests[0].initrd, "initrd.gz");
	CHECK_EQ(cfg.guests[0].initrd_line, 3);
	CHECK_STR(cfg.guests[1].initrd, "");
	CHECK_EQ(cfg.nr_channels, 1);
	CHECK_EQ(cfg.channels[0].guest[0], 1);
	CHECK_EQ(cfg.channels[0].port[0], 1);
	CHECK_EQ(cfg.channels[0].guest[1], 0);
	CHECK_EQ(cfg.channels[0].port[1], 0);
	CHECK(cfg_may_bind(&cfg, 0, 1));
	cfg_dump(&cfg, buf, sizeof(buf));
	CHECK_CONTAINS(buf, "[channel pp]\na = pong:1\nb = linux\n");
	CHECK_CONTAINS(buf, "image = \"vmlinux\"\ninitrd = \"initrd.gz\"\nmemory = 256M\n");
	CHECK_EQ(parse_str(buf, &cfg2), 0);
	check_same_config(&cfg, &cfg2);
}

static void test_lapic_key(void)
{
	static char buf[4096];

	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0\nlapic=yes\n"
			   "[guest b]\nimage=b\nmemory=2M\ncpu=0\n", &cfg), 0);
	CHECK(cfg.guests[0].lapic);
	CHECK(!cfg.guests[1].lapic); /* default: no local APIC, as before the key */
	CHECK(cfg_dump(&cfg, buf, sizeof(buf)) > 0);
	CHECK_CONTAINS(buf, "lapic = yes\n");
	CHECK_EQ(parse_str("[guest a]\nimage=a\nmemory=2M\ncpu=0\nlapic=maybe\n", &cfg),
		 -XEN_EINVAL);
}

static void test_dump(void)
{
	static char buf[16384];
	char small[16];
	int n;

	CHECK_EQ(parse_file(FIXTURES "good-demo.cfg", "demo.cfg", &cfg), 0);
	n = cfg_dump(&cfg, buf, sizeof(buf));
	CHECK_STR(buf, "[bolt]\nconsole = com1, e9\non_all_stopped = poweroff\n"
		  "\n[guest hello]\nimage = \"hello.elf\"\nmemory = 4M\ncpu = 0\n"
		  "cmdline = \"demo hello\"\non_crash = stop\nmax_restarts = 3\n"
		  "priority = 100\ndelivery = immediate\nhandover = no\n"
		  "max_event_channels = 4096\nlapic = no\n"
		  "\n[guest spin]\nimage = \"spin.elf\"\nmemory = 4M\ncpu = 1\n"
		  "cmdline = \"\"\non_crash = stop\nmax_restarts = 3\n"
		  "priority = 100\ndelivery = immediate\nhandover = no\n"
		  "max_event_channels = 4096\nlapic = no\n");
	CHECK_EQ(n, strlen(buf));
	CHECK_EQ(cfg_dump(&cfg, small, sizeof(small)), n);
	CHECK_STR(small, "[bolt]\nconsole ");
	CHECK_EQ(cfg_dump(&cfg, NULL, 0), n);

	/* Round trip: the dump of a tricky config parses back identically. */
	CHECK_EQ(parse_file(FIXTURES "good-full.cfg", "good-full.cfg", &cfg), 0);
	n = cfg_dump(&cfg, buf, sizeof(buf));
	CHECK(n > 0 && (size_t)n < sizeof(buf));
	/* Every console sink and the non-default on_all_stopped print by name. */
	CHECK_CONTAINS(buf, "[bolt]\nconsole = com1, e9, gop\non_all_stopped = halt\n");
	CHECK_EQ(parse_str(buf, &cfg2), 0);
	CHECK_STR(err.msg, "");
	check_same_config(&cfg, &cfg2);

	/* Every new section, in normalized form, and back. */
	CHECK_EQ(parse_file(FIXTURES "good-events.cfg", "good-events.cfg", &cfg), 0);
	n = cfg_dump(&cfg, buf, sizeof(buf));
	CHECK(n > 0 && (size_t)n < sizeof(buf));
	CHECK_EQ(cfg_dump(&cfg, NULL, 0), n);
	CHECK_CONTAINS(buf, "[bolt]\nconsole = com1\non_all_stopped = poweroff\n"
		       "allow = front, back\nallow = solo, solo\n\n[guest front]\n");
	CHECK_CONTAINS(buf, "priority = 255\ndelivery = lazy\nhandover = yes\n");
	CHECK_CONTAINS(buf, "\n[channel net]\na = front:1\nb = back:2\ndelivery = lazy\n"
		       "trace = on\nbudget = none\n\n[channel loop]\na = solo:7\nb = solo:4095\n"
		       "trace = off\nbudget = none\n\n[doorbell kick]\nguest = front\nport = 0x500\n"
		       "channel = front:1\n\n[doorbell kick-back]\nguest = back\n"
		       "port = 0x500\nchannel = back:2\n\n[shm ring]\nsize = 64K\n"
		       "address = 0x10000000\nguests = front, back\naccess = ro\n");
	CHECK_CONTAINS(buf, "[shm solo-top]\nsize = 64M\naddress = 0xfffffc000000\n"
		       "guests = solo\naccess = rw\n");
	CHECK_EQ(parse_str(buf, &cfg2), 0);
	CHECK_STR(err.msg, "");
	check_same_config(&cfg, &cfg2);

	/* Worst case for quoting: a 255-char cmdline of quotes still round-trips. */
	CHECK_EQ(parse_file(FIXTURES "good-demo.cfg", "demo.cfg", &cfg), 0);
	memset(cfg.guests[0].cmdline, '"', CFG_CMDLINE_MAX - 1);
	cfg.guests[0].cmdline[CFG_CMDLINE_MAX - 1] = '\0';
	cfg_dump(&cfg, buf, sizeof(buf));
	CHECK_EQ(parse_str(buf, &cfg2), 0);
	check_same_config(&cfg, &cfg2);
}

static void test_names(void)
{
	char buf[32];

	CHECK_STR(cfg_on_crash_name(CFG_ON_CRASH_RESTART), "restart");
	CHECK_STR(cfg_on_crash_name(CFG_ON_CRASH_STOP), "stop");
	CHECK_STR(cfg_delivery_name(CFG_DELIVERY_IMMEDIATE), "immediate");
	CHECK_STR(cfg_delivery_name(CFG_DELIVERY_LAZY), "lazy");
	CHECK_STR(cfg_delivery_name((enum cfg_delivery)CFG_DELIVERY_PER_GUEST), "?");

	cfg_format_size(buf, sizeof(buf), GiB(4));
	CHECK_STR(buf, "4G");
	cfg_format_size(buf, sizeof(buf), MiB(1536));
	CHECK_STR(buf, "1536M");
	cfg_format_size(buf, sizeof(buf), KiB(3));
	CHECK_STR(buf, "3K");
	cfg_format_size(buf, sizeof(buf), 1000);
	CHECK_STR(buf, "1000");
	cfg_format_size(buf, sizeof(buf), 0);
	CHECK_STR(buf, "0");
	CHECK_EQ(cfg_format_size(buf, 2, GiB(16)), 3);
	CHECK_STR(buf, "1");
}

/* err may be NULL; a long filename is truncated, never overflowed. */
static void test_error_buffer(void)
{
	char name[400];

	CHECK_EQ(cfg_parse("x", 1, "t.cfg", &cfg, NULL), -XEN_EINVAL);
	CHECK(is_zeroed(&cfg));
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CHECK_EQ(cfg_parse("x", 1, name, &cfg, &err), -XEN_EINVAL);
	CHECK_EQ(strlen(err.msg), sizeof(err.msg) - 1);
	CHECK_EQ(cfg_parse("[guest a]\n", 10, "t.cfg", &cfg, &err), -XEN_EINVAL);
	CHECK_STR(err.msg, "t.cfg:1: guest 'a': missing required key 'image'");
}

static void test_budget(void)
{
	static const char good[] = "[guest a]\nimage = a.elf\nmemory = 4M\ncpu = 0\n"
				   "[channel c]\na = a:1\nb = a:2\nbudget = 1000/10ms\n";
	static const char *const bad[][2] = {
		{ "budget = 10", "t.cfg:8: budget: '10' is not a budget (use e.g. 1000/10ms, or none)" },
		{ "budget = 10/5", "t.cfg:8: budget: '10/5': the period needs a unit: us, ms or s" },
		{ "budget = 0/1ms", "t.cfg:8: budget: '0/1ms': events must be 1..1000000" },
		{ "budget = 5/1us", "t.cfg:8: budget: '5/1us': the period must be 10us..10s" },
		{ "budget = 5/11s", "t.cfg:8: budget: '5/11s': the period must be 10us..10s" },
	};
	static struct bolt_config bcfg;
	struct cfg_error berr;
	char text[256], dump[4096];

	CHECK_EQ(cfg_parse(good, sizeof(good) - 1, "t.cfg", &bcfg, &berr), 0);
	CHECK_EQ(bcfg.channels[0].budget.events, 1000);
	CHECK_EQ(bcfg.channels[0].budget.period_ns, 10000000);
	CHECK(cfg_dump(&bcfg, dump, sizeof(dump)) > 0);
	CHECK_CONTAINS(dump, "budget = 1000/10ms\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n = snprintf(text, sizeof(text),
				 "[guest a]\nimage = a.elf\nmemory = 4M\ncpu = 0\n"
				 "[channel c]\na = a:1\nb = a:2\n%s\n", bad[i][0]);
		CHECK_EQ(cfg_parse(text, (size_t)n, "t.cfg", &bcfg, &berr), -XEN_EINVAL);
		CHECK_STR(berr.msg, bad[i][1]);
	}
}

/*
 * n budgeted loopback channels of guest `solo` (a = solo:2i+1, b =
 * solo:2i+2), the last with budget @last, plus an unbudgeted channel to
 * guest `other`. Returns the text length; the channel headers are at lines
 * 10 + 4i.
 */
static int loopback_cfg(char *text, size_t size, unsigned n, const char *last)
{
	int len = snprintf(text, size, "[guest solo]\nimage = s.elf\nmemory = 4M\ncpu = 0\n"
			   "[guest other]\nimage = o.elf\nmemory = 4M\ncpu = 1\n\n");

	for (unsigned i = 0; i < n; i++)
		len += snprintf(text + len, size - (size_t)len,
				"[channel l%u]\na = solo:%u\nb = solo:%u\nbudget = %s\n", i,
				2 * i + 1, 2 * i + 2, i + 1 == n ? last : "10/1ms");
	return len;
}

/*
 * Budgets belong to the pair of guests (issue 8, items 3 and 4). The
 * hypervisor keeps one entry per receiver, so 64 budgeted loopback
 * channels (the most a config may have; the old per-end table of 64
 * entries got 128 at boot and overflowed into the vCPU) are one budget,
 * (solo, solo); budgets that disagree within a pair are rejected with the
 * [channel] line.
 */
static void test_pair_budget(void)
{
	static char text[16384];
	static struct bolt_config bcfg;
	struct cfg_error berr;
	int n;

	n = loopback_cfg(text, sizeof(text), CFG_MAX_CHANNELS, "10/1ms");
	CHECK_EQ(cfg_parse(text, (size_t)n, "t.cfg", &bcfg, &berr), 0);
	CHECK_EQ(bcfg.nr_channels, CFG_MAX_CHANNELS);
	CHECK(cfg_pair_budget(&bcfg, 0, 0) == &bcfg.channels[0]);
	CHECK(cfg_pair_budget(&bcfg, 0, 1) == NULL);
	CHECK(cfg_pair_budget(&bcfg, 1, 0) == NULL);
	CHECK(cfg_pair_budget(&bcfg, 1, 1) == NULL);

	/* One more channel is over the section limit, as before. */
	n = loopback_cfg(text, sizeof(text), CFG_MAX_CHANNELS + 1, "10/1ms");
	CHECK_EQ(cfg_parse(text, (size_t)n, "t.cfg", &bcfg, &berr), -XEN_EINVAL);
	CHECK_STR(berr.msg, "t.cfg:266: too many channels (at most 64)");

	/* The 64th disagrees: rejected at its [channel] header, line 10 + 4 * 63. */
	n = loopback_cfg(text, sizeof(text), CFG_MAX_CHANNELS, "10/2ms");
	CHECK_EQ(cfg_parse(text, (size_t)n, "t.cfg", &bcfg, &berr), -XEN_EINVAL);
	CHECK_STR(berr.msg, "t.cfg:262: channel 'l63': budget 10 per 2000 us differs from "
		  "10 per 1000 us of channel 'l0' (line 10) between the same guests (one "
		  "budget per pair of guests)");

	/* Either order of a and b is the same pair; an unbudgeted channel joins its budget. */
	static const char pair[] = "[guest a]\nimage = a.elf\nmemory = 4M\ncpu = 0\n"
				   "[guest b]\nimage = b.elf\nmemory = 4M\ncpu = 1\n"
				   "[channel free]\na = a:3\nb = b:3\n"
				   "[channel one]\na = a:1\nb = b:1\nbudget = 10/1ms\n"
				   "[channel two]\na = b:2\nb = a:2\nbudget = 10/1ms\n"
				   "[channel self]\na = a:4\nb = a:5\nbudget = 99/1s\n";
	CHECK_EQ(cfg_parse(pair, sizeof(pair) - 1, "t.cfg", &bcfg, &berr), 0);
	CHECK(cfg_pair_budget(&bcfg, 0, 1) == &bcfg.channels[1]);
	CHECK(cfg_pair_budget(&bcfg, 1, 0) == &bcfg.channels[1]);
	CHECK(cfg_pair_budget(&bcfg, 0, 0) == &bcfg.channels[3]);
	CHECK(cfg_pair_budget(&bcfg, 1, 1) == NULL);
}

void unit_main(void)
{
	TEST(test_budget);
	TEST(test_pair_budget);
	TEST(test_good_minimal);
	TEST(test_good_full);
	TEST(test_good_events);
	TEST(test_bad_fixtures);
	TEST(test_cpu_sharing);
	TEST(test_cpu_lists);
	TEST(test_may_bind);
	TEST(test_may_grant);
	TEST(test_section_limits);
	TEST(test_many_names);
	TEST(test_line_endings);
	TEST(test_len_bound);
	TEST(test_binary_junk);
	TEST(test_long_lines);
	TEST(test_limits);
	TEST(test_check_cpus);
	TEST(test_shipped_configs);
	TEST(test_debug_key);
	TEST(test_max_event_channels);
	TEST(test_lapic_key);
	TEST(test_dump);
	TEST(test_runtime_end);
	TEST(test_names);
	TEST(test_error_buffer);
}
