/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the event-channel core (evtchn/): a fake world of three
 * domains (domids 1..3) with malloc'd shared_info pages and port tables,
 * a fake scheduler (sched_notify, the explicit seam: this test links the
 * event-channel core without sched/) that records the deliveries, and
 * access control that allows every pair but 1 <-> 3. Covers every EVTCHNOP in every port state, the
 * 2-level bitmap transitions and notify counts, VIRQs, static channels,
 * guest teardown, dispatch, exhaustion and a threaded lock stress.
 */
#include <pthread.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "evtchn/evtchn.h"
#include "lib/errno.h"
#include "lib/lib.h"
#include "sched/notify.h"
#include "unit.h"

#define NDOM 3

static struct {
	struct evtchn_domain d[NDOM];
	struct shared_info *sh[NDOM];
	struct evtchn_port *ports[NDOM];
	char vcpu_tag[NDOM];       /* stands for each domain's vCPU (never dereferenced) */
	int notifies[NDOM];        /* SCHED_EVENT_UPCALL deliveries */
	int port_events[NDOM];     /* SCHED_EVENT_PORT deliveries */
	enum evtchn_delivery last_how[NDOM];
} W;

static struct evtchn_domain *D(int domid)
{
	return &W.d[domid - 1];
}

/* --- the scheduler side (called concurrently by the stress test) ------- */

static struct vcpu *vcpu_of(int i)
{
	return (struct vcpu *)(void *)&W.vcpu_tag[i];
}

void sched_notify(struct vcpu *v, enum sched_event ev, bool lazy)
{
	int i = (int)((char *)(void *)v - W.vcpu_tag);

	if (i < 0 || i >= NDOM)
		abort();
	if (ev == SCHED_EVENT_UPCALL)
		__atomic_fetch_add(&W.notifies[i], 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&W.port_events[i], 1, __ATOMIC_RELAXED);
	__atomic_store_n(&W.last_how[i], lazy ? EVTCHN_DELIVERY_LAZY : EVTCHN_DELIVERY_IMMEDIATE,
			 __ATOMIC_RELAXED);
}

/* --- world --------------------------------------------------------------- */

static void world_free(void)
{
	for (int i = 0; i < NDOM; i++) {
		free(W.sh[i]);
		free(W.ports[i]);
	}
	memset(&W, 0, sizeof(W));
}

static void world_init(void)
{
	world_free();
	for (int i = 0; i < NDOM; i++) {
		W.sh[i] = calloc(1, sizeof(struct shared_info));
		W.ports[i] = malloc(EVTCHN_NR_PORTS * sizeof(struct evtchn_port));
		if (!W.sh[i] || !W.ports[i])
			abort();
		/* Garbage in the port storage: init must clear it. */
		memset(W.ports[i], 0xa5, EVTCHN_NR_PORTS * sizeof(struct evtchn_port));
		if (evtchn_domain_init(&W.d[i], (uint16_t)(i + 1), W.sh[i], W.ports[i],
				       EVTCHN_DELIVERY_IMMEDIATE, (struct vcpu *[1]){ vcpu_of(i) }, 1))
			abort();
	}
	/* bolt.cfg-style access control: every pair but 1 <-> 3. */
	evtchn_allow_bind(1, 2);
	evtchn_allow_bind(2, 3);
}

static int state_of(int dom, uint32_t port)
{
	struct evtchn_port p;

	if (evtchn_port_get(D(dom), port, &p))
		return -1;
	return p.state;
}

static bool pending(int dom, uint32_t port)
{
	return W.sh[dom - 1]->evtchn_pending[port / 64] & (1UL << (port % 64));
}

static bool masked(int dom, uint32_t port)
{
	return W.sh[dom - 1]->evtchn_mask[port / 64] & (1UL << (port % 64));
}

static void guest_mask(int dom, uint32_t port)
{
	W.sh[dom - 1]->evtchn_mask[port / 64] |= 1UL << (port % 64);
}

/* What a guest upcall handler does: clear upcall, selector and pending. */
static void guest_ack_all(int dom)
{
	struct shared_info *s = W.sh[dom - 1];

	s->vcpu_info[0].evtchn_upcall_pending = 0;
	s->vcpu_info[0].evtchn_pending_sel = 0;
	memset(s->evtchn_pending, 0, sizeof(s->evtchn_pending));
}

static int upcall(int dom)
{
	return W.sh[dom - 1]->vcpu_info[0].evtchn_upcall_pending;
}

static xen_ulong_t sel(int dom)
{
	return W.sh[dom - 1]->vcpu_info[0].evtchn_pending_sel;
}

static int alloc_unbound(int dom, uint16_t remote)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
	int rc = evtchn_op_alloc_unbound(D(dom), &op);

	return rc ? rc : (int)op.port;
}

static int bind_interdomain(int dom, uint16_t remote, uint32_t rport)
{
	struct evtchn_bind_interdomain op = { .remote_dom = remote, .remote_port = rport };
	int rc = evtchn_op_bind_interdomain(D(dom), &op);

	return rc ? rc : (int)op.local_port;
}

static int bind_virq(int dom, uint32_t virq, uint32_t vcpu)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
	int rc = evtchn_op_bind_virq(D(dom), &op);

	return rc ? rc : (int)op.port;
}

static int bind_ipi(int dom, uint32_t vcpu)
{
	struct evtchn_bind_ipi op = { .vcpu = vcpu };
	int rc = evtchn_op_bind_ipi(D(dom), &op);

	return rc ? rc : (int)op.port;
}

/* Connect a:*pa <-> b:*pb dynamically (b offers, a binds). */
static void connect(int a, int b, uint32_t *pa, uint32_t *pb)
{
	int rb = alloc_unbound(b, (uint16_t)a);
	int ra;

	CHECK(rb > 0);
	ra = bind_interdomain(a, (uint16_t)b, (uint32_t)rb);
	CHECK(ra > 0);
	*pa = (uint32_t)ra;
	*pb = (uint32_t)rb;
}

static int status_of(int dom, uint32_t port, struct evtchn_status *st)
{
	memset(st, 0xff, sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = port;
	return evtchn_op_status(D(dom), st);
}


/* --- cases ---------------------------------------------------------------- */

static void test_init_and_names(void)
{
	struct evtchn_status st;

	world_init();
	CHECK_EQ(state_of(1, 0), ECS_RESERVED);
	for (uint32_t p = 1; p < EVTCHN_NR_PORTS; p++)
		if (state_of(2, p) != ECS_FREE) {
			CHECK_EQ(state_of(2, p), ECS_FREE);
			break;
		}
	CHECK_EQ(D(3)->domid, 3);
	CHECK(D(1)->abi == &evtchn_abi_2l);
	CHECK(D(1)->vcpus[0] == vcpu_of(0));
	CHECK_EQ(D(1)->nr_vcpus, 1);
	CHECK_EQ(EVTCHN_NR_PORTS, 4096);
	CHECK_EQ(status_of(1, 0, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_closed);
	CHECK_EQ(st.vcpu, 0);
}

static void test_bad_ports(void)
{
	static const uint32_t bad[] = { EVTCHN_NR_PORTS, EVTCHN_NR_PORTS + 1, 0x10000,
					0x7fffffff, 0xffffffff };
	struct evtchn_status st;
	struct evtchn_bind_vcpu bv;
	struct evtchn_port p;

	world_init();
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK_EQ(evtchn_op_send(D(1), bad[i]), -XEN_EINVAL);
		CHECK_EQ(evtchn_op_close(D(1), bad[i]), -XEN_EINVAL);
		CHECK_EQ(evtchn_op_unmask(D(1), bad[i]), -XEN_EINVAL);
		CHECK_EQ(status_of(1, bad[i], &st), -XEN_EINVAL);
		bv = (struct evtchn_bind_vcpu){ .port = bad[i], .vcpu = 0 };
		CHECK_EQ(evtchn_op_bind_vcpu(D(1), &bv), -XEN_EINVAL);
		CHECK_EQ(bind_interdomain(2, 1, bad[i]), -XEN_EINVAL);
		CHECK_EQ(evtchn_port_get(D(1), bad[i], &p), -XEN_EINVAL);
		CHECK_EQ(evtchn_port_pending(D(1), bad[i]), -XEN_EINVAL);
		CHECK_EQ(evtchn_port_set_delivery(D(1), bad[i], EVTCHN_DELIVERY_LAZY),
			 -XEN_EINVAL);
		CHECK_EQ(evtchn_bind_static(D(1), bad[i], D(2), 5, EVTCHN_DELIVERY_IMMEDIATE,
					    false), -XEN_EINVAL);
		CHECK_EQ(evtchn_bind_static(D(1), 5, D(2), bad[i], EVTCHN_DELIVERY_IMMEDIATE,
					    false), -XEN_EINVAL);
	}
	/* Port 0 is reserved: nameable, never usable. */
	CHECK_EQ(evtchn_op_send(D(1), 0), -XEN_EINVAL);
	CHECK_EQ(evtchn_op_close(D(1), 0), -XEN_EINVAL);
	CHECK_EQ(state_of(1, 0), ECS_RESERVED);
	CHECK_EQ(bind_interdomain(2, 1, 0), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_static(D(1), 0, D(2), 5, EVTCHN_DELIVERY_IMMEDIATE, false),
		 -XEN_EINVAL);
	CHECK_EQ(evtchn_port_set_delivery(D(1), 0, EVTCHN_DELIVERY_LAZY), -XEN_EINVAL);
	CHECK_EQ(evtchn_port_set_delivery(D(1), 9, EVTCHN_DELIVERY_LAZY), -XEN_EINVAL);
	/* Nothing above touched the bitmaps or notified anyone. */
	CHECK_EQ(W.notifies[0] + W.notifies[1] + W.notifies[2], 0);
	CHECK_EQ(sel(1), 0);
}

/* The state x operation matrix, each cell on a fresh world, port in dom 1. */
enum setup { S_FREE, S_RESERVED, S_UNBOUND, S_INTERDOMAIN, S_VIRQ_TIMER, S_VIRQ_DOMEXC, S_IPI };
enum mop { M_SEND, M_CLOSE, M_STATUS, M_UNMASK, M_BIND_VCPU, M_PEER_BIND, M_NR };

static uint32_t make_state(enum setup s)
{
	uint32_t pa, pb;

	switch (s) {
	case S_FREE:
		return 7;
	case S_RESERVED:
		return 0;
	case S_UNBOUND:
		return (uint32_t)alloc_unbound(1, 2);
	case S_INTERDOMAIN:
		connect(1, 2, &pa, &pb);
		guest_ack_all(1);
		return pa;
	case S_VIRQ_TIMER:
		return (uint32_t)bind_virq(1, VIRQ_TIMER, 0);
	case S_VIRQ_DOMEXC:
		return (uint32_t)bind_virq(1, VIRQ_DOM_EXC, 0);
	case S_IPI:
		return (uint32_t)bind_ipi(1, 0);
	}
	return 0;
}

/* For the matrix's failure message only: Bolt itself never names a state. */
static const char *state_name(int s)
{
	static const char *const names[] = {
		[ECS_FREE] = "free",         [ECS_RESERVED] = "reserved",
		[ECS_UNBOUND] = "unbound",   [ECS_INTERDOMAIN] = "interdomain",
		[ECS_VIRQ] = "virq",         [ECS_IPI] = "ipi",
	};

	return s >= 0 && (size_t)s < ARRAY_SIZE(names) && names[s] ? names[s] : "?";
}

static void test_state_op_matrix(void)
{
	static const struct {
		enum setup s;
		int state;
		int expect[M_NR]; /* M_STATUS: the EVTCHNSTAT_* reported */
	} rows[] = {
		{ S_FREE, ECS_FREE,
		  { -XEN_EINVAL, -XEN_EINVAL, EVTCHNSTAT_closed, 0, -XEN_EINVAL, -XEN_EINVAL } },
		{ S_RESERVED, ECS_RESERVED,
		  { -XEN_EINVAL, -XEN_EINVAL, EVTCHNSTAT_closed, 0, -XEN_EINVAL, -XEN_EINVAL } },
		{ S_UNBOUND, ECS_UNBOUND, { 0, 0, EVTCHNSTAT_unbound, 0, 0, 0 } },
		{ S_INTERDOMAIN, ECS_INTERDOMAIN,
		  { 0, 0, EVTCHNSTAT_interdomain, 0, 0, -XEN_EINVAL } },
		{ S_VIRQ_TIMER, ECS_VIRQ,
		  { -XEN_EINVAL, 0, EVTCHNSTAT_virq, 0, -XEN_EINVAL, -XEN_EINVAL } },
		{ S_VIRQ_DOMEXC, ECS_VIRQ, { -XEN_EINVAL, 0, EVTCHNSTAT_virq, 0, 0, -XEN_EINVAL } },
		{ S_IPI, ECS_IPI, { 0, 0, EVTCHNSTAT_ipi, 0, -XEN_EINVAL, -XEN_EINVAL } },
	};

	for (size_t r = 0; r < ARRAY_SIZE(rows); r++) {
		for (int op = 0; op < M_NR; op++) {
			struct evtchn_bind_vcpu bv;
			struct evtchn_status st;
			uint32_t port;
			int rc = 0;

			world_init();
			port = make_state(rows[r].s);
			CHECK_EQ(state_of(1, port), rows[r].state);
			switch (op) {
			case M_SEND:
				rc = evtchn_op_send(D(1), port);
				break;
			case M_CLOSE:
				rc = evtchn_op_close(D(1), port);
				if (rc == 0)
					CHECK_EQ(state_of(1, port), ECS_FREE);
				else
					CHECK_EQ(state_of(1, port), rows[r].state);
				break;
			case M_STATUS:
				CHECK_EQ(status_of(1, port, &st), 0);
				rc = (int)st.status;
				break;
			case M_UNMASK:
				rc = evtchn_op_unmask(D(1), port);
				break;
			case M_BIND_VCPU:
				bv = (struct evtchn_bind_vcpu){ .port = port, .vcpu = 0 };
				rc = evtchn_op_bind_vcpu(D(1), &bv);
				break;
			case M_PEER_BIND:
				rc = bind_interdomain(2, 1, port);
				if (rc > 0) {
					CHECK_EQ(state_of(1, port), ECS_INTERDOMAIN);
					rc = 0;
				}
				break;
			}
			if (rc != rows[r].expect[op])
				fprintf(stderr, "matrix: state %s op %d\n",
					state_name(rows[r].state), op);
			CHECK_EQ(rc, rows[r].expect[op]);
		}
	}
}

static void test_alloc_unbound(void)
{
	struct evtchn_alloc_unbound op;
	struct evtchn_status st;

	world_init();
	CHECK_EQ(alloc_unbound(1, 2), 1);
	CHECK_EQ(alloc_unbound(1, 2), 2);
	CHECK_EQ(alloc_unbound(1, DOMID_SELF), 3);
	CHECK_EQ(status_of(1, 3, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, 1); /* DOMID_SELF resolved */
	CHECK_EQ(status_of(1, 1, &st), 0);
	CHECK_EQ(st.u.unbound.dom, 2);
	/* Own domid works as well as DOMID_SELF; foreign dom does not. */
	op = (struct evtchn_alloc_unbound){ .dom = 1, .remote_dom = 2 };
	CHECK_EQ(evtchn_op_alloc_unbound(D(1), &op), 0);
	CHECK_EQ(op.port, 4);
	op = (struct evtchn_alloc_unbound){ .dom = 2, .remote_dom = 2, .port = 77 };
	CHECK_EQ(evtchn_op_alloc_unbound(D(1), &op), -XEN_EPERM);
	CHECK_EQ(op.port, 77);
	/*
	 * As Xen, an offer may name any domain: one bolt.cfg does not pair
	 * with the caller (1 <-> 3), or one that does not exist (9, DOMID_IDLE).
	 * Only the bind is checked (test_bind_interdomain).
	 */
	CHECK_EQ(alloc_unbound(1, 3), 5);
	CHECK_EQ(status_of(1, 5, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, 3);
	CHECK_EQ(alloc_unbound(1, 9), 6);
	CHECK_EQ(alloc_unbound(1, DOMID_IDLE), 7);
	CHECK_EQ(alloc_unbound(3, 1), 1);
	CHECK_EQ(alloc_unbound(3, 2), 2);
	CHECK_EQ(bind_interdomain(1, 3, 1), -XEN_EPERM); /* 3's offer to 1: not paired */
	CHECK_EQ(bind_interdomain(3, 1, 5), -XEN_EPERM); /* 1's offer to 3: likewise */
	CHECK_EQ(state_of(3, 1), ECS_UNBOUND);
	CHECK_EQ(state_of(1, 5), ECS_UNBOUND);
	CHECK_EQ(evtchn_op_close(D(1), 5), 0);
	CHECK_EQ(evtchn_op_close(D(1), 6), 0);
	CHECK_EQ(evtchn_op_close(D(1), 7), 0);
	/* Close frees the lowest hole, which is reused first. */
	CHECK_EQ(evtchn_op_close(D(1), 2), 0);
	CHECK_EQ(alloc_unbound(1, 2), 2);
	CHECK_EQ(evtchn_op_close(D(1), 2), 0);
	CHECK_EQ(evtchn_op_close(D(1), 2), -XEN_EINVAL); /* double close */
}

static void test_bind_interdomain(void)
{
	uint32_t pa, pb;
	int rb;

	world_init();
	connect(1, 2, &pa, &pb);
	CHECK_EQ(pa, 1);
	CHECK_EQ(pb, 1);
	CHECK_EQ(state_of(1, pa), ECS_INTERDOMAIN);
	CHECK_EQ(state_of(2, pb), ECS_INTERDOMAIN);
	/* Xen sets the binder's new port pending at bind time. */
	CHECK(pending(1, pa));
	CHECK(!pending(2, pb));
	CHECK_EQ(W.notifies[0], 1);
	CHECK_EQ(W.notifies[1], 0);
	guest_ack_all(1);

	CHECK_EQ(evtchn_op_send(D(1), pa), 0);
	CHECK(pending(2, pb));
	CHECK_EQ(W.notifies[1], 1);
	CHECK_EQ(evtchn_op_send(D(2), pb), 0);
	CHECK(pending(1, pa));
	CHECK_EQ(W.notifies[0], 2);

	/* bolt.cfg denies 1<->3 before the port is even looked at. */
	rb = alloc_unbound(1, 2);
	CHECK_EQ(bind_interdomain(3, 1, (uint32_t)rb), -XEN_EPERM);
	/* An offer for dom 3 cannot be taken by dom 1, although 1<->2 is allowed. */
	rb = alloc_unbound(2, 3);
	CHECK_EQ(bind_interdomain(1, 2, (uint32_t)rb), -XEN_EINVAL);
	CHECK_EQ(state_of(2, (uint32_t)rb), ECS_UNBOUND);
	CHECK_EQ(bind_interdomain(2, 3, 1), -XEN_EINVAL); /* 3:1 does not exist */
	rb = alloc_unbound(3, 2);
	CHECK_EQ(bind_interdomain(2, 3, (uint32_t)rb), 3); /* 2:1 and 2:2 taken */
	rb = alloc_unbound(2, 3);
	CHECK_EQ(bind_interdomain(2, DOMID_SELF, (uint32_t)rb), -XEN_EINVAL); /* not for 2 */
	CHECK_EQ(bind_interdomain(2, 9, 1), -XEN_ESRCH);
	/* Already connected port cannot be bound again. */
	CHECK_EQ(bind_interdomain(2, 1, pa), -XEN_EINVAL);
}

static void test_loopback(void)
{
	struct evtchn_status st;
	int rp, lp;

	world_init();
	rp = alloc_unbound(1, DOMID_SELF);
	lp = bind_interdomain(1, DOMID_SELF, (uint32_t)rp);
	CHECK_EQ(rp, 1);
	CHECK_EQ(lp, 2);
	CHECK_EQ(status_of(1, 2, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(st.u.interdomain.dom, 1);
	CHECK_EQ(st.u.interdomain.port, 1);
	guest_ack_all(1);
	CHECK_EQ(evtchn_op_send(D(1), 2), 0);
	CHECK(pending(1, 1));
	CHECK(!pending(1, 2));
	/* Also by explicit own domid: a domain may always bind to itself. */
	rp = alloc_unbound(1, 1);
	CHECK_EQ(bind_interdomain(1, 1, (uint32_t)rp), 4);
	CHECK_EQ(evtchn_op_close(D(1), 1), 0);
	CHECK_EQ(state_of(1, 2), ECS_UNBOUND);
	CHECK_EQ(evtchn_op_close(D(1), 2), 0);
}

static void test_close_interdomain(void)
{
	struct evtchn_status st;
	uint32_t pa, pb;

	world_init();
	connect(1, 2, &pa, &pb);
	guest_ack_all(1);
	CHECK_EQ(evtchn_op_send(D(2), pb), 0);
	CHECK(pending(1, pa));
	CHECK_EQ(evtchn_op_close(D(1), pa), 0);
	CHECK(!pending(1, pa)); /* freed port loses its pending bit */
	CHECK_EQ(state_of(1, pa), ECS_FREE);
	CHECK_EQ(state_of(2, pb), ECS_UNBOUND);
	CHECK_EQ(status_of(2, pb, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_unbound);
	CHECK_EQ(st.u.unbound.dom, 1);
	/* Sending into the void is dropped, not an error. */
	guest_ack_all(1);
	CHECK_EQ(evtchn_op_send(D(2), pb), 0);
	CHECK_EQ(W.sh[0]->evtchn_pending[0], 0);
	CHECK_EQ(evtchn_op_close(D(1), pa), -XEN_EINVAL);
	/* The closer can reconnect to the offer left behind. */
	CHECK_EQ(bind_interdomain(1, 2, pb), (int)pa);
	CHECK_EQ(state_of(2, pb), ECS_INTERDOMAIN);
	/* Closing from the other side, with the higher domid first in order. */
	CHECK_EQ(evtchn_op_close(D(2), pb), 0);
	CHECK_EQ(state_of(1, pa), ECS_UNBOUND);
	CHECK_EQ(evtchn_op_close(D(1), pa), 0);
	CHECK_EQ(state_of(1, pa), ECS_FREE);
	CHECK_EQ(state_of(2, pb), ECS_FREE);
}

static void test_virq(void)
{
	struct evtchn_status st;
	int t, x;

	world_init();
	CHECK_EQ(bind_virq(1, NR_VIRQS, 0), -XEN_EINVAL);
	CHECK_EQ(bind_virq(1, 0xffffffff, 0), -XEN_EINVAL);
	CHECK_EQ(bind_virq(1, VIRQ_CONSOLE, 0), -XEN_EINVAL); /* not offered by Bolt */
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, 1), -XEN_ENOENT);
	CHECK_EQ(bind_virq(1, VIRQ_DOM_EXC, 1), -XEN_EINVAL); /* global: vcpu 0 only */
	t = bind_virq(1, VIRQ_TIMER, 0);
	CHECK_EQ(t, 1);
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, 0), -XEN_EEXIST);
	CHECK_EQ(bind_virq(1, VIRQ_DEBUG, 0), 2);
	x = bind_virq(1, VIRQ_DOM_EXC, 0);
	CHECK_EQ(x, 3);
	CHECK_EQ(D(1)->virq_port[0][VIRQ_TIMER], 1);
	CHECK_EQ(status_of(1, (uint32_t)x, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_virq);
	CHECK_EQ(st.u.virq, VIRQ_DOM_EXC);

	CHECK_EQ(evtchn_raise_virq(D(1), VIRQ_TIMER), 0);
	CHECK(pending(1, (uint32_t)t));
	CHECK_EQ(W.notifies[0], 1);
	CHECK_EQ(evtchn_raise_virq(D(1), VIRQ_TIMER), 0); /* still pending: no notify */
	CHECK_EQ(W.notifies[0], 1);
	CHECK_EQ(evtchn_raise_virq(D(2), VIRQ_TIMER), -XEN_ENOENT);
	CHECK_EQ(evtchn_raise_virq(D(1), NR_VIRQS), -XEN_EINVAL);
	CHECK_EQ(evtchn_raise_virq(D(1), 1000), -XEN_EINVAL);
	CHECK_EQ(W.notifies[1], 0);

	CHECK_EQ(evtchn_op_close(D(1), (uint32_t)t), 0);
	CHECK_EQ(D(1)->virq_port[0][VIRQ_TIMER], 0);
	CHECK_EQ(evtchn_raise_virq(D(1), VIRQ_TIMER), -XEN_ENOENT);
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, 0), 1);
}

static void test_ipi(void)
{
	int p;

	world_init();
	CHECK_EQ(bind_ipi(1, 1), -XEN_ENOENT);
	p = bind_ipi(1, 0);
	CHECK_EQ(p, 1);
	CHECK_EQ(evtchn_op_send(D(1), (uint32_t)p), 0);
	CHECK(pending(1, (uint32_t)p));
	CHECK_EQ(W.notifies[0], 1);
	CHECK_EQ(W.notifies[1] + W.notifies[2], 0);
}

static void test_bind_vcpu(void)
{
	struct evtchn_bind_vcpu bv;
	int p = 0;

	world_init();
	p = alloc_unbound(1, 2);
	bv = (struct evtchn_bind_vcpu){ .port = (uint32_t)p, .vcpu = 1 };
	CHECK_EQ(evtchn_op_bind_vcpu(D(1), &bv), -XEN_ENOENT);
	bv = (struct evtchn_bind_vcpu){ .port = 0xffffffff, .vcpu = 3 };
	CHECK_EQ(evtchn_op_bind_vcpu(D(1), &bv), -XEN_ENOENT); /* vcpu checked first */
	bv = (struct evtchn_bind_vcpu){ .port = (uint32_t)p, .vcpu = 0 };
	CHECK_EQ(evtchn_op_bind_vcpu(D(1), &bv), 0);
}

static void test_exhaustion(void)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	int rb;

	world_init();
	for (uint32_t i = 1; i < EVTCHN_NR_PORTS; i++) {
		int p = alloc_unbound(1, 2);

		if (p != (int)i) {
			CHECK_EQ(p, (int)i);
			return;
		}
	}
	CHECK_EQ(alloc_unbound(1, 2), -XEN_ENOSPC);
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, 0), -XEN_ENOSPC);
	CHECK_EQ(D(1)->virq_port[0][VIRQ_TIMER], 0);
	CHECK_EQ(evtchn_op_bind_ipi(D(1), &ipi), -XEN_ENOSPC);
	rb = alloc_unbound(2, 1);
	CHECK_EQ(bind_interdomain(1, 2, (uint32_t)rb), -XEN_ENOSPC);
	CHECK_EQ(state_of(2, (uint32_t)rb), ECS_UNBOUND); /* offer untouched */
	/* The highest port works in the bitmaps (word 63, bit 63). */
	CHECK_EQ(bind_interdomain(2, 1, EVTCHN_NR_PORTS - 1), 2);
	guest_ack_all(1);
	CHECK_EQ(evtchn_op_send(D(2), 2), 0);
	CHECK(pending(1, EVTCHN_NR_PORTS - 1));
	CHECK_EQ(sel(1), 1UL << 63);
	CHECK_EQ(evtchn_op_close(D(1), 100), 0);
	CHECK_EQ(alloc_unbound(1, 2), 100);
	CHECK_EQ(alloc_unbound(1, 2), -XEN_ENOSPC);
}

static void test_bitmaps(void)
{
	uint32_t pa, pb, qa, qb;

	world_init();
	connect(1, 2, &pa, &pb); /* 1:1 <-> 2:1 */
	for (int i = 0; i < 64; i++)
		CHECK(alloc_unbound(2, 3) > 0); /* push the next port into word 1 */
	connect(1, 2, &qa, &qb);
	CHECK_EQ(qb, 66);
	W.notifies[1] = 0;

	/* Masked: pending recorded, nothing delivered. */
	guest_mask(2, pb);
	CHECK_EQ(evtchn_op_send(D(1), pa), 0);
	CHECK(pending(2, pb));
	CHECK_EQ(sel(2), 0);
	CHECK_EQ(upcall(2), 0);
	CHECK_EQ(W.notifies[1], 0);
	/* Unmask delivers it: selector, upcall, exactly one notify. */
	CHECK_EQ(evtchn_op_unmask(D(2), pb), 0);
	CHECK(!masked(2, pb));
	CHECK_EQ(sel(2), 1);
	CHECK_EQ(upcall(2), 1);
	CHECK_EQ(W.notifies[1], 1);
	/* Upcall already pending: another port only adds its selector bit. */
	CHECK_EQ(evtchn_op_send(D(1), qa), 0);
	CHECK(pending(2, qb));
	CHECK_EQ(sel(2), 3);
	CHECK_EQ(W.notifies[1], 1);
	/* Same port again while pending: nothing. */
	CHECK_EQ(evtchn_op_send(D(1), pa), 0);
	CHECK_EQ(W.notifies[1], 1);
	/* Guest handled everything: the next event notifies again. */
	guest_ack_all(2);
	CHECK_EQ(evtchn_op_send(D(1), qa), 0);
	CHECK_EQ(sel(2), 2);
	CHECK_EQ(W.notifies[1], 2);
	/* Unmask of a port that is not pending: no notify. */
	guest_ack_all(2);
	guest_mask(2, pb);
	CHECK_EQ(evtchn_op_unmask(D(2), pb), 0);
	CHECK_EQ(upcall(2), 0);
	CHECK_EQ(W.notifies[1], 2);
	/* Unmask needs no bound port (as Xen) and leaves other bits alone. */
	guest_mask(2, 4000);
	guest_mask(2, 4001);
	CHECK_EQ(evtchn_op_unmask(D(2), 4000), 0);
	CHECK(!masked(2, 4000));
	CHECK(masked(2, 4001));
	/* Close clears pending but keeps the guest's mask. */
	guest_mask(2, qb);
	CHECK_EQ(evtchn_op_send(D(1), qa), 0);
	CHECK_EQ(evtchn_port_pending(D(2), qb), 1);
	CHECK_EQ(evtchn_op_close(D(2), qb), 0);
	CHECK_EQ(evtchn_port_pending(D(2), qb), 0);
	CHECK(masked(2, qb));
	/* ABI ops directly. */
	CHECK(evtchn_abi_2l.is_masked(D(2), qb));
	CHECK(!evtchn_abi_2l.is_pending(D(2), qb));
	CHECK(evtchn_abi_2l.set_pending(D(2), qb, &(unsigned){ 0 }) == EVTCHN_RAISED_QUIET); /* masked */
	CHECK(evtchn_abi_2l.is_pending(D(2), qb));
	evtchn_abi_2l.clear_pending(D(2), qb);
	CHECK(!evtchn_abi_2l.is_pending(D(2), qb));
}

static void test_delivery(void)
{
	struct evtchn_port p;
	uint32_t pa, pb;

	world_init();
	D(2)->delivery = EVTCHN_DELIVERY_LAZY; /* default for 2's new ports */
	connect(1, 2, &pa, &pb);
	CHECK_EQ(evtchn_port_get(D(2), pb, &p), 0);
	CHECK_EQ(p.delivery, EVTCHN_DELIVERY_LAZY);
	CHECK_EQ(evtchn_op_send(D(1), pa), 0);
	CHECK_EQ(W.notifies[1], 1);
	CHECK_EQ(W.last_how[1], EVTCHN_DELIVERY_LAZY);
	/* The receiver end's setting decides, not the sender's. */
	CHECK_EQ(evtchn_port_set_delivery(D(2), pb, EVTCHN_DELIVERY_IMMEDIATE), 0);
	guest_ack_all(2);
	CHECK_EQ(evtchn_op_send(D(1), pa), 0);
	CHECK_EQ(W.last_how[1], EVTCHN_DELIVERY_IMMEDIATE);
	CHECK_EQ(evtchn_port_set_delivery(D(1), pa, EVTCHN_DELIVERY_LAZY), 0);
	guest_ack_all(1);
	CHECK_EQ(evtchn_op_send(D(2), pb), 0);
	CHECK_EQ(W.last_how[0], EVTCHN_DELIVERY_LAZY);
}

static void test_static(void)
{
	struct evtchn_port p;

	world_init();
	/* Static channels bypass the dynamic ACL: 1 <-> 3 comes from bolt.cfg. */
	CHECK_EQ(evtchn_bind_static(D(1), 10, D(3), 20, EVTCHN_DELIVERY_LAZY, true), 0);
	CHECK_EQ(evtchn_port_get(D(1), 10, &p), 0);
	CHECK_EQ(p.state, ECS_INTERDOMAIN);
	CHECK(p.is_static);
	CHECK(p.trace);
	CHECK_EQ(p.delivery, EVTCHN_DELIVERY_LAZY);
	CHECK_EQ(p.remote_domid, 3);
	CHECK_EQ(p.remote_port, 20);
	CHECK_EQ(evtchn_port_get(D(3), 20, &p), 0);
	CHECK_EQ(p.remote_domid, 1);
	CHECK_EQ(p.remote_port, 10);
	CHECK_EQ(evtchn_op_send(D(1), 10), 0);
	CHECK(pending(3, 20));
	CHECK_EQ(W.last_how[2], EVTCHN_DELIVERY_LAZY);

	CHECK_EQ(evtchn_bind_static(D(1), 10, D(2), 5, EVTCHN_DELIVERY_LAZY, false), -XEN_EBUSY);
	CHECK_EQ(evtchn_bind_static(D(2), 5, D(3), 20, EVTCHN_DELIVERY_LAZY, false), -XEN_EBUSY);
	CHECK_EQ(state_of(2, 5), ECS_FREE); /* a failed bind changes neither end */
	CHECK_EQ(bind_virq(2, VIRQ_TIMER, 0), 1);
	CHECK_EQ(evtchn_bind_static(D(1), 11, D(2), 1, EVTCHN_DELIVERY_LAZY, false), -XEN_EBUSY);
	CHECK_EQ(evtchn_bind_static(D(1), 11, D(1), 11, EVTCHN_DELIVERY_LAZY, false), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_static(NULL, 11, D(1), 12, EVTCHN_DELIVERY_LAZY, false), -XEN_EINVAL);
	CHECK_EQ(evtchn_bind_static(D(1), 11, D(1), 12, EVTCHN_DELIVERY_IMMEDIATE, false), 0);
	CHECK_EQ(evtchn_op_send(D(1), 12), 0);
	CHECK(pending(1, 11));
	/* Dynamic allocation skips static ports. */
	CHECK_EQ(alloc_unbound(1, 2), 1);

	/* A restarted peer re-binds: 1:10 waits UNBOUND for 3, 3:20 is free. */
	evtchn_domain_close_all(D(3));
	CHECK_EQ(state_of(1, 10), ECS_UNBOUND);
	CHECK_EQ(evtchn_bind_static(D(1), 10, D(2), 7, EVTCHN_DELIVERY_LAZY, false), -XEN_EBUSY);
	CHECK_EQ(evtchn_bind_static(D(3), 20, D(1), 10, EVTCHN_DELIVERY_LAZY, true), 0);
	CHECK_EQ(state_of(1, 10), ECS_INTERDOMAIN);
	CHECK_EQ(state_of(3, 20), ECS_INTERDOMAIN);
}

static void test_close_all(void)
{
	uint32_t a2, b2, a2b, b2b;
	int dx2, dx3, t1;

	world_init();
	connect(1, 2, &a2, &b2);
	connect(2, 1, &b2b, &a2b);
	CHECK_EQ(evtchn_bind_static(D(1), 50, D(3), 60, EVTCHN_DELIVERY_IMMEDIATE, false), 0);
	t1 = bind_virq(1, VIRQ_TIMER, 0);
	CHECK(bind_ipi(1, 0) > 0);
	CHECK(alloc_unbound(1, 2) > 0);
	dx2 = bind_virq(2, VIRQ_DOM_EXC, 0);
	dx3 = bind_virq(3, VIRQ_DOM_EXC, 0);
	CHECK(dx2 > 0 && dx3 > 0);
	guest_ack_all(1);
	guest_ack_all(2);
	guest_ack_all(3);
	W.notifies[0] = W.notifies[1] = W.notifies[2] = 0;
	CHECK_EQ(evtchn_op_send(D(2), b2), 0);
	CHECK(pending(1, a2));
	CHECK_EQ(W.notifies[0], 1);
	W.notifies[0] = 0;

	evtchn_domain_close_all(D(1));
	for (uint32_t p = 1; p < EVTCHN_NR_PORTS; p++)
		if (state_of(1, p) != ECS_FREE) {
			CHECK_EQ(state_of(1, p), ECS_FREE);
			break;
		}
	CHECK_EQ(state_of(1, 0), ECS_RESERVED);
	CHECK_EQ(W.sh[0]->evtchn_pending[0], 0);
	CHECK_EQ(D(1)->virq_port[0][VIRQ_TIMER], 0);
	CHECK_EQ(evtchn_raise_virq(D(1), VIRQ_TIMER), -XEN_ENOENT);
	(void)t1;
	/* Peers' ends wait for dom 1 again, and peers heard about it. */
	CHECK_EQ(state_of(2, b2), ECS_UNBOUND);
	CHECK_EQ(state_of(2, b2b), ECS_UNBOUND);
	CHECK_EQ(D(2)->ports[b2].remote_domid, 1);
	CHECK_EQ(state_of(3, 60), ECS_UNBOUND);
	CHECK_EQ(D(3)->ports[60].remote_domid, 1);
	CHECK(D(3)->ports[60].is_static);
	CHECK(pending(2, (uint32_t)dx2));
	CHECK(pending(3, (uint32_t)dx3));
	CHECK_EQ(W.notifies[1], 1); /* two channels, one upcall */
	CHECK_EQ(W.notifies[2], 1);
	CHECK_EQ(W.notifies[0], 0);
	/* The restarted guest can take the offers again. */
	CHECK(bind_interdomain(1, 2, b2) > 0);
	CHECK_EQ(state_of(2, b2), ECS_INTERDOMAIN);
}

static void test_reset(void)
{
	struct evtchn_reset r = { .dom = 2 };
	uint32_t pa, pb;

	world_init();
	connect(1, 2, &pa, &pb);
	CHECK(bind_virq(1, VIRQ_TIMER, 0) > 0);
	CHECK_EQ(evtchn_op_reset(D(1), &r), -XEN_EPERM);
	CHECK_EQ(state_of(1, pa), ECS_INTERDOMAIN);
	r.dom = DOMID_SELF;
	CHECK_EQ(evtchn_op_reset(D(1), &r), 0);
	CHECK_EQ(state_of(1, pa), ECS_FREE);
	CHECK_EQ(state_of(2, pb), ECS_UNBOUND);
	CHECK_EQ(D(1)->virq_port[0][VIRQ_TIMER], 0);
	CHECK_EQ(state_of(1, 0), ECS_RESERVED);
	r.dom = 1;
	CHECK_EQ(evtchn_op_reset(D(1), &r), 0);
}

static void test_status_perm(void)
{
	struct evtchn_status st;
	uint32_t pa, pb;

	world_init();
	connect(1, 2, &pa, &pb);
	memset(&st, 0, sizeof(st));
	st.dom = 2;
	st.port = pa;
	CHECK_EQ(evtchn_op_status(D(1), &st), -XEN_EPERM);
	st.dom = 1;
	CHECK_EQ(evtchn_op_status(D(1), &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
	CHECK_EQ(st.vcpu, 0);
	CHECK_EQ(st.u.interdomain.dom, 2);
	CHECK_EQ(st.u.interdomain.port, pb);
}

static void test_dispatch(void)
{
	union {
		struct evtchn_alloc_unbound au;
		struct evtchn_bind_interdomain bi;
		struct evtchn_send send;
		struct evtchn_status st;
		struct evtchn_close close;
		struct evtchn_init_control ic;
		char raw[64];
	} a;

	world_init();
	CHECK_EQ(evtchn_op_arg_size(EVTCHNOP_alloc_unbound), sizeof(struct evtchn_alloc_unbound));
	CHECK_EQ(evtchn_op_arg_size(EVTCHNOP_bind_interdomain),
		 sizeof(struct evtchn_bind_interdomain));
	CHECK_EQ(evtchn_op_arg_size(EVTCHNOP_bind_virq), sizeof(struct evtchn_bind_virq));
	CHECK_EQ(evtchn_op_arg_size(EVTCHNOP_send), sizeof(struct evtchn_send));
	CHECK_EQ(evtchn_op_arg_size(EVTCHNOP_status), sizeof(struct evtchn_status));
	CHECK_EQ(evtchn_op_arg_size(EVTCHNOP_reset), sizeof(struct evtchn_reset));
	CHECK_EQ(evtchn_op_arg_size(EVTCHNOP_init_control), sizeof(struct evtchn_init_control));
	CHECK_EQ(evtchn_op_arg_size(EVTCHNOP_set_priority), sizeof(struct evtchn_set_priority));
	CHECK_EQ(evtchn_op_arg_size(14), 0);
	CHECK_EQ(evtchn_op_arg_size(-1), 0);
	CHECK_EQ(evtchn_op_arg_size(1 << 30), 0);
	CHECK(evtchn_op_has_output(EVTCHNOP_alloc_unbound));
	CHECK(evtchn_op_has_output(EVTCHNOP_bind_interdomain));
	CHECK(evtchn_op_has_output(EVTCHNOP_bind_virq));
	CHECK(evtchn_op_has_output(EVTCHNOP_bind_ipi));
	CHECK(evtchn_op_has_output(EVTCHNOP_status));
	CHECK(!evtchn_op_has_output(EVTCHNOP_send));
	CHECK(!evtchn_op_has_output(EVTCHNOP_close));
	CHECK(!evtchn_op_has_output(99));

	memset(&a, 0, sizeof(a));
	a.au = (struct evtchn_alloc_unbound){ .dom = DOMID_SELF, .remote_dom = 1 };
	CHECK_EQ(evtchn_op(D(2), EVTCHNOP_alloc_unbound, &a), 0);
	CHECK_EQ(a.au.port, 1);
	a.bi = (struct evtchn_bind_interdomain){ .remote_dom = 2, .remote_port = 1 };
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_bind_interdomain, &a), 0);
	CHECK_EQ(a.bi.local_port, 1);
	a.send = (struct evtchn_send){ .port = 1 };
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_send, &a), 0);
	CHECK(pending(2, 1));
	a.st = (struct evtchn_status){ .dom = DOMID_SELF, .port = 1 };
	CHECK_EQ(evtchn_op(D(2), EVTCHNOP_status, &a), 0);
	CHECK_EQ(a.st.status, EVTCHNSTAT_interdomain);
	a.close = (struct evtchn_close){ .port = 1 };
	CHECK_EQ(evtchn_op(D(2), EVTCHNOP_close, &a), 0);
	CHECK_EQ(evtchn_op(D(2), EVTCHNOP_close, &a), -XEN_EINVAL);
	/* FIFO commands answer as Xen (test_evtchn_fifo.c covers them): no host frames here. */
	memset(&a, 0, sizeof(a));
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_init_control, &a), -XEN_EINVAL);
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_expand_array, &a), -XEN_EOPNOTSUPP);
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_set_priority, &a), -XEN_ENOSYS);
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_bind_pirq, &a), -XEN_ENOSYS);
	CHECK_EQ(evtchn_op(D(1), 14, &a), -XEN_ENOSYS);
	CHECK_EQ(evtchn_op(D(1), -5, &a), -XEN_ENOSYS);
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_send, NULL), -XEN_EFAULT);
}

/* --- threaded stress: lock order and the send-vs-close invariant -------- */

#define STRESS_ITERS 20000

static void *stress_send(void *arg)
{
	(void)arg;
	for (int i = 0; i < STRESS_ITERS; i++)
		if (evtchn_op_send(D(1), 10) != 0) /* INTERDOMAIN or UNBOUND: both 0 */
			return (void *)1;
	return NULL;
}

/* Dom 2 keeps connecting to and closing the offer dom 1 leaves behind. */
static void *stress_rebind(void *arg)
{
	(void)arg;
	for (int i = 0; i < STRESS_ITERS; i++) {
		int p = bind_interdomain(2, 1, 10);

		if (p < 0 || evtchn_op_close(D(2), (uint32_t)p) != 0)
			return (void *)1;
	}
	return NULL;
}

/* Dom 3 talks to dom 2 and churns its own ports (3 > 2: reverse lock order). */
static void *stress_other(void *arg)
{
	(void)arg;
	for (int i = 0; i < STRESS_ITERS / 4; i++) {
		int rb = alloc_unbound(2, 3);
		int lp = rb > 0 ? bind_interdomain(3, 2, (uint32_t)rb) : rb;

		if (lp < 0 || evtchn_op_send(D(3), (uint32_t)lp) || evtchn_op_send(D(2), (uint32_t)rb))
			return (void *)1;
		if (evtchn_op_close(D(3), (uint32_t)lp) || evtchn_op_close(D(2), (uint32_t)rb))
			return (void *)1;
	}
	return NULL;
}

static void test_stress(void)
{
	pthread_t t[3];
	void *res;

	world_init();
	CHECK_EQ(evtchn_bind_static(D(1), 10, D(2), 1, EVTCHN_DELIVERY_IMMEDIATE, false), 0);
	CHECK_EQ(evtchn_op_close(D(2), 1), 0); /* leave 1:10 UNBOUND for dom 2 */
	CHECK_EQ(pthread_create(&t[0], NULL, stress_send, NULL), 0);
	CHECK_EQ(pthread_create(&t[1], NULL, stress_rebind, NULL), 0);
	CHECK_EQ(pthread_create(&t[2], NULL, stress_other, NULL), 0);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(pthread_join(t[i], &res), 0);
		CHECK(res == NULL);
	}
	/* Every interdomain end points at an end that points back. */
	for (int d = 1; d <= NDOM; d++)
		for (uint32_t p = 1; p < EVTCHN_NR_PORTS; p++) {
			const struct evtchn_port *e = &D(d)->ports[p];
			const struct evtchn_port *r;

			if (e->state != ECS_INTERDOMAIN)
				continue;
			r = &D(e->remote_domid)->ports[e->remote_port];
			CHECK(r->state == ECS_INTERDOMAIN && r->remote_domid == d &&
			      r->remote_port == p);
		}
	CHECK_EQ(state_of(1, 10), ECS_UNBOUND);
	CHECK_EQ(state_of(2, 1), ECS_FREE);
}

void unit_main(void)
{
	TEST(test_init_and_names);
	TEST(test_bad_ports);
	TEST(test_state_op_matrix);
	TEST(test_alloc_unbound);
	TEST(test_bind_interdomain);
	TEST(test_loopback);
	TEST(test_close_interdomain);
	TEST(test_virq);
	TEST(test_ipi);
	TEST(test_bind_vcpu);
	TEST(test_exhaustion);
	TEST(test_bitmaps);
	TEST(test_delivery);
	TEST(test_static);
	TEST(test_close_all);
	TEST(test_reset);
	TEST(test_status_perm);
	TEST(test_dispatch);
	TEST(test_stress);
	world_free();
}
