/* SPDX-License-Identifier: MIT */
/*
 * The lossless message ring (ring.h has the layout and the protocol).
 * Only this file touches the shared header; every index and record header
 * read from it is validated before use, because the peer is another guest.
 * The host unit test includes this file and stands in for the event-channel
 * calls, so it uses nothing of the SDK but bolt_evtchn_send/_wait/_poll and
 * bolt_now_ns.
 */
#include <string.h>

#include <bolt/sdk/base.h>
#include "lib/macros.h"
#include <bolt/sdk/evtchn.h>
#include <bolt/sdk/ring.h>

#define RING_REC_MSG 0x4753454du /* "MESG" */
#define RING_REC_PAD 0x44444150u /* "PADD" */
#define RING_ALIGN 8u

/*
 * The full barrier between one side's store (its index, or its "waiting"
 * flag) and its load of the other side's: the pair of them is what makes
 * a lost wake-up impossible. The unit test wraps it to play the peer at
 * exactly this point.
 */
#ifndef RING_FULL_BARRIER
#define RING_FULL_BARRIER() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

struct ring_rec {
	uint32_t len;
	uint32_t kind;
};

_Static_assert(sizeof(struct ring_rec) == BOLT_RING_REC_HDR, "record header size");

static uint64_t ring_rec_size(uint64_t len)
{
	return BOLT_RING_REC_HDR + ALIGN_UP(len, RING_ALIGN);
}

/* Largest power of two <= n (n > 0). */
static uint64_t ring_pow2_floor(uint64_t n)
{
	return 1ull << (63 - __builtin_clzll(n));
}

/*
 * Ring the peer's doorbell. A failure does not undo the message: it is
 * counted, and the peer will still see the data the next time it looks.
 */
static void ring_notify(struct bolt_ring *r)
{
	long ret = bolt_evtchn_send(r->port);

	if (ret < 0) {
		r->stats.notify_errors++;
		r->stats.last_notify_error = ret;
	} else {
		r->stats.notifies++;
	}
}

/*
 * Sleep until our port is pending (the pending bit is consumed). deadline
 * 0: no limit. Returns 0 (woken, maybe spuriously), -XEN_ETIMEDOUT, or
 * the poll's error.
 */
static int ring_sleep(struct bolt_ring *r, uint64_t deadline)
{
	uint64_t now;
	int ret;

	r->stats.waits++;
	if (!deadline) {
		bolt_evtchn_wait(r->port);
		return 0;
	}
	now = bolt_now_ns();
	if (now >= deadline)
		return -XEN_ETIMEDOUT;
	ret = bolt_evtchn_poll(&r->port, 1, deadline - now);
	if (ret == -1)
		return -XEN_ETIMEDOUT;
	return ret < 0 ? ret : 0;
}

static uint64_t ring_deadline(uint64_t timeout_ns)
{
	uint64_t d;

	if (!timeout_ns)
		return 0;
	d = bolt_now_ns() + timeout_ns;
	return d ? d : 1;
}

int bolt_ring_init(struct bolt_ring *r, void *shm, size_t size, evtchn_port_t port,
		   bool producer)
{
	struct bolt_ring_shared *sh = shm;
	uint64_t data_size, magic, prod, cons;

	if (!r || !shm || !IS_ALIGNED((uintptr_t)shm, RING_ALIGN) ||
	    size < BOLT_RING_HDR_SIZE + BOLT_RING_MIN_DATA)
		return -XEN_EINVAL;
	data_size = ring_pow2_floor(size - BOLT_RING_HDR_SIZE);
	magic = __atomic_load_n(&sh->magic, __ATOMIC_ACQUIRE);
	if (magic) {
		/* Attached before (or by the peer): it must be this very ring. */
		if (magic != BOLT_RING_MAGIC ||
		    __atomic_load_n(&sh->data_size, __ATOMIC_RELAXED) != data_size)
			return -XEN_EINVAL;
	} else if (producer) {
		__atomic_store_n(&sh->data_size, data_size, __ATOMIC_RELAXED);
		__atomic_store_n(&sh->magic, BOLT_RING_MAGIC, __ATOMIC_RELEASE);
	}
	/* Take up where the indices are: zero on a fresh region. */
	prod = __atomic_load_n(&sh->prod, __ATOMIC_ACQUIRE);
	cons = __atomic_load_n(&sh->cons, __ATOMIC_ACQUIRE);
	if (prod - cons > data_size || !IS_ALIGNED(prod | cons, RING_ALIGN))
		return -XEN_EIO;
	memset(r, 0, sizeof(*r));
	r->sh = sh;
	r->data = (uint8_t *)shm + BOLT_RING_HDR_SIZE;
	r->size = data_size;
	r->pos = producer ? prod : cons;
	r->port = port;
	r->producer = producer;
	return 0;
}

size_t bolt_ring_max_msg(const struct bolt_ring *r)
{
	/*
	 * A record of at most half the area always fits once the ring is
	 * empty: either before the end of the area or, after padding, at its
	 * start. A bigger one could wait forever at an unlucky offset.
	 */
	return (size_t)(r->size / 2 - BOLT_RING_REC_HDR);
}

uint64_t bolt_ring_used(const struct bolt_ring *r)
{
	return __atomic_load_n(&r->sh->prod, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(&r->sh->cons, __ATOMIC_ACQUIRE);
}

/* --- Producer --------------------------------------------------------------- */

static void ring_put_rec(struct bolt_ring *r, uint64_t off, uint32_t len, uint32_t kind)
{
	struct ring_rec h = { .len = len, .kind = kind };

	memcpy(r->data + off, &h, sizeof(h));
}

/* The consumer sleeps on an empty ring: wake it now that prod moved. */
static void ring_wake_consumer(struct bolt_ring *r)
{
	/* Our prod store before its flag load (it does the mirror image). */
	RING_FULL_BARRIER();
	if (__atomic_load_n(&r->sh->cons_waiting, __ATOMIC_RELAXED) &&
	    __atomic_exchange_n(&r->sh->cons_waiting, 0, __ATOMIC_SEQ_CST))
		ring_notify(r);
}

static int ring_send_check(const struct bolt_ring *r, const void *msg, size_t len)
{
	if (!r->producer || (len && !msg))
		return -XEN_EINVAL;
	if (len > bolt_ring_max_msg(r))
		return -XEN_EMSGSIZE;
	return 0;
}

/* try_send after the argument checks; *need: bytes the record takes here. */
static int ring_put(struct bolt_ring *r, const void *msg, size_t len, uint64_t *need)
{
	uint64_t cons = __atomic_load_n(&r->sh->cons, __ATOMIC_ACQUIRE);
	uint64_t used = r->pos - cons;
	uint64_t off = r->pos & (r->size - 1);
	uint64_t tail = r->size - off;
	uint64_t rec = ring_rec_size(len);

	if (used > r->size || !IS_ALIGNED(cons, RING_ALIGN))
		return -XEN_EIO;
	/* A record never wraps: pad out the tail and start at offset 0. */
	*need = rec <= tail ? rec : tail + rec;
	if (r->size - used < *need)
		return -XEN_EAGAIN;
	if (rec > tail) {
		ring_put_rec(r, off, 0, RING_REC_PAD);
		r->pos += tail;
		off = 0;
	}
	ring_put_rec(r, off, (uint32_t)len, RING_REC_MSG);
	if (len)
		memcpy(r->data + off + BOLT_RING_REC_HDR, msg, len);
	r->pos += rec;
	/* Publish record (and padding) at once: release orders the copies first. */
	__atomic_store_n(&r->sh->prod, r->pos, __ATOMIC_RELEASE);
	r->stats.msgs++;
	r->stats.bytes += len;
	ring_wake_consumer(r);
	return 0;
}

int bolt_ring_try_send(struct bolt_ring *r, const void *msg, size_t len)
{
	uint64_t need;
	int ret = ring_send_check(r, msg, len);

	return ret ? ret : ring_put(r, msg, len, &need);
}

int bolt_ring_send_timeout(struct bolt_ring *r, const void *msg, size_t len, uint64_t timeout_ns)
{
	uint64_t need, want, deadline = ring_deadline(timeout_ns);
	bool timed_out = false;
	int ret = ring_send_check(r, msg, len);

	if (ret)
		return ret;
	for (;;) {
		ret = ring_put(r, msg, len, &need);
		if (ret != -XEN_EAGAIN)
			return ret;
		if (timed_out)
			return -XEN_ETIMEDOUT;
		/*
		 * Full. Ask to be woken once half the ring (at least `need`)
		 * is free, so that we refill in batches instead of taking an
		 * event per message. want is written before the flag, which the
		 * consumer reads with acquire.
		 */
		want = r->pos + MAX(need, r->size / 2) - r->size;
		__atomic_store_n(&r->sh->prod_want, want, __ATOMIC_RELAXED);
		__atomic_store_n(&r->sh->prod_waiting, 1, __ATOMIC_RELEASE);
		RING_FULL_BARRIER();
		/* Recheck after the flag: a consumer that missed it moved cons. */
		ret = 0;
		if ((int64_t)(__atomic_load_n(&r->sh->cons, __ATOMIC_ACQUIRE) - want) < 0)
			ret = ring_sleep(r, deadline);
		__atomic_store_n(&r->sh->prod_waiting, 0, __ATOMIC_RELAXED);
		if (ret == -XEN_ETIMEDOUT)
			timed_out = true; /* one last try */
		else if (ret < 0)
			return ret;
	}
}

int bolt_ring_send(struct bolt_ring *r, const void *msg, size_t len)
{
	return bolt_ring_send_timeout(r, msg, len, 0);
}

/* --- Consumer --------------------------------------------------------------- */

/* The producer sleeps on a full ring: wake it once cons reached its mark. */
static void ring_wake_producer(struct bolt_ring *r)
{
	uint64_t want;

	RING_FULL_BARRIER();
	if (!__atomic_load_n(&r->sh->prod_waiting, __ATOMIC_ACQUIRE))
		return;
	want = __atomic_load_n(&r->sh->prod_want, __ATOMIC_RELAXED);
	if ((int64_t)(r->pos - want) >= 0 &&
	    __atomic_exchange_n(&r->sh->prod_waiting, 0, __ATOMIC_SEQ_CST))
		ring_notify(r);
}

static int ring_recv_check(const struct bolt_ring *r, const void *buf, size_t max)
{
	return r->producer || (max && !buf) ? -XEN_EINVAL : 0;
}

/* try_recv after the argument checks. */
static long ring_get(struct bolt_ring *r, void *buf, size_t max)
{
	uint64_t prod = __atomic_load_n(&r->sh->prod, __ATOMIC_ACQUIRE);
	uint64_t pos = r->pos, avail = prod - pos;
	uint64_t off = pos & (r->size - 1), rec;
	struct ring_rec h;

	if (!avail)
		return -XEN_EAGAIN;
	if (avail > r->size || !IS_ALIGNED(prod, RING_ALIGN))
		return -XEN_EIO;
	/* Copy the header out once: the peer could change it under us. */
	memcpy(&h, r->data + off, sizeof(h));
	if (h.kind == RING_REC_PAD) {
		uint64_t tail = r->size - off;

		/* Padding runs to the end of the area and a record follows it. */
		if (h.len != 0 || tail >= avail)
			return -XEN_EIO;
		pos += tail;
		avail -= tail;
		off = 0;
		memcpy(&h, r->data, sizeof(h));
	}
	if (h.kind != RING_REC_MSG || h.len > bolt_ring_max_msg(r))
		return -XEN_EIO;
	rec = ring_rec_size(h.len);
	if (rec > avail || off + rec > r->size)
		return -XEN_EIO;
	if (h.len > max)
		return -XEN_E2BIG; /* left in the ring (padding too) for a bigger buffer */
	if (h.len)
		memcpy(buf, r->data + off + BOLT_RING_REC_HDR, h.len);
	r->pos = pos + rec;
	/* Release: our copy is done before the producer may reuse the space. */
	__atomic_store_n(&r->sh->cons, r->pos, __ATOMIC_RELEASE);
	r->stats.msgs++;
	r->stats.bytes += h.len;
	ring_wake_producer(r);
	return (long)h.len;
}

long bolt_ring_try_recv(struct bolt_ring *r, void *buf, size_t max)
{
	int ret = ring_recv_check(r, buf, max);

	return ret ? ret : ring_get(r, buf, max);
}

long bolt_ring_recv_timeout(struct bolt_ring *r, void *buf, size_t max, uint64_t timeout_ns)
{
	uint64_t deadline = ring_deadline(timeout_ns);
	bool timed_out = false;
	long ret = ring_recv_check(r, buf, max);

	if (ret)
		return ret;
	for (;;) {
		ret = ring_get(r, buf, max);
		if (ret != -XEN_EAGAIN)
			return ret;
		if (timed_out)
			return -XEN_ETIMEDOUT;
		/* Empty: announce that we sleep, then look once more. */
		__atomic_store_n(&r->sh->cons_waiting, 1, __ATOMIC_RELAXED);
		RING_FULL_BARRIER();
		ret = 0;
		if (__atomic_load_n(&r->sh->prod, __ATOMIC_ACQUIRE) == r->pos)
			ret = ring_sleep(r, deadline);
		__atomic_store_n(&r->sh->cons_waiting, 0, __ATOMIC_RELAXED);
		if (ret == -XEN_ETIMEDOUT)
			timed_out = true;
		else if (ret < 0)
			return ret;
	}
}

long bolt_ring_recv(struct bolt_ring *r, void *buf, size_t max)
{
	return bolt_ring_recv_timeout(r, buf, max, 0);
}
