/* SPDX-License-Identifier: MIT */
/*
 * EVTCHNOP_* commands as a guest issues them: argument checks in Xen's
 * order and with Xen's error codes, and the dispatch table the hypercall
 * handler calls after copying the argument struct in.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "evtchn/evtchn.h"
#include "evtchn/internal.h"
#include "lib/errno.h"
#include "lib/lib.h"

/* An unprivileged guest may only name itself. */
static bool dom_is_self(const struct evtchn_domain *d, domid_t dom)
{
	return dom == DOMID_SELF || dom == d->domid;
}

int evtchn_op_alloc_unbound(struct evtchn_domain *d, struct evtchn_alloc_unbound *op)
{
	domid_t remote = op->remote_dom == DOMID_SELF ? d->domid : op->remote_dom;
	int port;

	if (!dom_is_self(d, op->dom))
		return -XEN_EPERM;
	/*
	 * As Xen: any remote domid is accepted, even one that does not exist
	 * (yet); an offer grants nothing. bolt.cfg's pairing is checked when
	 * the remote side binds (evtchn_op_bind_interdomain), which is the
	 * only step that connects two guests.
	 */
	spin_lock(&d->lock);
	port = evtchn_port_alloc_locked(d, ECS_UNBOUND);
	if (port > 0) {
		evtchn_port_of(d, (uint32_t)port)->remote_domid = remote;
		op->port = (evtchn_port_t)port;
	}
	spin_unlock(&d->lock);
	return port < 0 ? port : 0;
}

int evtchn_op_bind_interdomain(struct evtchn_domain *d, struct evtchn_bind_interdomain *op)
{
	domid_t remote = op->remote_dom == DOMID_SELF ? d->domid : op->remote_dom;
	enum evtchn_delivery how = EVTCHN_DELIVERY_IMMEDIATE;
	struct evtchn_domain *rd;
	struct evtchn_port *rp, *lp;
	enum evtchn_raise raised = EVTCHN_RAISED_NONE;
	unsigned vcpu = 0;
	int lport;

	rd = remote == d->domid ? d : evtchn_domain_lookup(remote);
	if (!rd)
		return -XEN_ESRCH;
	if (rd != d && !evtchn_may_bind(d->domid, remote))
		return -XEN_EPERM;
	evtchn_lock_pair(d, rd);
	if (!evtchn_port_in_range(rd, op->remote_port)) {
		lport = -XEN_EINVAL;
		goto out;
	}
	rp = evtchn_port_of(rd, op->remote_port);
	if (rp->state != ECS_UNBOUND || rp->remote_domid != d->domid) {
		lport = -XEN_EINVAL;
		goto out;
	}
	lport = evtchn_port_alloc_locked(d, ECS_INTERDOMAIN);
	if (lport < 0)
		goto out;
	lp = evtchn_port_of(d, (uint32_t)lport);
	lp->remote_domid = rd->domid;
	lp->remote_port = op->remote_port;
	rp->state = ECS_INTERDOMAIN;
	rp->remote_port = (uint32_t)lport;
	op->local_port = (evtchn_port_t)lport;
	/*
	 * As Xen: the peer may have sent before we bound, so start pending
	 * (on vCPU 0: a new port; the peer's UNBOUND end keeps the vCPU a
	 * bind_vcpu gave it).
	 */
	raised = evtchn_port_set_pending_locked(d, (uint32_t)lport, &how, &vcpu);
out:
	evtchn_unlock_pair(d, rd);
	evtchn_notify(d, vcpu, how, raised);
	return lport < 0 ? lport : 0;
}

/* VIRQs Bolt knows: Bolt raises TIMER and DOM_EXC; DEBUG is accepted (Linux binds it). */
static bool virq_known(uint32_t virq)
{
	return virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_DOM_EXC;
}

/*
 * Xen's virq_is_global (x86 has no global arch VIRQ): these four are per
 * vCPU, bound on any vCPU once each; every other VIRQ is the domain's,
 * bound on vCPU 0 and movable with bind_vcpu.
 */
static bool virq_is_global(uint32_t virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true;
	}
}

int evtchn_op_bind_virq(struct evtchn_domain *d, struct evtchn_bind_virq *op)
{
	struct evtchn_port *p;
	int port;

	/* Xen's order: the virq, a global one on vCPU 0 only, then the vCPU. */
	if (op->virq >= NR_VIRQS || !virq_known(op->virq))
		return -XEN_EINVAL;
	if (virq_is_global(op->virq) && op->vcpu != 0)
		return -XEN_EINVAL;
	if (op->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	spin_lock(&d->lock);
	if (d->virq_port[op->vcpu][op->virq]) {
		port = -XEN_EEXIST;
		goto out;
	}
	port = evtchn_port_alloc_locked(d, ECS_VIRQ);
	if (port < 0)
		goto out;
	p = evtchn_port_of(d, (uint32_t)port);
	p->virq = (uint16_t)op->virq;
	p->notify_vcpu = (uint8_t)op->vcpu;
	d->virq_port[op->vcpu][op->virq] = (uint32_t)port;
	op->port = (evtchn_port_t)port;
out:
	spin_unlock(&d->lock);
	return port < 0 ? port : 0;
}

int evtchn_op_bind_ipi(struct evtchn_domain *d, struct evtchn_bind_ipi *op)
{
	int port;

	if (op->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	spin_lock(&d->lock);
	port = evtchn_port_alloc_locked(d, ECS_IPI);
	if (port > 0)
		evtchn_port_of(d, (uint32_t)port)->notify_vcpu = (uint8_t)op->vcpu;
	spin_unlock(&d->lock);
	if (port < 0)
		return port;
	op->port = (evtchn_port_t)port;
	return 0;
}

int evtchn_op_status(struct evtchn_domain *d, struct evtchn_status *op)
{
	const struct evtchn_port *p;

	if (!dom_is_self(d, op->dom))
		return -XEN_EPERM;
	if (!evtchn_port_in_range(d, op->port))
		return -XEN_EINVAL;
	memset(&op->u, 0, sizeof(op->u));
	spin_lock(&d->lock);
	p = evtchn_port_of(d, op->port);
	op->vcpu = p->notify_vcpu; /* 0 for a closed port: a freed port's is */
	switch (p->state) {
	case ECS_UNBOUND:
		op->status = EVTCHNSTAT_unbound;
		op->u.unbound.dom = p->remote_domid;
		break;
	case ECS_INTERDOMAIN:
		op->status = EVTCHNSTAT_interdomain;
		op->u.interdomain.dom = p->remote_domid;
		op->u.interdomain.port = p->remote_port;
		break;
	case ECS_VIRQ:
		op->status = EVTCHNSTAT_virq;
		op->u.virq = p->virq;
		break;
	case ECS_IPI:
		op->status = EVTCHNSTAT_ipi;
		break;
	default: /* FREE, RESERVED */
		op->status = EVTCHNSTAT_closed;
		break;
	}
	spin_unlock(&d->lock);
	return 0;
}

/* As Xen: any in-range port may be unmasked, whatever its state. */
int evtchn_op_unmask(struct evtchn_domain *d, uint32_t port)
{
	enum evtchn_delivery how;
	unsigned vcpu = 0;
	bool notify;

	if (!evtchn_port_in_range(d, port))
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	how = (enum evtchn_delivery)evtchn_port_of(d, port)->delivery;
	notify = d->abi->unmask(d, port, &vcpu);
	spin_unlock(&d->lock);
	if (notify)
		evtchn_notify(d, vcpu, how, EVTCHN_RAISED_UPCALL);
	return 0;
}

/*
 * Xen's rules: the vCPU must exist (checked first), unbound, interdomain
 * and global-VIRQ ports move, per-vCPU VIRQs and IPIs stay where bound.
 * Unlike Xen, a port that is pending and unmasked is then delivered to
 * the new vCPU too (Xen leaves it to the guest's next unmask, which Linux
 * does after a rebind; the old vCPU ignores it as no longer its own), and
 * a sender racing with the move cannot leave it on the old vCPU only: the
 * seq_cst store below and the ABI's pending check after it pair with the
 * sender's pending bit and notify_vcpu load (evtchn_port_notify_vcpu).
 */
int evtchn_op_bind_vcpu(struct evtchn_domain *d, struct evtchn_bind_vcpu *op)
{
	struct evtchn_port *p;
	enum evtchn_delivery how = EVTCHN_DELIVERY_IMMEDIATE;
	unsigned vcpu = 0;
	bool notify = false;
	int rc = 0;

	if (op->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	if (!evtchn_port_in_range(d, op->port))
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	p = evtchn_port_of(d, op->port);
	switch (p->state) {
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
		break;
	case ECS_VIRQ:
		if (!virq_is_global(p->virq))
			rc = -XEN_EINVAL; /* per-vCPU VIRQs stay where bound */
		break;
	default: /* FREE, RESERVED, IPI */
		rc = -XEN_EINVAL;
		break;
	}
	if (rc == 0 && p->notify_vcpu != op->vcpu) {
		__atomic_store_n(&p->notify_vcpu, (uint8_t)op->vcpu, __ATOMIC_SEQ_CST);
		how = (enum evtchn_delivery)p->delivery;
		notify = d->abi->redeliver(d, op->port, &vcpu);
	}
	spin_unlock(&d->lock);
	if (notify)
		evtchn_notify(d, vcpu, how, EVTCHN_RAISED_UPCALL);
	return rc;
}

/* As Xen: close everything, and a FIFO domain goes back to 2-level. */
int evtchn_op_reset(struct evtchn_domain *d, struct evtchn_reset *op)
{
	if (!dom_is_self(d, op->dom))
		return -XEN_EPERM;
	for (uint32_t port = 1; evtchn_port_in_range(d, port); port++) {
		struct evtchn_domain *peer;

		(void)evtchn_close_port(d, port, &peer); /* FREE ports: -EINVAL, fine */
	}
	spin_lock(&d->lock);
	evtchn_fifo_teardown_locked(d);
	spin_unlock(&d->lock);
	return 0;
}

/* --- dispatch ------------------------------------------------------------ */

static int op_send(struct evtchn_domain *d, void *arg)
{
	return evtchn_op_send(d, ((struct evtchn_send *)arg)->port);
}

static int op_close(struct evtchn_domain *d, void *arg)
{
	return evtchn_op_close(d, ((struct evtchn_close *)arg)->port);
}

static int op_unmask(struct evtchn_domain *d, void *arg)
{
	return evtchn_op_unmask(d, ((struct evtchn_unmask *)arg)->port);
}

#define OP_WRAP(name, type)                                         \
	static int op_##name(struct evtchn_domain *d, void *arg)    \
	{                                                           \
		return evtchn_op_##name(d, (struct type *)arg);     \
	}
OP_WRAP(alloc_unbound, evtchn_alloc_unbound)
OP_WRAP(bind_interdomain, evtchn_bind_interdomain)
OP_WRAP(bind_virq, evtchn_bind_virq)
OP_WRAP(bind_ipi, evtchn_bind_ipi)
OP_WRAP(status, evtchn_status)
OP_WRAP(bind_vcpu, evtchn_bind_vcpu)
OP_WRAP(reset, evtchn_reset)
OP_WRAP(init_control, evtchn_init_control)
OP_WRAP(expand_array, evtchn_expand_array)
OP_WRAP(set_priority, evtchn_set_priority)
#undef OP_WRAP

struct op_desc {
	int (*fn)(struct evtchn_domain *d, void *arg); /* NULL: -XEN_ENOSYS */
	uint16_t size;
	bool output;
};

#define OP(cmd, f, type, out) [EVTCHNOP_##cmd] = { f, sizeof(struct type), out }
static const struct op_desc op_table[] = {
	OP(bind_interdomain, op_bind_interdomain, evtchn_bind_interdomain, true),
	OP(bind_virq, op_bind_virq, evtchn_bind_virq, true),
	OP(bind_pirq, NULL, evtchn_bind_pirq, false),
	OP(close, op_close, evtchn_close, false),
	OP(send, op_send, evtchn_send, false),
	OP(status, op_status, evtchn_status, true),
	OP(alloc_unbound, op_alloc_unbound, evtchn_alloc_unbound, true),
	OP(bind_ipi, op_bind_ipi, evtchn_bind_ipi, true),
	OP(bind_vcpu, op_bind_vcpu, evtchn_bind_vcpu, false),
	OP(unmask, op_unmask, evtchn_unmask, false),
	OP(reset, op_reset, evtchn_reset, false),
	/* FIFO ABI (evtchn/fifo_ctl.c); init_control returns link_bits. */
	OP(init_control, op_init_control, evtchn_init_control, true),
	OP(expand_array, op_expand_array, evtchn_expand_array, false),
	OP(set_priority, op_set_priority, evtchn_set_priority, false),
};
#undef OP

static const struct op_desc *op_lookup(int cmd)
{
	if (cmd < 0 || (size_t)cmd >= ARRAY_SIZE(op_table))
		return NULL;
	return &op_table[cmd];
}

size_t evtchn_op_arg_size(int cmd)
{
	const struct op_desc *o = op_lookup(cmd);

	return o ? o->size : 0;
}

bool evtchn_op_has_output(int cmd)
{
	const struct op_desc *o = op_lookup(cmd);

	return o && o->output;
}

int evtchn_op(struct evtchn_domain *d, int cmd, void *arg)
{
	const struct op_desc *o = op_lookup(cmd);

	if (!o || !o->fn)
		return -XEN_ENOSYS;
	if (!arg)
		return -XEN_EFAULT;
	return o->fn(d, arg);
}
