/* SPDX-License-Identifier: MIT */
/*
 * Generic event-channel core: Xen's EVTCHNOP_* semantics over a per-domain
 * port table, with the guest-visible pending/mask bitmaps handled by an ABI
 * ops table (2-level now, FIFO could follow). Nothing here knows about VMX,
 * cores or bolt.cfg: the embedder provides storage, registers each domain
 * with the vCPU that receives its events, and says which domains may bind
 * to each other (evtchn_allow_bind). A raised event goes on to the
 * scheduler's delivery policy (sched_notify in sched/notify.h): the path
 * runs one way, arch -> core -> evtchn -> sched -> arch.
 *
 * The arch hypercall handler copies the EVTCHNOP_* argument struct in
 * (evtchn_op_arg_size()), calls evtchn_op(), and copies it back out for the
 * commands that return values (evtchn_op_has_output()).
 */
#ifndef EVTCHN_EVTCHN_H
#define EVTCHN_EVTCHN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "core/spinlock.h"

/* 2-level ABI with 64-bit words: 64 selector bits x 64 bits per word. */
#define EVTCHN_WORD_BITS (sizeof(xen_ulong_t) * 8)
#define EVTCHN_NR_PORTS (EVTCHN_WORD_BITS * EVTCHN_WORD_BITS)

enum evtchn_state {
	ECS_FREE,        /* may be allocated */
	ECS_RESERVED,    /* port 0: never allocated, never closed */
	ECS_UNBOUND,     /* waiting for remote_domid to bind_interdomain */
	ECS_INTERDOMAIN, /* connected to (remote_domid, remote_port) */
	ECS_VIRQ,        /* bound to virq on vCPU 0 */
	ECS_IPI,         /* loops back to the owning domain */
};

/* How a receiver is told that an upcall became pending. */
enum evtchn_delivery {
	EVTCHN_DELIVERY_IMMEDIATE, /* kick the receiver's core now */
	EVTCHN_DELIVERY_LAZY,      /* pending bit only: seen at the next tick */
};

struct evtchn_port {
	uint8_t state;    /* enum evtchn_state */
	uint8_t delivery; /* enum evtchn_delivery used when this end receives */
	bool trace;       /* embedder logs sends on this channel */
	bool is_static;   /* pre-bound from bolt.cfg at boot */
	uint16_t virq;    /* ECS_VIRQ */
	uint16_t remote_domid; /* ECS_UNBOUND (who may bind) / ECS_INTERDOMAIN */
	uint32_t remote_port;  /* ECS_INTERDOMAIN */
};

struct evtchn_domain;
struct vcpu;

/* Xen-style ops table for the guest-visible event ABI. */
/* What raising a port did (Xen: set_pending, then check the pollers). */
enum evtchn_raise {
	EVTCHN_RAISED_NONE,   /* already pending: the guest has not consumed the last one */
	EVTCHN_RAISED_QUIET,  /* newly pending, no new upcall (masked, or one already pending) */
	EVTCHN_RAISED_UPCALL, /* the vCPU's upcall became pending: notify it */
};

struct evtchn_abi_ops {
	/* true: the upcall became pending (0 -> 1), the vCPU must be notified */
	enum evtchn_raise (*set_pending)(struct evtchn_domain *d, uint32_t port);
	void (*clear_pending)(struct evtchn_domain *d, uint32_t port);
	/* true: notify (a pending event became deliverable, upcall 0 -> 1) */
	bool (*unmask)(struct evtchn_domain *d, uint32_t port);
	bool (*is_pending)(const struct evtchn_domain *d, uint32_t port);
	bool (*is_masked)(const struct evtchn_domain *d, uint32_t port);
};

extern const struct evtchn_abi_ops evtchn_abi_2l;

struct evtchn_domain {
	uint16_t domid;
	struct spinlock lock;         /* guards ports[] and virq_port[] */
	struct shared_info *shinfo;   /* hypervisor-owned page the guest maps */
	/*
	 * vCPU 0's vcpu_info: &shinfo->vcpu_info[0] until the guest moves it
	 * with VCPUOP_register_vcpu_info (core/vcpu_info.c, which also
	 * resets it). Written by the receiver's CPU, read by senders on any
	 * CPU: accessed atomically (release store, acquire load).
	 */
	struct vcpu_info *vcpu_info;
	struct evtchn_port *ports;    /* EVTCHN_NR_PORTS entries, caller storage */
	uint32_t virq_port[NR_VIRQS]; /* 0 = unbound */
	enum evtchn_delivery delivery; /* default for new ports */
	const struct evtchn_abi_ops *abi;
	struct vcpu *vcpu;            /* receives this domain's events (sched_notify) */
};

#define EVTCHN_MAX_DOMAINS 64 /* domids 1..64 */

/*
 * The domain with this domid, NULL if none was initialised. Domains are
 * registered by evtchn_domain_init() and never go away (Bolt's guests are
 * static; a restart closes ports, it does not free the domain).
 */
struct evtchn_domain *evtchn_domain_lookup(uint16_t domid);
/*
 * Access control (bolt.cfg [allow] and [channel]): a and b may bind
 * interdomain channels to each other. A domain may always bind to itself.
 * evtchn_domain_init() forgets every permission of the domain it
 * initialises; the embedder grants them afterwards.
 */
void evtchn_allow_bind(uint16_t domid_a, uint16_t domid_b);
bool evtchn_may_bind(uint16_t domid_a, uint16_t domid_b);

/*
 * Resets every port (port 0 RESERVED), uses the 2-level ABI and registers
 * d under domid (1..EVTCHN_MAX_DOMAINS) with v as the vCPU its events go
 * to; -XEN_EINVAL for a domid out of range.
 */
int evtchn_domain_init(struct evtchn_domain *d, uint16_t domid, struct shared_info *shinfo,
		       struct evtchn_port *ports, enum evtchn_delivery delivery, struct vcpu *v);

/* EVTCHNOP_* with the structs of xen/event_channel.h; 0 or -XEN_E*. */
int evtchn_op_alloc_unbound(struct evtchn_domain *d, struct evtchn_alloc_unbound *op);
int evtchn_op_bind_interdomain(struct evtchn_domain *d, struct evtchn_bind_interdomain *op);
int evtchn_op_bind_virq(struct evtchn_domain *d, struct evtchn_bind_virq *op);
int evtchn_op_bind_ipi(struct evtchn_domain *d, struct evtchn_bind_ipi *op);
int evtchn_op_send(struct evtchn_domain *d, uint32_t port);
int evtchn_op_close(struct evtchn_domain *d, uint32_t port);
int evtchn_op_status(struct evtchn_domain *d, struct evtchn_status *op);
int evtchn_op_unmask(struct evtchn_domain *d, uint32_t port);
int evtchn_op_bind_vcpu(struct evtchn_domain *d, struct evtchn_bind_vcpu *op);
int evtchn_op_reset(struct evtchn_domain *d, struct evtchn_reset *op);

/* Size of EVTCHNOP_<cmd>'s argument struct; 0 if cmd is unknown. */
size_t evtchn_op_arg_size(int cmd);
/* True if the command writes OUT fields that must be copied back. */
bool evtchn_op_has_output(int cmd);
/* Dispatch one command; FIFO, pirq and unknown commands: -XEN_ENOSYS. */
int evtchn_op(struct evtchn_domain *d, int cmd, void *arg);

/*
 * Raise a VIRQ (VIRQ_TIMER, VIRQ_DOM_EXC) in d. -XEN_EINVAL for a bad virq,
 * -XEN_ENOENT if the guest has not bound it (the event is dropped, as in
 * Xen; callers normally ignore that).
 */
int evtchn_raise_virq(struct evtchn_domain *d, uint32_t virq);

/*
 * Pre-bind a static channel at boot: a:port_a <-> b:port_b, both ends
 * INTERDOMAIN and is_static. Each end must be FREE, or UNBOUND waiting for
 * the other domain (re-binding after that guest was restarted).
 */
int evtchn_bind_static(struct evtchn_domain *a, uint32_t port_a, struct evtchn_domain *b,
		       uint32_t port_b, enum evtchn_delivery how, bool trace);

/*
 * Guest stop/restart: close every port of d. Each interdomain peer end goes
 * back to UNBOUND waiting for d's domid, and the peer gets VIRQ_DOM_EXC.
 */
void evtchn_domain_close_all(struct evtchn_domain *d);

/* Snapshot of one port (taken under the lock); -XEN_EINVAL if out of range. */
int evtchn_port_get(struct evtchn_domain *d, uint32_t port, struct evtchn_port *out);
/* 1 pending, 0 not, -XEN_EINVAL out of range (for SCHEDOP_poll). */
int evtchn_port_pending(struct evtchn_domain *d, uint32_t port);
/* Change how an allocated port's receiver is notified; -XEN_EINVAL if FREE. */
int evtchn_port_set_delivery(struct evtchn_domain *d, uint32_t port, enum evtchn_delivery how);

#endif
