/* SPDX-License-Identifier: MIT */
/* Trace rings, the traced-send context and the merged dump (core/trace.h). */
#include "arch/cpu.h"
#include "bolt/bolt.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/heap.h"
#include "core/pcpu.h"
#include "core/time.h"
#include "core/trace.h"
#include "lib/lib.h"

bool trace_enabled;
static struct trace_ring *rings; /* one per CPU */
static unsigned nr_rings;

struct trace_ctx {
	bool active;
	uint16_t rdom;
	uint32_t rport;
};
static struct trace_ctx ctx[MAX_CPUS];

static const char *const names[] = {
	[TRACE_SEND] = "send", [TRACE_KICK_IPI] = "kick-ipi", [TRACE_KICK_LINE] = "kick-line",
	[TRACE_WAKE] = "wake", [TRACE_INJECT] = "inject",    [TRACE_ACK] = "ack",
};

void trace_init(unsigned nr_cpus)
{
	size_t bytes = sizeof(struct trace_ring) * nr_cpus;

	rings = heap_zalloc(bytes);
	if (!rings) {
		log_printf("trace: out of memory for %u trace rings: tracing disabled", nr_cpus);
		trace_enabled = false;
		return;
	}
	nr_rings = nr_cpus;
}

void trace_record(enum trace_event ev, uint16_t dom, uint32_t port)
{
	unsigned cpu = this_pcpu()->index;
	struct trace_ring *r;

	if (!rings || cpu >= nr_rings)
		return;
	r = &rings[cpu];
	struct trace_rec *rec = &r->rec[r->head % TRACE_RING];
	*rec = (struct trace_rec){ arch_timestamp(), port, dom, (uint8_t)ev, (uint8_t)cpu };
	/* Release: the record is complete before a reader can see the new head. */
	__atomic_store_n(&r->head, r->head + 1, __ATOMIC_RELEASE);
}

void trace_send_begin(uint16_t dom, uint32_t port, uint16_t rdom, uint32_t rport)
{
	struct trace_ctx *c = &ctx[this_pcpu()->index];

	trace_record(TRACE_SEND, dom, port);
	c->rdom = rdom;
	c->rport = rport;
	c->active = true;
}

void trace_send_end(void)
{
	ctx[this_pcpu()->index].active = false;
}

void trace_kick(bool ipi)
{
	struct trace_ctx *c = &ctx[this_pcpu()->index];

	if (c->active)
		trace_record(ipi ? TRACE_KICK_IPI : TRACE_KICK_LINE, c->rdom, c->rport);
}

/* The oldest record still in ring r at or after *pos, or NULL. */
static const struct trace_rec *peek(const struct trace_ring *r, uint64_t *pos, uint64_t head)
{
	if (head > TRACE_RING && *pos < head - TRACE_RING)
		*pos = head - TRACE_RING; /* overwritten: counted as lost */
	return *pos < head ? &r->rec[*pos % TRACE_RING] : NULL;
}

void trace_dump(void)
{
	uint64_t pos[MAX_CPUS] = { 0 }, head[MAX_CPUS], lost = 0, n = 0;
	uint32_t ack_pos[CFG_MAX_GUESTS] = { 0 }, ack_head[CFG_MAX_GUESTS] = { 0 };

	if (!rings)
		return;
	log_printf("TRACE-BEGIN tsc_per_us=%lu", (unsigned long)time_tsc_per_us());
	for (unsigned c = 0; c < nr_rings; c++) {
		head[c] = __atomic_load_n(&rings[c].head, __ATOMIC_ACQUIRE);
		if (head[c] > TRACE_RING)
			lost += head[c] - TRACE_RING;
	}
	for (unsigned i = 0; i < nr_guests; i++) {
		const struct bolt_trace_acks *a = guests[i].trace_acks;
		/* The guest writes head: snapshot it once, so a hostile value bounds nothing. */
		uint32_t h = a ? __atomic_load_n(&a->head, __ATOMIC_ACQUIRE) : 0;
		ack_head[i] = h;
		if (h > BOLT_TRACE_ACKS) {
			lost += h - BOLT_TRACE_ACKS;
			ack_pos[i] = h - BOLT_TRACE_ACKS;
		}
	}
	/* A k-way merge by TSC over the CPU rings and the guests' ack pages. */
	for (;;) {
		const struct trace_rec *best = NULL;
		uint64_t best_tsc = ~0ULL;
		int from_cpu = -1, from_guest = -1;

		for (unsigned c = 0; c < nr_rings; c++) {
			const struct trace_rec *r = peek(&rings[c], &pos[c], head[c]);
			if (r && r->tsc < best_tsc) {
				best = r;
				best_tsc = r->tsc;
				from_cpu = (int)c;
			}
		}
		for (unsigned i = 0; i < nr_guests; i++) {
			const struct bolt_trace_acks *a = guests[i].trace_acks;
			if (!a || ack_pos[i] >= ack_head[i])
				continue;
			uint64_t tsc = a->rec[ack_pos[i] % BOLT_TRACE_ACKS].tsc;
			if (tsc < best_tsc) {
				best_tsc = tsc;
				from_guest = (int)i;
				from_cpu = -1;
			}
		}
		if (from_guest >= 0) {
			const struct guest *g = &guests[from_guest];
			const struct bolt_trace_acks *a = g->trace_acks;
			log_printf("TRACE %lu cpu=%u ack dom=%u port=%u", (unsigned long)best_tsc,
				   g->vcpus[0].pcpu->index, g->domid,
				   a->rec[ack_pos[from_guest] % BOLT_TRACE_ACKS].port);
			ack_pos[from_guest]++;
		} else if (from_cpu >= 0) {
			log_printf("TRACE %lu cpu=%u %s dom=%u port=%u", (unsigned long)best->tsc,
				   best->cpu, best->event < ARRAY_SIZE(names) ? names[best->event] : "?",
				   best->dom, best->port);
			pos[from_cpu]++;
		} else {
			break;
		}
		n++;
	}
	log_printf("TRACE-END %lu records, %lu lost", (unsigned long)n, (unsigned long)lost);
}
