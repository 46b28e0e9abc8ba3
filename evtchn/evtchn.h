/* SPDX-License-Identifier: MIT */
/*
 * Generic event-channel core: Xen's EVTCHNOP_* semantics over a per-domain
 * port table, with the guest-visible pending/mask bitmaps handled by an ABI
 * ops table (2-level, evtchn/abi_2l.c, or FIFO, evtchn/abi_fifo.c, chosen by
 * the guest as in Xen). Nothing here knows about VMX,
 * cores or bolt.cfg: the embedder provides storage, registers each domain
 * with its vCPUs, and says which domains may bind to each other
 * (evtchn_allow_bind). Each port notifies one vCPU of its domain (Xen's
 * notify_vcpu_id: vCPU 0 unless bound or moved elsewhere), whose vcpu_info
 * and, under FIFO, whose control block and queues receive the event. A raised event goes on to the
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

/* vCPUs per domain the event channels address (bind_*, bind_vcpu, init_control). */
#define EVTCHN_MAX_VCPUS 8

/* 2-level ABI with 64-bit words: 64 selector bits x 64 bits per word. */
#define EVTCHN_WORD_BITS (sizeof(xen_ulong_t) * 8)
#define EVTCHN_NR_PORTS (EVTCHN_WORD_BITS * EVTCHN_WORD_BITS)

/*
 * FIFO ABI: up to EVTCHN_FIFO_NR_CHANNELS (2^17) ports. The first
 * EVTCHN_NR_PORTS live in the caller's storage as under 2-level; the rest
 * in buckets of one event-array page's worth of ports, taken from the
 * embedder (evtchn_host.zalloc) as the guest adds array pages, so a
 * guest that never grows its array costs nothing more.
 */
#define EVTCHN_FIFO_WORDS_PER_PAGE (4096 / sizeof(event_word_t))
#define EVTCHN_BUCKET_PORTS EVTCHN_FIFO_WORDS_PER_PAGE
#define EVTCHN_NR_BUCKETS ((EVTCHN_FIFO_NR_CHANNELS - EVTCHN_NR_PORTS) / EVTCHN_BUCKET_PORTS)
/* Xen's EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES (128): pages to cover 2^17 words. */
#define EVTCHN_FIFO_ARRAY_PAGES_MAX (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_FIFO_WORDS_PER_PAGE)

enum evtchn_state {
	ECS_FREE,        /* may be allocated */
	ECS_RESERVED,    /* port 0: never allocated, never closed */
	ECS_UNBOUND,     /* waiting for remote_domid to bind_interdomain */
	ECS_INTERDOMAIN, /* connected to (remote_domid, remote_port) */
	ECS_VIRQ,        /* bound to virq on the vCPU of virq_port[vcpu][virq] */
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
	/*
	 * FIFO only, both under the domain's fifo.lock: the queue this port
	 * links into, and its pending state while no event-array page
	 * covers it (Xen's evtchn->pending; re-raised by expand_array).
	 */
	uint8_t priority;
	bool fifo_pending;
	/* The vCPU this port's events go to (Xen's notify_vcpu_id), < nr_vcpus. */
	uint8_t notify_vcpu;
	/*
	 * FIFO, under fifo.lock: the queue the port was last linked into,
	 * vcpu * 16 + priority (Xen's fifo_lastq): only that queue's tail can
	 * name the port. Survives the port being freed and reallocated (a
	 * stale tail may still name it); meaningless while no tail does.
	 */
	uint8_t fifo_lastq;
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

/*
 * set_pending, unmask and redeliver store in *vcpu the vCPU to notify (the
 * port's notify_vcpu as they read it, after the pending bit is set).
 */
struct evtchn_abi_ops {
	/* UPCALL: the upcall became pending (0 -> 1), *vcpu must be notified */
	enum evtchn_raise (*set_pending)(struct evtchn_domain *d, uint32_t port, unsigned *vcpu);
	void (*clear_pending)(struct evtchn_domain *d, uint32_t port);
	/* true: notify (a pending event became deliverable, upcall 0 -> 1) */
	bool (*unmask)(struct evtchn_domain *d, uint32_t port, unsigned *vcpu);
	/*
	 * The port's notify_vcpu just changed (bind_vcpu): if it is pending
	 * and unmasked (FIFO: and not linked), deliver it to the new vCPU.
	 * true: notify *vcpu.
	 */
	bool (*redeliver)(struct evtchn_domain *d, uint32_t port, unsigned *vcpu);
	bool (*is_pending)(const struct evtchn_domain *d, uint32_t port);
	bool (*is_masked)(const struct evtchn_domain *d, uint32_t port);
	/* NULL (2-level) or: the port is still in a guest-visible queue, not reusable. */
	bool (*is_busy)(const struct evtchn_domain *d, uint32_t port);
	/* The ABI's own port limit: new ports are allocated below it and d->nr_ports. */
	uint32_t nr_ports;
};

extern const struct evtchn_abi_ops evtchn_abi_2l;
/* The 2-level ABI over a 32-bit guest's shared_info (abi_2l_compat.c). */
extern const struct evtchn_abi_ops evtchn_abi_2l_compat;
extern const struct evtchn_abi_ops evtchn_abi_fifo;

/*
 * Use the 32-bit (compat) or the native 2-level layout for d's
 * shared_info, as core/shinfo_layout.c latches it; a domain on FIFO keeps
 * FIFO and goes back to the latched 2-level layout at a reset. Pending
 * state is not converted (Xen does not either).
 */
void evtchn_set_compat_layout(struct evtchn_domain *d, bool compat);
/* The 2-level ops for d's latched shared_info layout. */
const struct evtchn_abi_ops *evtchn_abi_2l_of(const struct evtchn_domain *d);

/*
 * What the FIFO ABI needs from the embedder: guest frames and memory. Both
 * are called with the domain's lock held.
 */
struct evtchn_host {
	/*
	 * Host address of guest frame gfn of the domain, a page of its own
	 * RAM it may read and write; NULL if gfn is anything else (a hole,
	 * MMIO, a hypervisor page). The page must stay valid (even if the
	 * guest later gives the frame back) for as long as the domain exists:
	 * the event words and the control block are reached through it.
	 */
	void *(*map_frame)(void *ctx, uint64_t gfn);
	/* Zeroed memory, never freed (port buckets, reused after a reset); NULL if none. */
	void *(*zalloc)(void *ctx, size_t bytes);
};

/* One vCPU's FIFO control block and queues (Xen's struct evtchn_fifo_vcpu). */
struct evtchn_fifo_vcpu {
	struct evtchn_fifo_control_block *cb; /* in guest RAM; NULL: no init_control yet */
	uint32_t tail[EVTCHN_FIFO_MAX_QUEUES]; /* last port linked per queue, 0 none */
};

/* FIFO state of a domain: the event array, and per vCPU its queues. */
struct evtchn_fifo {
	/*
	 * Guards every vCPU's queue tails and control block pointer, the
	 * event-array mapping, every port's priority / fifo_pending /
	 * fifo_lastq, and the link protocol on the guest-shared words (Xen
	 * has a lock per queue; one per domain lets a link touch the queue
	 * it leaves and the one it joins, on two vCPUs, without lock order).
	 * Innermost lock: taken under the domain lock or a sender's.
	 */
	struct spinlock lock;
	struct evtchn_fifo_vcpu vcpu[EVTCHN_MAX_VCPUS];
	uint32_t nr_words;                    /* ports with an event word */
	event_word_t *array[EVTCHN_FIFO_ARRAY_PAGES_MAX];
};

struct evtchn_domain {
	uint16_t domid;
	struct spinlock lock;         /* guards ports[] and virq_port[] */
	struct shared_info *shinfo;   /* hypervisor-owned page the guest maps */
	/*
	 * vCPU i's vcpu_info: &shinfo->vcpu_info[i] until the guest moves it
	 * with VCPUOP_register_vcpu_info (core/vcpu_info.c, which also
	 * resets it, both through evtchn_set_vcpu_info). Written by the
	 * receiver's CPU, read by senders on any CPU: accessed atomically
	 * (release store, acquire load).
	 */
	struct vcpu_info *vcpu_info[EVTCHN_MAX_VCPUS];
	struct evtchn_port *ports;    /* EVTCHN_NR_PORTS entries, caller storage */
	/* Ports that exist: EVTCHN_NR_PORTS, more under FIFO (changed under lock). */
	uint32_t nr_ports;
	/* Cap on nr_ports (Xen's max_event_channels), evtchn_domain_set_max_ports. */
	uint32_t max_ports;
	struct evtchn_port *bucket[EVTCHN_NR_BUCKETS]; /* ports >= EVTCHN_NR_PORTS */
	const struct evtchn_host *host;
	void *host_ctx;
	struct evtchn_fifo fifo;
	/*
	 * Port bound to (vcpu, virq), 0 = unbound. A global VIRQ binds on
	 * vCPU 0 only and stays in row 0 when bind_vcpu moves its port.
	 */
	uint32_t virq_port[EVTCHN_MAX_VCPUS][NR_VIRQS];
	enum evtchn_delivery delivery; /* default for new ports */
	const struct evtchn_abi_ops *abi;
	bool compat_layout;           /* shared_info latched to the 32-bit layout */
	/* vCPU i receives the events of ports with notify_vcpu i (sched_notify). */
	struct vcpu *vcpus[EVTCHN_MAX_VCPUS];
	unsigned nr_vcpus;            /* 1..EVTCHN_MAX_VCPUS, fixed at init */
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
 * d under domid (1..EVTCHN_MAX_DOMAINS) with vcpus[0..nr_vcpus-1] as its
 * vCPUs (vCPU i's vcpu_info starts at &shinfo->vcpu_info[i]); -XEN_EINVAL
 * for a domid out of range or nr_vcpus 0 or above EVTCHN_MAX_VCPUS.
 */
int evtchn_domain_init(struct evtchn_domain *d, uint16_t domid, struct shared_info *shinfo,
		       struct evtchn_port *ports, enum evtchn_delivery delivery,
		       struct vcpu *const *vcpus, unsigned nr_vcpus);

/*
 * Where vCPU vcpu's vcpu_info is now (VCPUOP_register_vcpu_info), or NULL
 * for its slot in shared_info again (a reset). Release store: a sender
 * that loads the new pointer sees what was copied there before. Ignored
 * for a vcpu >= d->nr_vcpus.
 */
void evtchn_set_vcpu_info(struct evtchn_domain *d, unsigned vcpu, struct vcpu_info *vi);

/*
 * The FIFO ABI needs guest frames and memory from the embedder; without a
 * host (or one whose map_frame refuses) init_control answers -XEN_EINVAL.
 * Kept by evtchn_domain_init? No: call it after every evtchn_domain_init.
 */
void evtchn_domain_set_host(struct evtchn_domain *d, const struct evtchn_host *h, void *ctx);

/*
 * Xen's max_event_channels: at most n ports (0..n-1) ever exist in d,
 * whatever the ABI; 2-level keeps min(n, EVTCHN_NR_PORTS), FIFO grows up
 * to n (port buckets come from the embedder only below it), and a port
 * allocation or an expand_array past it is -XEN_ENOSPC. n is clamped to
 * 1..EVTCHN_FIFO_NR_CHANNELS (the default). Call it after every
 * evtchn_domain_init(), before the domain runs.
 */
void evtchn_domain_set_max_ports(struct evtchn_domain *d, uint32_t n);

/* Port storage of an existing port (< d->nr_ports). */
static inline struct evtchn_port *evtchn_port_of(struct evtchn_domain *d, uint32_t port)
{
	if (__builtin_expect(port < EVTCHN_NR_PORTS, 1))
		return &d->ports[port];
	port -= EVTCHN_NR_PORTS;
	return &d->bucket[port / EVTCHN_BUCKET_PORTS][port % EVTCHN_BUCKET_PORTS];
}

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
/* FIFO ABI (evtchn/fifo_ctl.c), Xen's checks and errors. */
int evtchn_op_init_control(struct evtchn_domain *d, struct evtchn_init_control *op);
int evtchn_op_expand_array(struct evtchn_domain *d, struct evtchn_expand_array *op);
int evtchn_op_set_priority(struct evtchn_domain *d, struct evtchn_set_priority *op);

/* Size of EVTCHNOP_<cmd>'s argument struct; 0 if cmd is unknown. */
size_t evtchn_op_arg_size(int cmd);
/* True if the command writes OUT fields that must be copied back. */
bool evtchn_op_has_output(int cmd);
/* Dispatch one command; pirq and unknown commands: -XEN_ENOSYS. */
int evtchn_op(struct evtchn_domain *d, int cmd, void *arg);

/*
 * Raise a VIRQ bound on vCPU 0 (the global ones, VIRQ_DOM_EXC, and vCPU
 * 0's per-vCPU ones) in d; the port's notify vCPU receives it (a global
 * VIRQ may have been moved by bind_vcpu). -XEN_EINVAL for a bad virq,
 * -XEN_ENOENT if the guest has not bound it (the event is dropped, as in
 * Xen; callers normally ignore that).
 */
int evtchn_raise_virq(struct evtchn_domain *d, uint32_t virq);
/*
 * Raise a per-vCPU VIRQ (VIRQ_TIMER, VIRQ_DEBUG) bound on vcpu, as Xen's
 * send_guest_vcpu_virq; -XEN_EINVAL for a bad virq or a vcpu >=
 * d->nr_vcpus, -XEN_ENOENT if not bound there.
 */
int evtchn_raise_virq_vcpu(struct evtchn_domain *d, unsigned vcpu, uint32_t virq);

/*
 * Pre-bind a static channel at boot: a:port_a <-> b:port_b, both ends
 * INTERDOMAIN and is_static. Each end must be FREE, or UNBOUND waiting for
 * the other domain (re-binding after that guest was restarted).
 */
int evtchn_bind_static(struct evtchn_domain *a, uint32_t port_a, struct evtchn_domain *b,
		       uint32_t port_b, enum evtchn_delivery how, bool trace);

/*
 * A static channel whose other end binds at run time (bolt.cfg `b = GUEST`
 * without a port): d:port becomes UNBOUND, offered to domain remote, as if d
 * had called alloc_unbound for exactly that port. remote connects with
 * EVTCHNOP_bind_interdomain (Linux's /dev/xen/evtchn does). The port must
 * be FREE, or already UNBOUND toward remote.
 */
int evtchn_offer_static(struct evtchn_domain *d, uint32_t port, uint16_t remote,
			enum evtchn_delivery how, bool trace);

/*
 * Guest stop/restart: close every port of d. Each interdomain peer end goes
 * back to UNBOUND waiting for d's domid, and the peer gets VIRQ_DOM_EXC.
 * A FIFO domain goes back to the 2-level ABI, as a new Xen domain starts.
 */
void evtchn_domain_close_all(struct evtchn_domain *d);

/* Snapshot of one port (taken under the lock); -XEN_EINVAL if out of range. */
int evtchn_port_get(struct evtchn_domain *d, uint32_t port, struct evtchn_port *out);
/* 1 pending, 0 not, -XEN_EINVAL out of range (for SCHEDOP_poll). */
int evtchn_port_pending(struct evtchn_domain *d, uint32_t port);
/* Change how an allocated port's receiver is notified; -XEN_EINVAL if FREE. */
int evtchn_port_set_delivery(struct evtchn_domain *d, uint32_t port, enum evtchn_delivery how);

#endif
