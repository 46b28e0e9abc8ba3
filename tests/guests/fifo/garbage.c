/* SPDX-License-Identifier: MIT */
/*
 * hostile-fifo-garbage: a FIFO guest scribbles over its own event words
 * and control block (LINK to itself and out of range, LINKED and BUSY set
 * for good, HEAD garbage, READY all ones) while sending, unmasking and
 * changing priorities in a loop, and its peer keeps sending to it. Bolt
 * never follows LINK or reads HEAD, so nothing may hang: the guest must
 * get through every operation, and once it cleans its pages a new event
 * must be queued correctly again. The peer (bystander, another CPU) runs
 * its own FIFO priority checks over loopback ports all along.
 *   test=garbage ops=N
 *   test=bystander rounds=N  (at least N, until the hostile guest closes port 1)
 */
#include "fifo.h"

#define NIPI 4u
#define PEND ((event_word_t)1 << EVTCHN_FIFO_PENDING)
#define LINKED ((event_word_t)1 << EVTCHN_FIFO_LINKED)
#define BUSY ((event_word_t)1 << EVTCHN_FIFO_BUSY)

static const char *bind_ipis(evtchn_port_t *ipi)
{
	long ret;

	for (unsigned i = 0; i < NIPI; i++)
		if ((ret = bolt_evtchn_bind_ipi(&ipi[i])) != 0)
			return fg_fail("bind_ipi returned %ld", ret);
	return NULL;
}

static event_word_t garbage_word(uint64_t x, evtchn_port_t self)
{
	static const uint32_t links[] = { 0, 0x1ffff, 0x1000, 5000 };
	event_word_t w = (event_word_t)(x >> 32) & ~EVTCHN_FIFO_LINK_MASK;
	uint32_t link = (x & 4) ? self : links[(x >> 3) & 3];

	return w | LINKED | ((x & 1) ? BUSY : 0) | (link & EVTCHN_FIFO_LINK_MASK);
}

const char *fg_garbage(const struct hvm_start_info *si, const char *name)
{
	uint64_t ops = fg_opt(si, "ops", 20000), x = 0x2545f4914f6cdd1dull;
	struct evtchn_fifo_control_block *cb = fg_cb();
	struct evtchn_reset rs = { .dom = DOMID_SELF };
	evtchn_port_t ipi[NIPI], p;
	const char *why;
	long ret;

	fg_upcalls_off();
	if ((ret = fg_init(1)) != 0)
		return fg_fail("init_control returned %ld", ret);
	if ((why = bind_ipis(ipi)))
		return why;
	for (uint64_t i = 0; i < ops; i++) {
		evtchn_port_t port;

		x = fg_xorshift(x);
		port = (x & 8) ? ipi[(x >> 8) % NIPI] : (evtchn_port_t)((x >> 8) % 1100);
		switch ((x >> 20) % 8) {
		case 0:
		case 1:
			if (port < 1024)
				__atomic_store_n(fg_word(port), garbage_word(x, port), __ATOMIC_SEQ_CST);
			break;
		case 2:
			cb->head[(x >> 24) % EVTCHN_FIFO_MAX_QUEUES] = (uint32_t)(x >> 32);
			cb->ready = ~0u;
			break;
		case 3:
		case 4:
			(void)bolt_evtchn_send(ipi[(x >> 8) % NIPI]);
			break;
		case 5:
			(void)bolt_evtchn_unmask(port);
			break;
		case 6:
			(void)fg_set_priority(port, (uint32_t)(x >> 40) % 20);
			break;
		default: /* BUSY on every IPI word, as a stuck consumer would leave it */
			for (unsigned j = 0; j < NIPI; j++)
				__atomic_fetch_or(fg_word(ipi[j]), BUSY | LINKED, __ATOMIC_SEQ_CST);
			break;
		}
	}
	printf("%s: %llu hostile operations done\n", name, (unsigned long long)ops);
	/*
	 * Clean pages: the next event is queued as if nothing happened. The
	 * peer's channel is closed first so that its sends cannot queue too.
	 */
	if ((ret = bolt_evtchn_close(1)) != 0)
		return fg_fail("closing the peer's channel returned %ld", ret);
	memset(fg_array_bytes(), 0, 4096);
	memset(fg_cb_page(), 0, 4096);
	if ((ret = fg_set_priority(ipi[0], 2)) != 0)
		return fg_fail("set_priority after cleaning returned %ld", ret);
	if ((ret = bolt_evtchn_send(ipi[0])) != 0)
		return fg_fail("send after cleaning returned %ld", ret);
	if (cb->ready != 1u << 2 || cb->head[2] != ipi[0] || *fg_word(ipi[0]) != (PEND | LINKED))
		return fg_fail("after cleaning: ready %#x head %u word %#x", cb->ready, cb->head[2],
			       *fg_word(ipi[0]));
	p = fg_consume();
	if (p != ipi[0])
		return fg_fail("after cleaning the consumer got port %u, not %u", p, ipi[0]);
	if ((ret = fg_evtchn_op(EVTCHNOP_reset, &rs)) != 0)
		return fg_fail("EVTCHNOP_reset returned %ld", ret);
	printf("%s: queues work again after cleaning; reset to 2-level\n", name);
	return NULL;
}

static bool peer_gone(void)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = 1 };

	return bolt_evtchn_status(1, &st) == 0 && st.status != EVTCHNSTAT_interdomain;
}

const char *fg_bystander(const struct hvm_start_info *si, const char *name)
{
	uint64_t rounds = fg_opt(si, "rounds", 300), x = 0x9e3779b97f4a7c15ull, sent = 0;
	evtchn_port_t ipi[NIPI];
	const char *why;
	long ret;

	fg_upcalls_off();
	if ((ret = fg_init(1)) != 0)
		return fg_fail("init_control returned %ld", ret);
	if ((why = bind_ipis(ipi)))
		return why;
	/*
	 * At least `rounds`, and on until the hostile guest closes its end
	 * (it does so when its hostile phase is over): overlap guaranteed.
	 */
	for (uint64_t r = 0;; r++) {
		uint8_t prio[NIPI];
		evtchn_port_t p, last = 0;
		unsigned lastprio = 0, n = 0;

		for (unsigned i = 0; i < NIPI; i++) {
			x = fg_xorshift(x);
			prio[i] = (uint8_t)(x % 16);
			if ((ret = fg_set_priority(ipi[i], prio[i])) != 0)
				return fg_fail("set_priority returned %ld", ret);
		}
		for (unsigned i = 0; i < NIPI; i++) {
			x = fg_xorshift(x);
			(void)bolt_evtchn_send(ipi[(i + x) % NIPI]);
			(void)bolt_evtchn_send(ipi[i]);
			/* The hostile guest's channel: its troubles are not ours. */
			if ((ret = bolt_evtchn_send(1)) != 0)
				return fg_fail("send to the hostile guest returned %ld", ret);
			sent++;
		}
		while ((p = fg_consume()) != 0) {
			unsigned i = 0, pr;

			while (i < NIPI && ipi[i] != p)
				i++;
			if (i == NIPI)
				return fg_fail("round %llu: event on port %u", (unsigned long long)r, p);
			pr = prio[i];
			if (n && pr < lastprio)
				return fg_fail("round %llu: port %u (priority %u) after port %u "
					       "(priority %u)", (unsigned long long)r, p, pr, last,
					       lastprio);
			last = p;
			lastprio = pr;
			n++;
		}
		if (n != NIPI)
			return fg_fail("round %llu: %u events, want %u", (unsigned long long)r, n, NIPI);
		if (r + 1 >= rounds && peer_gone()) {
			rounds = r + 1;
			break;
		}
		if (r > 1000000)
			return "the hostile guest never closed its end";
	}
	printf("%s: %llu rounds in priority order, 0 sends lost on the way, %llu sends to the "
	       "hostile guest\n", name,
	       (unsigned long long)rounds, (unsigned long long)sent);
	return NULL;
}
