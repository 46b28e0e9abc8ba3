/* SPDX-License-Identifier: MIT */
/*
 * Per-port state machine: allocation, closing (with the two-domain locking
 * an interdomain channel needs), sending, VIRQs, static channels and guest
 * teardown. The EVTCHNOP_* argument handling lives in evtchn/ops.c.
 *
 * Locking: each domain has one lock guarding its ports[] and virq_port[][].
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

_Static_assert(EVTCHN_MAX_VCPUS <= XEN_LEGACY_MAX_VCPUS, "each vCPU has a slot in shared_info");
_Static_assert(EVTCHN_MAX_VCPUS <= 256, "notify_vcpu is a uint8_t");
_Static_assert(EVTCHN_MAX_VCPUS * 16 <= 256 && EVTCHN_FIFO_MAX_QUEUES == 16,
	       "fifo_lastq packs vcpu * 16 + priority in a uint8_t");

int evtchn_domain_init(struct evtchn_domain *d, uint16_t domid, struct shared_info *shinfo,
		       struct evtchn_port *ports, enum evtchn_delivery delivery,
		       struct vcpu *const *vcpus, unsigned nr_vcpus)
{
	int rc;

	if (nr_vcpus == 0 || nr_vcpus > EVTCHN_MAX_VCPUS)
		return -XEN_EINVAL;
	rc = evtchn_domain_register(d, domid);
	if (rc)
		return rc;
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	d->lock = (struct spinlock)SPINLOCK_INIT;
	d->shinfo = shinfo;
	d->nr_vcpus = nr_vcpus;
	for (unsigned i = 0; i < nr_vcpus; i++) {
		d->vcpu_info[i] = &shinfo->vcpu_info[i];
		d->vcpus[i] = vcpus[i];
	}
	d->ports = ports;
	d->nr_ports = EVTCHN_NR_PORTS;
	d->max_ports = EVTCHN_FIFO_NR_CHANNELS;
	d->fifo.lock = (struct spinlock)SPINLOCK_INIT;
	memset(ports, 0, EVTCHN_NR_PORTS * sizeof(*ports));
	ports[0].state = ECS_RESERVED;
	d->delivery = delivery;
	d->abi = &evtchn_abi_2l;
	return 0;
}

void evtchn_set_vcpu_info(struct evtchn_domain *d, unsigned vcpu, struct vcpu_info *vi)
{
	if (vcpu >= d->nr_vcpus)
		return;
	/* Release: pairs with the senders' acquire load (evtchn_vcpu_info). */
	__atomic_store_n(&d->vcpu_info[vcpu], vi ? vi : &d->shinfo->vcpu_info[vcpu],
			 __ATOMIC_RELEASE);
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

/*
 * A port back to zero (notify_vcpu 0, as Xen's evtchn_free), except
 * fifo_lastq: a queue's tail may still name the port (abi_fifo.c).
 */
static void port_wipe(struct evtchn_port *p)
{
	uint8_t lastq = p->fifo_lastq;

	memset(p, 0, sizeof(*p));
	p->fifo_lastq = lastq;
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
		port_wipe(p);
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
	port_wipe(evtchn_port_of(d, port));
}

enum evtchn_raise evtchn_port_set_pending_locked(struct evtchn_domain *d, uint32_t port,
						 enum evtchn_delivery *how, unsigned *vcpu)
{
	/* delivery may be changed under d's lock only; the sender holds its own. */
	*how = (enum evtchn_delivery)__atomic_load_n(&evtchn_port_of(d, port)->delivery,
						     __ATOMIC_RELAXED);
	/*
	 * d->abi changes under d's lock, which a sender does not hold:
	 * acquire pairs with the release store in fifo_ctl.c's switch, so a
	 * sender that sees the FIFO ops sees the FIFO state they use.
	 */
	return __atomic_load_n(&d->abi, __ATOMIC_ACQUIRE)->set_pending(d, port, vcpu);
}

/*
 * A quiet raise wakes the port's notify vCPU only: a vCPU polls the ports
 * bound to it (Linux's spinlock kicker polls its own IPI port).
 */
void evtchn_notify(struct evtchn_domain *d, unsigned vcpu, enum evtchn_delivery how,
		   enum evtchn_raise r)
{
	bool lazy = how == EVTCHN_DELIVERY_LAZY;

	if (r == EVTCHN_RAISED_NONE)
		return;
	if (vcpu >= d->nr_vcpus)
		vcpu = 0; /* never: the ops report a notify_vcpu < nr_vcpus */
	sched_notify(d->vcpus[vcpu], r == EVTCHN_RAISED_UPCALL ? SCHED_EVENT_UPCALL
							       : SCHED_EVENT_PORT, lazy);
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
		/*
		 * As Xen: whichever vCPU's row names the port (a global VIRQ
		 * stays in row 0 after bind_vcpu moved its notify vCPU).
		 */
		for (unsigned v = 0; v < EVTCHN_MAX_VCPUS; v++)
			if (p->virq < NR_VIRQS && d->virq_port[v][p->virq] == port)
				d->virq_port[v][p->virq] = 0;
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
	unsigned vcpu = 0;
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
		raised = evtchn_port_set_pending_locked(rd, rport, &how, &vcpu);
	spin_unlock(&d->lock);
	if (rd)
		evtchn_notify(rd, vcpu, how, raised);
	return rc;
}

/*
 * The port bound to (vcpu, virq) is raised; its notify vCPU receives it
 * (vcpu itself for a per-vCPU VIRQ, which cannot move).
 */
int evtchn_raise_virq_vcpu(struct evtchn_domain *d, unsigned vcpu, uint32_t virq)
{
	enum evtchn_delivery how = EVTCHN_DELIVERY_IMMEDIATE;
	enum evtchn_raise raised = EVTCHN_RAISED_NONE;
	unsigned to = 0;
	uint32_t port;

	if (virq >= NR_VIRQS || vcpu >= d->nr_vcpus)
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	port = d->virq_port[vcpu][virq];
	if (port)
		raised = evtchn_port_set_pending_locked(d, port, &how, &to);
	spin_unlock(&d->lock);
	evtchn_notify(d, to, how, raised);
	return port ? 0 : -XEN_ENOENT;
}

/* As Xen's send_guest_global_virq: global VIRQs are bound in vCPU 0's row. */
int evtchn_raise_virq(struct evtchn_domain *d, uint32_t virq)
{
	return evtchn_raise_virq_vcpu(d, 0, virq);
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
	p->notify_vcpu = 0;
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
