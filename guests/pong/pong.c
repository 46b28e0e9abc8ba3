/* SPDX-License-Identifier: MIT */
/*
 * pong: the echo side of the ping guest. Waits for an event on its port
 * and answers each with one send on the same port, warmup + rounds times
 * (same command line keys as ping: rounds=N, warmup=N, port=P), then checks
 * that it saw exactly one event per send and none after the last one, and
 * powers off. Ends with "RESULT pong PASS" or "RESULT pong FAIL: <reason>".
 *
 * The protocol is strictly alternating (ping sends again only after our
 * reply), so no two pings coalesce into one pending bit.
 */
#include <bolt/sdk.h>
#include "guests/ping/pingpong.h"

/*
 * Longest wait for ping: it covers ping's boot and its own timeouts (three
 * lost replies of 1e9 ticks each) before we call ping gone.
 */
#define PONG_TIMEOUT_TICKS 10000000000ull
/* After the last reply: how long an extra (spurious) event has to show up. */
#define PONG_QUIET_TICKS 10000000ull

static const char *pong_run(const struct pingpong_args *args)
{
	uint64_t total = args->warmup + args->rounds, i, count;
	struct bolt_stats s0, s1;
	bool have_stats;
	long ret;

	have_stats = bolt_stats_get(&s0) == 0;
	for (i = 0; i < total; i++) {
		if (!bolt_evtchn_wait_timeout(args->port, PONG_TIMEOUT_TICKS)) {
			printf("pong: nothing from ping for %llu ticks after %llu of %llu "
			       "events\n", (unsigned long long)PONG_TIMEOUT_TICKS,
			       (unsigned long long)i, (unsigned long long)total);
			return "ping went silent";
		}
		ret = bolt_evtchn_send(args->port);
		if (ret < 0) {
			printf("pong: EVTCHNOP_send(port %u) failed: %ld after %llu events\n",
			       args->port, ret, (unsigned long long)i + 1);
			return "EVTCHNOP_send failed";
		}
	}
	if (bolt_evtchn_wait_timeout(args->port, PONG_QUIET_TICKS))
		return "spurious event after the last round";
	count = bolt_evtchn_count(args->port);
	printf("pong: %llu events on port %u, %llu replies\n", (unsigned long long)count,
	       args->port, (unsigned long long)total);
	/* Its cost per event, whoever the peer is (make bench: SDK ping vs Linux). */
	if (have_stats && bolt_stats_get(&s1) == 0 && total)
		printf("pong: %llu VM exits for %llu events: %.3f exits per event\n",
		       (unsigned long long)(s1.exits - s0.exits), (unsigned long long)total,
		       (double)(s1.exits - s0.exits) / (double)total);
	if (count != total)
		return "event count does not match ping's sends";
	return NULL;
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	struct pingpong_args args;
	const char *why;

	why = pingpong_parse_args(si, &args);
	if (!why)
		why = pingpong_check_port("pong", args.port);
	if (!why)
		why = pong_run(&args);
	if (why) {
		printf("RESULT pong FAIL: %s\n", why);
		return 1;
	}
	printf("RESULT pong PASS\n");
	return 0;
}
