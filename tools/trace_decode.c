/* SPDX-License-Identifier: MIT */
/*
 * Trace dump parsing (tools/trace_decode.h): find the TRACE-BEGIN / TRACE /
 * TRACE-END lines of a console log, whatever prefix they carry, check
 * them, sort the records by TSC and drop the repeats of a later dump.
 * Pairing the records into notifications is tools/trace_pair.c. Host code:
 * plain libc, allocation allowed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errno.h"
#include "tools/trace_decode.h"

#define TDEC_LINE_MAX 512

__attribute__((format(printf, 4, 5))) static void
tdec_note(struct tdec_result *res, const char *name, unsigned line, const char *fmt, ...)
{
	char msg[TDEC_LINE_MAX + 256];
	int len;
	va_list ap;

	if (line)
		len = snprintf(msg, sizeof(msg), "%s:%u: ", name, line);
	else
		len = snprintf(msg, sizeof(msg), "%s: ", name);
	if (len < 0 || (size_t)len >= sizeof(msg))
		return;
	va_start(ap, fmt);
	vsnprintf(msg + len, sizeof(msg) - (size_t)len - 1, fmt, ap);
	va_end(ap);
	strcat(msg, "\n");
	len = (int)strlen(msg);
	if (res->diag_len + (size_t)len + 1 > res->diag_cap) {
		size_t cap = res->diag_cap ? res->diag_cap * 2 : 1024;
		char *p;

		while (cap < res->diag_len + (size_t)len + 1)
			cap *= 2;
		p = realloc(res->diag, cap);
		if (!p)
			return; /* a lost diagnostic is not worth failing the decode */
		res->diag = p;
		res->diag_cap = cap;
	}
	memcpy(res->diag + res->diag_len, msg, (size_t)len + 1);
	res->diag_len += (size_t)len;
}

/* Split s in place at blanks; returns the number of fields (max n). */
static int tdec_split(char *s, char **field, int n)
{
	int count = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (!*s)
			return count;
		if (count == n)
			return n + 1; /* too many */
		field[count++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

/* A whole-field decimal number. */
static bool tdec_number(const char *s, uint64_t *v)
{
	uint64_t x = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || x > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = x;
	return true;
}

/* "key=N" with N below TDEC_UNKNOWN. */
static bool tdec_keyval(const char *s, const char *key, uint32_t *v)
{
	size_t klen = strlen(key);
	uint64_t x;

	if (strncmp(s, key, klen) || s[klen] != '=' || !tdec_number(s + klen + 1, &x) ||
	    x >= TDEC_UNKNOWN)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* marker as a word of its own in line: at the start or after a non-word char. */
static char *tdec_find(char *line, const char *marker)
{
	char *p = line;

	while ((p = strstr(p, marker))) {
		char c = p == line ? ' ' : p[-1];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return p;
		p++;
	}
	return NULL;
}

/* Does s[0..n) contain word (no NUL needed)? */
static bool tdec_mentions(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = 0; i + w <= n; i++)
		if (!memcmp(s + i, word, w))
			return true;
	return false;
}

static int tdec_push(struct tdec_result *res, const struct tdec_record *r)
{
	if (res->nrecs == res->rcap) {
		size_t cap = res->rcap ? res->rcap * 2 : 256;
		struct tdec_record *p = realloc(res->recs, cap * sizeof(*p));

		if (!p)
			return -XEN_ENOMEM;
		res->recs = p;
		res->rcap = cap;
	}
	res->recs[res->nrecs++] = *r;
	return 0;
}

/* Parse "<tsc> cpu=<c> <event> dom=<d> port=<p>"; NULL or the reason it is bad. */
static const char *tdec_parse_record(char *rest, struct tdec_record *r)
{
	static const struct {
		const char *name;
		enum tdec_event ev;
		bool ipi;
	} events[] = {
		{ "send", TDEC_SEND, false },	   { "kick-ipi", TDEC_KICK, true },
		{ "kick-line", TDEC_KICK, false }, { "wake", TDEC_WAKE, false },
		{ "inject", TDEC_INJECT, false },  { "ack", TDEC_ACK, false },
	};
	char *f[5];
	size_t i;

	if (tdec_split(rest, f, 5) != 5)
		return "expected 5 fields after TRACE";
	if (!tdec_number(f[0], &r->tsc))
		return "bad timestamp";
	if (!tdec_keyval(f[1], "cpu", &r->cpu))
		return "bad cpu=N field";
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (!strcmp(f[2], events[i].name))
			break;
	if (i == sizeof(events) / sizeof(events[0]))
		return "unknown event (expected send, kick-ipi, kick-line, wake, inject or ack)";
	r->event = events[i].ev;
	r->ipi = events[i].ipi;
	if (!tdec_keyval(f[3], "dom", &r->dom))
		return "bad dom=N field";
	if (!tdec_keyval(f[4], "port", &r->port))
		return "bad port=N field";
	return NULL;
}

/* Parser state across lines. */
struct tdec_parse {
	const char *name;
	bool in_dump;
	unsigned dump_line;  /* line of the open dump's TRACE-BEGIN */
	unsigned long long in_this_dump;
};

static void tdec_begin(struct tdec_result *res, struct tdec_parse *ps, char *rest, unsigned ln)
{
	char *f[2];
	uint64_t v = 0;

	if (ps->in_dump)
		tdec_note(res, ps->name, ln, "TRACE-BEGIN inside the dump started at line %u, which has no TRACE-END",
			  ps->dump_line);
	res->dumps++;
	ps->in_dump = true;
	ps->dump_line = ln;
	ps->in_this_dump = 0;
	if (tdec_split(rest, f, 1) != 1 || strncmp(f[0], "tsc_per_us=", 11) ||
	    !tdec_number(f[0] + 11, &v) || !v) {
		res->malformed++;
		tdec_note(res, ps->name, ln, "malformed TRACE-BEGIN (expected 'TRACE-BEGIN tsc_per_us=N', N > 0)");
		return;
	}
	if (res->tsc_per_us && res->tsc_per_us != v)
		tdec_note(res, ps->name, ln, "tsc_per_us=%llu differs from the earlier %llu: using %llu",
			  (unsigned long long)v, (unsigned long long)res->tsc_per_us,
			  (unsigned long long)res->tsc_per_us);
	else
		res->tsc_per_us = v;
}

static void tdec_end(struct tdec_result *res, struct tdec_parse *ps, char *rest, unsigned ln)
{
	char *f[5];
	uint64_t n, lost;

	if (!ps->in_dump) {
		tdec_note(res, ps->name, ln, "TRACE-END without a TRACE-BEGIN: ignored");
		return;
	}
	ps->in_dump = false;
	if (tdec_split(rest, f, 4) != 4 || !tdec_number(f[0], &n) || strcmp(f[1], "records,") ||
	    !tdec_number(f[2], &lost) || strcmp(f[3], "lost")) {
		res->malformed++;
		tdec_note(res, ps->name, ln, "malformed TRACE-END (expected 'TRACE-END <n> records, <m> lost')");
		return;
	}
	res->end_records += n;
	/* Rings are not cleared by a dump: a later dump's count includes earlier losses. */
	if (lost > res->lost)
		res->lost = lost;
	if (n != ps->in_this_dump)
		tdec_note(res, ps->name, ln, "TRACE-END counts %llu records, but %llu were decoded",
			  (unsigned long long)n, ps->in_this_dump);
	if (lost)
		tdec_note(res, ps->name, ln, "%llu records lost (trace ring overwritten): early notifications may be incomplete",
			  (unsigned long long)lost);
}

/* too_long: the line did not fit in TDEC_LINE_MAX but mentions TRACE. */
static int tdec_line(struct tdec_result *res, struct tdec_parse *ps, char *line, bool too_long,
		     unsigned ln)
{
	struct tdec_record r = { .line = ln, .seq = res->nrecs };
	const char *why;
	char *p;

	if ((p = tdec_find(line, "TRACE-BEGIN")) && !too_long) {
		tdec_begin(res, ps, p + 11, ln);
		return 0;
	}
	if ((p = tdec_find(line, "TRACE-END")) && !too_long) {
		tdec_end(res, ps, p + 9, ln);
		return 0;
	}
	if (!(p = tdec_find(line, "TRACE ")) && !too_long)
		return 0;
	if (too_long) {
		res->malformed++;
		tdec_note(res, ps->name, ln, "line longer than %d characters: skipped", TDEC_LINE_MAX);
		return 0;
	}
	if (!ps->in_dump) {
		res->malformed++;
		tdec_note(res, ps->name, ln, "TRACE record outside a TRACE-BEGIN/TRACE-END dump: skipped");
		return 0;
	}
	why = tdec_parse_record(p + 6, &r);
	if (why) {
		res->malformed++;
		tdec_note(res, ps->name, ln,
			  "malformed TRACE record (%s; expected 'TRACE <tsc> cpu=<c> <event> dom=<d> port=<p>'): skipped",
			  why);
		return 0;
	}
	ps->in_this_dump++;
	return tdec_push(res, &r);
}

static int tdec_cmp_rec(const void *a, const void *b)
{
	const struct tdec_record *x = a, *y = b;

	if (x->tsc != y->tsc)
		return x->tsc < y->tsc ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* A later dump repeats what an earlier one printed: drop identical records. */
static void tdec_dedup(struct tdec_result *res)
{
	size_t out = 0;

	for (size_t i = 0; i < res->nrecs; i++) {
		const struct tdec_record *r = &res->recs[i];
		bool dup = false;

		for (size_t j = out; j-- > 0 && res->recs[j].tsc == r->tsc;) {
			const struct tdec_record *q = &res->recs[j];

			if (q->cpu == r->cpu && q->event == r->event && q->dom == r->dom &&
			    q->port == r->port && q->ipi == r->ipi) {
				dup = true;
				break;
			}
		}
		if (dup)
			res->duplicates++;
		else
			res->recs[out++] = *r;
	}
	res->nrecs = out;
}

int tdec_decode(const char *text, size_t len, const char *name, struct tdec_result *res)
{
	struct tdec_parse ps = { .name = name };
	char line[TDEC_LINE_MAX + 1];
	size_t pos = 0;
	unsigned ln = 0;
	int rc;

	*res = (struct tdec_result){ 0 };
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
		bool too_long = n > TDEC_LINE_MAX;

		ln++;
		if (too_long) {
			/* Only worth a diagnostic if it may have been a trace line. */
			too_long = tdec_mentions(text + pos, n, "TRACE");
			n = TDEC_LINE_MAX;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		/* Console lines end in \r\n; a NUL inside a line ends it. */
		n = strlen(line);
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		rc = tdec_line(res, &ps, line, too_long, ln);
		if (rc)
			return rc;
		pos = end + 1;
	}
	if (!res->dumps) {
		tdec_note(res, name, 0, "no TRACE-BEGIN line: the log holds no trace dump");
		return -XEN_ENODATA;
	}
	if (ps.in_dump)
		tdec_note(res, name, ps.dump_line, "this dump has no TRACE-END (log cut short?)");
	if (res->nrecs > 1)
		qsort(res->recs, res->nrecs, sizeof(*res->recs), tdec_cmp_rec);
	if (res->dumps > 1)
		tdec_dedup(res);
	return tdec_pair(res);
}

void tdec_free(struct tdec_result *res)
{
	for (size_t c = 0; c < res->nchans; c++)
		free(res->chans[c].notifs);
	free(res->chans);
	free(res->recs);
	free(res->diag);
	*res = (struct tdec_result){ 0 };
}
