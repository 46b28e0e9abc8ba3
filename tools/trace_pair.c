/* SPDX-License-Identifier: MIT */
/*
 * Trace pairing (tools/trace_decode.h): rebuild one-way notifications from
 * the sorted records that tools/trace_decode.c parsed (docs/tracing.md).
 *
 * A send's receiver is the kick that is the next record on the sender's
 * CPU (the hypervisor records it in the same hypercall); a channel that
 * never kicks (lazy delivery) takes the receiver endpoint whose ack most
 * often first follows its sends. Then, within the window up to the next
 * send on the same channel: the first matching kick, the first inject on
 * the receiver's domain after it, the first wake between the two, and the
 * first ack of the receiver's port after the inject.
 */
#include <stdlib.h>

#include "lib/errno.h"
#include "tools/trace_decode.h"

#define TDEC_NONE ((size_t)-1)

/* A learned sender -> receiver mapping, or a vote for one. */
struct tdec_map {
	uint32_t sdom, sport, ddom, dport;
	size_t votes;
};

struct tdec_maps {
	struct tdec_map *m;
	size_t n, cap;
};

static struct tdec_map *tdec_map_find(struct tdec_maps *ms, uint32_t sdom, uint32_t sport,
				      uint32_t ddom, uint32_t dport, bool any_dst)
{
	for (size_t i = 0; i < ms->n; i++) {
		struct tdec_map *m = &ms->m[i];

		if (m->sdom == sdom && m->sport == sport &&
		    (any_dst || (m->ddom == ddom && m->dport == dport)))
			return m;
	}
	return NULL;
}

static int tdec_map_vote(struct tdec_maps *ms, uint32_t sdom, uint32_t sport, uint32_t ddom,
			 uint32_t dport)
{
	struct tdec_map *m = tdec_map_find(ms, sdom, sport, ddom, dport, false);

	if (!m) {
		if (ms->n == ms->cap) {
			size_t cap = ms->cap ? ms->cap * 2 : 16;
			struct tdec_map *p = realloc(ms->m, cap * sizeof(*p));

			if (!p)
				return -XEN_ENOMEM;
			ms->m = p;
			ms->cap = cap;
		}
		m = &ms->m[ms->n++];
		*m = (struct tdec_map){ sdom, sport, ddom, dport, 0 };
	}
	m->votes++;
	return 0;
}

/* Is (dom, port) the receiving end of any kicked channel? */
static bool tdec_is_receiver(const struct tdec_maps *ms, uint32_t dom, uint32_t port)
{
	for (size_t i = 0; i < ms->n; i++)
		if (ms->m[i].ddom == dom && ms->m[i].dport == port)
			return true;
	return false;
}

/* The best-voted receiver of sender (sdom, sport), or NULL. */
static const struct tdec_map *tdec_map_best(const struct tdec_maps *ms, uint32_t sdom,
					    uint32_t sport)
{
	const struct tdec_map *best = NULL;

	for (size_t i = 0; i < ms->n; i++) {
		const struct tdec_map *m = &ms->m[i];

		if (m->sdom == sdom && m->sport == sport && (!best || m->votes > best->votes))
			best = m;
	}
	return best;
}

/* Fill ddom/dport (indexed by record) for every send. */
static int tdec_receivers(const struct tdec_result *res, uint32_t *ddom, uint32_t *dport)
{
	struct tdec_maps kicks = { 0 }, votes = { 0 };
	const struct tdec_record *R = res->recs;
	size_t n = res->nrecs;
	int rc = 0;

	/* 1: the kick recorded in the same hypercall names the receiver. */
	for (size_t i = 0; i < n; i++) {
		ddom[i] = dport[i] = TDEC_UNKNOWN;
		if (R[i].event != TDEC_SEND)
			continue;
		for (size_t j = i + 1; j < n; j++) {
			if (R[j].cpu != R[i].cpu)
				continue;
			if (R[j].event == TDEC_KICK) {
				ddom[i] = R[j].dom;
				dport[i] = R[j].port;
				if (!tdec_map_find(&kicks, R[i].dom, R[i].port, R[j].dom, R[j].port, false))
					rc = tdec_map_vote(&kicks, R[i].dom, R[i].port, R[j].dom, R[j].port);
				if (rc)
					goto out;
			}
			break;
		}
	}
	/* 2: unkicked sends of a kicked channel; else vote on the first unclaimed ack. */
	for (size_t i = 0; i < n; i++) {
		const struct tdec_map *m;

		if (R[i].event != TDEC_SEND || ddom[i] != TDEC_UNKNOWN)
			continue;
		m = tdec_map_find(&kicks, R[i].dom, R[i].port, 0, 0, true);
		if (m) {
			ddom[i] = m->ddom;
			dport[i] = m->dport;
			continue;
		}
		for (size_t j = i + 1; j < n; j++) {
			if (R[j].event == TDEC_SEND && R[j].dom == R[i].dom && R[j].port == R[i].port)
				break;
			if (R[j].event != TDEC_ACK || (R[j].dom == R[i].dom && R[j].port == R[i].port) ||
			    tdec_is_receiver(&kicks, R[j].dom, R[j].port))
				continue;
			rc = tdec_map_vote(&votes, R[i].dom, R[i].port, R[j].dom, R[j].port);
			if (rc)
				goto out;
			break;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct tdec_map *m;

		if (R[i].event != TDEC_SEND || ddom[i] != TDEC_UNKNOWN)
			continue;
		m = tdec_map_best(&votes, R[i].dom, R[i].port);
		if (m) {
			ddom[i] = m->ddom;
			dport[i] = m->dport;
		}
	}
out:
	free(kicks.m);
	free(votes.m);
	return rc;
}

static long tdec_chan_get(struct tdec_result *res, const struct tdec_record *s, uint32_t ddom,
			  uint32_t dport)
{
	struct tdec_channel *p;

	for (size_t c = 0; c < res->nchans; c++) {
		const struct tdec_channel *ch = &res->chans[c];

		if (ch->src_dom == s->dom && ch->src_port == s->port && ch->dst_dom == ddom)
			return (long)c;
	}
	p = realloc(res->chans, (res->nchans + 1) * sizeof(*p));
	if (!p)
		return -XEN_ENOMEM;
	res->chans = p;
	res->chans[res->nchans] = (struct tdec_channel){
		.src_dom = s->dom, .src_port = s->port, .dst_dom = ddom, .dst_port = dport
	};
	return (long)res->nchans++;
}

/* First record in (from, end) of event ev on dom (and port/cpu unless TDEC_UNKNOWN). */
static size_t tdec_next(const struct tdec_result *res, size_t from, size_t end,
			enum tdec_event ev, uint32_t dom, uint32_t port, uint32_t cpu)
{
	for (size_t j = from + 1; j < end; j++) {
		const struct tdec_record *r = &res->recs[j];

		if (r->event == ev && r->dom == dom && (port == TDEC_UNKNOWN || r->port == port) &&
		    (cpu == TDEC_UNKNOWN || r->cpu == cpu))
			return j;
	}
	return TDEC_NONE;
}

static int tdec_pair_one(struct tdec_result *res, struct tdec_channel *ch, size_t s, size_t end)
{
	const struct tdec_record *S = &res->recs[s];
	struct tdec_notif nt = { .have = 1u << TDEC_SEND, .send_line = S->line };
	size_t at[TDEC_NEVENTS] = { s, TDEC_NONE, TDEC_NONE, TDEC_NONE, TDEC_NONE };
	size_t from = s;

	nt.tsc[TDEC_SEND] = S->tsc;
	if (ch->dst_dom != TDEC_UNKNOWN) {
		uint32_t R = ch->dst_dom, P = ch->dst_port;

		at[TDEC_KICK] = tdec_next(res, s, end, TDEC_KICK, R, P, S->cpu);
		if (at[TDEC_KICK] != TDEC_NONE)
			from = at[TDEC_KICK];
		at[TDEC_INJECT] = tdec_next(res, from, end, TDEC_INJECT, R, TDEC_UNKNOWN, TDEC_UNKNOWN);
		/* A wake only counts before this inject: a later one belongs to another event. */
		at[TDEC_WAKE] = tdec_next(res, from, at[TDEC_INJECT] == TDEC_NONE ? end : at[TDEC_INJECT],
					  TDEC_WAKE, R, TDEC_UNKNOWN, TDEC_UNKNOWN);
		if (at[TDEC_INJECT] != TDEC_NONE)
			from = at[TDEC_INJECT];
		at[TDEC_ACK] = tdec_next(res, from, end, TDEC_ACK, R, P, TDEC_UNKNOWN);
	}
	for (int e = TDEC_KICK; e < TDEC_NEVENTS; e++) {
		if (at[e] != TDEC_NONE) {
			nt.have |= 1u << e;
			nt.tsc[e] = res->recs[at[e]].tsc;
		}
	}
	if (at[TDEC_INJECT] == TDEC_NONE || at[TDEC_ACK] == TDEC_NONE)
		ch->incomplete++;
	if (ch->nnotifs == ch->cap) {
		size_t cap = ch->cap ? ch->cap * 2 : 64;
		struct tdec_notif *p = realloc(ch->notifs, cap * sizeof(*p));

		if (!p)
			return -XEN_ENOMEM;
		ch->notifs = p;
		ch->cap = cap;
	}
	ch->notifs[ch->nnotifs++] = nt;
	return 0;
}

static int tdec_cmp_chan(const void *a, const void *b)
{
	const struct tdec_channel *x = a, *y = b;

	if (x->src_dom != y->src_dom)
		return x->src_dom < y->src_dom ? -1 : 1;
	if (x->src_port != y->src_port)
		return x->src_port < y->src_port ? -1 : 1;
	return (x->dst_dom > y->dst_dom) - (x->dst_dom < y->dst_dom);
}

int tdec_pair(struct tdec_result *res)
{
	size_t n = res->nrecs;
	uint32_t *ddom = calloc(n ? n : 1, sizeof(*ddom));
	uint32_t *dport = calloc(n ? n : 1, sizeof(*dport));
	long *chan = calloc(n ? n : 1, sizeof(*chan));
	size_t *next = calloc(n ? n : 1, sizeof(*next));
	size_t *last = NULL;
	int rc = -XEN_ENOMEM;

	if (!ddom || !dport || !chan || !next)
		goto out;
	rc = tdec_receivers(res, ddom, dport);
	if (rc)
		goto out;
	for (size_t i = 0; i < n; i++) {
		chan[i] = -1;
		if (res->recs[i].event != TDEC_SEND)
			continue;
		chan[i] = tdec_chan_get(res, &res->recs[i], ddom[i], dport[i]);
		if (chan[i] < 0) {
			rc = (int)chan[i];
			goto out;
		}
	}
	/* next[i]: the following send on the same channel, which ends i's window. */
	rc = -XEN_ENOMEM;
	last = calloc(res->nchans ? res->nchans : 1, sizeof(*last));
	if (!last)
		goto out;
	for (size_t c = 0; c < res->nchans; c++)
		last[c] = n;
	for (size_t i = n; i-- > 0;) {
		if (chan[i] < 0)
			continue;
		next[i] = last[chan[i]];
		last[chan[i]] = i;
	}
	for (size_t i = 0; i < n; i++) {
		if (chan[i] < 0)
			continue;
		rc = tdec_pair_one(res, &res->chans[chan[i]], i, next[i]);
		if (rc)
			goto out;
	}
	if (res->nchans > 1)
		qsort(res->chans, res->nchans, sizeof(*res->chans), tdec_cmp_chan);
	rc = 0;
out:
	free(ddom);
	free(dport);
	free(chan);
	free(next);
	free(last);
	return rc;
}
