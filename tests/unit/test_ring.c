/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the guest SDK's lossless ring (guests/sdk/ring.c), on the
 * host: geometry and argument checks, wrap-around with padding, the
 * notification protocol (an event only when the peer announced it waits,
 * and never a lost wake-up), a hostile peer's corrupt indices and records,
 * timeouts, and a two-thread stress run with the ring-lossless messages.
 * This file stands in for the SDK's event-channel calls: two ports whose
 * sends set each other's pending flag, under a mutex and condition variable.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "unit.h"
#include "lib/lib.h"

/*
 * ring.c's full barrier, plus a hook: the single-threaded cases play the
 * peer right there, i.e. after our flag store, as if the peer's own load of
 * the flag had come before it.
 */
static void test_barrier(void);
#define RING_FULL_BARRIER() test_barrier()

/* The SDK is guest code, not one of the Makefile's HOST_SRCS. */
#include "guests/sdk/ring.c"
#include "tests/guests/ring/msg.h"

/*
 * --- Stand-in event channels: port p's peer is p ^ 1 -----------------------
 * Ring 1: producer port 2, consumer port 3. Ring 2 (the ping-pong's way
 * back): producer port 4, consumer port 5.
 */

#define PPORT 2u
#define CPORT 3u
#define PPORT2 4u
#define CPORT2 5u
#define EV_PORTS 6u

static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ev_cond = PTHREAD_COND_INITIALIZER;
static bool ev_pending[EV_PORTS];
static uint64_t ev_sends[EV_PORTS];
static long ev_send_ret; /* what bolt_evtchn_send returns (after delivering) */
static bool ev_threaded;
/* Single-threaded runs: the peer's work at the next full barrier. */
static void (*ev_barrier_hook)(void);
/* Single-threaded runs: the peer's work, run when a side goes to sleep. */
static void (*ev_on_sleep)(evtchn_port_t port);
static unsigned ev_sleeps, ev_lost_wakeups;
static uint64_t ev_clock_ns = 1000;
/* Threaded runs: a sleep this long means nobody is coming. */
#define EV_HANG_S 10

static void ev_reset(void)
{
	memset(ev_pending, 0, sizeof(ev_pending));
	memset(ev_sends, 0, sizeof(ev_sends));
	ev_send_ret = 0;
	ev_on_sleep = NULL;
	ev_barrier_hook = NULL;
	ev_sleeps = ev_lost_wakeups = 0;
}

static void test_barrier(void)
{
	void (*hook)(void) = ev_barrier_hook;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (hook && !ev_threaded) {
		ev_barrier_hook = NULL; /* once: the hook's own ring calls pass here too */
		hook();
	}
}

long bolt_evtchn_send(evtchn_port_t port)
{
	pthread_mutex_lock(&ev_lock);
	ev_sends[port]++;
	ev_pending[port ^ 1] = true;
	pthread_cond_broadcast(&ev_cond);
	pthread_mutex_unlock(&ev_lock);
	return ev_send_ret;
}

/* Consume port's pending flag; single-threaded, run the peer first. */
static bool ev_take(evtchn_port_t port, bool block)
{
	bool got;

	if (!ev_threaded && ev_on_sleep && !ev_pending[port]) {
		ev_sleeps++;
		ev_on_sleep(port);
	}
	pthread_mutex_lock(&ev_lock);
	while (ev_threaded && block && !ev_pending[port]) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += EV_HANG_S;
		if (pthread_cond_timedwait(&ev_cond, &ev_lock, &ts) && !ev_pending[port]) {
			/* Both sides asleep: the ring lost a wake-up. */
			printf("RESULT unit-ring FAIL: port %u slept %d s: lost wake-up\n", port,
			       EV_HANG_S);
			exit(1);
		}
	}
	got = ev_pending[port];
	ev_pending[port] = false;
	pthread_mutex_unlock(&ev_lock);
	return got;
}

void bolt_evtchn_wait(evtchn_port_t port)
{
	if (!ev_take(port, true)) {
		/* Single-threaded: nobody else could ever wake us. */
		ev_lost_wakeups++;
		fprintf(stderr, "test_ring: port %u sleeps with no event coming\n", port);
	}
}

/* Threaded: wait up to timeout_ns of real time; single: time is ev_clock_ns. */
int bolt_evtchn_poll(const evtchn_port_t *ports, unsigned n, uint64_t timeout_ns_from_now)
{
	if (n != 1)
		return -XEN_EINVAL;
	if (ev_threaded) {
		struct timespec ts;
		bool got;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)(timeout_ns_from_now / 1000000000u);
		ts.tv_nsec += (long)(timeout_ns_from_now % 1000000000u);
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&ev_lock);
		while (!ev_pending[ports[0]])
			if (pthread_cond_timedwait(&ev_cond, &ev_lock, &ts))
				break;
		got = ev_pending[ports[0]];
		ev_pending[ports[0]] = false;
		pthread_mutex_unlock(&ev_lock);
		return got ? 0 : -1;
	}
	if (ev_take(ports[0], false))
		return 0;
	ev_clock_ns += timeout_ns_from_now; /* slept the whole timeout */
	return -1;
}

uint64_t bolt_now_ns(void)
{
	struct timespec ts;

	if (!ev_threaded)
		return ev_clock_ns;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* --- Helpers ------------------------------------------------------------------ */

#define SHM_64K (64u * 1024)

static _Alignas(64) uint8_t shm[SHM_64K];
static struct bolt_ring prod, cons;

/* A fresh zeroed region of size bytes with both ends attached. */
static void setup(size_t size)
{
	ev_reset();
	memset(shm, 0, sizeof(shm));
	CHECK_EQ(bolt_ring_init(&cons, shm, size, CPORT, false), 0);
	CHECK_EQ(bolt_ring_init(&prod, shm, size, PPORT, true), 0);
}

static void fill_pattern(uint8_t *buf, size_t len, unsigned salt)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 31u + salt);
}

/* Receive one message and check it has the pattern of (len, salt). */
static void expect_msg(size_t len, unsigned salt)
{
	uint8_t got[SHM_64K], want[SHM_64K];

	fill_pattern(want, len, salt);
	CHECK_EQ(bolt_ring_try_recv(&cons, got, sizeof(got)), (long)len);
	CHECK(memcmp(got, want, len) == 0);
}

/* --- Cases -------------------------------------------------------------------- */

static void test_init_geometry(void)
{
	static _Alignas(64) uint8_t small[BOLT_RING_HDR_SIZE + BOLT_RING_MIN_DATA];
	struct bolt_ring r;

	memset(shm, 0, sizeof(shm));
	CHECK_EQ(bolt_ring_init(&r, shm, SHM_64K, PPORT, true), 0);
	CHECK_EQ(r.size, 32768); /* 64K - 256 rounds down to 32K */
	CHECK_EQ(bolt_ring_max_msg(&r), 16384 - 8);
	CHECK(((struct bolt_ring_shared *)shm)->magic == BOLT_RING_MAGIC);
	CHECK_EQ(((struct bolt_ring_shared *)shm)->data_size, 32768);
	/* The smallest region there is. */
	memset(small, 0, sizeof(small));
	CHECK_EQ(bolt_ring_init(&r, small, sizeof(small), PPORT, true), 0);
	CHECK_EQ(r.size, BOLT_RING_MIN_DATA);
	CHECK_EQ(bolt_ring_max_msg(&r), BOLT_RING_MIN_DATA / 2 - 8);
	/* Bad arguments. */
	CHECK_EQ(bolt_ring_init(NULL, shm, SHM_64K, PPORT, true), -XEN_EINVAL);
	CHECK_EQ(bolt_ring_init(&r, NULL, SHM_64K, PPORT, true), -XEN_EINVAL);
	CHECK_EQ(bolt_ring_init(&r, shm + 4, SHM_64K - 4, PPORT, true), -XEN_EINVAL);
	CHECK_EQ(bolt_ring_init(&r, small, sizeof(small) - 1, PPORT, true), -XEN_EINVAL);
	/* The consumer may come first: it writes nothing. */
	memset(shm, 0, sizeof(shm));
	CHECK_EQ(bolt_ring_init(&r, shm, SHM_64K, CPORT, false), 0);
	CHECK(((struct bolt_ring_shared *)shm)->magic == 0);
	/* A different size than the producer set up, or not a ring. */
	CHECK_EQ(bolt_ring_init(&r, shm, SHM_64K, PPORT, true), 0);
	CHECK_EQ(bolt_ring_init(&r, shm, 16384, CPORT, false), -XEN_EINVAL);
	((struct bolt_ring_shared *)shm)->magic = 0x1234;
	CHECK_EQ(bolt_ring_init(&r, shm, SHM_64K, CPORT, false), -XEN_EINVAL);
	/* Corrupt indices. */
	memset(shm, 0, sizeof(shm));
	((struct bolt_ring_shared *)shm)->prod = 32768 + 8;
	CHECK_EQ(bolt_ring_init(&r, shm, SHM_64K, CPORT, false), -XEN_EIO);
	((struct bolt_ring_shared *)shm)->prod = 12;
	CHECK_EQ(bolt_ring_init(&r, shm, SHM_64K, CPORT, false), -XEN_EIO);
	/* Re-attaching takes up at the shared indices. */
	((struct bolt_ring_shared *)shm)->prod = 800;
	((struct bolt_ring_shared *)shm)->cons = 400;
	CHECK_EQ(bolt_ring_init(&r, shm, SHM_64K, PPORT, true), 0);
	CHECK_EQ(r.pos, 800);
	CHECK_EQ(bolt_ring_init(&r, shm, SHM_64K, CPORT, false), 0);
	CHECK_EQ(r.pos, 400);
	CHECK_EQ(bolt_ring_used(&r), 400);
}

static void test_roundtrip_and_args(void)
{
	static const size_t lens[] = { 0, 1, 7, 8, 9, 15, 16, 17, 255, 256, 1000 };
	uint8_t buf[SHM_64K];
	long max;

	setup(SHM_64K);
	max = (long)bolt_ring_max_msg(&prod);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EAGAIN);
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		fill_pattern(buf, lens[i], (unsigned)i);
		CHECK_EQ(bolt_ring_try_send(&prod, buf, lens[i]), 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++)
		expect_msg(lens[i], (unsigned)i);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EAGAIN);
	CHECK_EQ(bolt_ring_used(&cons), 0);
	CHECK_EQ(prod.stats.msgs, ARRAY_SIZE(lens));
	CHECK_EQ(cons.stats.msgs, ARRAY_SIZE(lens));
	CHECK_EQ(cons.stats.bytes, prod.stats.bytes);
	/* Nobody waited, so nobody was notified. */
	CHECK_EQ(ev_sends[PPORT] + ev_sends[CPORT], 0);

	/* The largest message goes through, one more byte does not. */
	fill_pattern(buf, (size_t)max, 99);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, (size_t)max), 0);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, (size_t)max + 1), -XEN_EMSGSIZE);
	expect_msg((size_t)max, 99);

	/* Wrong side, NULL buffers. */
	CHECK_EQ(bolt_ring_try_send(&cons, buf, 4), -XEN_EINVAL);
	CHECK_EQ(bolt_ring_try_recv(&prod, buf, 4), -XEN_EINVAL);
	CHECK_EQ(bolt_ring_try_send(&prod, NULL, 4), -XEN_EINVAL);
	CHECK_EQ(bolt_ring_try_recv(&cons, NULL, 4), -XEN_EINVAL);
	CHECK_EQ(bolt_ring_send(&cons, buf, 4), -XEN_EINVAL);
	CHECK_EQ(bolt_ring_recv(&prod, buf, 4), -XEN_EINVAL);
	CHECK_EQ(bolt_ring_send(&prod, buf, (size_t)max + 1), -XEN_EMSGSIZE);

	/* Too small a buffer: -E2BIG, and the message stays for a bigger one. */
	fill_pattern(buf, 40, 7);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 40), 0);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, 39), -XEN_E2BIG);
	CHECK_EQ(bolt_ring_try_recv(&cons, NULL, 0), -XEN_E2BIG);
	expect_msg(40, 7);
	/* An empty message fits a NULL buffer. */
	CHECK_EQ(bolt_ring_try_send(&prod, NULL, 0), 0);
	CHECK_EQ(bolt_ring_try_recv(&cons, NULL, 0), 0);
}

/* Fill to -EAGAIN, drain, many times over with varying sizes: wrap and padding. */
static void test_fill_drain_wrap(void)
{
	uint8_t buf[512];
	uint64_t x = 12345, sent = 0, got = 0, rec_bytes = 0;
	unsigned salt_s = 0, salt_r = 0;
	size_t lens[4096];
	unsigned n, head = 0, tail = 0;

	setup(BOLT_RING_HDR_SIZE + 1024); /* 1 KiB area: wraps every few messages */
	CHECK_EQ(bolt_ring_max_msg(&prod), 504);
	for (int round = 0; round < 300; round++) {
		/* Fill until full. */
		for (n = 0;; n++) {
			size_t len;

			x = rmsg_xorshift(x);
			len = (size_t)(x % 300);
			fill_pattern(buf, len, salt_s);
			int ret = bolt_ring_try_send(&prod, buf, len);
			if (ret == -XEN_EAGAIN)
				break;
			CHECK_EQ(ret, 0);
			lens[head++ % 4096] = len;
			salt_s++;
			sent++;
			rec_bytes += ring_rec_size(len);
		}
		/* After a full drain (round 0, and after each even round) it fits. */
		if (round == 0 || (round & 1))
			CHECK(n > 0);
		/* Used never exceeds the area. */
		CHECK(bolt_ring_used(&prod) <= 1024);
		/* Drain part (odd rounds) or all (even rounds). */
		unsigned take = (round & 1) ? (head - tail) / 2 : head - tail;
		for (unsigned i = 0; i < take; i++) {
			expect_msg(lens[tail++ % 4096], salt_r);
			salt_r++;
			got++;
		}
	}
	while (tail != head) {
		expect_msg(lens[tail++ % 4096], salt_r);
		salt_r++;
		got++;
	}
	CHECK_EQ(sent, got);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EAGAIN);
	/* Padding was written: the index ran past the records' own bytes. */
	CHECK(prod.pos > rec_bytes);
	CHECK(prod.pos > 100 * 1024);
	CHECK_EQ(prod.pos, cons.pos);
	CHECK_EQ(ev_sends[PPORT] + ev_sends[CPORT], 0);
}

/* A record that does not fit the tail goes to offset 0 after padding. */
static void test_padding_layout(void)
{
	struct ring_rec h;
	uint8_t buf[512];

	setup(BOLT_RING_HDR_SIZE + 1024);
	fill_pattern(buf, 500, 1);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 500), 0); /* [0, 512) */
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 400), 0); /* [512, 920) */
	/* 200 bytes need 208; only 104 left before the end: pad + wrap, but full. */
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 200), -XEN_EAGAIN);
	expect_msg(500, 1);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 200), 0);
	memcpy(&h, prod.data + 920, sizeof(h));
	CHECK_EQ(h.kind, RING_REC_PAD);
	CHECK_EQ(h.len, 0);
	memcpy(&h, prod.data, sizeof(h));
	CHECK_EQ(h.kind, RING_REC_MSG);
	CHECK_EQ(h.len, 200);
	CHECK_EQ(prod.pos, 1024 + 208);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), 400);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), 200);
	CHECK_EQ(cons.pos, 1024 + 208);
	/* An exact fit at the end needs no padding. */
	setup(BOLT_RING_HDR_SIZE + 1024);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 504), 0);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 504), 0);
	CHECK_EQ(prod.pos, 1024);
	CHECK_EQ(bolt_ring_try_send(&prod, NULL, 0), -XEN_EAGAIN);
}

/* Peer work for the sleep tests. */
static void drain_some(evtchn_port_t port)
{
	uint8_t buf[SHM_64K];

	CHECK_EQ(port, PPORT);
	/* Drain one message at a time, as a consumer would. */
	while (!ev_pending[PPORT] && bolt_ring_try_recv(&cons, buf, sizeof(buf)) >= 0)
		;
}

static unsigned produce_n;
static void produce_some(evtchn_port_t port)
{
	uint8_t buf[64];

	CHECK_EQ(port, CPORT);
	fill_pattern(buf, 64, 5);
	for (; produce_n; produce_n--)
		CHECK_EQ(bolt_ring_try_send(&prod, buf, 64), 0);
}

static void test_notify_protocol(void)
{
	uint8_t buf[SHM_64K];
	unsigned sent = 0;

	/* A consumer that announced it waits gets exactly one event. */
	setup(SHM_64K);
	cons.sh->cons_waiting = 1;
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 10), 0);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 10), 0);
	CHECK_EQ(ev_sends[PPORT], 1);
	CHECK_EQ(prod.stats.notifies, 1);
	CHECK_EQ(cons.sh->cons_waiting, 0);
	CHECK(ev_pending[CPORT]);

	/* Blocking recv on an empty ring: sleeps, the producer's send wakes it. */
	setup(SHM_64K);
	ev_on_sleep = produce_some;
	produce_n = 3;
	CHECK_EQ(bolt_ring_recv(&cons, buf, sizeof(buf)), 64);
	CHECK_EQ(ev_sleeps, 1);
	CHECK_EQ(ev_lost_wakeups, 0);
	CHECK_EQ(ev_sends[PPORT], 1); /* only the first of the 3 sends notified */
	CHECK_EQ(cons.stats.waits, 1);
	CHECK_EQ(cons.sh->cons_waiting, 0);
	CHECK_EQ(bolt_ring_recv(&cons, buf, sizeof(buf)), 64);
	CHECK_EQ(bolt_ring_recv(&cons, buf, sizeof(buf)), 64);
	CHECK_EQ(ev_sleeps, 1);

	/* Blocking send on a full ring: woken once half the ring is free. */
	setup(BOLT_RING_HDR_SIZE + 4096);
	while (bolt_ring_try_send(&prod, buf, 56) == 0) /* 64-byte records */
		sent++;
	CHECK_EQ(sent, 64);
	ev_on_sleep = drain_some;
	CHECK_EQ(bolt_ring_send(&prod, buf, 56), 0);
	CHECK_EQ(ev_sleeps, 1);
	CHECK_EQ(ev_lost_wakeups, 0);
	CHECK_EQ(ev_sends[CPORT], 1);
	/* The consumer notified once 32 records (half of 4 KiB) were free. */
	CHECK_EQ(cons.stats.msgs, 32);
	CHECK_EQ(prod.stats.waits, 1);
	CHECK_EQ(prod.sh->prod_waiting, 0);

	/* A producer waiting for its mark is not woken before it. */
	setup(BOLT_RING_HDR_SIZE + 4096);
	while (bolt_ring_try_send(&prod, buf, 56) == 0)
		;
	prod.sh->prod_want = prod.pos - 4096 + 2048;
	prod.sh->prod_waiting = 1;
	for (int i = 0; i < 31; i++)
		CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), 56);
	CHECK_EQ(ev_sends[CPORT], 0);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), 56);
	CHECK_EQ(ev_sends[CPORT], 1);
	CHECK_EQ(prod.sh->prod_waiting, 0);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), 56);
	CHECK_EQ(ev_sends[CPORT], 1);

	/* A failed notification is counted; the message still went in. */
	setup(SHM_64K);
	cons.sh->cons_waiting = 1;
	ev_send_ret = -XEN_EINVAL;
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 8), 0);
	CHECK_EQ(prod.stats.notify_errors, 1);
	CHECK_EQ(prod.stats.last_notify_error, -XEN_EINVAL);
	CHECK_EQ(prod.stats.notifies, 0);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), 8);
}

/* Sleeping and waking do not lose a message the peer slipped in meanwhile. */
static void slip_in(evtchn_port_t port)
{
	uint8_t buf[8] = { 0 };

	(void)port;
	/* The producer sends without seeing the flag... (cleared behind its back) */
	__atomic_store_n(&cons.sh->cons_waiting, 0, __ATOMIC_RELAXED);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 8), 0);
}

/* The races the rechecks exist for: the peer moved its index unseen. */
static void race_publish(void)
{
	uint8_t buf[24] = { 1 };

	/* The producer looked at the flag before our store reached it. */
	__atomic_store_n(&cons.sh->cons_waiting, 0, __ATOMIC_RELAXED);
	CHECK_EQ(bolt_ring_try_send(&prod, buf, sizeof(buf)), 0);
}

static void race_drain(void)
{
	uint8_t buf[64];

	__atomic_store_n(&prod.sh->prod_waiting, 0, __ATOMIC_RELAXED);
	while (bolt_ring_try_recv(&cons, buf, sizeof(buf)) >= 0)
		;
}

static void test_no_lost_wakeup(void)
{
	uint8_t buf[64];

	setup(SHM_64K);
	ev_barrier_hook = race_publish;
	CHECK_EQ(bolt_ring_recv(&cons, buf, sizeof(buf)), 24);
	CHECK_EQ(ev_lost_wakeups, 0);
	CHECK_EQ(cons.stats.waits, 0); /* the recheck found it: no sleep */
	CHECK_EQ(ev_sends[PPORT], 0);

	setup(BOLT_RING_HDR_SIZE + 1024);
	while (bolt_ring_try_send(&prod, buf, 56) == 0)
		;
	ev_barrier_hook = race_drain;
	CHECK_EQ(bolt_ring_send(&prod, buf, 56), 0);
	CHECK_EQ(ev_lost_wakeups, 0);
	CHECK_EQ(prod.stats.waits, 0);
	CHECK_EQ(ev_sends[CPORT], 0);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), 56);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EAGAIN);
}

static void test_timeouts(void)
{
	uint8_t buf[64];
	uint64_t t0;

	setup(SHM_64K);
	t0 = ev_clock_ns;
	CHECK_EQ(bolt_ring_recv_timeout(&cons, buf, sizeof(buf), 5000), -XEN_ETIMEDOUT);
	CHECK(ev_clock_ns >= t0 + 5000);
	CHECK_EQ(cons.sh->cons_waiting, 0);
	/* A message that arrives while the poll sleeps is delivered, not timed out. */
	ev_on_sleep = slip_in;
	CHECK_EQ(bolt_ring_recv_timeout(&cons, buf, sizeof(buf), 5000), 8);
	/* Full ring: send_timeout gives up. */
	setup(BOLT_RING_HDR_SIZE + 1024);
	while (bolt_ring_try_send(&prod, buf, 56) == 0)
		;
	CHECK_EQ(bolt_ring_send_timeout(&prod, buf, 56, 1000), -XEN_ETIMEDOUT);
	CHECK_EQ(prod.sh->prod_waiting, 0);
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), 56);
	CHECK_EQ(bolt_ring_send_timeout(&prod, buf, 56, 1000), 0);
}

/* A hostile or broken producer: the consumer says -EIO and touches nothing else. */
static void test_corrupt_peer(void)
{
	struct ring_rec h;
	uint8_t buf[600];

	setup(BOLT_RING_HDR_SIZE + 1024);
	prod.sh->prod = 1024 + 8; /* more than the area */
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EIO);
	prod.sh->prod = 4; /* misaligned */
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EIO);
	/* A record of an unknown kind. */
	h = (struct ring_rec){ .len = 4, .kind = 0xdead };
	memcpy(prod.data, &h, sizeof(h));
	prod.sh->prod = 16;
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EIO);
	/* A length past what was published, or past the largest message. */
	h = (struct ring_rec){ .len = 100, .kind = RING_REC_MSG };
	memcpy(prod.data, &h, sizeof(h));
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EIO);
	h.len = 0xffffffffu;
	memcpy(prod.data, &h, sizeof(h));
	prod.sh->prod = 1024;
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EIO);
	/* A record that would run over the end of the area. */
	cons.pos = 1024 - 16;
	prod.sh->cons = cons.pos;
	prod.sh->prod = cons.pos + 512;
	h = (struct ring_rec){ .len = 200, .kind = RING_REC_MSG };
	memcpy(prod.data + 1024 - 16, &h, sizeof(h));
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EIO);
	/* Padding with nothing after it, or with a length. */
	h = (struct ring_rec){ .len = 0, .kind = RING_REC_PAD };
	memcpy(prod.data + 1024 - 16, &h, sizeof(h));
	prod.sh->prod = cons.pos + 16;
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EIO);
	h.len = 3;
	memcpy(prod.data + 1024 - 16, &h, sizeof(h));
	prod.sh->prod = cons.pos + 64;
	CHECK_EQ(bolt_ring_try_recv(&cons, buf, sizeof(buf)), -XEN_EIO);
	CHECK_EQ(cons.pos, 1024 - 16); /* nothing consumed */
	CHECK_EQ(cons.stats.msgs, 0);
	/* A hostile consumer: cons ahead of prod. */
	setup(BOLT_RING_HDR_SIZE + 1024);
	cons.sh->cons = 64;
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 8), -XEN_EIO);
	cons.sh->cons = 0;
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 8), 0);
	cons.sh->cons = 3; /* behind prod, but not on a record boundary */
	CHECK_EQ(bolt_ring_try_send(&prod, buf, 8), -XEN_EIO);
}

/* --- Two threads ------------------------------------------------------------ */

struct stress {
	uint64_t count, seed;
	bool timeouts; /* use the _timeout calls (poll) instead of wait */
	int send_err;
};

static void *stress_producer(void *arg)
{
	struct stress *s = arg;
	uint8_t msg[RMSG_MAX];

	for (uint64_t seq = 0; seq < s->count; seq++) {
		size_t len = rmsg_build(msg, s->seed, seq);
		int ret = s->timeouts ? bolt_ring_send_timeout(&prod, msg, len, 2000000000ull)
				      : bolt_ring_send(&prod, msg, len);
		if (ret) {
			s->send_err = ret;
			break;
		}
	}
	return NULL;
}

static void stress_run(size_t shm_size, uint64_t count, bool timeouts)
{
	struct stress s = { .count = count, .seed = 0x5eed0000 + shm_size, .timeouts = timeouts };
	uint64_t next = 0, lost = 0, dups = 0, corrupt = 0, got = 0;
	uint8_t msg[RMSG_MAX];
	pthread_t t;
	long ret = 0;

	setup(shm_size);
	ev_threaded = true;
	CHECK_EQ(pthread_create(&t, NULL, stress_producer, &s), 0);
	while (next < count) {
		uint64_t seq;

		ret = timeouts ? bolt_ring_recv_timeout(&cons, msg, sizeof(msg), 2000000000ull)
			       : bolt_ring_recv(&cons, msg, sizeof(msg));
		if (ret < 0)
			break;
		got++;
		if (rmsg_check(msg, (size_t)ret, s.seed, &seq)) {
			corrupt++;
			continue;
		}
		if (seq < next) {
			dups++;
		} else {
			lost += seq - next;
			next = seq + 1;
		}
	}
	pthread_join(t, NULL);
	ev_threaded = false;
	CHECK_EQ(ret >= 0, 1);
	CHECK_EQ(s.send_err, 0);
	CHECK_EQ(got, count);
	CHECK_EQ(lost, 0);
	CHECK_EQ(dups, 0);
	CHECK_EQ(corrupt, 0);
	CHECK_EQ(prod.stats.msgs, count);
	CHECK_EQ(cons.stats.bytes, prod.stats.bytes);
	CHECK_EQ(bolt_ring_used(&cons), 0);
	CHECK_EQ(prod.stats.notify_errors + cons.stats.notify_errors, 0);
	/*
	 * Events go only to a side that announced it would sleep, at most one
	 * per announcement: never more than one per message. (Not one per
	 * wait: a side that finds data on its recheck does not sleep, but the
	 * peer may have taken its flag already; that event is spurious.)
	 */
	CHECK(prod.stats.notifies <= count);
	CHECK(cons.stats.notifies <= count);
	printf("test_ring: stress %zu-byte region, %llu msgs: %llu+%llu waits, %llu+%llu events%s\n",
	       shm_size, (unsigned long long)count, (unsigned long long)prod.stats.waits,
	       (unsigned long long)cons.stats.waits, (unsigned long long)prod.stats.notifies,
	       (unsigned long long)cons.stats.notifies, timeouts ? " (poll)" : "");
}

/*
 * Request/response over two rings: every message is the last before its
 * sender sleeps, so a single lost wake-up deadlocks (and EV_HANG_S fails it).
 */
static struct bolt_ring back_prod, back_cons;

static void *pingpong_echo(void *arg)
{
	uint64_t n = *(uint64_t *)arg;
	uint8_t msg[RMSG_MAX];

	for (uint64_t i = 0; i < n; i++) {
		long len = bolt_ring_recv(&cons, msg, sizeof(msg));

		if (len < 0 || bolt_ring_send(&back_prod, msg, (size_t)len))
			break;
	}
	return NULL;
}

static void test_pingpong_threads(void)
{
	static _Alignas(64) uint8_t back[BOLT_RING_HDR_SIZE + 1024];
	uint64_t n = 20000, ok = 0;
	uint8_t msg[RMSG_MAX], got[RMSG_MAX];
	pthread_t t;

	setup(BOLT_RING_HDR_SIZE + 1024);
	memset(back, 0, sizeof(back));
	CHECK_EQ(bolt_ring_init(&back_prod, back, sizeof(back), PPORT2, true), 0);
	CHECK_EQ(bolt_ring_init(&back_cons, back, sizeof(back), CPORT2, false), 0);
	ev_threaded = true;
	CHECK_EQ(pthread_create(&t, NULL, pingpong_echo, &n), 0);
	for (uint64_t i = 0; i < n; i++) {
		size_t len = rmsg_build(msg, 3, i);
		long ret;

		if (bolt_ring_send(&prod, msg, len))
			break;
		ret = bolt_ring_recv(&back_cons, got, sizeof(got));
		if (ret != (long)len || memcmp(msg, got, len))
			break;
		ok++;
	}
	pthread_join(t, NULL);
	ev_threaded = false;
	CHECK_EQ(ok, n);
	/* Each side sleeps for nearly every message, and each sleep costs an event. */
	CHECK(back_cons.stats.waits > 0);
	CHECK(back_prod.stats.msgs == n);
}

static void test_stress_threads(void)
{
	stress_run(BOLT_RING_HDR_SIZE + 1024, 200000, false); /* tiny: full and empty all the time */
	stress_run(SHM_64K, 200000, false);
	stress_run(BOLT_RING_HDR_SIZE + 2048, 100000, true);
}

/* The test messages themselves catch what they must. */
static void test_msg_checks(void)
{
	uint8_t m[RMSG_MAX];
	uint64_t seq;
	size_t len = rmsg_build(m, 7, 42);

	CHECK(len > RMSG_HDR && len <= RMSG_MAX);
	CHECK(rmsg_check(m, len, 7, &seq) == NULL);
	CHECK_EQ(seq, 42);
	CHECK(rmsg_check(m, len - 1, 7, &seq) != NULL);
	CHECK(rmsg_check(m, 8, 7, &seq) != NULL);
	CHECK(rmsg_check(m, len, 8, &seq) != NULL || rmsg_plen(8, 42) == rmsg_plen(7, 42));
	m[len - 1] ^= 1;
	CHECK_STR(rmsg_check(m, len, 7, &seq), "checksum mismatch");
}

void unit_main(void)
{
	TEST(test_init_geometry);
	TEST(test_roundtrip_and_args);
	TEST(test_fill_drain_wrap);
	TEST(test_padding_layout);
	TEST(test_notify_protocol);
	TEST(test_no_lost_wakeup);
	TEST(test_timeouts);
	TEST(test_corrupt_peer);
	TEST(test_msg_checks);
	TEST(test_stress_threads);
	TEST(test_pingpong_threads);
}
