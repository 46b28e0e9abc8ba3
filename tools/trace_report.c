/* SPDX-License-Identifier: MIT */
/*
 * Output side of the trace decoder (tools/trace_decode.h): per-stage
 * samples and summaries, the text report, CSV rows and the gnuplot
 * timeline script. Decoding and pairing live in tools/trace_decode.c.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/errno.h"
#include "tools/trace_decode.h"

/* Each stage runs from one event to another. */
static const struct {
	const char *name, *column; /* for people; for CSV headers */
	enum tdec_event from, to;
} tdec_stages[TDEC_NSTAGES] = {
	[TDEC_SEND_KICK] = { "send->kick", "send_kick", TDEC_SEND, TDEC_KICK },
	[TDEC_KICK_WAKE] = { "kick->wake", "kick_wake", TDEC_KICK, TDEC_WAKE },
	[TDEC_WAKE_INJECT] = { "wake->inject", "wake_inject", TDEC_WAKE, TDEC_INJECT },
	[TDEC_INJECT_ACK] = { "inject->ack", "inject_ack", TDEC_INJECT, TDEC_ACK },
	[TDEC_SEND_ACK] = { "send->ack", "send_ack", TDEC_SEND, TDEC_ACK },
};

static const char *const tdec_event_rows[TDEC_NEVENTS] = { "send", "kick", "wake", "inject",
							   "ack" };

const char *tdec_stage_name(enum tdec_stage st)
{
	return (unsigned)st < TDEC_NSTAGES ? tdec_stages[st].name : "?";
}

size_t tdec_stage_samples(const struct tdec_channel *ch, enum tdec_stage st, uint64_t *out)
{
	unsigned need;
	size_t n = 0;

	if ((unsigned)st >= TDEC_NSTAGES)
		return 0;
	need = (1u << tdec_stages[st].from) | (1u << tdec_stages[st].to);
	for (size_t i = 0; i < ch->nnotifs; i++) {
		const struct tdec_notif *nt = &ch->notifs[i];

		if ((nt->have & need) == need)
			out[n++] = nt->tsc[tdec_stages[st].to] - nt->tsc[tdec_stages[st].from];
	}
	return n;
}

int tdec_stage_summary(const struct tdec_channel *ch, enum tdec_stage st,
		       struct stats_summary *s)
{
	uint64_t *buf = malloc((ch->nnotifs ? ch->nnotifs : 1) * sizeof(*buf));
	size_t n;

	*s = (struct stats_summary){ 0 };
	if (!buf)
		return -XEN_ENOMEM;
	n = tdec_stage_samples(ch, st, buf);
	stats_sort_u64(buf, n);
	stats_summarize(buf, n, s);
	free(buf);
	return 0;
}

void tdec_channel_name(const struct tdec_channel *ch, char *buf, size_t size)
{
	if (ch->dst_dom == TDEC_UNKNOWN)
		snprintf(buf, size, "dom%u:%u -> dom?", ch->src_dom, ch->src_port);
	else if (ch->dst_port == TDEC_UNKNOWN)
		snprintf(buf, size, "dom%u:%u -> dom%u", ch->src_dom, ch->src_port, ch->dst_dom);
	else
		snprintf(buf, size, "dom%u:%u -> dom%u:%u", ch->src_dom, ch->src_port, ch->dst_dom,
			 ch->dst_port);
}

void tdec_channel_slug(const struct tdec_channel *ch, char *buf, size_t size)
{
	if (ch->dst_dom == TDEC_UNKNOWN)
		snprintf(buf, size, "d%up%u-unknown", ch->src_dom, ch->src_port);
	else if (ch->dst_port == TDEC_UNKNOWN)
		snprintf(buf, size, "d%up%u-d%u", ch->src_dom, ch->src_port, ch->dst_dom);
	else
		snprintf(buf, size, "d%up%u-d%up%u", ch->src_dom, ch->src_port, ch->dst_dom,
			 ch->dst_port);
}

static void tdec_us(FILE *out, uint64_t ticks, uint64_t tsc_per_us)
{
	if (tsc_per_us)
		fprintf(out, " %10.2f", (double)ticks / (double)tsc_per_us);
	else
		fprintf(out, " %10s", "-");
}

int tdec_report(const struct tdec_result *res, FILE *out)
{
	fprintf(out, "%u dump%s, %zu records (%llu lost", res->dumps, res->dumps == 1 ? "" : "s",
		res->nrecs, res->lost);
	if (res->duplicates)
		fprintf(out, ", %zu repeated by a later dump", res->duplicates);
	if (res->malformed)
		fprintf(out, ", %zu malformed lines skipped", res->malformed);
	if (res->tsc_per_us)
		fprintf(out, "), tsc_per_us=%llu", (unsigned long long)res->tsc_per_us);
	else
		fprintf(out, "), tsc_per_us unknown");
	fprintf(out, ", %zu channel%s\n", res->nchans, res->nchans == 1 ? "" : "s");
	for (size_t c = 0; c < res->nchans; c++) {
		const struct tdec_channel *ch = &res->chans[c];
		char name[80];

		tdec_channel_name(ch, name, sizeof(name));
		fprintf(out, "\nchannel %s: %zu notifications, %zu incomplete (no inject or no ack)\n",
			name, ch->nnotifs, ch->incomplete);
		fprintf(out, "  %-13s %7s %10s %10s %10s %10s %10s %10s\n", "stage", "count",
			"p50 tsc", "p99 tsc", "max tsc", "p50 us", "p99 us", "max us");
		for (int st = 0; st < TDEC_NSTAGES; st++) {
			struct stats_summary s;
			int rc = tdec_stage_summary(ch, st, &s);

			if (rc)
				return rc;
			fprintf(out, "  %-13s %7zu", tdec_stage_name(st), s.n);
			if (!s.n) {
				/* No sample: no number, rather than a misleading 0. */
				fprintf(out, " %10s %10s %10s %10s %10s %10s\n", "-", "-", "-", "-", "-",
					"-");
				continue;
			}
			fprintf(out, " %10llu %10llu %10llu", (unsigned long long)s.p50,
				(unsigned long long)s.p99, (unsigned long long)s.max);
			tdec_us(out, s.p50, res->tsc_per_us);
			tdec_us(out, s.p99, res->tsc_per_us);
			tdec_us(out, s.max, res->tsc_per_us);
			fputc('\n', out);
		}
	}
	return ferror(out) ? -XEN_EIO : 0;
}

int tdec_write_csv(const struct tdec_channel *ch, FILE *out)
{
	fprintf(out, "send_tsc,send_line");
	for (int st = 0; st < TDEC_NSTAGES; st++)
		fprintf(out, ",%s", tdec_stages[st].column);
	fputc('\n', out);
	for (size_t i = 0; i < ch->nnotifs; i++) {
		const struct tdec_notif *nt = &ch->notifs[i];

		fprintf(out, "%llu,%u", (unsigned long long)nt->tsc[TDEC_SEND], nt->send_line);
		for (int st = 0; st < TDEC_NSTAGES; st++) {
			unsigned need = (1u << tdec_stages[st].from) | (1u << tdec_stages[st].to);

			if ((nt->have & need) == need)
				fprintf(out, ",%llu",
					(unsigned long long)(nt->tsc[tdec_stages[st].to] -
							     nt->tsc[tdec_stages[st].from]));
			else
				fputc(',', out);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -XEN_EIO : 0;
}

/* A gnuplot single-quoted string: ' is written twice. */
static void tdec_gp_quote(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', out);
		fputc(*s, out);
	}
	fputc('\'', out);
}

int tdec_plot_script(const struct tdec_result *res, const char *png, FILE *out)
{
	uint64_t t0 = res->nrecs ? res->recs[0].tsc : 0;
	double scale = res->tsc_per_us ? (double)res->tsc_per_us : 1.0;

	fprintf(out, "# Bolt trace timeline, generated by bolt-trace (docs/tracing.md).\n"
		     "if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) "
		     "{ set terminal pngcairo size 1400,700 } else { set terminal png size 1400,700 }\n"
		     "set output ");
	tdec_gp_quote(out, png);
	fprintf(out, "\nset title 'Bolt trace: %zu records, %zu channel%s'\n", res->nrecs,
		res->nchans, res->nchans == 1 ? "" : "s");
	fprintf(out, "set xlabel 'time since the first record (%s)'\n",
		res->tsc_per_us ? "us" : "ticks");
	fprintf(out, "set ytics (");
	for (int e = 0; e < TDEC_NEVENTS; e++)
		fprintf(out, "%s'%s' %d", e ? ", " : "", tdec_event_rows[e], e);
	fprintf(out, ")\nset yrange [-0.5:%d.5]\nset grid xtics\nset key outside right top\n",
		TDEC_NEVENTS - 1);
	/* Every record, paired or not, as a faint point on its event's row. */
	fprintf(out, "$records << EOD\n");
	for (size_t i = 0; i < res->nrecs; i++)
		fprintf(out, "%.3f %d %u\n", (double)(res->recs[i].tsc - t0) / scale,
			(int)res->recs[i].event, res->recs[i].cpu);
	fprintf(out, "EOD\n");
	/* Each channel's notifications, one polyline per notification. */
	for (size_t c = 0; c < res->nchans; c++) {
		const struct tdec_channel *ch = &res->chans[c];

		fprintf(out, "$ch%zu << EOD\n", c);
		for (size_t i = 0; i < ch->nnotifs; i++) {
			const struct tdec_notif *nt = &ch->notifs[i];

			for (int e = 0; e < TDEC_NEVENTS; e++)
				if (nt->have & (1u << e))
					fprintf(out, "%.3f %d\n", (double)(nt->tsc[e] - t0) / scale, e);
			fputc('\n', out);
		}
		fprintf(out, "EOD\n");
	}
	fprintf(out, "plot $records using 1:2 with points pt 7 ps 0.4 lc rgb '#b0b0b0' title 'records'");
	for (size_t c = 0; c < res->nchans; c++) {
		char name[80];

		tdec_channel_name(&res->chans[c], name, sizeof(name));
		fprintf(out, ", \\\n     $ch%zu using 1:2 with linespoints pt 7 ps 0.6 title '%s'", c,
			name);
	}
	fputc('\n', out);
	return ferror(out) ? -XEN_EIO : 0;
}
