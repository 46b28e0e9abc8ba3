/* SPDX-License-Identifier: MIT */
/*
 * suite=pairs: 4 driver/echo pairs on 4 CPUs (bench/bench4.cfg), driver i
 * on CPU i and echo i on CPU i+1 mod 4, so every CPU hosts one driver and
 * one echo. Pair 0 leads:
 *   1. pair 0 alone (the others wait halted): pairs1_rt
 *   2. all four at once, started by the leader's "go" on the control
 *      channels (leader ports 2..4 <-> follower port 2): pairs4_rt
 *      (nobody prints until everyone has finished measuring)
 *   3. pair 0 with every free port of both guests bound: ports4096_rt
 * and prints the ratios pairs4_vs_1 and ports4096_vs_1 (p50 over p50).
 */
#include "guests/bench/bench.h"

/* Port 0 is never usable, so 4095 ports is everything the 2-level ABI has. */
#define BENCH_PORTS_WANTED (BOLT_EVTCHN_PORTS - 1)

static int bench_ctl_wait(const struct bench_ctx *c, evtchn_port_t port, const char *what)
{
	if (bolt_evtchn_wait_timeout(port, BENCH_IDLE_TIMEOUT_TICKS))
		return 0;
	printf("bench: drive %u: no %s on port %u\n", c->pair, what, port);
	return -XEN_ETIMEDOUT;
}

static uint64_t bench_p50(uint64_t *s, size_t n)
{
	bolt_sort_u64(s, n);
	return bolt_percentile(s, n, 50);
}

static int bench_follower(const struct bench_ctx *c)
{
	int ret;

	ret = bench_ctl_wait(c, BENCH_CTL_PORT, "go");
	if (!ret)
		ret = bench_measure_rt(c, BENCH_PORT, c->wait_how);
	/* Report "done" even after a failure: the leader must not wait forever. */
	bench_notify(c, BENCH_CTL_PORT, 0);
	if (ret)
		return ret;
	ret = bench_ctl_wait(c, BENCH_CTL_PORT, "go to print");
	if (!ret) {
		bench_print_samples("pairs4_rt", c->buf, c->samples);
		printf("bench: pair %u: pairs4_rt p50 %llu ticks\n", c->pair,
		       (unsigned long long)bench_p50(c->buf, c->samples));
		ret = bench_command(c, BENCH_CMD_STOP, 0, 0, 0, NULL);
	}
	bench_notify(c, BENCH_CTL_PORT, 0);
	return ret;
}

/* Signal every follower on its control port (leader ports 2..4). */
static void bench_ctl_signal(const struct bench_ctx *c)
{
	evtchn_port_t p;

	for (p = BENCH_CTL_PORT; p < BENCH_CTL_PORT + BENCH_MAX_PAIRS - 1; p++)
		bench_notify(c, p, 0);
}

/* Wait for every follower's answer on its control port. */
static int bench_ctl_collect(const struct bench_ctx *c, const char *what)
{
	evtchn_port_t p;
	int ret = 0;

	for (p = BENCH_CTL_PORT; p < BENCH_CTL_PORT + BENCH_MAX_PAIRS - 1; p++)
		if (bench_ctl_wait(c, p, what) < 0)
			ret = -XEN_ETIMEDOUT;
	return ret;
}

static int bench_leader(const struct bench_ctx *c)
{
	uint64_t p50_1, p50_4, p50_ports;
	unsigned mine = 0;
	int64_t theirs = 0;
	int ret;

	/* 1. One pair alone. */
	ret = bench_measure_rt(c, BENCH_PORT, c->wait_how);
	if (ret < 0)
		return ret;
	bench_report("pairs1_rt", c->buf, c->samples);
	p50_1 = bolt_percentile(c->buf, c->samples, 50);

	/* 2. Four pairs at once. */
	bench_ctl_signal(c);
	ret = bench_measure_rt(c, BENCH_PORT, c->wait_how);
	if (bench_ctl_collect(c, "done") < 0 && !ret)
		ret = -XEN_ETIMEDOUT;
	if (ret < 0)
		return ret;
	bench_ctl_signal(c);
	bench_print_samples("pairs4_rt", c->buf, c->samples);
	p50_4 = bench_p50(c->buf, c->samples);
	printf("bench: pair 0: pairs4_rt p50 %llu ticks\n", (unsigned long long)p50_4);
	ret = bench_ctl_collect(c, "done printing");
	if (ret < 0)
		return ret;
	/* Pair 0's own p50 under load against alone; tools/bench.sh uses all four pairs. */
	bench_print_ratio("pairs4_vs_1_pair0", p50_4, p50_1, "ratio");

	/* 3. Every port bound on both sides. */
	ret = bench_command(c, BENCH_CMD_BIND, 0, BENCH_PORTS_WANTED, 0, &theirs);
	if (!ret)
		ret = bench_bind_ports(BENCH_PORTS_WANTED, &mine);
	if (ret < 0) {
		printf("bench: binding ports failed: %d\n", ret);
		return ret;
	}
	printf("bench: ports: bound %u more here, %lld more in echo 0\n", mine,
	       (long long)theirs);
	ret = bench_measure_rt(c, BENCH_PORT, c->wait_how);
	if (ret < 0)
		return ret;
	bench_report("ports4096_rt", c->buf, c->samples);
	p50_ports = bolt_percentile(c->buf, c->samples, 50);
	bench_print_ratio("ports4096_vs_1", p50_ports, p50_1, "ratio");
	return bench_command(c, BENCH_CMD_STOP, 0, 0, 0, NULL);
}

int bench_suite_pairs(const struct bench_ctx *c)
{
	return c->pair == 0 ? bench_leader(c) : bench_follower(c);
}
