/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the event-channel core (evtchn/ sources): a fake world
 * of three domains (domids 1..3, bolt.cfg-style ACL denying 1 <-> 3, like
 * tests/unit/test_evtchn.c) runs a sequence of operations decoded from
 * the input, and the invariants below are checked after every one.
 *
 * Each step starts with a byte s:
 *   s & 3 == 1..3  domain s & 3 issues EVTCHNOP_<cmd> via evtchn_op():
 *                  next byte picks cmd (0..15, or -16..-1 when >= 0xf0);
 *                  evtchn_op_arg_size(cmd) bytes of argument follow, in an
 *                  exactly-sized buffer (unknown cmd: a 4-byte one).
 *                  s bit 2: pass a NULL argument; bit 3: fold port fields
 *                  to 0..7 and domid fields to 0..4 or DOMID_SELF, so
 *                  short inputs reach connected states.
 *   s & 3 == 0     a world action from the next byte (see world_action()).
 * Invariants: port 0 RESERVED and never pending; every INTERDOMAIN end's
 * peer points back at it; VIRQ ports and virq_port[] agree; a pending bit
 * only on an allocated port (the guest never sets pending bits here); a
 * pending unmasked port has its selector bit and upcall_pending set; the
 * notify hook runs only with the upcall raised; a failed op allocates nothing;
 * outputs of successful ops describe the port they name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "evtchn/evtchn.h"
#include "lib/errno.h"
#include "lib/lib.h"
#include "sched/notify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NDOM 3
#define MAX_STEPS 256
#define FULL_SCAN_EVERY 64

static struct {
	struct evtchn_domain d[NDOM];
	struct shared_info sh[NDOM];
	struct evtchn_port ports[NDOM][EVTCHN_NR_PORTS];
	uint32_t hi[NDOM]; /* highest port that may be allocated (scan bound) */
	unsigned allocated[NDOM];
} W;

/* Input cursor; reads past the end give zeros. */
struct cursor {
	const uint8_t *p;
	size_t left;
};

static uint8_t take8(struct cursor *c)
{
	if (!c->left)
		return 0;
	c->left--;
	return *c->p++;
}

static uint32_t take16(struct cursor *c)
{
	uint32_t lo = take8(c);

	return lo | (uint32_t)take8(c) << 8;
}

static void fail(const char *what, int dom, uint32_t port)
{
	fprintf(stderr, "fuzz_evtchn: %s (dom %d, port %u)\n", what, dom, port);
	abort();
}

/* --- the scheduler side: this harness links evtchn/ alone (explicit seam) -- */

static char vcpu_tag[NDOM]; /* stands for each domain's vCPU, never dereferenced */

void sched_notify(struct vcpu *v, enum sched_event ev, bool lazy)
{
	long i = (char *)(void *)v - vcpu_tag;

	if (i < 0 || i >= NDOM || ev > SCHED_EVENT_PORT)
		fail("sched_notify called with a bad vCPU or event", (int)i, ev);
	(void)lazy; /* per port: set_delivery changes it at will */
	/* Only a 0 -> 1 upcall_pending transition notifies (nothing clears it meanwhile here). */
	if (ev == SCHED_EVENT_UPCALL && !W.sh[i].vcpu_info[0].evtchn_upcall_pending)
		fail("sched_notify called without an upcall pending", (int)i, 0);
}

/* --- invariants ------------------------------------------------------------ */

static bool bit(const xen_ulong_t *map, uint32_t port)
{
	return map[port / EVTCHN_WORD_BITS] >> (port % EVTCHN_WORD_BITS) & 1;
}

static void note_port(int i, uint32_t port)
{
	if (port < EVTCHN_NR_PORTS && port > W.hi[i])
		W.hi[i] = port;
}

static void check_domain(int i, bool full)
{
	struct evtchn_domain *d = &W.d[i];
	const struct shared_info *s = &W.sh[i];
	uint32_t end = full ? EVTCHN_NR_PORTS - 1 : W.hi[i];
	unsigned allocated = 0;

	if (W.ports[i][0].state != ECS_RESERVED || bit(s->evtchn_pending, 0))
		fail("port 0 is not reserved, or pending", i + 1, 0);
	for (uint32_t v = 0; v < NR_VIRQS; v++) {
		uint32_t p = d->virq_port[0][v];

		if (p && (p >= EVTCHN_NR_PORTS || W.ports[i][p].state != ECS_VIRQ ||
			  W.ports[i][p].virq != v))
			fail("virq_port[] names a port not bound to that VIRQ", i + 1, p);
	}
	for (uint32_t p = 1; p <= end; p++) {
		const struct evtchn_port *e = &W.ports[i][p];
		bool pend = bit(s->evtchn_pending, p);

		if (e->state > ECS_IPI || e->state == ECS_RESERVED)
			fail("port in an impossible state", i + 1, p);
		if (e->state != ECS_FREE) {
			allocated++;
			if (p > W.hi[i])
				fail("port allocated beyond every port handed out", i + 1, p);
		}
		if (pend && e->state == ECS_FREE)
			fail("pending bit on a free port", i + 1, p);
		if (pend && !bit(s->evtchn_mask, p) &&
		    (!(s->vcpu_info[0].evtchn_pending_sel >> (p / EVTCHN_WORD_BITS) & 1) ||
		     !s->vcpu_info[0].evtchn_upcall_pending))
			fail("pending unmasked port without selector bit and upcall", i + 1, p);
		/* Any remote domid may be offered, as in Xen; DOMID_SELF is resolved. */
		if (e->state == ECS_UNBOUND && e->remote_domid == DOMID_SELF)
			fail("unbound port waits for DOMID_SELF, unresolved", i + 1, p);
		if (e->state == ECS_VIRQ &&
		    (e->virq >= NR_VIRQS || d->virq_port[0][e->virq] != p))
			fail("VIRQ port not in virq_port[]", i + 1, p);
		if (e->state == ECS_INTERDOMAIN) {
			const struct evtchn_port *r;
			int ri = e->remote_domid - 1;

			if (ri < 0 || ri >= NDOM || !e->remote_port ||
			    e->remote_port >= EVTCHN_NR_PORTS || (ri == i && e->remote_port == p))
				fail("interdomain port with a bad peer", i + 1, p);
			r = &W.ports[ri][e->remote_port];
			if (r->state != ECS_INTERDOMAIN || r->remote_domid != i + 1 ||
			    r->remote_port != p)
				fail("interdomain peer does not point back", i + 1, p);
		}
	}
	if (full)
		W.allocated[i] = allocated;
}

static void check_world(bool full)
{
	for (int i = 0; i < NDOM; i++)
		check_domain(i, full);
}

static unsigned count_allocated(int i)
{
	unsigned n = 0;

	for (uint32_t p = 1; p <= W.hi[i]; p++)
		n += W.ports[i][p].state != ECS_FREE;
	return n;
}

/* --- steps ------------------------------------------------------------------ */

static void fold_port(uint8_t *arg, size_t off)
{
	uint32_t v;

	memcpy(&v, arg + off, 4);
	v %= 8;
	memcpy(arg + off, &v, 4);
}

static void fold_dom(uint8_t *arg, size_t off)
{
	domid_t v;

	memcpy(&v, arg + off, 2);
	v %= 6;
	if (v == 5)
		v = DOMID_SELF;
	memcpy(arg + off, &v, 2);
}

static void fold_fields(int cmd, uint8_t *arg)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		fold_dom(arg, offsetof(struct evtchn_alloc_unbound, dom));
		fold_dom(arg, offsetof(struct evtchn_alloc_unbound, remote_dom));
		break;
	case EVTCHNOP_bind_interdomain:
		fold_dom(arg, offsetof(struct evtchn_bind_interdomain, remote_dom));
		fold_port(arg, offsetof(struct evtchn_bind_interdomain, remote_port));
		break;
	case EVTCHNOP_close:
	case EVTCHNOP_send:
	case EVTCHNOP_unmask:
		fold_port(arg, 0);
		break;
	case EVTCHNOP_status:
		fold_dom(arg, offsetof(struct evtchn_status, dom));
		fold_port(arg, offsetof(struct evtchn_status, port));
		break;
	case EVTCHNOP_bind_vcpu:
		fold_port(arg, offsetof(struct evtchn_bind_vcpu, port));
		break;
	case EVTCHNOP_reset:
		fold_dom(arg, offsetof(struct evtchn_reset, dom));
		break;
	default:
		break;
	}
}

/* A successful op's output must describe the port it returns. */
static void check_output(int i, int cmd, const void *arg)
{
	const struct evtchn_port *e;
	uint32_t p;

	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		p = ((const struct evtchn_alloc_unbound *)arg)->port;
		note_port(i, p);
		if (!p || p >= EVTCHN_NR_PORTS || W.ports[i][p].state != ECS_UNBOUND)
			fail("alloc_unbound returned a port that is not unbound", i + 1, p);
		break;
	case EVTCHNOP_bind_interdomain:
		p = ((const struct evtchn_bind_interdomain *)arg)->local_port;
		note_port(i, p);
		if (!p || p >= EVTCHN_NR_PORTS || W.ports[i][p].state != ECS_INTERDOMAIN)
			fail("bind_interdomain returned a port that is not interdomain", i + 1, p);
		break;
	case EVTCHNOP_bind_virq:
		p = ((const struct evtchn_bind_virq *)arg)->port;
		note_port(i, p);
		if (!p || p >= EVTCHN_NR_PORTS || W.ports[i][p].state != ECS_VIRQ ||
		    W.ports[i][p].virq != ((const struct evtchn_bind_virq *)arg)->virq)
			fail("bind_virq returned a port not bound to the VIRQ", i + 1, p);
		break;
	case EVTCHNOP_bind_ipi:
		p = ((const struct evtchn_bind_ipi *)arg)->port;
		note_port(i, p);
		if (!p || p >= EVTCHN_NR_PORTS || W.ports[i][p].state != ECS_IPI)
			fail("bind_ipi returned a port that is not IPI", i + 1, p);
		break;
	case EVTCHNOP_status: {
		const struct evtchn_status *st = arg;
		static const uint32_t want[] = {
			[ECS_FREE] = EVTCHNSTAT_closed, [ECS_RESERVED] = EVTCHNSTAT_closed,
			[ECS_UNBOUND] = EVTCHNSTAT_unbound,
			[ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
			[ECS_VIRQ] = EVTCHNSTAT_virq, [ECS_IPI] = EVTCHNSTAT_ipi,
		};

		p = st->port;
		if (p >= EVTCHN_NR_PORTS)
			fail("status succeeded on an out-of-range port", i + 1, p);
		e = &W.ports[i][p];
		if (st->status != want[e->state] || st->vcpu != 0 ||
		    (e->state == ECS_INTERDOMAIN && (st->u.interdomain.dom != e->remote_domid ||
						     st->u.interdomain.port != e->remote_port)) ||
		    (e->state == ECS_UNBOUND && st->u.unbound.dom != e->remote_domid) ||
		    (e->state == ECS_VIRQ && st->u.virq != e->virq))
			fail("status does not describe the port", i + 1, p);
		break;
	}
	case EVTCHNOP_reset:
		for (p = 1; p < EVTCHN_NR_PORTS; p++)
			if (W.ports[i][p].state != ECS_FREE)
				fail("port still allocated after EVTCHNOP_reset", i + 1, p);
		break;
	default:
		break;
	}
}

static void do_op(struct cursor *c, uint8_t s)
{
	int i = (s & 3) - 1;
	uint8_t b = take8(c);
	int cmd = b >= 0xf0 ? (int8_t)b : b % 16;
	size_t size = evtchn_op_arg_size(cmd);
	unsigned before[NDOM];
	uint8_t *arg;
	int rc;

	/* Exactly the struct's size, as the hypercall handler copies it in. */
	arg = malloc(size ? size : 4);
	if (!arg)
		abort();
	for (size_t k = 0; k < (size ? size : 4); k++)
		arg[k] = take8(c);
	if (s & 8)
		fold_fields(cmd, arg);
	for (int k = 0; k < NDOM; k++)
		before[k] = count_allocated(k);

	rc = evtchn_op(&W.d[i], cmd, (s & 4) ? NULL : arg);
	if (rc > 0)
		fail("evtchn_op returned a positive value", i + 1, (uint32_t)rc);
	if (!size && rc != -XEN_ENOSYS)
		fail("unknown command not refused with -XEN_ENOSYS", i + 1, (uint32_t)cmd);
	if ((s & 4) && rc != -XEN_EFAULT && rc != -XEN_ENOSYS)
		fail("NULL argument not refused with -XEN_EFAULT", i + 1, (uint32_t)cmd);
	if (rc == 0)
		check_output(i, cmd, arg);
	else
		for (int k = 0; k < NDOM; k++)
			if (count_allocated(k) != before[k])
				fail("a failed op changed the number of allocated ports", k + 1,
				     (uint32_t)cmd);
	free(arg);
}

static void world_action(struct cursor *c)
{
	uint8_t a = take8(c);
	int i = (a >> 3) % NDOM;
	struct shared_info *s = &W.sh[i];
	uint32_t port, port2;
	int rc;

	switch (a & 7) {
	case 0: /* the guest's upcall handler consumed everything */
		s->vcpu_info[0].evtchn_upcall_pending = 0;
		s->vcpu_info[0].evtchn_pending_sel = 0;
		memset(s->evtchn_pending, 0, sizeof(s->evtchn_pending));
		break;
	case 1: /* the guest masks a port in shared memory */
		port = take16(c) % EVTCHN_NR_PORTS;
		s->evtchn_mask[port / EVTCHN_WORD_BITS] |= (xen_ulong_t)1 << (port % EVTCHN_WORD_BITS);
		break;
	case 2: /* the guest consumes one event */
		port = take16(c) % EVTCHN_NR_PORTS;
		s->evtchn_pending[port / EVTCHN_WORD_BITS] &=
			~((xen_ulong_t)1 << (port % EVTCHN_WORD_BITS));
		break;
	case 3: /* the hypervisor raises a VIRQ */
		rc = evtchn_raise_virq(&W.d[i], take8(c) % (NR_VIRQS + 2));
		if (rc && rc != -XEN_EINVAL && rc != -XEN_ENOENT)
			fail("evtchn_raise_virq returned an unexpected code", i + 1, 0);
		break;
	case 4: { /* a static channel from bolt.cfg (ports may be out of range) */
		int j = take8(c) % NDOM;

		port = take16(c) % (EVTCHN_NR_PORTS + 16);
		port2 = take16(c) % (EVTCHN_NR_PORTS + 16);
		rc = evtchn_bind_static(&W.d[i], port, &W.d[j], port2,
					(a & 64) ? EVTCHN_DELIVERY_LAZY : EVTCHN_DELIVERY_IMMEDIATE,
					a & 128);
		if (!rc) {
			note_port(i, port);
			note_port(j, port2);
			if (W.ports[i][port].state != ECS_INTERDOMAIN || !W.ports[i][port].is_static)
				fail("static bind did not bind", i + 1, port);
		}
		break;
	}
	case 5: /* the guest crashed or stopped */
		evtchn_domain_close_all(&W.d[i]);
		for (port = 1; port < EVTCHN_NR_PORTS; port++)
			if (W.ports[i][port].state != ECS_FREE)
				fail("port still allocated after close_all", i + 1, port);
		break;
	case 6:
		port = take16(c) % (EVTCHN_NR_PORTS + 16);
		rc = evtchn_port_set_delivery(&W.d[i], port, (enum evtchn_delivery)((a >> 6) & 1));
		if (!rc && (port >= EVTCHN_NR_PORTS || W.ports[i][port].state == ECS_FREE))
			fail("set_delivery accepted a free or out-of-range port", i + 1, port);
		break;
	default:
		port = take16(c) % (EVTCHN_NR_PORTS + 16);
		rc = evtchn_port_pending(&W.d[i], port);
		if (port >= EVTCHN_NR_PORTS ? rc != -XEN_EINVAL
					    : rc != (int)bit(s->evtchn_pending, port))
			fail("evtchn_port_pending disagrees with the bitmap", i + 1, port);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size };

	memset(&W, 0, sizeof(W));
	for (int i = 0; i < NDOM; i++)
		evtchn_domain_init(&W.d[i], (uint16_t)(i + 1), &W.sh[i], W.ports[i],
				   (i == 2) ? EVTCHN_DELIVERY_LAZY : EVTCHN_DELIVERY_IMMEDIATE,
				   (struct vcpu *[1]){ (struct vcpu *)(void *)&vcpu_tag[i] }, 1);
	/* bolt.cfg-style access control: every pair but 1 <-> 3. */
	evtchn_allow_bind(1, 2);
	evtchn_allow_bind(2, 3);
	for (unsigned step = 0; c.left && step < MAX_STEPS; step++) {
		uint8_t s = take8(&c);

		if (s & 3)
			do_op(&c, s);
		else
			world_action(&c);
		check_world(step % FULL_SCAN_EVERY == FULL_SCAN_EVERY - 1);
	}
	check_world(true);
	return 0;
}
