/* SPDX-License-Identifier: MIT */
/*
 * bolt-trace: turn the trace dump in a Bolt console log into a per-channel,
 * per-stage latency breakdown (docs/tracing.md).
 *
 *   bolt-trace [--csv DIR] [--plot PNG] LOGFILE
 *
 * Exit status: 0 ok (malformed lines are reported and skipped), 1 no trace
 * in the log or an input/output error, 2 usage error.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1 /* mkdir() */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "lib/errno.h"
#include "tools/trace_decode.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: bolt-trace [--csv DIR] [--plot PNG] LOGFILE\n"
		   "Decode the TRACE-BEGIN..TRACE-END dump in a Bolt console log and print,\n"
		   "per channel, count/p50/p99/max of each notification stage.\n"
		   "  --csv DIR   write DIR/trace-<channel>.csv: one row per notification\n"
		   "  --plot PNG  draw a timeline with gnuplot (script kept as PNG.gp)\n"
		   "Exit status: 0 ok, 1 no trace or I/O error, 2 usage error.\n");
}

/* Whole file into a malloc'd buffer; NULL (message printed) on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		fprintf(stderr, "bolt-trace: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			char *p = realloc(buf, cap ? cap * 2 : 65536);

			if (!p) {
				fprintf(stderr, "bolt-trace: %s: out of memory\n", path);
				goto fail;
			}
			buf = p;
			cap = cap ? cap * 2 : 65536;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "bolt-trace: %s: read error\n", path);
		goto fail;
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

static int write_csvs(const struct tdec_result *res, const char *dir)
{
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "bolt-trace: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (size_t c = 0; c < res->nchans; c++) {
		char slug[64], path[4096];
		FILE *f;
		int rc;

		tdec_channel_slug(&res->chans[c], slug, sizeof(slug));
		snprintf(path, sizeof(path), "%s/trace-%s.csv", dir, slug);
		f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "bolt-trace: %s: %s\n", path, strerror(errno));
			return 1;
		}
		rc = tdec_write_csv(&res->chans[c], f);
		if (fclose(f) || rc) {
			fprintf(stderr, "bolt-trace: %s: write error\n", path);
			return 1;
		}
		printf("wrote %s\n", path);
	}
	return 0;
}

static int write_plot(const struct tdec_result *res, const char *png)
{
	char script[4096], cmd[8400], *p = cmd;
	FILE *f;
	int rc;

	if ((size_t)snprintf(script, sizeof(script), "%s.gp", png) >= sizeof(script)) {
		fprintf(stderr, "bolt-trace: %s: path too long\n", png);
		return 1;
	}
	f = fopen(script, "w");
	if (!f) {
		fprintf(stderr, "bolt-trace: %s: %s\n", script, strerror(errno));
		return 1;
	}
	rc = tdec_plot_script(res, png, f);
	if (fclose(f) || rc) {
		fprintf(stderr, "bolt-trace: %s: write error\n", script);
		return 1;
	}
	/* The script path, single-quoted for the shell ('\'' for a quote). */
	p += sprintf(p, "gnuplot '");
	for (const char *s = script; *s; s++)
		p += *s == '\'' ? sprintf(p, "'\\''") : sprintf(p, "%c", *s);
	sprintf(p, "'");
	rc = system(cmd);
	if (rc) {
		fprintf(stderr, "bolt-trace: gnuplot failed on %s (status %d; is gnuplot installed?)\n",
			script, rc);
		return 1;
	}
	printf("wrote %s (gnuplot script %s)\n", png, script);
	return 0;
}

int main(int argc, char **argv)
{
	const char *csv = NULL, *plot = NULL, *log = NULL;
	struct tdec_result res;
	char *text;
	size_t len;
	int rc, status = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--csv") && i + 1 < argc) {
			csv = argv[++i];
		} else if (!strcmp(argv[i], "--plot") && i + 1 < argc) {
			plot = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "bolt-trace: unknown option or missing argument: %s\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (!log) {
			log = argv[i];
		} else {
			fprintf(stderr, "bolt-trace: more than one LOGFILE (%s)\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!log) {
		usage(stderr);
		return 2;
	}
	text = read_file(log, &len);
	if (!text)
		return 1;
	rc = tdec_decode(text, len, log, &res);
	free(text);
	if (res.diag)
		fputs(res.diag, stderr);
	if (rc == -XEN_ENODATA) {
		fprintf(stderr, "bolt-trace: to get one, set `trace = on` in a [channel] of bolt.cfg "
				"and let the run reach its shutdown summary (or call "
				"BOLT_OP_trace_dump)\n");
		status = 1;
		goto out;
	}
	if (rc) {
		fprintf(stderr, "bolt-trace: %s: out of memory while decoding\n", log);
		status = 1;
		goto out;
	}
	if (tdec_report(&res, stdout)) {
		status = 1;
		goto out;
	}
	if (csv && write_csvs(&res, csv))
		status = 1;
	if (plot && write_plot(&res, plot))
		status = 1;
out:
	tdec_free(&res);
	return status;
}
