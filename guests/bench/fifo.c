/* SPDX-License-Identifier: MIT */
/*
 * evtchn_send_2l / evtchn_send_fifo: what one send costs the sender when
 * its event becomes newly pending, under the 2-level ABI and then under
 * FIFO (docs/abi.md, "FIFO ABI"), measured by the driver on an IPI port of
 * its own (the event loops back to it) so nothing else runs. Each sample
 * is RDTSC around bolt_evtchn_send (the fast-path VMCALL): the exit, Bolt's
 * send path with the ABI's set_pending, the entry. Interrupts stay off and
 * the driver consumes the event between samples, outside the window, so
 * every send finds the port idle: 2-level sets the pending, selector and
 * upcall bits; FIFO sets PENDING and LINKED, writes HEAD and READY and the
 * upcall flag.
 *
 * Runs last in its boot, after the echo has stopped: init_control switches
 * the driver to FIFO and EVTCHNOP_reset (which closes every port) back.
 */
#include "guests/bench/bench.h"

static uint8_t bench_fifo_cb[4096] __attribute__((aligned(4096)));
static event_word_t bench_fifo_words[1024] __attribute__((aligned(4096)));

static long bench_evtchn_op(int cmd, void *arg)
{
	return bolt_hypercall5(__HYPERVISOR_event_channel_op, (unsigned long)cmd,
			       (unsigned long)(uintptr_t)arg, 0, 0, 0);
}

/* The consumer's part, outside the window: nothing left pending or queued. */
static void bench_consume_2l(struct shared_info *s, evtchn_port_t port)
{
	__atomic_fetch_and(&s->evtchn_pending[port / 64], ~(1ul << (port % 64)), __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->vcpu_info[0].evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->vcpu_info[0].evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
}

static void bench_consume_fifo(struct shared_info *s, evtchn_port_t port)
{
	struct evtchn_fifo_control_block *cb = (struct evtchn_fifo_control_block *)bench_fifo_cb;

	/* The port was alone in its queue: unlink and acknowledge it, queue empty. */
	__atomic_store_n(&bench_fifo_words[port], 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&s->vcpu_info[0].evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
}

static int bench_send_loop(const struct bench_ctx *c, const char *fig, evtchn_port_t port,
			   void (*consume)(struct shared_info *, evtchn_port_t))
{
	struct shared_info *s = bolt_shared_info();
	uint64_t total = c->warmup + c->samples, t0, t1;
	long ret;

	for (uint64_t i = 0; i < total; i++) {
		t0 = bolt_rdtsc();
		ret = bolt_evtchn_send(port);
		t1 = bolt_rdtsc();
		if (ret) {
			printf("bench: %s: send failed: %ld\n", fig, ret);
			return -1;
		}
		consume(s, port);
		if (i >= c->warmup)
			c->buf[i - c->warmup] = t1 - t0;
	}
	bench_report(fig, c->buf, c->samples);
	return 0;
}

int bench_fifo_send(const struct bench_ctx *c)
{
	struct evtchn_init_control ic = {
		.control_gfn = (uintptr_t)bench_fifo_cb >> 12, .offset = 0, .vcpu = 0
	};
	struct evtchn_expand_array ea = { .array_gfn = (uintptr_t)bench_fifo_words >> 12 };
	struct evtchn_reset rs = { .dom = DOMID_SELF };
	evtchn_port_t port;
	long ret;
	int rc;

	if (!bolt_shared_info())
		return -1;
	__asm__ volatile("cli" : : : "memory");
	ret = bolt_evtchn_bind_ipi(&port);
	if (ret || port >= 1024) {
		printf("bench: evtchn_send: bind_ipi: %ld (port %u)\n", ret, port);
		return -1;
	}
	rc = bench_send_loop(c, "evtchn_send_2l", port, bench_consume_2l);
	if (rc)
		return rc;
	memset(bench_fifo_cb, 0, sizeof(bench_fifo_cb));
	memset(bench_fifo_words, 0, sizeof(bench_fifo_words));
	ret = bench_evtchn_op(EVTCHNOP_init_control, &ic);
	if (!ret)
		ret = bench_evtchn_op(EVTCHNOP_expand_array, &ea);
	if (ret) {
		printf("bench: evtchn_send_fifo: FIFO setup failed: %ld\n", ret);
		return -1;
	}
	/* The 2-level pending bit of the switch carried over: start from an idle port. */
	bench_consume_fifo(bolt_shared_info(), port);
	rc = bench_send_loop(c, "evtchn_send_fifo", port, bench_consume_fifo);
	ret = bench_evtchn_op(EVTCHNOP_reset, &rs);
	if (ret)
		printf("bench: EVTCHNOP_reset: %ld\n", ret);
	return rc;
}
