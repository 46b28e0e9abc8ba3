/* SPDX-License-Identifier: MIT */
/*
 * ring: the ring-lossless test guest (and the ring_msgs_per_mtick bench).
 * A producer sends `count` messages (msg.h: sequence number, random length,
 * checksum) through the SDK's lossless ring in a [shm] region, a consumer
 * on another core receives them and checks that none is lost, duplicated
 * or corrupted. Optionally a flooder hammers another channel meanwhile.
 *
 * backing=shm (default): the ring is the [shm] region shm=, its doorbell
 * the static [channel] at port=. backing=grant: the ring is a vchan
 * (<bolt/sdk/vchan.h>): the producer is the server, which grants pages=N
 * ring pages (default 16, 64 KiB as the shm ring) and the control page at
 * ref=R (default 8) to domain peer=D and allocates the port; the consumer
 * is the client, which maps them from domain peer=D and binds the port.
 * Everything after the setup is the same code on the same checks.
 *
 *   role=producer count=N [seed=S] [shm=ring] [port=1]
 *   role=consumer count=N [seed=S] [shm=ring] [port=1] [ctl=P] [bench=1] [wait=hlt|poll]
 *                 [work=W]     W extra xorshift steps per message in the first
 *                              half of the run: a slower consumer, so that the
 *                              producer finds the ring full (then the consumer
 *                              catches up and finds it empty)
 *   role=flood port=P ctl=P        send on port from "start" to "stop" on ctl
 *   role=sink port=P               count events until the flood goes quiet
 * Common: name=NAME (the RESULT name; the producer adds "-producer"),
 * timeout_ms=T (longest wait for the peer, default 30000; the consumer
 * heeds it only with wait=poll).
 * The consumer's wait=hlt (default) sleeps in bolt_ring_recv, i.e. in
 * `sti; hlt` with no time limit: a lost message shows as a hang that the
 * test runner reports. wait=poll uses bolt_ring_recv_timeout (SCHEDOP_poll)
 * and fails with a reason after timeout_ms.
 * The consumer with ctl= starts the flooder before its first receive and
 * stops it after its last. bench=1 (on both sides) measures the ring
 * rather than the test: the producer sends from a pool of RING_POOL
 * prebuilt messages with the sequence number patched in, the consumer
 * checks sequence numbers and lengths only, and prints
 * `BENCH ring_msgs_per_mtick <messages per million TSC ticks> msgs`
 * (ring_grant_msgs_per_mtick with backing=grant).
 */
#include <stdarg.h>
#include <bolt/sdk.h>
#include <bolt/sdk/ring.h>
#include <bolt/sdk/vchan.h>
#include "tests/guests/ring/msg.h"

#define RING_NAME_MAX 48
#define RING_MS 1000000ull /* ns */
#define RING_DEFAULT_TIMEOUT_MS 30000u
/* The sink stops once no event came for this long. */
#define RING_SINK_QUIET_NS (300 * RING_MS)
#define RING_MAX_COUNT 100000000ull
/* Prebuilt messages the bench cycles through. */
#define RING_POOL 64u

struct ring_args {
	const struct hvm_start_info *si;
	char role[16];
	char name[RING_NAME_MAX];
	char shm[32];
	char wait[8];
	char backing[8];
	uint64_t count, seed, port, ctl, bench, work, timeout_ns;
	uint64_t peer, ref, pages; /* backing=grant */
	struct bolt_vchan vchan;
};

static char ring_why[160];
/* work=: the busy loop's result, volatile so that it is not optimised out. */
static volatile uint64_t ring_busy;

/* A failure reason with numbers in it (one failure per run). */
__attribute__((format(printf, 1, 2))) static const char *ring_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ring_why, sizeof(ring_why), fmt, ap);
	va_end(ap);
	return ring_why;
}

static const char *ring_opt(const struct ring_args *a, const char *key, uint64_t def, uint64_t lo,
			    uint64_t hi, uint64_t *out)
{
	int ret = bolt_cmdline_get_u64(a->si, key, out);

	if (ret == -XEN_ENOENT) {
		*out = def;
		return NULL;
	}
	if (ret < 0 || *out < lo || *out > hi)
		return ring_fail("bad %s= on the command line (want %llu..%llu)", key,
				 (unsigned long long)lo, (unsigned long long)hi);
	return NULL;
}

static const char *ring_str(const struct ring_args *a, const char *key, const char *def,
			    char *buf, size_t len)
{
	int ret = bolt_cmdline_get(a->si, key, buf, len);

	if (ret == -XEN_ENOENT) {
		strlcpy(buf, def, len);
		return NULL;
	}
	return ret < 0 ? ring_fail("bad %s= on the command line", key) : NULL;
}

static const char *ring_parse(struct ring_args *a)
{
	uint64_t ms;
	const char *why;

	if ((why = ring_str(a, "role", "", a->role, sizeof(a->role))) ||
	    (why = ring_str(a, "shm", "ring", a->shm, sizeof(a->shm))) ||
	    (why = ring_str(a, "name", "ring-lossless", a->name, sizeof(a->name))) ||
	    (why = ring_str(a, "wait", "hlt", a->wait, sizeof(a->wait))) ||
	    (why = ring_str(a, "backing", "shm", a->backing, sizeof(a->backing))) ||
	    (why = ring_opt(a, "peer", 0, 0, DOMID_FIRST_RESERVED - 1, &a->peer)) ||
	    (why = ring_opt(a, "ref", BOLT_GNTTAB_FIRST_REF, BOLT_GNTTAB_FIRST_REF,
			    BOLT_GNTTAB_FRAMES * BOLT_GNTTAB_PER_FRAME - 1, &a->ref)) ||
	    (why = ring_opt(a, "pages", 16, 1, BOLT_VCHAN_MAX_PAGES, &a->pages)) ||
	    (why = ring_opt(a, "count", 100000, 1, RING_MAX_COUNT, &a->count)) ||
	    (why = ring_opt(a, "seed", 1, 0, UINT64_MAX, &a->seed)) ||
	    (why = ring_opt(a, "port", 1, 1, BOLT_EVTCHN_PORTS - 1, &a->port)) ||
	    (why = ring_opt(a, "ctl", 0, 0, BOLT_EVTCHN_PORTS - 1, &a->ctl)) ||
	    (why = ring_opt(a, "bench", 0, 0, 1, &a->bench)) ||
	    (why = ring_opt(a, "work", 0, 0, 1000000, &a->work)) ||
	    (why = ring_opt(a, "timeout_ms", RING_DEFAULT_TIMEOUT_MS, 1, 3600000, &ms)))
		return why;
	a->timeout_ns = ms * RING_MS;
	if (strcmp(a->wait, "hlt") && strcmp(a->wait, "poll"))
		return "wait= must be hlt or poll";
	if (strcmp(a->backing, "shm") && strcmp(a->backing, "grant"))
		return "backing= must be shm or grant";
	if (!strcmp(a->backing, "grant") && !a->peer)
		return "backing=grant needs peer= (the other guest's domid)";
	return NULL;
}

/* backing=grant: set up the vchan (the producer serves) and attach to its ring. */
static const char *ring_attach_grant(struct ring_args *a, struct bolt_ring *r, bool producer)
{
	domid_t peer = (domid_t)a->peer;
	int ret = producer ? bolt_vchan_server_init(&a->vchan, peer, (grant_ref_t)a->ref,
						    (uint32_t)a->pages)
			   : bolt_vchan_client_init(&a->vchan, peer, (grant_ref_t)a->ref,
						    a->timeout_ns);

	if (ret)
		return ring_fail("vchan %s setup with domain %u, ref %u failed: %d",
				 producer ? "server" : "client", peer, (unsigned)a->ref, ret);
	ret = bolt_vchan_ring_init(&a->vchan, r, producer);
	if (ret < 0)
		return ring_fail("bolt_ring_init on the vchan (%zu bytes) failed: %d",
				 bolt_vchan_ring_size(&a->vchan), ret);
	printf("%s%s: vchan %s, domain %u, ref %u, %u pages, port %u\n", a->name,
	       producer ? "-producer" : "", producer ? "server" : "client", peer, (unsigned)a->ref, a->vchan.nr_pages,
	       a->vchan.port);
	return NULL;
}

/* backing=grant: tear the vchan down (the server waits for the client to unmap). */
static const char *ring_detach(struct ring_args *a)
{
	int ret;

	if (strcmp(a->backing, "grant"))
		return NULL;
	ret = bolt_vchan_close(&a->vchan, a->timeout_ns);
	return ret ? ring_fail("bolt_vchan_close failed: %d", ret) : NULL;
}

/* Find the region and attach to the ring in it. */
static const char *ring_attach(struct ring_args *a, struct bolt_ring *r, bool producer)
{
	struct bolt_shm shm;
	int ret;

	if (!strcmp(a->backing, "grant"))
		return ring_attach_grant(a, r, producer);
	ret = bolt_shm_find(a->si, a->shm, &shm);

	if (ret < 0)
		return ring_fail("no shm region '%s' on the command line (%d)", a->shm, ret);
	if (!shm.writable)
		return ring_fail("shm region '%s' is read-only", a->shm);
	ret = bolt_ring_init(r, (void *)(uintptr_t)shm.gpa, (size_t)shm.size,
			     (evtchn_port_t)a->port, producer);
	if (ret < 0)
		return ring_fail("bolt_ring_init on '%s' (0x%llx, %llu bytes) failed: %d", a->shm,
				 (unsigned long long)shm.gpa, (unsigned long long)shm.size, ret);
	return NULL;
}

/* x * 1e6 / ticks with one decimal, as "I.F" in buf. */
static void ring_rate(char *buf, size_t len, uint64_t x, uint64_t ticks)
{
	uint64_t tenths = ticks ? x * 10000000ull / ticks : 0;

	snprintf(buf, len, "%llu.%llu", (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10));
}

static const char *ring_producer(struct ring_args *a)
{
	static uint8_t msg[RMSG_MAX], pool[RING_POOL][RMSG_MAX];
	static size_t pool_len[RING_POOL];
	struct bolt_ring r;
	const char *why = ring_attach(a, &r, true);
	uint64_t seq, t0;

	if (why)
		return why;
	for (seq = 0; a->bench && seq < RING_POOL; seq++)
		pool_len[seq] = rmsg_build(pool[seq], a->seed, seq);
	t0 = bolt_rdtsc();
	for (seq = 0; seq < a->count; seq++) {
		uint8_t *m = msg;
		size_t len;
		int ret;

		if (a->bench) {
			m = pool[seq % RING_POOL];
			len = pool_len[seq % RING_POOL];
			memcpy(m, &seq, sizeof(seq)); /* rmsg_hdr.seq */
		} else {
			len = rmsg_build(msg, a->seed, seq);
		}
		ret = bolt_ring_send(&r, m, len);

		if (ret < 0)
			return ring_fail("bolt_ring_send of message %llu failed: %d",
					 (unsigned long long)seq, ret);
	}
	printf("%s-producer: sent %llu msgs, %llu bytes in %llu ticks; slept %llu times, "
	       "sent %llu events\n",
	       a->name, (unsigned long long)r.stats.msgs, (unsigned long long)r.stats.bytes,
	       (unsigned long long)(bolt_rdtsc() - t0), (unsigned long long)r.stats.waits,
	       (unsigned long long)r.stats.notifies);
	if (r.stats.notify_errors)
		return ring_fail("%llu notifications failed, the last with %ld",
				 (unsigned long long)r.stats.notify_errors,
				 r.stats.last_notify_error);
	return ring_detach(a);
}

struct ring_tally {
	uint64_t got, next, lost, dups, corrupt;
};

/* Account one received message. */
static void ring_account(const struct ring_args *a, struct ring_tally *t, const uint8_t *msg,
			 size_t len)
{
	uint64_t seq;
	const char *bad = a->bench ? rmsg_check_light(msg, len, a->seed, RING_POOL, &seq)
				   : rmsg_check(msg, len, a->seed, &seq);

	t->got++;
	if (bad) {
		if (t->corrupt++ < 5)
			printf("%s: message %llu (after seq %llu, %zu bytes): %s\n", a->name,
			       (unsigned long long)t->got, (unsigned long long)t->next, len,
			       bad);
		return;
	}
	if (seq < t->next) {
		if (t->dups++ < 5)
			printf("%s: duplicate seq %llu (expected %llu)\n", a->name,
			       (unsigned long long)seq, (unsigned long long)t->next);
		return;
	}
	if (seq > t->next) {
		printf("%s: seq %llu after %llu: %llu lost\n", a->name,
		       (unsigned long long)seq, (unsigned long long)t->next,
		       (unsigned long long)(seq - t->next));
		t->lost += seq - t->next;
	}
	t->next = seq + 1;
}

static const char *ring_consumer(struct ring_args *a)
{
	static uint8_t msg[RMSG_MAX];
	struct ring_tally t = { 0 };
	struct bolt_ring r;
	const char *why = ring_attach(a, &r, false);
	uint64_t t0 = 0, ticks, events;
	char rate[32];
	bool poll = !strcmp(a->wait, "poll");
	long len = 0;

	if (why)
		return why;
	if (a->ctl && bolt_evtchn_send((evtchn_port_t)a->ctl) < 0)
		return "cannot start the flooder";
	/* Until the last sequence number: a lost tail shows up as a timeout. */
	while (t.next < a->count) {
		len = poll ? bolt_ring_recv_timeout(&r, msg, sizeof(msg), a->timeout_ns)
			   : bolt_ring_recv(&r, msg, sizeof(msg));
		if (len < 0)
			break;
		if (!t0)
			t0 = bolt_rdtsc();
		ring_account(a, &t, msg, (size_t)len);
		for (uint64_t i = 0; t.got < a->count / 2 && i < a->work; i++)
			ring_busy = rmsg_xorshift(ring_busy | 1);
	}
	ticks = bolt_rdtsc() - t0;
	if (a->ctl)
		bolt_evtchn_send((evtchn_port_t)a->ctl); /* stop */
	events = bolt_evtchn_count(r.port);
	/* The first message starts the clock: count-1 intervals. */
	ring_rate(rate, sizeof(rate), t.got > 1 ? t.got - 1 : 0, ticks);
	printf("%s: %llu msgs, %llu bytes, lost %llu, duplicated %llu, corrupt %llu; "
	       "%llu ticks, %s msgs/Mtick; slept %llu times, got %llu events, sent %llu\n",
	       a->name, (unsigned long long)t.got, (unsigned long long)r.stats.bytes,
	       (unsigned long long)t.lost, (unsigned long long)t.dups,
	       (unsigned long long)t.corrupt, (unsigned long long)ticks, rate,
	       (unsigned long long)r.stats.waits, (unsigned long long)events,
	       (unsigned long long)r.stats.notifies);
	if (len < 0)
		return ring_fail("bolt_ring_recv after %llu messages (next seq %llu) failed: %ld",
				 (unsigned long long)t.got, (unsigned long long)t.next, len);
	if (t.lost || t.dups || t.corrupt)
		return ring_fail("%llu lost, %llu duplicated, %llu corrupt",
				 (unsigned long long)t.lost, (unsigned long long)t.dups,
				 (unsigned long long)t.corrupt);
	if (t.got != a->count)
		return ring_fail("received %llu messages, expected %llu",
				 (unsigned long long)t.got, (unsigned long long)a->count);
	if (bolt_ring_try_recv(&r, msg, sizeof(msg)) != -XEN_EAGAIN)
		return "a message after the last one";
	if (r.stats.notify_errors)
		return ring_fail("%llu notifications failed, the last with %ld",
				 (unsigned long long)r.stats.notify_errors,
				 r.stats.last_notify_error);
	if ((why = ring_detach(a)))
		return why;
	if (a->bench)
		printf("BENCH %s %s msgs\n",
		       strcmp(a->backing, "grant") ? "ring_msgs_per_mtick"
						   : "ring_grant_msgs_per_mtick",
		       rate);
	return NULL;
}

/* SCHEDOP_poll for one port: true if it came (and was cleared). */
static bool ring_poll(evtchn_port_t port, uint64_t timeout_ns)
{
	return bolt_evtchn_poll(&port, 1, timeout_ns) == 0;
}

static const char *ring_flood(const struct ring_args *a)
{
	evtchn_port_t ctl = (evtchn_port_t)a->ctl;
	uint64_t sent = 0, t0, ns;

	if (!ctl)
		return "role=flood needs ctl=";
	if (!ring_poll(ctl, a->timeout_ns))
		return "never told to start";
	t0 = bolt_now_ns();
	while (!bolt_evtchn_test_and_clear(ctl)) {
		long ret = bolt_evtchn_send((evtchn_port_t)a->port);

		if (ret < 0)
			return ring_fail("send %llu failed: %ld", (unsigned long long)sent + 1, ret);
		sent++;
		if (bolt_now_ns() - t0 > a->timeout_ns)
			return "never told to stop";
	}
	ns = bolt_now_ns() - t0;
	printf("%s: %llu sends in %llu us (%llu per ms)\n", a->name, (unsigned long long)sent,
	       (unsigned long long)(ns / 1000),
	       (unsigned long long)(ns ? sent * RING_MS / ns : 0));
	return sent ? NULL : "flooded nothing";
}

static const char *ring_sink(const struct ring_args *a)
{
	uint64_t got = 0;

	if (!ring_poll((evtchn_port_t)a->port, a->timeout_ns))
		return "no flood arrived";
	for (got = 1; ring_poll((evtchn_port_t)a->port, RING_SINK_QUIET_NS); got++)
		;
	printf("%s: %llu events (sends coalesce while pending)\n", a->name,
	       (unsigned long long)got);
	return NULL;
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	struct ring_args a = { .si = si, .name = "ring-lossless" };
	const char *why = ring_parse(&a);
	bool producer = false;

	if (!why) {
		producer = !strcmp(a.role, "producer");
		if (producer)
			why = ring_producer(&a);
		else if (!strcmp(a.role, "consumer"))
			why = ring_consumer(&a);
		else if (!strcmp(a.role, "flood"))
			why = ring_flood(&a);
		else if (!strcmp(a.role, "sink"))
			why = ring_sink(&a);
		else
			why = "role= must be producer, consumer, flood or sink";
	}
	if (why)
		printf("RESULT %s%s FAIL: %s\n", a.name, producer ? "-producer" : "", why);
	else
		printf("RESULT %s%s PASS\n", a.name, producer ? "-producer" : "");
	return why ? 1 : 0;
}
