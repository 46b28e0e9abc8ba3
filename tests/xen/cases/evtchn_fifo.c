/* SPDX-License-Identifier: MIT */
/*
 * The FIFO event-channel ABI (Xen 4.4+, xen/event_channel.h):
 * EVTCHNOP_init_control, _expand_array, _set_priority and EVTCHNOP_unmask
 * on FIFO, as a guest's FIFO driver uses them. Xen's answers checked:
 * before init_control set_priority is -ENOSYS and expand_array
 * -EOPNOTSUPP; init_control with vcpu 1 (we have one) is -ENOENT, an
 * offset where the control block crosses the page or one not 8-byte
 * aligned -EINVAL, a gfn with no RAM -EINVAL, and a second call -EINVAL;
 * it reports link_bits 17; expand_array of a frame with no RAM is -EINVAL;
 * priority 16 is -EINVAL.
 *
 * Delivery: three loopback channels (a sender and a receiver end in this
 * guest) with receiver priorities 12, 7 (default) and 2 are raised lowest
 * first while the guest takes no upcalls (IF = 0); the guest then walks
 * the queues as Linux does (READY, HEAD, LINK, clear LINKED) and must get
 * the priority-2 event first, then 7, then 12. A masked event stays
 * PENDING and unlinked until EVTCHNOP_unmask links it. Finally
 * EVTCHNOP_reset returns the guest to 2-level (set_priority -ENOSYS
 * again), as Xen does, so later cases see a 2-level guest.
 */
#include "tests/xen/xc.h"

#include <xen/event_channel.h>

/* A frame far beyond any test guest's RAM (at 4 GiB). */
#define XC_NO_RAM_GFN 0x100000u

static uint8_t xc_fifo_cb_page[4096] __attribute__((aligned(4096)));
static event_word_t xc_fifo_array[1024] __attribute__((aligned(4096)));

#define W_PENDING (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED (1u << EVTCHN_FIFO_LINKED)

static long xc_evtchn_op(int cmd, void *arg)
{
	return xc_hypercall(__HYPERVISOR_event_channel_op, (unsigned long)cmd, XC_ULONG(arg), 0,
			    0, 0);
}

static long xc_init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu, uint32_t *bits)
{
	struct evtchn_init_control op = { .control_gfn = gfn, .offset = offset, .vcpu = vcpu };
	long ret = xc_evtchn_op(EVTCHNOP_init_control, &op);

	if (bits)
		*bits = op.link_bits;
	return ret;
}

static long xc_expand(uint64_t gfn)
{
	struct evtchn_expand_array op = { .array_gfn = gfn };

	return xc_evtchn_op(EVTCHNOP_expand_array, &op);
}

static long xc_set_priority(evtchn_port_t port, uint32_t prio)
{
	struct evtchn_set_priority op = { .port = port, .priority = prio };

	return xc_evtchn_op(EVTCHNOP_set_priority, &op);
}

static long xc_send(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return xc_evtchn_op(EVTCHNOP_send, &op);
}

/* A loopback channel: *rx receives what is sent on *tx. */
static bool xc_loopback(evtchn_port_t *rx, evtchn_port_t *tx)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };

	if (!XC_RC("alloc_unbound(self)", xc_evtchn_op(EVTCHNOP_alloc_unbound, &au), 0))
		return false;
	bi.remote_port = au.port;
	if (!XC_RC("bind_interdomain(self)", xc_evtchn_op(EVTCHNOP_bind_interdomain, &bi), 0))
		return false;
	*rx = au.port;
	*tx = bi.local_port;
	return true;
}

static volatile struct evtchn_fifo_control_block *xc_cb(void)
{
	return (volatile struct evtchn_fifo_control_block *)xc_fifo_cb_page;
}

static volatile event_word_t *xc_word(evtchn_port_t port)
{
	return (volatile event_word_t *)&xc_fifo_array[port];
}

/* The consumer's state, as Linux keeps it per CPU. */
static uint32_t xc_ready, xc_head[EVTCHN_FIFO_MAX_QUEUES];

/* Next deliverable event, highest priority first, acknowledged; 0 if none. */
static evtchn_port_t xc_consume(void)
{
	for (;;) {
		evtchn_port_t port;
		event_word_t old, nw;
		unsigned q;

		xc_ready |= __atomic_exchange_n(&xc_cb()->ready, 0, __ATOMIC_SEQ_CST);
		if (!xc_ready)
			return 0;
		q = (unsigned)__builtin_ctz(xc_ready);
		port = xc_head[q] ? xc_head[q] : __atomic_load_n(&xc_cb()->head[q], __ATOMIC_SEQ_CST);
		if (port >= 1024)
			return 0xffffffffu; /* not a port of our one page: fail below */
		old = *xc_word(port);
		do
			nw = old & ~(W_LINKED | EVTCHN_FIFO_LINK_MASK);
		while (!__atomic_compare_exchange_n(xc_word(port), &old, nw, false,
						    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
		xc_head[q] = old & EVTCHN_FIFO_LINK_MASK;
		if (!xc_head[q])
			xc_ready &= ~(1u << q);
		if ((old & W_PENDING) && !(old & W_MASKED)) {
			__atomic_fetch_and(xc_word(port), ~W_PENDING, __ATOMIC_SEQ_CST);
			return port;
		}
	}
}

static void xc_fifo_bad_args(evtchn_port_t any)
{
	uint64_t gfn = XC_ULONG(xc_fifo_cb_page) >> 12;
	uint32_t bits = 0;

	XC_RC("set_priority before init_control", xc_set_priority(any, 1), -XEN_ENOSYS);
	XC_RC("expand_array before init_control", xc_expand(XC_ULONG(xc_fifo_array) >> 12),
	      -XEN_EOPNOTSUPP);
	/* Xen copies the struct back only on success: link_bits stays as we left it. */
	XC_RC("init_control(vcpu 1)", xc_init_control(gfn, 0, 1, &bits), -XEN_ENOENT);
	XC_CHECK(bits == 0, "link_bits %u written back on error", bits);
	XC_RC("init_control(offset crossing the page)",
	      xc_init_control(gfn, 4096 - sizeof(struct evtchn_fifo_control_block) + 8, 0, NULL),
	      -XEN_EINVAL);
	XC_RC("init_control(offset 4)", xc_init_control(gfn, 4, 0, NULL), -XEN_EINVAL);
	XC_RC("init_control(gfn without RAM)", xc_init_control(XC_NO_RAM_GFN, 0, 0, NULL),
	      -XEN_EINVAL);
	XC_RC("set_priority after failed init_control", xc_set_priority(any, 1), -XEN_ENOSYS);
}

void xc_case_evtchn_fifo(void)
{
	static const uint32_t prio[3] = { 12, EVTCHN_FIFO_PRIORITY_DEFAULT, 2 };
	evtchn_port_t rx[3], tx[3];
	struct evtchn_reset rs = { .dom = DOMID_SELF };
	uint32_t bits = 0;

	for (int i = 0; i < 3; i++)
		if (!xc_loopback(&rx[i], &tx[i]))
			return;
	xc_fifo_bad_args(rx[0]);
	memset(xc_fifo_cb_page, 0, sizeof(xc_fifo_cb_page));
	if (!XC_RC("init_control", xc_init_control(XC_ULONG(xc_fifo_cb_page) >> 12, 0, 0, &bits),
		   0))
		goto out;
	XC_CHECK(bits == EVTCHN_FIFO_LINK_BITS, "link_bits %u, want %u", bits,
		 EVTCHN_FIFO_LINK_BITS);
	XC_RC("init_control again", xc_init_control(XC_ULONG(xc_fifo_cb_page) >> 12, 0, 0, NULL),
	      -XEN_EINVAL);
	XC_RC("expand_array(gfn without RAM)", xc_expand(XC_NO_RAM_GFN), -XEN_EINVAL);
	/* As Linux: a new array page starts with every event masked. */
	for (unsigned p = 0; p < 1024; p++)
		xc_fifo_array[p] = W_MASKED;
	if (!XC_RC("expand_array", xc_expand(XC_ULONG(xc_fifo_array) >> 12), 0))
		goto out;
	XC_RC("set_priority 16", xc_set_priority(rx[0], EVTCHN_FIFO_PRIORITY_MIN + 1),
	      -XEN_EINVAL);
	XC_RC("set_priority of a port that does not exist", xc_set_priority(0x7fffffffu, 1),
	      -XEN_EINVAL);
	for (int i = 0; i < 3; i++) {
		XC_RC("set_priority", xc_set_priority(rx[i], prio[i]), 0);
		*xc_word(rx[i]) = 0; /* unmasked, nothing pending */
	}
	/* Lowest priority first, nothing consumed in between (IF = 0, no upcall). */
	for (int i = 0; i < 3; i++)
		XC_RC("send", xc_send(tx[i]), 0);
	XC_CHECK(xc_cb()->ready == ((1u << 12) | (1u << 7) | (1u << 2)),
		 "READY 0x%x, want queues 2, 7 and 12", xc_cb()->ready);
	for (int i = 2; i >= 0; i--) {
		evtchn_port_t got = xc_consume();

		XC_CHECK(got == rx[i], "consumed port %u, want %u (priority %u)", got, rx[i],
			 prio[i]);
	}
	XC_CHECK(xc_consume() == 0, "a fourth event in the queues");

	/* Masked: pending but not linked; EVTCHNOP_unmask links it. */
	*xc_word(rx[1]) |= W_MASKED;
	XC_RC("send to a masked port", xc_send(tx[1]), 0);
	XC_CHECK(*xc_word(rx[1]) == (W_PENDING | W_MASKED), "masked word 0x%x, want PENDING|MASKED",
		 *xc_word(rx[1]));
	XC_CHECK(xc_consume() == 0, "a masked event was delivered");
	__atomic_fetch_and(xc_word(rx[1]), ~W_MASKED, __ATOMIC_SEQ_CST);
	{
		struct evtchn_unmask um = { .port = rx[1] };

		XC_RC("unmask", xc_evtchn_op(EVTCHNOP_unmask, &um), 0);
	}
	XC_CHECK(xc_consume() == rx[1], "the unmasked event was not delivered");
out:
	/* Back to 2-level for the cases after this one, as a Xen guest may. */
	XC_RC("EVTCHNOP_reset", xc_evtchn_op(EVTCHNOP_reset, &rs), 0);
	XC_RC("set_priority after reset (2-level again)", xc_set_priority(1, 1), -XEN_ENOSYS);
}
