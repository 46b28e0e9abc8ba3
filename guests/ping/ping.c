/* SPDX-License-Identifier: MIT */
/*
 * ping: event-channel round-trip latency. Sends on its port (a pre-bound
 * [channel] to pong), waits for pong's reply on the same port, and times
 * send -> reply with the TSC: `warmup` unmeasured round trips, then
 * `rounds` measured ones. Prints one summary line
 *   ping-pong: N round trips, p50 X ticks, p99 Y ticks, lost L
 * and "RESULT ping-pong PASS" or "RESULT ping-pong FAIL: <reason>".
 * Command line: rounds=N (2000), warmup=N (100), port=P (1); pong needs
 * the same rounds= and warmup= so that it stops after the last reply.
 *
 * The protocol is strictly alternating (one event in flight, in one
 * direction, at any time), so two sends never coalesce into one pending
 * bit: every send must produce exactly one reply, and any event that is
 * pending before we send is spurious.
 */
#include <bolt/sdk.h>
#include "guests/ping/pingpong.h"

/* A reply later than this is counted as lost (about 0.3-1 s of TSC). */
#define PING_TIMEOUT_TICKS 1000000000ull
/* Consecutive lost replies after which pong is taken to be gone. */
#define PING_MAX_LOST_IN_A_ROW 3u

struct ping_stats {
	uint64_t sent, replies, lost, lost_in_a_row, spurious;
	size_t samples;
};

static uint64_t ping_samples[PINGPONG_MAX_ROUNDS];

/* One round trip; NULL or why the run must stop. Records ticks if measured. */
static const char *ping_round_trip(evtchn_port_t port, bool measured, struct ping_stats *st)
{
	uint64_t t0, t1;
	long ret;

	/* Only pong's reply may set our pending bit, and we have not sent yet. */
	if (bolt_evtchn_test_and_clear(port)) {
		st->spurious++;
		printf("ping: spurious event on port %u before send %llu\n", port,
		       (unsigned long long)st->sent + 1);
	}
	t0 = bolt_rdtsc();
	ret = bolt_evtchn_send(port);
	if (ret < 0) {
		printf("ping: EVTCHNOP_send(port %u) failed: %ld\n", port, ret);
		return "EVTCHNOP_send failed";
	}
	st->sent++;
	if (!bolt_evtchn_wait_timeout(port, PING_TIMEOUT_TICKS)) {
		st->lost++;
		printf("ping: no reply to send %llu within %llu ticks\n",
		       (unsigned long long)st->sent, (unsigned long long)PING_TIMEOUT_TICKS);
		if (++st->lost_in_a_row >= PING_MAX_LOST_IN_A_ROW)
			return "pong stopped replying";
		return NULL;
	}
	t1 = bolt_rdtsc();
	st->replies++;
	st->lost_in_a_row = 0;
	if (measured)
		ping_samples[st->samples++] = t1 - t0;
	return NULL;
}

static const char *ping_run(const struct pingpong_args *args, struct ping_stats *st)
{
	const char *why;
	uint64_t i;

	for (i = 0; i < args->warmup + args->rounds; i++) {
		why = ping_round_trip(args->port, i >= args->warmup, st);
		if (why)
			return why;
	}
	return NULL;
}

/* The summary line and the checks on the totals; NULL or why it failed. */
static const char *ping_report(const struct pingpong_args *args, const struct ping_stats *st)
{
	struct shared_info *sh = bolt_shared_info();
	uint64_t p50, p99, count = bolt_evtchn_count(args->port);

	bolt_sort_u64(ping_samples, st->samples);
	p50 = bolt_percentile(ping_samples, st->samples, 50);
	p99 = bolt_percentile(ping_samples, st->samples, 99);
	printf("ping-pong: %llu round trips, p50 %llu ticks, p99 %llu ticks, lost %llu\n",
	       (unsigned long long)st->samples, (unsigned long long)p50,
	       (unsigned long long)p99, (unsigned long long)st->lost);
	if (st->samples && sh && sh->vcpu_info[0].time.tsc_to_system_mul) {
		const struct vcpu_time_info *t = &sh->vcpu_info[0].time;

		printf("ping: p50 %llu ns, p99 %llu ns, min %llu ticks, max %llu ticks\n",
		       (unsigned long long)bolt_pvclock_scale(p50, t->tsc_to_system_mul,
								   t->tsc_shift),
		       (unsigned long long)bolt_pvclock_scale(p99, t->tsc_to_system_mul,
								   t->tsc_shift),
		       (unsigned long long)ping_samples[0],
		       (unsigned long long)ping_samples[st->samples - 1]);
	}
	if (st->lost)
		return "lost replies";
	if (st->spurious)
		return "spurious events";
	/* Every event the SDK consumed on the port must be one of the replies. */
	if (count != st->replies) {
		printf("ping: port %u counted %llu events, %llu replies\n", args->port,
		       (unsigned long long)count, (unsigned long long)st->replies);
		return "event count does not match replies";
	}
	if (st->samples != args->rounds)
		return "not every round trip was measured";
	return NULL;
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	struct pingpong_args args;
	struct ping_stats st = { 0 };
	const char *why;

	why = pingpong_parse_args(si, &args);
	if (!why)
		why = pingpong_check_port("ping", args.port);
	if (!why) {
		printf("ping: %llu warm-up + %llu measured round trips on port %u\n",
		       (unsigned long long)args.warmup, (unsigned long long)args.rounds,
		       args.port);
		why = ping_run(&args, &st);
		if (!why)
			why = ping_report(&args, &st);
	}
	if (why) {
		printf("RESULT ping-pong FAIL: %s\n", why);
		return 1;
	}
	printf("RESULT ping-pong PASS\n");
	return 0;
}
