/* SPDX-License-Identifier: MIT */
/*
 * Guest SDK: a lossless single-producer single-consumer message ring in a
 * shared memory region, with an event channel as its doorbell (the idea of
 * Xen's vchan). One guest sends, the other receives; both map the same
 * [shm] region (bolt_shm_find) and own one end of the same [channel].
 *
 * Layout of the region (shared by both guests, so it is ABI between them):
 *   bytes [0, 256)       struct bolt_ring_shared: geometry, then the
 *                        producer's and the consumer's cache lines
 *   bytes [256, 256+N)   the data area, N = the largest power of two that
 *                        fits (a 64 KiB region gives 32 KiB)
 * Messages are records: an 8-byte header {length, kind} and the payload,
 * padded to 8 bytes. A record never wraps: when it does not fit before the
 * end of the data area, a padding record fills the tail and the message
 * starts again at offset 0. The indices are free-running byte counts.
 *
 * Ordering: the producer writes the record, then release-stores prod; the
 * consumer acquire-loads prod, copies the record out, then release-stores
 * cons. Notification: a side that must wait sets its "waiting" flag, does a
 * full barrier and looks at the indices again before sleeping; the other
 * side, after moving its index, does a full barrier and sends an event only
 * if the flag is set (clearing it). So no wake-up is lost, and a busy ring
 * costs no events at all. The producer, when the ring is full, asks to be
 * woken only once half the ring is free, so refills come in batches.
 *
 * Not locked: one producer and one consumer, each a single thread of its
 * guest. Everything read from the peer is bounds-checked, so a corrupt or
 * hostile peer gets -XEN_EIO, never an out-of-bounds access.
 */
#ifndef BOLT_GUEST_SDK_RING_H
#define BOLT_GUEST_SDK_RING_H

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

#define BOLT_RING_MAGIC 0x474e4952544c4f42ull /* "BOLTRING" */
#define BOLT_RING_CACHE_LINE 64u
#define BOLT_RING_HDR_SIZE 256u
/* Smallest data area: a few records of a few bytes. */
#define BOLT_RING_MIN_DATA 64u
/* Record header: length, then kind. */
#define BOLT_RING_REC_HDR 8u

/*
 * The start of the shared region. Each line is written by one side only
 * (except that the side which wakes a waiter clears its flag), so the two
 * guests do not bounce a cache line per message.
 */
struct bolt_ring_shared {
	/* Line 0: written by the producer's bolt_ring_init, then read-only. */
	uint64_t magic;     /* BOLT_RING_MAGIC once the producer is set up */
	uint64_t data_size; /* bytes in the data area */
	uint8_t pad0[BOLT_RING_CACHE_LINE - 16];
	/* Line 1: the producer's. */
	uint64_t prod;         /* bytes ever written (records and padding) */
	uint64_t prod_want;    /* wake the producer once cons reaches this */
	uint32_t prod_waiting; /* 1: the producer sleeps until prod_want */
	uint8_t pad1[BOLT_RING_CACHE_LINE - 20];
	/* Line 2: the consumer's. */
	uint64_t cons;         /* bytes ever consumed */
	uint32_t cons_waiting; /* 1: the consumer sleeps until prod moves */
	uint8_t pad2[BOLT_RING_CACHE_LINE - 12];
	uint8_t pad3[BOLT_RING_HDR_SIZE - 3 * BOLT_RING_CACHE_LINE];
};

_Static_assert(sizeof(struct bolt_ring_shared) == BOLT_RING_HDR_SIZE, "ring header size");

/* Per-side counters, for tests and benchmarks. */
struct bolt_ring_stats {
	uint64_t msgs;     /* messages sent or received */
	uint64_t bytes;    /* their payload bytes */
	uint64_t notifies; /* events sent to wake the peer */
	uint64_t waits;    /* times this side went to sleep on the event */
	uint64_t notify_errors; /* failed EVTCHNOP_send (the peer may sleep on) */
	long last_notify_error; /* the last such error, 0 if none */
};

/* One side's private state (not in shared memory). */
struct bolt_ring {
	struct bolt_ring_shared *sh;
	uint8_t *data;
	uint64_t size; /* data area bytes, a power of two */
	uint64_t pos;  /* our index: prod for the producer, cons for the consumer */
	evtchn_port_t port;
	bool producer;
	struct bolt_ring_stats stats;
};

/*
 * Attach to the ring in shm[0, size) (8-byte aligned, at least
 * BOLT_RING_HDR_SIZE + BOLT_RING_MIN_DATA bytes), signalling on the local
 * event-channel port. The region must start zeroed (Bolt zeroes [shm]
 * regions at boot), so either side may attach first. The producer writes
 * the geometry; either side fails with -XEN_EINVAL when the geometry
 * already there disagrees with its own (a region of another size, or not
 * a ring). Returns 0 or -XEN_EINVAL.
 */
int bolt_ring_init(struct bolt_ring *r, void *shm, size_t size, evtchn_port_t port,
		   bool producer);

/* Largest message this ring carries: half the data area less a header. */
size_t bolt_ring_max_msg(const struct bolt_ring *r);

/* Bytes in the ring not yet consumed (records and padding). */
uint64_t bolt_ring_used(const struct bolt_ring *r);

/*
 * Send one message of len bytes (0 allowed). try_send never blocks:
 * -XEN_EAGAIN when there is no room. send blocks until there is;
 * send_timeout gives up after timeout_ns (0: never) with -XEN_ETIMEDOUT.
 * Also -XEN_EINVAL (consumer side, msg NULL with len), -XEN_EMSGSIZE (len
 * above bolt_ring_max_msg) or -XEN_EIO (the consumer's index is corrupt).
 * A failed notifying EVTCHNOP_send does not fail the call (the message is
 * in the ring): it is counted in stats.notify_errors for the caller to check.
 */
int bolt_ring_try_send(struct bolt_ring *r, const void *msg, size_t len);
int bolt_ring_send(struct bolt_ring *r, const void *msg, size_t len);
int bolt_ring_send_timeout(struct bolt_ring *r, const void *msg, size_t len, uint64_t timeout_ns);

/*
 * Receive one message into buf[0, max): its length. try_recv never blocks:
 * -XEN_EAGAIN when the ring is empty. recv blocks until a message comes;
 * recv_timeout gives up after timeout_ns (0: never) with -XEN_ETIMEDOUT.
 * Also -XEN_E2BIG (the message is longer than max; it stays in the ring),
 * -XEN_EINVAL (producer side, buf NULL with max), -XEN_EIO (a corrupt
 * index or record: the ring cannot be trusted any more). Notification
 * errors are counted as for sending.
 */
long bolt_ring_try_recv(struct bolt_ring *r, void *buf, size_t max);
long bolt_ring_recv(struct bolt_ring *r, void *buf, size_t max);
long bolt_ring_recv_timeout(struct bolt_ring *r, void *buf, size_t max, uint64_t timeout_ns);

#endif
