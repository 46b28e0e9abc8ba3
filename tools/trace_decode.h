/* SPDX-License-Identifier: MIT */
/*
 * Decoder for Bolt trace dumps (docs/tracing.md): finds the TRACE-BEGIN /
 * TRACE / TRACE-END lines in a console log, rebuilds each one-way
 * notification (send -> kick -> wake -> inject -> ack) per channel and
 * reports per-stage latencies. Kept apart from bolt-trace's main() so the
 * unit tests can decode a log held in a string. Parsing is in
 * tools/trace_decode.c, pairing in tools/trace_pair.c, output (report, CSV,
 * plot) in tools/trace_report.c.
 */
#ifndef TOOLS_TRACE_DECODE_H
#define TOOLS_TRACE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/stats.h"

enum tdec_event { TDEC_SEND, TDEC_KICK, TDEC_WAKE, TDEC_INJECT, TDEC_ACK, TDEC_NEVENTS };

/* Stages of a notification; each is a tick difference between two events. */
enum tdec_stage {
	TDEC_SEND_KICK,
	TDEC_KICK_WAKE,
	TDEC_WAKE_INJECT,
	TDEC_INJECT_ACK,
	TDEC_SEND_ACK, /* the whole notification */
	TDEC_NSTAGES
};

#define TDEC_UNKNOWN UINT32_MAX /* receiver dom/port that could not be found */

struct tdec_record {
	uint64_t tsc;
	size_t seq;    /* order in the log, to keep equal-TSC records stable */
	unsigned line; /* 1-based line number in the log */
	uint32_t cpu, dom, port;
	enum tdec_event event;
	bool ipi; /* kick-ipi (true) or kick-line (false) */
};

/* One reconstructed notification: tsc[e] is valid where have has bit e. */
struct tdec_notif {
	uint64_t tsc[TDEC_NEVENTS];
	unsigned have;
	unsigned send_line;
};

/* A channel: sender dom:port -> receiver dom (and its port, when seen). */
struct tdec_channel {
	uint32_t src_dom, src_port, dst_dom, dst_port;
	struct tdec_notif *notifs;
	size_t nnotifs, cap;
	size_t incomplete; /* no inject or no ack */
};

struct tdec_result {
	uint64_t tsc_per_us; /* from TRACE-BEGIN; 0 if unknown */
	unsigned dumps;      /* TRACE-BEGIN lines seen */
	unsigned long long end_records; /* summed over TRACE-END lines */
	unsigned long long lost;        /* the largest TRACE-END count */
	size_t malformed;    /* lines reported and skipped */
	size_t duplicates;   /* records repeated by a later dump, dropped */
	struct tdec_record *recs; /* sorted by TSC after decoding */
	size_t nrecs, rcap;
	struct tdec_channel *chans; /* sorted by sender, then receiver */
	size_t nchans;
	char *diag; /* "NAME:LINE: message\n" lines, NUL-terminated, or NULL */
	size_t diag_len, diag_cap;
};

/*
 * Decode a log of len bytes; name prefixes every diagnostic. res is
 * overwritten; call tdec_free() afterwards whatever the result.
 * Returns 0, -XEN_ENODATA when the log has no TRACE-BEGIN line, or
 * -XEN_ENOMEM. Malformed lines are counted, noted in res->diag, skipped.
 */
int tdec_decode(const char *text, size_t len, const char *name, struct tdec_result *res);
void tdec_free(struct tdec_result *res);

const char *tdec_stage_name(enum tdec_stage st);

/*
 * The stage's samples in ticks, in notification order, into out (room for
 * ch->nnotifs). Returns how many notifications had both events.
 */
size_t tdec_stage_samples(const struct tdec_channel *ch, enum tdec_stage st, uint64_t *out);

/* Summary of one stage; -XEN_ENOMEM if the scratch buffer fails. */
int tdec_stage_summary(const struct tdec_channel *ch, enum tdec_stage st,
		       struct stats_summary *s);

/* "dom1:1 -> dom2:1" (receiver port omitted when unknown, dom "?"). */
void tdec_channel_name(const struct tdec_channel *ch, char *buf, size_t size);
/* "d1p1-d2p1": for file names. */
void tdec_channel_slug(const struct tdec_channel *ch, char *buf, size_t size);

/* The human-readable per-channel, per-stage table. */
int tdec_report(const struct tdec_result *res, FILE *out);

/* Internal (trace_decode.c -> trace_pair.c): build res->chans from res->recs. */
int tdec_pair(struct tdec_result *res);

/* One CSV row per notification: send_tsc and each stage (empty if absent). */
int tdec_write_csv(const struct tdec_channel *ch, FILE *out);

/*
 * A gnuplot script (data inline) drawing a timeline into png: time on x,
 * one row per event kind, each notification's events joined by a line.
 */
int tdec_plot_script(const struct tdec_result *res, const char *png, FILE *out);

#endif
