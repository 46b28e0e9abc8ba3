/* SPDX-License-Identifier: MIT */
/*
 * Host tests for multi-vCPU event channels (Xen's notify_vcpu_id): domain
 * 1 has NVCPU vCPUs, domain 2 one. A fake scheduler (the sched_notify
 * seam) counts notifications per (domain, vCPU), and a fake guest RAM
 * behind the evtchn_host hooks holds domain 1's FIFO pages. Covers init,
 * delivery to the notify vCPU's vcpu_info in the native and the compat
 * 2-level layouts, bind_virq's per-vCPU and global rules, bind_ipi,
 * bind_vcpu's rules and its hand-over of a pending port, FIFO with a
 * control block per vCPU, and close_all / reset putting it all back.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "core/compat.h"
#include "evtchn/evtchn.h"
#include "lib/errno.h"
#include "lib/lib.h"
#include "sched/notify.h"
#include "unit.h"

#define NDOM 2
#define NVCPU 4
#define FAKE_FRAMES 8u
#define ARRAY_GFN 0u /* the first event-array page */
#define CB_GFN 4u    /* vCPU v's control block: gfn CB_GFN + v, offset 0 */

static struct {
	struct evtchn_domain d[NDOM];
	struct shared_info *sh[NDOM];
	struct evtchn_port *ports[NDOM];
	char tag[NDOM][EVTCHN_MAX_VCPUS]; /* stands for each vCPU (never dereferenced) */
	int upcalls[NDOM][EVTCHN_MAX_VCPUS];
	int port_events[NDOM][EVTCHN_MAX_VCPUS];
	uint8_t *ram;
} W;

static struct evtchn_domain *D(int domid)
{
	return &W.d[domid - 1];
}

void sched_notify(struct vcpu *v, enum sched_event ev, bool lazy)
{
	long i = (char *)(void *)v - &W.tag[0][0];

	(void)lazy;
	if (i < 0 || i >= NDOM * EVTCHN_MAX_VCPUS)
		abort();
	if (ev == SCHED_EVENT_UPCALL)
		W.upcalls[i / EVTCHN_MAX_VCPUS][i % EVTCHN_MAX_VCPUS]++;
	else
		W.port_events[i / EVTCHN_MAX_VCPUS][i % EVTCHN_MAX_VCPUS]++;
}

static void *fake_map(void *ctx, uint64_t gfn)
{
	(void)ctx;
	return gfn < FAKE_FRAMES ? W.ram + gfn * 4096 : NULL;
}

static void *fake_zalloc(void *ctx, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	return NULL; /* one array page: no port buckets needed */
}

static const struct evtchn_host fake_host = { .map_frame = fake_map, .zalloc = fake_zalloc };

static void world_free(void)
{
	for (int i = 0; i < NDOM; i++) {
		free(W.sh[i]);
		free(W.ports[i]);
	}
	free(W.ram);
	memset(&W, 0, sizeof(W));
}

static void world_init(void)
{
	static const unsigned nr[NDOM] = { NVCPU, 1 };

	world_free();
	W.ram = aligned_alloc(4096, FAKE_FRAMES * 4096);
	if (!W.ram)
		abort();
	memset(W.ram, 0, FAKE_FRAMES * 4096);
	for (int i = 0; i < NDOM; i++) {
		struct vcpu *vs[EVTCHN_MAX_VCPUS];

		for (unsigned v = 0; v < EVTCHN_MAX_VCPUS; v++)
			vs[v] = (struct vcpu *)(void *)&W.tag[i][v];
		W.sh[i] = calloc(1, sizeof(struct shared_info));
		W.ports[i] = malloc(EVTCHN_NR_PORTS * sizeof(struct evtchn_port));
		if (!W.sh[i] || !W.ports[i])
			abort();
		memset(W.ports[i], 0xa5, EVTCHN_NR_PORTS * sizeof(struct evtchn_port));
		if (evtchn_domain_init(&W.d[i], (uint16_t)(i + 1), W.sh[i], W.ports[i],
				       EVTCHN_DELIVERY_IMMEDIATE, vs, nr[i]))
			abort();
		evtchn_domain_set_host(&W.d[i], &fake_host, NULL);
	}
	evtchn_allow_bind(1, 2);
}

/* --- guest-side views and commands ---------------------------------------- */

static struct vcpu_info *vi(int dom, unsigned v)
{
	return &W.sh[dom - 1]->vcpu_info[v];
}

static void ack_all(int dom)
{
	struct shared_info *s = W.sh[dom - 1];

	for (unsigned v = 0; v < EVTCHN_MAX_VCPUS; v++) {
		s->vcpu_info[v].evtchn_upcall_pending = 0;
		s->vcpu_info[v].evtchn_pending_sel = 0;
	}
	memset(s->evtchn_pending, 0, sizeof(s->evtchn_pending));
	memset(W.upcalls, 0, sizeof(W.upcalls));
	memset(W.port_events, 0, sizeof(W.port_events));
}

static xen_ulong_t sel_bit(uint32_t port)
{
	return (xen_ulong_t)1 << (port / EVTCHN_WORD_BITS);
}

static void mask(int dom, uint32_t port)
{
	W.sh[dom - 1]->evtchn_mask[port / 64] |= 1UL << (port % 64);
}

static bool pending(int dom, uint32_t port)
{
	return W.sh[dom - 1]->evtchn_pending[port / 64] & (1UL << (port % 64));
}

static int bind_virq(int dom, uint32_t virq, uint32_t vcpu)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
	int rc = evtchn_op(D(dom), EVTCHNOP_bind_virq, &op);

	return rc ? rc : (int)op.port;
}

static int bind_ipi(int dom, uint32_t vcpu)
{
	struct evtchn_bind_ipi op = { .vcpu = vcpu };
	int rc = evtchn_op(D(dom), EVTCHNOP_bind_ipi, &op);

	return rc ? rc : (int)op.port;
}

static int bind_vcpu(int dom, uint32_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };

	return evtchn_op(D(dom), EVTCHNOP_bind_vcpu, &op);
}

/* The vCPU EVTCHNOP_status reports, or a negative error. */
static int status_vcpu(int dom, uint32_t port)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };
	int rc = evtchn_op(D(dom), EVTCHNOP_status, &st);

	return rc ? rc : (int)st.vcpu;
}

/* A channel 1:*p1 <-> 2:*p2, as two guests bind one at run time. */
static void connect(uint32_t *p1, uint32_t *p2)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 2 };
	struct evtchn_bind_interdomain bi = { .remote_dom = 1 };

	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_alloc_unbound, &au), 0);
	bi.remote_port = au.port;
	CHECK_EQ(evtchn_op(D(2), EVTCHNOP_bind_interdomain, &bi), 0);
	*p1 = au.port;
	*p2 = bi.local_port;
}

static int send(int dom, uint32_t port)
{
	struct evtchn_send op = { .port = port };

	return evtchn_op(D(dom), EVTCHNOP_send, &op);
}

/* --- tests ------------------------------------------------------------------ */

static void test_init(void)
{
	struct evtchn_domain d;
	struct vcpu *vs[EVTCHN_MAX_VCPUS + 1] = { 0 };
	struct vcpu_info alt;

	world_init();
	CHECK_EQ(evtchn_domain_init(&d, 3, W.sh[0], W.ports[0], EVTCHN_DELIVERY_IMMEDIATE, vs, 0),
		 -XEN_EINVAL);
	CHECK_EQ(evtchn_domain_init(&d, 3, W.sh[0], W.ports[0], EVTCHN_DELIVERY_IMMEDIATE, vs,
				    EVTCHN_MAX_VCPUS + 1),
		 -XEN_EINVAL);
	CHECK(evtchn_domain_lookup(3) == NULL); /* refused before registering */
	CHECK_EQ(D(1)->nr_vcpus, NVCPU);
	CHECK_EQ(D(2)->nr_vcpus, 1);
	for (unsigned v = 0; v < NVCPU; v++) {
		CHECK(D(1)->vcpu_info[v] == vi(1, v));
		CHECK(D(1)->vcpus[v] == (struct vcpu *)(void *)&W.tag[0][v]);
	}
	CHECK(D(1)->vcpus[NVCPU] == NULL);
	evtchn_set_vcpu_info(D(1), 2, &alt);
	CHECK(D(1)->vcpu_info[2] == &alt);
	evtchn_set_vcpu_info(D(1), NVCPU, &alt); /* no such vCPU: ignored */
	CHECK(D(1)->vcpu_info[NVCPU] == NULL);
	evtchn_set_vcpu_info(D(1), 2, NULL);
	CHECK(D(1)->vcpu_info[2] == vi(1, 2));
}

/* A port moved to vCPU 1 sets vCPU 1's selector and upcall and notifies vcpus[1]. */
static void test_delivery_2l(void)
{
	struct vcpu_info alt;
	uint32_t p1, p2;

	world_init();
	connect(&p1, &p2);
	CHECK_EQ(status_vcpu(1, p1), 0);
	CHECK_EQ(bind_vcpu(1, p1, 1), 0);
	CHECK_EQ(status_vcpu(1, p1), 1);
	ack_all(1);
	CHECK_EQ(send(2, p2), 0);
	CHECK(pending(1, p1));
	CHECK_EQ(vi(1, 1)->evtchn_upcall_pending, 1);
	CHECK(vi(1, 1)->evtchn_pending_sel == sel_bit(p1));
	CHECK_EQ(vi(1, 0)->evtchn_upcall_pending, 0);
	CHECK(vi(1, 0)->evtchn_pending_sel == 0);
	CHECK_EQ(W.upcalls[0][1], 1);
	CHECK_EQ(W.upcalls[0][0], 0);

	/* Masked: a quiet raise wakes vCPU 1 (a poller); the unmask delivers there. */
	ack_all(1);
	mask(1, p1);
	CHECK_EQ(send(2, p2), 0);
	CHECK_EQ(vi(1, 1)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.port_events[0][1], 1);
	CHECK_EQ(W.port_events[0][0], 0);
	CHECK_EQ(evtchn_op_unmask(D(1), p1), 0);
	CHECK_EQ(vi(1, 1)->evtchn_upcall_pending, 1);
	CHECK(vi(1, 1)->evtchn_pending_sel == sel_bit(p1));
	CHECK_EQ(vi(1, 0)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][1], 1);
	CHECK_EQ(W.upcalls[0][0], 0);

	/* vCPU 1's vcpu_info moved (VCPUOP_register_vcpu_info): events go there. */
	ack_all(1);
	memset(&alt, 0, sizeof(alt));
	evtchn_set_vcpu_info(D(1), 1, &alt);
	CHECK_EQ(send(2, p2), 0);
	CHECK_EQ(alt.evtchn_upcall_pending, 1);
	CHECK(alt.evtchn_pending_sel == sel_bit(p1));
	CHECK_EQ(vi(1, 1)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][1], 1);
}

/* The same in a 32-bit guest's layout: vCPU 2's 4-byte selector. */
static void test_delivery_compat(void)
{
	struct compat_shared_info *cs;
	struct compat_vcpu_info *cv;
	uint32_t p1, p2;

	world_init();
	cs = (struct compat_shared_info *)(void *)W.sh[0];
	evtchn_set_compat_layout(D(1), true);
	connect(&p1, &p2);
	CHECK_EQ(bind_vcpu(1, p1, 2), 0);
	ack_all(1);
	CHECK_EQ(send(2, p2), 0);
	cv = &cs->vcpu_info[2];
	CHECK_EQ(cv->evtchn_upcall_pending, 1);
	CHECK_EQ(cv->evtchn_pending_sel, 1u << (p1 / 32));
	CHECK_EQ(cs->vcpu_info[0].evtchn_upcall_pending, 0);
	CHECK_EQ(cs->vcpu_info[0].evtchn_pending_sel, 0);
	CHECK_EQ(W.upcalls[0][2], 1);
	CHECK_EQ(W.upcalls[0][0], 0);
	/* Unmask after a masked raise: vCPU 2 again. */
	ack_all(1);
	cs->evtchn_mask[p1 / 32] |= 1u << (p1 % 32);
	CHECK_EQ(send(2, p2), 0);
	CHECK_EQ(cv->evtchn_upcall_pending, 0);
	CHECK_EQ(evtchn_op_unmask(D(1), p1), 0);
	CHECK_EQ(cv->evtchn_upcall_pending, 1);
	CHECK_EQ(cs->vcpu_info[0].evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][2], 1);
}

static void test_bind_virq(void)
{
	int t[NVCPU], x;

	world_init();
	/* Xen's order: bad virq, then a global one off vCPU 0, then the vCPU. */
	CHECK_EQ(bind_virq(1, NR_VIRQS, 9), -XEN_EINVAL);
	CHECK_EQ(bind_virq(1, VIRQ_DOM_EXC, 1), -XEN_EINVAL);
	CHECK_EQ(bind_virq(1, VIRQ_DOM_EXC, NVCPU), -XEN_EINVAL);
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, NVCPU), -XEN_ENOENT);
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, EVTCHN_MAX_VCPUS), -XEN_ENOENT);
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, 0xffffffff), -XEN_ENOENT);
	CHECK_EQ(bind_virq(2, VIRQ_TIMER, 1), -XEN_ENOENT); /* domain 2 has one vCPU */
	/* One timer per vCPU, each its own port. */
	for (unsigned v = 0; v < NVCPU; v++) {
		t[v] = bind_virq(1, VIRQ_TIMER, v);
		CHECK_EQ(t[v], (int)v + 1);
		CHECK_EQ(D(1)->virq_port[v][VIRQ_TIMER], t[v]);
		CHECK_EQ(status_vcpu(1, (uint32_t)t[v]), (int)v);
	}
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, 2), -XEN_EEXIST);
	CHECK_EQ(bind_virq(1, VIRQ_DEBUG, 3), NVCPU + 1); /* another per-vCPU VIRQ */
	x = bind_virq(1, VIRQ_DOM_EXC, 0);
	CHECK_EQ(x, NVCPU + 2);
	CHECK_EQ(status_vcpu(1, (uint32_t)x), 0);

	/* vCPU 2's timer reaches vCPU 2 only. */
	ack_all(1);
	CHECK_EQ(evtchn_raise_virq_vcpu(D(1), 2, VIRQ_TIMER), 0);
	CHECK(pending(1, (uint32_t)t[2]));
	CHECK(!pending(1, (uint32_t)t[0]));
	CHECK_EQ(vi(1, 2)->evtchn_upcall_pending, 1);
	CHECK_EQ(vi(1, 0)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][2], 1);
	CHECK_EQ(W.upcalls[0][0], 0);
	/* evtchn_raise_virq: vCPU 0's binding. */
	CHECK_EQ(evtchn_raise_virq(D(1), VIRQ_TIMER), 0);
	CHECK(pending(1, (uint32_t)t[0]));
	CHECK_EQ(W.upcalls[0][0], 1);
	CHECK_EQ(evtchn_raise_virq_vcpu(D(1), NVCPU, VIRQ_TIMER), -XEN_EINVAL);
	CHECK_EQ(evtchn_raise_virq_vcpu(D(1), 0, NR_VIRQS), -XEN_EINVAL);
	CHECK_EQ(evtchn_raise_virq_vcpu(D(1), 1, VIRQ_DEBUG), -XEN_ENOENT);
	CHECK_EQ(evtchn_raise_virq_vcpu(D(1), 1, VIRQ_DOM_EXC), -XEN_ENOENT); /* global: row 0 */

	/* Closing vCPU 2's timer frees its binding only. */
	CHECK_EQ(evtchn_op_close(D(1), (uint32_t)t[2]), 0);
	CHECK_EQ(D(1)->virq_port[2][VIRQ_TIMER], 0);
	CHECK_EQ(D(1)->virq_port[1][VIRQ_TIMER], t[1]);
	CHECK_EQ(evtchn_raise_virq_vcpu(D(1), 2, VIRQ_TIMER), -XEN_ENOENT);
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, 2), t[2]);
	CHECK_EQ(status_vcpu(1, (uint32_t)t[2]), 2);
}

static void test_bind_ipi(void)
{
	int p;

	world_init();
	CHECK_EQ(bind_ipi(1, NVCPU), -XEN_ENOENT);
	CHECK_EQ(bind_ipi(2, 1), -XEN_ENOENT);
	p = bind_ipi(1, 3);
	CHECK_EQ(p, 1);
	CHECK_EQ(status_vcpu(1, (uint32_t)p), 3);
	ack_all(1);
	CHECK_EQ(send(1, (uint32_t)p), 0); /* any vCPU may send it; vCPU 3 receives */
	CHECK_EQ(vi(1, 3)->evtchn_upcall_pending, 1);
	CHECK(vi(1, 3)->evtchn_pending_sel == sel_bit((uint32_t)p));
	CHECK_EQ(vi(1, 0)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][3], 1);
	CHECK_EQ(W.upcalls[0][0], 0);
}

static void test_bind_vcpu_rules(void)
{
	uint32_t p1, p2, u;
	int t, x, ipi;

	world_init();
	connect(&p1, &p2);
	t = bind_virq(1, VIRQ_TIMER, 1);
	x = bind_virq(1, VIRQ_DOM_EXC, 0);
	ipi = bind_ipi(1, 0);
	u = (uint32_t)bind_ipi(1, 0) + 1; /* a FREE port */
	/* The vCPU is checked first (Xen: domain_vcpu), whatever the port. */
	CHECK_EQ(bind_vcpu(1, p1, NVCPU), -XEN_ENOENT);
	CHECK_EQ(bind_vcpu(1, 0xffffffff, NVCPU), -XEN_ENOENT);
	CHECK_EQ(bind_vcpu(2, p2, 1), -XEN_ENOENT);
	CHECK_EQ(bind_vcpu(1, 0xffffffff, 1), -XEN_EINVAL);
	CHECK_EQ(bind_vcpu(1, 0, 1), -XEN_EINVAL);   /* reserved */
	CHECK_EQ(bind_vcpu(1, u, 1), -XEN_EINVAL);   /* free */
	CHECK_EQ(bind_vcpu(1, (uint32_t)t, 2), -XEN_EINVAL);   /* per-vCPU VIRQ */
	CHECK_EQ(bind_vcpu(1, (uint32_t)t, 1), -XEN_EINVAL);   /* even to its own vCPU */
	CHECK_EQ(bind_vcpu(1, (uint32_t)ipi, 1), -XEN_EINVAL); /* IPI */
	CHECK_EQ(status_vcpu(1, (uint32_t)t), 1);
	CHECK_EQ(status_vcpu(1, (uint32_t)ipi), 0);
	/* Interdomain, unbound and global VIRQ ports move. */
	CHECK_EQ(bind_vcpu(1, p1, 3), 0);
	CHECK_EQ(status_vcpu(1, p1), 3);
	CHECK_EQ(bind_vcpu(1, (uint32_t)x, 2), 0);
	CHECK_EQ(status_vcpu(1, (uint32_t)x), 2);
	ack_all(1);
	CHECK_EQ(evtchn_raise_virq(D(1), VIRQ_DOM_EXC), 0);
	CHECK_EQ(vi(1, 2)->evtchn_upcall_pending, 1);
	CHECK_EQ(vi(1, 0)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][2], 1);
	CHECK_EQ(D(1)->virq_port[0][VIRQ_DOM_EXC], x); /* the binding stays in row 0 */
	/* An unbound port keeps its vCPU when the peer binds, as in Xen. */
	{
		struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 2 };
		struct evtchn_bind_interdomain bi = { .remote_dom = 1 };

		CHECK_EQ(evtchn_op(D(1), EVTCHNOP_alloc_unbound, &au), 0);
		CHECK_EQ(bind_vcpu(1, au.port, 1), 0);
		bi.remote_port = au.port;
		CHECK_EQ(evtchn_op(D(2), EVTCHNOP_bind_interdomain, &bi), 0);
		CHECK_EQ(status_vcpu(1, au.port), 1);
		ack_all(1);
		CHECK_EQ(send(2, bi.local_port), 0);
		CHECK_EQ(vi(1, 1)->evtchn_upcall_pending, 1);
		CHECK_EQ(vi(1, 0)->evtchn_upcall_pending, 0);
		/* The peer closes: our end is UNBOUND again, still on vCPU 1. */
		CHECK_EQ(evtchn_op_close(D(2), bi.local_port), 0);
		CHECK_EQ(status_vcpu(1, au.port), 1);
	}
}

/* A pending, unmasked port moved to another vCPU is delivered there. */
static void test_bind_vcpu_pending(void)
{
	uint32_t p1, p2;

	world_init();
	connect(&p1, &p2);
	ack_all(1);
	CHECK_EQ(send(2, p2), 0);
	CHECK_EQ(vi(1, 0)->evtchn_upcall_pending, 1);
	CHECK_EQ(W.upcalls[0][0], 1);
	CHECK_EQ(bind_vcpu(1, p1, 1), 0);
	CHECK_EQ(vi(1, 1)->evtchn_upcall_pending, 1);
	CHECK(vi(1, 1)->evtchn_pending_sel == sel_bit(p1));
	CHECK_EQ(W.upcalls[0][1], 1);
	/* Rebinding to where it is already changes nothing. */
	vi(1, 1)->evtchn_upcall_pending = 0;
	CHECK_EQ(bind_vcpu(1, p1, 1), 0);
	CHECK_EQ(vi(1, 1)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][1], 1);
	/* Masked: it waits for the unmask, which delivers on the new vCPU. */
	mask(1, p1);
	CHECK_EQ(bind_vcpu(1, p1, 2), 0);
	CHECK_EQ(vi(1, 2)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][2], 0);
	CHECK_EQ(evtchn_op_unmask(D(1), p1), 0);
	CHECK_EQ(vi(1, 2)->evtchn_upcall_pending, 1);
	CHECK_EQ(W.upcalls[0][2], 1);
	/* Not pending: nothing to deliver. */
	ack_all(1);
	CHECK_EQ(bind_vcpu(1, p1, 3), 0);
	CHECK_EQ(vi(1, 3)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][3], 0);
}

/* --- FIFO ---------------------------------------------------------------- */

#define BIT(b) ((event_word_t)1 << (b))
#define PEND BIT(EVTCHN_FIFO_PENDING)
#define MASK BIT(EVTCHN_FIFO_MASKED)
#define LINKED BIT(EVTCHN_FIFO_LINKED)
#define PRIO EVTCHN_FIFO_PRIORITY_DEFAULT

static struct evtchn_fifo_control_block *cb(unsigned v)
{
	return (struct evtchn_fifo_control_block *)(W.ram + (CB_GFN + v) * 4096);
}

static event_word_t *word(uint32_t port)
{
	return (event_word_t *)(W.ram + ARRAY_GFN * 4096) + port;
}

static int init_control(uint32_t vcpu, uint64_t gfn)
{
	struct evtchn_init_control op = { .control_gfn = gfn, .offset = 0, .vcpu = vcpu };

	return evtchn_op(D(1), EVTCHNOP_init_control, &op);
}

/* What the guest does on consuming the head of a queue: unlink it, then clear PENDING. */
static void consume(uint32_t port)
{
	__atomic_fetch_and(word(port), ~(LINKED | EVTCHN_FIFO_LINK_MASK), __ATOMIC_SEQ_CST);
	__atomic_fetch_and(word(port), ~PEND, __ATOMIC_SEQ_CST);
}

static void test_fifo_two_blocks(void)
{
	struct evtchn_expand_array ea = { .array_gfn = ARRAY_GFN };
	uint32_t a1, a2, b1, b2, c1, c2, e1, e2;

	world_init();
	connect(&a1, &a2);
	connect(&b1, &b2);
	connect(&c1, &c2);
	connect(&e1, &e2);
	CHECK_EQ(init_control(NVCPU, CB_GFN), -XEN_ENOENT);
	CHECK_EQ(init_control(EVTCHN_MAX_VCPUS, CB_GFN), -XEN_ENOENT);
	CHECK_EQ(init_control(0, CB_GFN), 0);
	CHECK(D(1)->abi == &evtchn_abi_fifo);
	CHECK_EQ(init_control(0, CB_GFN + 1), -XEN_EINVAL); /* vCPU 0's is mapped */
	CHECK_EQ(init_control(1, 1000), -XEN_EINVAL);       /* not RAM */
	CHECK_EQ(init_control(1, CB_GFN + 1), 0);
	CHECK_EQ(init_control(1, CB_GFN + 1), -XEN_EINVAL);
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_expand_array, &ea), 0);
	CHECK(D(1)->fifo.vcpu[0].cb == cb(0));
	CHECK(D(1)->fifo.vcpu[1].cb == cb(1));
	CHECK(D(1)->fifo.vcpu[2].cb == NULL);

	/* a on vCPU 0, b on vCPU 1: each into its own vCPU's queue. */
	CHECK_EQ(bind_vcpu(1, b1, 1), 0);
	ack_all(1);
	CHECK_EQ(send(2, a2), 0);
	CHECK_EQ(send(2, b2), 0);
	CHECK_EQ(cb(0)->head[PRIO], a1);
	CHECK_EQ(cb(1)->head[PRIO], b1);
	CHECK_EQ(cb(0)->ready, 1u << PRIO);
	CHECK_EQ(cb(1)->ready, 1u << PRIO);
	CHECK_EQ(*word(a1) & EVTCHN_FIFO_LINK_MASK, 0); /* b did not link after a */
	CHECK_EQ(vi(1, 0)->evtchn_upcall_pending, 1);
	CHECK_EQ(vi(1, 1)->evtchn_upcall_pending, 1);
	CHECK_EQ(W.upcalls[0][0], 1);
	CHECK_EQ(W.upcalls[0][1], 1);

	/* vCPU 2 has no control block: pending, never linked, no upcall (Xen). */
	CHECK_EQ(bind_vcpu(1, c1, 2), 0);
	CHECK_EQ(send(2, c2), 0);
	CHECK_EQ(*word(c1) & (PEND | LINKED), PEND);
	CHECK_EQ(vi(1, 2)->evtchn_upcall_pending, 0);
	CHECK_EQ(W.upcalls[0][2], 0);
	CHECK_EQ(W.port_events[0][2], 1);

	/*
	 * a is consumed on vCPU 0 (still vCPU 0's tail) and moves to vCPU 1:
	 * its next event links after b in vCPU 1's queue, and vCPU 0's stale
	 * tail is dropped, so e (vCPU 0) becomes vCPU 0's HEAD, not a's LINK.
	 */
	consume(a1);
	CHECK_EQ(bind_vcpu(1, a1, 1), 0);
	CHECK_EQ(send(2, a2), 0);
	CHECK_EQ(*word(b1) & EVTCHN_FIFO_LINK_MASK, a1);
	CHECK_EQ(cb(1)->head[PRIO], b1);
	CHECK_EQ(W.upcalls[0][1], 1); /* queue already ready: no new upcall */
	cb(0)->ready = 0;
	cb(0)->head[PRIO] = 0;
	vi(1, 0)->evtchn_upcall_pending = 0;
	CHECK_EQ(send(2, e2), 0);
	CHECK_EQ(cb(0)->head[PRIO], e1);
	CHECK_EQ(*word(a1) & EVTCHN_FIFO_LINK_MASK, 0);
	CHECK_EQ(W.upcalls[0][0], 2);

	/*
	 * bind_vcpu of a pending port that is no longer linked (the guest
	 * unlinked it and has not cleared PENDING yet): it links into the
	 * new vCPU's queue, with that vCPU's upcall.
	 */
	__atomic_fetch_and(word(e1), ~(LINKED | EVTCHN_FIFO_LINK_MASK), __ATOMIC_SEQ_CST);
	consume(b1); /* vCPU 1 consumed its queue */
	consume(a1);
	cb(1)->ready = 0;
	cb(1)->head[PRIO] = 0;
	vi(1, 1)->evtchn_upcall_pending = 0;
	CHECK_EQ(bind_vcpu(1, e1, 1), 0);
	CHECK_EQ(*word(e1) & (PEND | LINKED), PEND | LINKED);
	CHECK_EQ(cb(1)->head[PRIO], e1);
	CHECK_EQ(vi(1, 1)->evtchn_upcall_pending, 1);
	CHECK_EQ(W.upcalls[0][1], 2);
	/* A masked, unlinked pending port is not linked by the move. */
	consume(e1);
	*word(e1) |= PEND | MASK;
	CHECK_EQ(bind_vcpu(1, e1, 0), 0);
	CHECK_EQ(*word(e1) & LINKED, 0);

	/* Unmask delivers on the notify vCPU's queue (vCPU 0). */
	cb(0)->ready = 0;
	cb(0)->head[PRIO] = 0;
	vi(1, 0)->evtchn_upcall_pending = 0;
	CHECK_EQ(evtchn_op_unmask(D(1), e1), 0);
	CHECK_EQ(cb(0)->head[PRIO], e1);
	CHECK_EQ(vi(1, 0)->evtchn_upcall_pending, 1);
	CHECK_EQ(W.upcalls[0][0], 3);
}

/* A raise while the event array is missing is re-raised on the port's vCPU. */
static void test_fifo_expand_reraise(void)
{
	struct evtchn_expand_array ea = { .array_gfn = ARRAY_GFN };
	uint32_t p1, p2;

	world_init();
	connect(&p1, &p2);
	CHECK_EQ(init_control(0, CB_GFN), 0);
	CHECK_EQ(init_control(3, CB_GFN + 3), 0);
	CHECK_EQ(bind_vcpu(1, p1, 3), 0);
	ack_all(1);
	CHECK_EQ(send(2, p2), 0); /* no array page yet: kept in the port */
	CHECK_EQ(W.upcalls[0][3], 0);
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_expand_array, &ea), 0);
	CHECK_EQ(cb(3)->head[PRIO], p1);
	CHECK_EQ(cb(0)->ready, 0);
	CHECK_EQ(vi(1, 3)->evtchn_upcall_pending, 1);
	CHECK_EQ(W.upcalls[0][3], 1);
	CHECK_EQ(W.upcalls[0][0], 0);
}

/* close_all and EVTCHNOP_reset put every vCPU binding back. */
static void check_clean(void)
{
	struct evtchn_port p;
	bool ok = true;

	for (uint32_t port = 1; port < 16; port++) {
		CHECK_EQ(evtchn_port_get(D(1), port, &p), 0);
		ok = ok && p.state == ECS_FREE && p.notify_vcpu == 0;
	}
	CHECK(ok);
	for (unsigned v = 0; v < EVTCHN_MAX_VCPUS; v++) {
		for (unsigned q = 0; q < NR_VIRQS; q++)
			ok = ok && D(1)->virq_port[v][q] == 0;
		ok = ok && D(1)->fifo.vcpu[v].cb == NULL;
		for (unsigned q = 0; q < EVTCHN_FIFO_MAX_QUEUES; q++)
			ok = ok && D(1)->fifo.vcpu[v].tail[q] == 0;
	}
	CHECK(ok);
	CHECK(D(1)->abi == &evtchn_abi_2l);
}

static void bind_everything(void)
{
	struct evtchn_expand_array ea = { .array_gfn = ARRAY_GFN };
	uint32_t p1, p2;

	connect(&p1, &p2);
	CHECK_EQ(init_control(0, CB_GFN), 0);
	CHECK_EQ(init_control(2, CB_GFN + 2), 0);
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_expand_array, &ea), 0);
	CHECK_EQ(bind_vcpu(1, p1, 2), 0);
	CHECK_EQ(send(2, p2), 0);
	CHECK(bind_virq(1, VIRQ_TIMER, 3) > 0);
	CHECK(bind_virq(1, VIRQ_DEBUG, 1) > 0);
	CHECK(bind_ipi(1, 2) > 0);
	CHECK(D(1)->fifo.vcpu[2].tail[PRIO] == p1);
}

static void test_close_all_reset(void)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };
	int p;

	world_init();
	bind_everything();
	evtchn_domain_close_all(D(1));
	check_clean();
	/* The next life starts on vCPU 0, with fresh bindings on every vCPU. */
	p = bind_ipi(1, 0);
	CHECK(p > 0);
	CHECK_EQ(status_vcpu(1, (uint32_t)p), 0);
	CHECK_EQ(bind_virq(1, VIRQ_TIMER, 3), p + 1);
	CHECK_EQ(evtchn_op_close(D(1), (uint32_t)p), 0);
	CHECK_EQ(evtchn_op_close(D(1), (uint32_t)p + 1), 0);

	memset(W.ram, 0, FAKE_FRAMES * 4096);
	bind_everything();
	CHECK_EQ(evtchn_op(D(1), EVTCHNOP_reset, &r), 0);
	check_clean();
	CHECK_EQ(init_control(2, CB_GFN + 2), 0); /* vCPU 2's block may be mapped again */
}

void unit_main(void)
{
	TEST(test_init);
	TEST(test_delivery_2l);
	TEST(test_delivery_compat);
	TEST(test_bind_virq);
	TEST(test_bind_ipi);
	TEST(test_bind_vcpu_rules);
	TEST(test_bind_vcpu_pending);
	TEST(test_fifo_two_blocks);
	TEST(test_fifo_expand_reraise);
	TEST(test_close_all_reset);
	world_free();
}
