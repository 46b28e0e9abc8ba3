/* SPDX-License-Identifier: MIT */
/*
 * evtchn-fifo: priority order across guests. The receiver (FIFO, upcalls
 * masked, spinning) and the sender (2-level) share five data channels:
 * static ports 1-4 and the receiver's port 4096, allocated after growing
 * its event array past 4095 (max_event_channels = 8192), plus a control
 * channel on static port 5 both ways. Each round, both derive the same
 * plan from the round number: a random priority 0-14 per data port (the
 * receiver sets them) and 1-8 sends on random data ports (the sender
 * makes them, then sends on the control port, priority 15). The receiver
 * then drains its queues and must see each port sent that round exactly
 * once (repeat sends coalesce while PENDING), ordered by priority and,
 * within one, by first send, then the control port last.
 *   test=order-rx peer=D rounds=N     test=order-tx peer=D rounds=N
 */
#include "fifo.h"
#include "lib/macros.h"

#define NDATA 5u
#define CTL 5u
#define HIGH 4096u
#define MAXSEND 8u
#define CTL_PRIO EVTCHN_FIFO_PRIORITY_MIN

struct plan {
	uint8_t prio[NDATA];
	unsigned nsend;
	uint8_t send[MAXSEND]; /* data port index */
};

static void plan_of(uint64_t round, struct plan *p)
{
	uint64_t x = (round + 1) * 0x9e3779b97f4a7c15ull;

	for (unsigned i = 0; i < NDATA; i++) {
		x = fg_xorshift(x);
		p->prio[i] = (uint8_t)(x % CTL_PRIO);
	}
	x = fg_xorshift(x);
	p->nsend = 1 + (unsigned)(x % MAXSEND);
	for (unsigned j = 0; j < p->nsend; j++) {
		x = fg_xorshift(x);
		p->send[j] = (uint8_t)(x % NDATA);
	}
}

/* The order the receiver must see: first sends, stable-sorted by priority. */
static unsigned expected(const struct plan *p, uint8_t *out)
{
	unsigned n = 0;

	for (unsigned prio = 0; prio < CTL_PRIO; prio++)
		for (unsigned j = 0; j < p->nsend; j++) {
			bool first = true;

			for (unsigned k = 0; k < j; k++)
				first &= p->send[k] != p->send[j];
			if (first && p->prio[p->send[j]] == prio)
				out[n++] = p->send[j];
		}
	return n;
}

static const evtchn_port_t rx_port[NDATA] = { 1, 2, 3, 4, HIGH };

const char *fg_order_rx(const struct hvm_start_info *si, const char *name)
{
	uint64_t rounds = fg_opt(si, "rounds", 200), peer = fg_opt(si, "peer", 2);
	uint64_t count[NDATA] = { 0 }, sends = 0;
	struct evtchn_status st = { .dom = DOMID_SELF, .port = HIGH };
	evtchn_port_t port;
	long ret;

	fg_upcalls_off();
	if ((ret = fg_init(8)) != 0)
		return fg_fail("init_control + 8 array pages returned %ld", ret);
	ret = fg_expand(); /* words 8192..: past max_event_channels = 8192 */
	printf("%s: expand_array past max_event_channels: %ld\n", name, ret);
	if (ret != -XEN_ENOSPC)
		return "expand_array past max_event_channels was not -ENOSPC";
	if (fg_set_priority(CTL, CTL_PRIO) != 0)
		return "set_priority of the control port failed";
	/* Ports 6..4095 go to nobody, so the sender's channel gets 4096. */
	for (evtchn_port_t want_port = CTL + 1; want_port <= HIGH; want_port++) {
		if ((ret = bolt_evtchn_alloc_unbound(want_port == HIGH ? (domid_t)peer : DOMID_SELF,
						     &port)) != 0)
			return fg_fail("alloc_unbound for port %u returned %ld", want_port, ret);
		if (port != want_port)
			return fg_fail("alloc_unbound gave port %u, not %u", port, want_port);
	}
	printf("%s: FIFO with 8 array pages, port %u offered to domain %llu\n", name, HIGH,
	       (unsigned long long)peer);
	for (uint64_t until = bolt_now_ns() + 20000 * FG_MS;;) {
		if (bolt_evtchn_status(HIGH, &st) == 0 && st.status == EVTCHNSTAT_interdomain)
			break;
		if (bolt_now_ns() > until)
			return "the sender never bound port 4096";
		bolt_yield();
	}
	for (uint64_t r = 0; r < rounds; r++) {
		struct plan p;
		uint8_t exp[MAXSEND];
		evtchn_port_t got[MAXSEND + 2];
		unsigned n = 0, ne;

		plan_of(r, &p);
		ne = expected(&p, exp);
		for (unsigned i = 0; i < NDATA; i++)
			if ((ret = fg_set_priority(rx_port[i], p.prio[i])) != 0)
				return fg_fail("round %llu: set_priority(%u) returned %ld",
					       (unsigned long long)r, rx_port[i], ret);
		if ((ret = bolt_evtchn_send(CTL)) != 0)
			return fg_fail("round %llu: send on the control port returned %ld",
				       (unsigned long long)r, ret);
		/*
		 * Busy until the sender is done (its control event is PENDING:
		 * every data send returned before it), then consume until the
		 * control event comes out of its queue: PENDING may show before
		 * the sender's Bolt has linked the word.
		 */
		for (uint64_t until = bolt_now_ns() + 20000 * FG_MS;
		     !(__atomic_load_n(fg_word(CTL), __ATOMIC_SEQ_CST) &
		       ((event_word_t)1 << EVTCHN_FIFO_PENDING));)
			if (bolt_now_ns() > until)
				return fg_fail("round %llu: no control event from the sender",
					       (unsigned long long)r);
		for (uint64_t until = bolt_now_ns() + 20000 * FG_MS;;) {
			port = fg_consume();
			if (port && n < ARRAY_SIZE(got))
				got[n++] = port;
			if (port == CTL)
				break;
			if (bolt_now_ns() > until)
				return fg_fail("round %llu: no control event from the sender "
					       "(%u events)", (unsigned long long)r, n);
		}
		if ((port = fg_consume()) != 0)
			return fg_fail("round %llu: event on port %u after the control event",
				       (unsigned long long)r, port);
		if (n != ne + 1)
			return fg_fail("round %llu: %u events, want %u data + control last "
				       "(first: port %u)", (unsigned long long)r, n, ne, got[0]);
		for (unsigned i = 0; i < ne; i++) {
			if (got[i] != rx_port[exp[i]])
				return fg_fail("round %llu: event %u on port %u, want port %u "
					       "(priority %u)", (unsigned long long)r, i, got[i],
					       rx_port[exp[i]], p.prio[exp[i]]);
			count[exp[i]]++;
		}
		sends += p.nsend;
	}
	for (unsigned i = 0; i < NDATA; i++)
		printf("%s: port %u: %llu events\n", name, rx_port[i],
		       (unsigned long long)count[i]);
	printf("%s: %llu rounds, %llu sends, every event in priority order, none lost or "
	       "repeated\n", name, (unsigned long long)rounds, (unsigned long long)sends);
	return NULL;
}

const char *fg_order_tx(const struct hvm_start_info *si, const char *name)
{
	uint64_t rounds = fg_opt(si, "rounds", 200), peer = fg_opt(si, "peer", 1);
	evtchn_port_t tx_port[NDATA] = { 1, 2, 3, 4, 0 };
	uint64_t count[NDATA] = { 0 };
	long ret;

	for (uint64_t until = bolt_now_ns() + 20000 * FG_MS;;) {
		ret = bolt_evtchn_bind_interdomain((domid_t)peer, HIGH, &tx_port[4]);
		if (ret == 0)
			break;
		if (bolt_now_ns() > until)
			return fg_fail("bind to the receiver's port %u: %ld", HIGH, ret);
		bolt_yield();
	}
	bolt_evtchn_test_and_clear(tx_port[4]); /* a new binding starts pending (Xen) */
	printf("%s: bound local port %u to domain %llu port %u\n", name, tx_port[4],
	       (unsigned long long)peer, HIGH);
	for (uint64_t r = 0; r < rounds; r++) {
		struct plan p;

		plan_of(r, &p);
		if (bolt_evtchn_poll(&(evtchn_port_t){ CTL }, 1, 20000 * FG_MS) != 0)
			return fg_fail("round %llu: no go from the receiver", (unsigned long long)r);
		bolt_evtchn_test_and_clear(CTL);
		for (unsigned j = 0; j < p.nsend; j++) {
			if ((ret = bolt_evtchn_send(tx_port[p.send[j]])) != 0)
				return fg_fail("round %llu: send %u returned %ld",
					       (unsigned long long)r, j, ret);
			count[p.send[j]]++;
		}
		if ((ret = bolt_evtchn_send(CTL)) != 0)
			return fg_fail("round %llu: control send returned %ld",
				       (unsigned long long)r, ret);
	}
	printf("%s: %llu rounds sent (%llu, %llu, %llu, %llu, %llu per port)\n", name,
	       (unsigned long long)rounds, (unsigned long long)count[0],
	       (unsigned long long)count[1], (unsigned long long)count[2],
	       (unsigned long long)count[3], (unsigned long long)count[4]);
	return NULL;
}
