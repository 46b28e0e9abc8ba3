/* SPDX-License-Identifier: MIT */
/*
 * boltcfg: validate or normalize a bolt.cfg on the host, with the very
 * parser the hypervisor runs at boot, so a config that passes here cannot
 * fail to parse on the machine (only `--cpus` depends on the hardware).
 *
 *   boltcfg check FILE [--cpus N]   exit 0 ok, 1 bad config, 2 usage
 *   boltcfg dump FILE               print the normalized config
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: boltcfg check FILE [--cpus N]\n"
		   "       boltcfg dump FILE\n"
		   "Validate (check) or print in normalized form (dump) a bolt.cfg.\n"
		   "--cpus N also checks every guest's cpu exists on an N-CPU machine.\n"
		   "Exit status: 0 ok, 1 invalid config or unreadable file, 2 usage error.\n");
}

/* Whole file into a malloc'd buffer; NULL (message printed) on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		fprintf(stderr, "boltcfg: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			char *nb;

			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				fprintf(stderr, "boltcfg: %s: out of memory\n", path);
				goto fail;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "boltcfg: %s: read error\n", path);
		goto fail;
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

static int parse_cpus(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v == 0 || v > 65536 || s[0] == '-') {
		fprintf(stderr, "boltcfg: --cpus: '%s' is not a CPU count (1..65536)\n", s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static const char *gname(const struct bolt_config *cfg, unsigned idx)
{
	return idx < cfg->nr_guests ? cfg->guests[idx].name : "?";
}

/* Counts of the optional sections, e.g. ", 2 channels, 1 doorbell". */
static void print_count(unsigned n, const char *what)
{
	if (n)
		printf(", %u %s%s", n, what, n == 1 ? "" : "s");
}

static void print_events(const struct bolt_config *cfg)
{
	for (unsigned i = 0; i < cfg->nr_channels; i++) {
		const struct cfg_channel *c = &cfg->channels[i];

		printf("  channel %s: %s:%u <-> %s:%u", c->name, gname(cfg, c->guest[0]),
		       (unsigned)c->port[0], gname(cfg, c->guest[1]), (unsigned)c->port[1]);
		if (c->delivery != CFG_DELIVERY_PER_GUEST)
			printf("  delivery=%s", cfg_delivery_name((enum cfg_delivery)c->delivery));
		if (c->trace)
			printf("  trace");
		printf("\n");
	}
	for (unsigned i = 0; i < cfg->nr_allows; i++)
		printf("  allow %s <-> %s\n", gname(cfg, cfg->allows[i].a),
		       gname(cfg, cfg->allows[i].b));
	for (unsigned i = 0; i < cfg->nr_doorbells; i++) {
		const struct cfg_doorbell *d = &cfg->doorbells[i];

		printf("  doorbell %s: guest %s, I/O port 0x%x -> port %u\n", d->name,
		       gname(cfg, d->guest), (unsigned)d->ioport, (unsigned)d->evtchn_port);
	}
	for (unsigned i = 0; i < cfg->nr_shms; i++) {
		const struct cfg_shm *m = &cfg->shms[i];
		char size[24];

		cfg_format_size(size, sizeof(size), m->size);
		printf("  shm %s: %s at 0x%llx %s:", m->name, size, (unsigned long long)m->gpa,
		       m->writable ? "rw" : "ro");
		for (unsigned j = 0; j < m->nr_guests; j++)
			printf("%s %s", j ? "," : "", gname(cfg, m->guests[j]));
		printf("\n");
	}
}

static void print_summary(const char *path, const struct bolt_config *cfg)
{
	int w = 0;

	for (unsigned i = 0; i < cfg->nr_guests; i++)
		if ((int)strlen(cfg->guests[i].name) > w)
			w = (int)strlen(cfg->guests[i].name);
	printf("%s: ok (%u guest%s", path, cfg->nr_guests, cfg->nr_guests == 1 ? "" : "s");
	print_count(cfg->nr_channels, "channel");
	print_count(cfg->nr_doorbells, "doorbell");
	print_count(cfg->nr_shms, "shm region");
	printf(")\n");
	for (unsigned i = 0; i < cfg->nr_guests; i++) {
		const struct cfg_guest *g = &cfg->guests[i];
		char mem[24];

		cfg_format_size(mem, sizeof(mem), g->memory);
		printf("  %-*s  domid %-2u cpu %-3u %5s  %s  on_crash=%s", w, g->name, i + 1,
		       g->cpu, mem, g->image, cfg_on_crash_name(g->on_crash));
		if (g->on_crash == CFG_ON_CRASH_RESTART)
			printf(" max_restarts=%u", g->max_restarts);
		printf("  priority=%u delivery=%s", g->priority, cfg_delivery_name(g->delivery));
		if (g->handover)
			printf(" handover");
		if (g->cmdline[0])
			printf("  cmdline=\"%s\"", g->cmdline);
		printf("\n");
	}
	print_events(cfg);
}

int main(int argc, char **argv)
{
	static struct bolt_config cfg;
	struct cfg_error err;
	const char *cmd, *path = NULL;
	unsigned cpus = 0;
	bool have_cpus = false;
	char *text, *dump;
	size_t len;
	int rc, n;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "check") && strcmp(cmd, "dump")) {
		fprintf(stderr, "boltcfg: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(cmd, "check") && !strcmp(a, "--cpus")) {
			if (++i == argc) {
				fprintf(stderr, "boltcfg: --cpus needs a number\n");
				return 2;
			}
			if (parse_cpus(argv[i], &cpus))
				return 2;
			have_cpus = true;
		} else if (!strcmp(cmd, "check") && !strncmp(a, "--cpus=", 7)) {
			if (parse_cpus(a + 7, &cpus))
				return 2;
			have_cpus = true;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "boltcfg: unknown option '%s' for '%s'\n", a, cmd);
			usage(stderr);
			return 2;
		} else if (path) {
			fprintf(stderr, "boltcfg: only one FILE is allowed\n");
			return 2;
		} else {
			path = a;
		}
	}
	if (!path) {
		fprintf(stderr, "boltcfg: missing FILE\n");
		usage(stderr);
		return 2;
	}

	text = read_file(path, &len);
	if (!text)
		return 1;
	rc = cfg_parse(text, len, path, &cfg, &err);
	free(text);
	if (!rc && have_cpus)
		rc = cfg_check_cpus(&cfg, path, cpus, &err);
	if (rc) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}

	if (!strcmp(cmd, "check")) {
		print_summary(path, &cfg);
		return 0;
	}
	n = cfg_dump(&cfg, NULL, 0);
	dump = malloc((size_t)n + 1);
	if (!dump) {
		fprintf(stderr, "boltcfg: out of memory\n");
		return 1;
	}
	cfg_dump(&cfg, dump, (size_t)n + 1);
	fputs(dump, stdout);
	free(dump);
	return 0;
}
