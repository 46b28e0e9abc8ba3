/* SPDX-License-Identifier: MIT */
/*
 * Per-port state machine: allocation, closing (with the two-domain locking
 * an interdomain channel needs), sending, VIRQs, static channels and guest
 * teardown. The EVTCHNOP_* argument handling lives in evtchn/ops.c.
 *
 * Locking: each domain has one lock guarding its ports[] and virq_port[].
 * The two ends of an interdomain channel only change together, under both
 * locks (lower domid first), so holding either lock keeps the channel
 * connected. Pending/mask bits in shared_info are lock-free (abi_2l.c).
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "lib/errno.h"
#include "lib/lib.h"
#include "evtchn/evtchn.h"
#include "evtchn/internal.h"
#include "sched/notify.h"

int evtchn_domain_init(struct evtchn_domain *d, uint16_t domid, struct shared_info *shinfo,
		       struct evtchn_port *ports, enum evtchn_delivery delivery, struct vcpu *v)
{
	int rc = evtchn_domain_register(d, domid);

	if (rc)
		return rc;
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	d->lock = (struct spinlock)SPINLOCK_INIT;
	d->shinfo = shinfo;
	d->vcpu_info = &shinfo->vcpu_info[0];
	d->ports = ports;
	d->nr_ports = EVTCHN_NR_PORTS;
	d->max_ports = EVTCHN_FIFO_NR_CHANNELS;
	d->fifo.lock = (struct spinlock)SPINLOCK_INIT;
	memset(ports, 0, EVTCHN_NR_PORTS * sizeof(*ports));
	ports[0].state = ECS_RESERVED;
	d->delivery = delivery;
	d->abi = &evtchn_abi_2l;
	d->vcpu = v;
	return 0;
}

void evtchn_domain_set_host(struct evtchn_domain *d, const struct evtchn_host *h, void *ctx)
{
	d->host = h;
	d->host_ctx = ctx;
}

void evtchn_domain_set_max_ports(struct evtchn_domain *d, uint32_t n)
{
	spin_lock(&d->lock);
	d->max_ports = MAX(1u, MIN(n, (uint32_t)EVTCHN_FIFO_NR_CHANNELS));
	__atomic_store_n(&d->nr_ports, MIN((uint32_t)EVTCHN_NR_PORTS, d->max_ports),
			 __ATOMIC_RELAXED);
	spin_unlock(&d->lock);
}

void evtchn_lock_pair(struct evtchn_domain *a, struct evtchn_domain *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a->domid < b->domid) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

void evtchn_unlock_pair(struct evtchn_domain *a, struct evtchn_domain *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

int evtchn_port_alloc_locked(struct evtchn_domain *d, enum evtchn_state state)
{
	uint32_t limit = MIN(d->nr_ports, d->abi->nr_ports);

	for (uint32_t port = 1; port < limit; port++) {
		struct evtchn_port *p = evtchn_port_of(d, port);

		if (p->state != ECS_FREE)
			continue;
		/* As Xen: a FIFO port still in a queue is reused once the guest unlinked it. */
		if (d->abi->is_busy && d->abi->is_busy(d, port))
			continue;
		memset(p, 0, sizeof(*p));
		p->state = (uint8_t)state;
		p->delivery = (uint8_t)d->delivery;
		p->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		return (int)port;
	}
	return -XEN_ENOSPC;
}

/* As Xen: a freed port loses its pending bit (the mask is the guest's). */
static void port_free_locked(struct evtchn_domain *d, uint32_t port)
{
	d->abi->clear_pending(d, port);
	memset(evtchn_port_of(d, port), 0, sizeof(struct evtchn_port));
}

enum evtchn_raise evtchn_port_set_pending_locked(struct evtchn_domain *d, uint32_t port,
						 enum evtchn_delivery *how)
{
	/* delivery may be changed under d's lock only; the sender holds its own. */
	*how = (enum evtchn_delivery)__atomic_load_n(&evtchn_port_of(d, port)->delivery,
						     __ATOMIC_RELAXED);
	/*
	 * d->abi changes under d's lock, which a sender does not hold:
	 * acquire pairs with the release store in fifo_ctl.c's switch, so a
	 * sender that sees the FIFO ops sees the FIFO state they use.
	 */
	return __atomic_load_n(&d->abi, __ATOMIC_ACQUIRE)->set_pending(d, port);
}

void evtchn_notify(struct evtchn_domain *d, enum evtchn_delivery how, enum evtchn_raise r)
{
	bool lazy = how == EVTCHN_DELIVERY_LAZY;

	if (r == EVTCHN_RAISED_UPCALL) {
		sched_notify(d->vcpu, SCHED_EVENT_UPCALL, lazy);
	} else if (r == EVTCHN_RAISED_QUIET) {
		sched_notify(d->vcpu, SCHED_EVENT_PORT, lazy);
	}
}

int evtchn_close_port(struct evtchn_domain *d, uint32_t port, struct evtchn_domain **peer)
{
	struct evtchn_domain *rd = d; /* the second domain whose lock we hold */
	bool peer_missing = false;
	struct evtchn_port *p;
	int rc = 0;

	*peer = NULL;
	if (!evtchn_port_in_range(d, port))
		return -XEN_EINVAL;
	/*
	 * An interdomain close needs the peer's lock too, taken in domid
	 * order: learn the peer under d's lock, drop it, take both, and
	 * retry if the channel changed in between.
	 */
	for (;;) {
		uint16_t want;

		evtchn_lock_pair(d, rd);
		p = evtchn_port_of(d, port);
		if (p->state != ECS_INTERDOMAIN || p->remote_domid == rd->domid)
			break;
		want = p->remote_domid;
		evtchn_unlock_pair(d, rd);
		rd = evtchn_domain_lookup(want);
		peer_missing = !rd;
		if (!rd)
			rd = d;
		if (peer_missing) {
			/* Cannot happen with static guests; free our end only. */
			spin_lock(&d->lock);
			if (p->state == ECS_INTERDOMAIN && p->remote_domid == want)
				break;
			spin_unlock(&d->lock);
		}
	}

	switch (p->state) {
	case ECS_FREE:
	case ECS_RESERVED:
		rc = -XEN_EINVAL;
		goto out;
	case ECS_INTERDOMAIN:
		if (!peer_missing) {
			struct evtchn_port *rp = evtchn_port_of(rd, p->remote_port);

			if (rp->state == ECS_INTERDOMAIN && rp->remote_domid == d->domid &&
			    rp->remote_port == port) {
				rp->state = ECS_UNBOUND;
				rp->remote_port = 0;
				if (rd != d)
					*peer = rd;
			}
		}
		break;
	case ECS_VIRQ:
		if (p->virq < NR_VIRQS && d->virq_port[p->virq] == port)
			d->virq_port[p->virq] = 0;
		break;
	default:
		break;
	}
	port_free_locked(d, port);
out:
	evtchn_unlock_pair(d, rd);
	return rc;
}

int evtchn_op_close(struct evtchn_domain *d, uint32_t port)
{
	struct evtchn_domain *peer;

	return evtchn_close_port(d, port, &peer);
}

int evtchn_op_send(struct evtchn_domain *d, uint32_t port)
{
	struct evtchn_domain *rd = NULL;
	enum evtchn_delivery how = EVTCHN_DELIVERY_IMMEDIATE;
	const struct evtchn_port *lp;
	uint32_t rport = 0;
	enum evtchn_raise raised = EVTCHN_RAISED_NONE;
	int rc = 0;

	if (!evtchn_port_in_range(d, port))
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	lp = evtchn_port_of(d, port);
	switch (lp->state) {
	case ECS_UNBOUND:
		break; /* Xen drops sends on an unconnected port */
	case ECS_IPI:
		rd = d;
		rport = port;
		break;
	case ECS_INTERDOMAIN:
		rd = evtchn_domain_lookup(lp->remote_domid);
		rport = lp->remote_port;
		if (!rd)
			rc = -XEN_EINVAL;
		break;
	default:
		rc = -XEN_EINVAL;
		break;
	}
	/* Holding d's lock keeps rd's end connected while we set its bit. */
	if (rd)
		raised = evtchn_port_set_pending_locked(rd, rport, &how);
	spin_unlock(&d->lock);
	evtchn_notify(rd, how, raised);
	return rc;
}

int evtchn_raise_virq(struct evtchn_domain *d, uint32_t virq)
{
	enum evtchn_delivery how = EVTCHN_DELIVERY_IMMEDIATE;
	enum evtchn_raise raised = EVTCHN_RAISED_NONE;
	uint32_t port;

	if (virq >= NR_VIRQS)
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	port = d->virq_port[virq];
	if (port)
		raised = evtchn_port_set_pending_locked(d, port, &how);
	spin_unlock(&d->lock);
	evtchn_notify(d, how, raised);
	return port ? 0 : -XEN_ENOENT;
}

/* A static end may be fresh, or left UNBOUND for `other` by its restart. */
static bool static_end_ok(const struct evtchn_port *p, uint16_t other)
{
	return p->state == ECS_FREE || (p->state == ECS_UNBOUND && p->remote_domid == other);
}

static void static_end_set(struct evtchn_port *p, uint16_t rdom, uint32_t rport,
			   enum evtchn_delivery how, bool trace)
{
	p->state = ECS_INTERDOMAIN;
	p->delivery = (uint8_t)how;
	p->trace = trace;
	p->is_static = true;
	p->virq = 0;
	p->remote_domid = rdom;
	p->remote_port = rport;
	p->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
}

int evtchn_bind_static(struct evtchn_domain *a, uint32_t port_a, struct evtchn_domain *b,
		       uint32_t port_b, enum evtchn_delivery how, bool trace)
{
	int rc = 0;

	if (!a || !b || port_a == 0 || port_b == 0 || !evtchn_port_in_range(a, port_a) ||
	    !evtchn_port_in_range(b, port_b) || (a == b && port_a == port_b))
		return -XEN_EINVAL;
	evtchn_lock_pair(a, b);
	if (!static_end_ok(evtchn_port_of(a, port_a), b->domid) ||
	    !static_end_ok(evtchn_port_of(b, port_b), a->domid)) {
		rc = -XEN_EBUSY;
		goto out;
	}
	static_end_set(evtchn_port_of(a, port_a), b->domid, port_b, how, trace);
	static_end_set(evtchn_port_of(b, port_b), a->domid, port_a, how, trace);
out:
	evtchn_unlock_pair(a, b);
	return rc;
}

int evtchn_offer_static(struct evtchn_domain *d, uint32_t port, uint16_t remote,
			enum evtchn_delivery how, bool trace)
{
	struct evtchn_port *p;
	int rc = 0;

	if (!d || port == 0 || !evtchn_port_in_range(d, port) || remote == d->domid)
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	p = evtchn_port_of(d, port);
	if (!static_end_ok(p, remote)) {
		rc = -XEN_EBUSY;
		goto out;
	}
	static_end_set(p, remote, 0, how, trace);
	p->state = ECS_UNBOUND;
out:
	spin_unlock(&d->lock);
	return rc;
}

void evtchn_domain_close_all(struct evtchn_domain *d)
{
	for (uint32_t port = 1; evtchn_port_in_range(d, port); port++) {
		struct evtchn_domain *peer;

		if (evtchn_close_port(d, port, &peer) == 0 && peer)
			(void)evtchn_raise_virq(peer, VIRQ_DOM_EXC);
	}
	spin_lock(&d->lock);
	evtchn_fifo_teardown_locked(d);
	spin_unlock(&d->lock);
}

int evtchn_port_get(struct evtchn_domain *d, uint32_t port, struct evtchn_port *out)
{
	if (!evtchn_port_in_range(d, port))
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	*out = *evtchn_port_of(d, port);
	spin_unlock(&d->lock);
	return 0;
}

int evtchn_port_pending(struct evtchn_domain *d, uint32_t port)
{
	if (!evtchn_port_in_range(d, port))
		return -XEN_EINVAL;
	return __atomic_load_n(&d->abi, __ATOMIC_ACQUIRE)->is_pending(d, port) ? 1 : 0;
}

int evtchn_port_set_delivery(struct evtchn_domain *d, uint32_t port, enum evtchn_delivery how)
{
	struct evtchn_port *p;
	int rc = 0;

	if (!evtchn_port_in_range(d, port))
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	p = evtchn_port_of(d, port);
	if (p->state == ECS_FREE || p->state == ECS_RESERVED)
		rc = -XEN_EINVAL;
	else
		__atomic_store_n(&p->delivery, (uint8_t)how, __ATOMIC_RELAXED);
	spin_unlock(&d->lock);
	return rc;
}
