/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the evtchn/ files only (port.c owns port state and
 * locking, ops.c implements the EVTCHNOP_* commands on top of them).
 */
#ifndef EVTCHN_INTERNAL_H
#define EVTCHN_INTERNAL_H

#include "evtchn/evtchn.h"

/*
 * Port 0 is valid to name (status says closed) but is never allocated.
 * nr_ports only changes under d's lock, by d's own vCPU (expand_array,
 * reset) or while d does not run (restart); relaxed: a peer holding d's
 * lock, or d itself, sees the current value.
 */
static inline bool evtchn_port_in_range(const struct evtchn_domain *d, uint32_t port)
{
	return port < __atomic_load_n(&d->nr_ports, __ATOMIC_RELAXED);
}

/*
 * The vCPU a port notifies. Changed by bind_vcpu under d's lock (a seq_cst
 * store); senders hold their own lock, so a seq_cst load, made after the
 * port's pending bit is set: with bind_vcpu's store-then-check-pending
 * (evtchn_op_bind_vcpu) a Dekker pair, so either the sender sees the new
 * vCPU or bind_vcpu sees the pending bit and redelivers there. A plain
 * mov on x86. Clamped: the value is always < nr_vcpus, but a wrong one
 * must not index past the arrays.
 */
static inline unsigned evtchn_port_notify_vcpu(struct evtchn_domain *d, uint32_t port)
{
	unsigned v = __atomic_load_n(&evtchn_port_of(d, port)->notify_vcpu, __ATOMIC_SEQ_CST);

	return v < d->nr_vcpus ? v : 0;
}

/*
 * Where vCPU v's vcpu_info is (VCPUOP_register_vcpu_info moves it):
 * acquire pairs with the release store in evtchn_set_vcpu_info.
 */
static inline struct vcpu_info *evtchn_vcpu_info(const struct evtchn_domain *d, unsigned v)
{
	return __atomic_load_n(&d->vcpu_info[v], __ATOMIC_ACQUIRE);
}

/* Record d as the domain of domid (evtchn/domains.c); -XEN_EINVAL out of range. */
int evtchn_domain_register(struct evtchn_domain *d, uint16_t domid);

/* Lock two domains in domid order (lower first); a == b locks once. */
void evtchn_lock_pair(struct evtchn_domain *a, struct evtchn_domain *b);
void evtchn_unlock_pair(struct evtchn_domain *a, struct evtchn_domain *b);

/* Lowest free port >= 1, initialised to state; -XEN_ENOSPC if none. Lock held. */
int evtchn_port_alloc_locked(struct evtchn_domain *d, enum evtchn_state state);

/*
 * Mark a port pending; says what it raised (see enum evtchn_raise) and
 * for which vCPU (*vcpu). Lock held.
 */
enum evtchn_raise evtchn_port_set_pending_locked(struct evtchn_domain *d, uint32_t port,
						 enum evtchn_delivery *how, unsigned *vcpu);

/*
 * Forward what a raise did to d's vCPU vcpu, with no lock held: an upcall
 * 0 -> 1 transition is counted and notified; a quiet one only wakes a
 * poller.
 */
void evtchn_notify(struct evtchn_domain *d, unsigned vcpu, enum evtchn_delivery how,
		   enum evtchn_raise r);

/*
 * Close one port (takes the locks itself). For an interdomain channel to
 * another domain *peer is set to that domain, whose end is now UNBOUND.
 */
int evtchn_close_port(struct evtchn_domain *d, uint32_t port, struct evtchn_domain **peer);

/*
 * FIFO -> 2-level (evtchn/fifo_ctl.c), with every port of d closed and d's
 * lock held: forget the control block and the array, ports beyond
 * EVTCHN_NR_PORTS cease to exist (their buckets are kept for reuse).
 */
void evtchn_fifo_teardown_locked(struct evtchn_domain *d);

/*
 * FIFO set_pending for a port, for abi_2l.c's hand-over when the domain
 * switched to FIFO while a sender was setting a 2-level bit.
 */
enum evtchn_raise evtchn_fifo_raise(struct evtchn_domain *d, uint32_t port, unsigned *vcpu);
/* The same with d->fifo.lock held (expand_array's re-raise). */
enum evtchn_raise evtchn_fifo_raise_locked(struct evtchn_domain *d, uint32_t port,
					   unsigned *vcpu);

#endif
