/* SPDX-License-Identifier: MIT */
/*
 * The ping-pong protocol of the bench guest (see bench.h): the driver's
 * command round trip and measured loop, and the echo that answers it.
 * Both sides of one phase wait and notify the same way, so a round trip is
 * two one-way notifications of the kind being measured.
 */
#include "guests/bench/bench.h"

/* Set by the upcall handlers of the running-receiver phase. */
static volatile uint32_t bench_seen;
static volatile uint32_t bench_limit;
static volatile bool bench_extra;
static const struct bench_ctx *bench_run_ctx;
static unsigned bench_run_how;

static void bench_pause(void)
{
	__asm__ volatile("pause" : : : "memory");
}

static void bench_sti(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static void bench_cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* Wait for one event on port: sti;hlt, or SCHEDOP_poll with BENCH_HOW_POLL. */
static void bench_wait(const struct bench_ctx *c, evtchn_port_t port, unsigned how)
{
	if (!(how & BENCH_HOW_POLL)) {
		bolt_evtchn_wait(port);
		return;
	}
	if (!bolt_evtchn_wait_timeout(port, BENCH_CMD_TIMEOUT_TICKS)) {
		printf("bench: %s %u: no event on port %u within %llu ticks\n", c->role,
		       c->pair, port, (unsigned long long)BENCH_CMD_TIMEOUT_TICKS);
		bolt_shutdown(SHUTDOWN_crash);
	}
}

void bench_notify(const struct bench_ctx *c, evtchn_port_t port, unsigned how)
{
	long ret;

	if (how & BENCH_HOW_DOORBELL) {
		bolt_outb(c->doorbell, 0);
		return;
	}
	ret = bolt_evtchn_send(port);
	if (ret < 0) {
		printf("bench: %s %u: EVTCHNOP_send(port %u) failed: %ld\n", c->role, c->pair,
		       port, ret);
		bolt_shutdown(SHUTDOWN_crash);
	}
}

int bench_command(const struct bench_ctx *c, enum bench_cmd cmd, evtchn_port_t port,
		  uint32_t count, unsigned how, int64_t *result)
{
	struct bench_mbox *m = c->mbox;

	if (bolt_evtchn_test_and_clear(BENCH_PORT))
		printf("bench: drive %u: stale event on port %u before command %u\n", c->pair,
		       BENCH_PORT, cmd);
	m->port = port;
	m->count = count;
	m->how = how;
	m->result = 0;
	m->cmd = cmd;
	/* The send hypercall orders the stores before the echo can see the event. */
	bench_notify(c, BENCH_PORT, 0);
	if (!bolt_evtchn_wait_timeout(BENCH_PORT, BENCH_CMD_TIMEOUT_TICKS)) {
		printf("bench: drive %u: echo did not answer command %u within %llu ticks\n",
		       c->pair, cmd, (unsigned long long)BENCH_CMD_TIMEOUT_TICKS);
		return -XEN_ETIMEDOUT;
	}
	if (result)
		*result = m->result;
	return m->result < 0 ? (int)m->result : 0;
}

/* Driver side of the running phase: count the replies. */
static void bench_drive_handler(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	bench_seen = bench_seen + 1;
}

int bench_measure_rt(const struct bench_ctx *c, evtchn_port_t port, unsigned how)
{
	uint64_t total = c->warmup + c->samples, i, t0, t1;
	int ret;

	ret = bench_command(c, BENCH_CMD_ECHO, port, (uint32_t)total, how, NULL);
	if (ret < 0)
		return ret;
	if (bolt_evtchn_test_and_clear(port))
		printf("bench: drive %u: stale event on port %u\n", c->pair, port);
	if (how & BENCH_HOW_RUN) {
		bench_seen = 0;
		bolt_evtchn_set_handler(port, bench_drive_handler, NULL);
		bench_sti();
	}
	for (i = 0; i < total; i++) {
		t0 = bolt_rdtsc();
		bench_notify(c, port, how);
		if (how & BENCH_HOW_RUN) {
			while (bench_seen != i + 1)
				bench_pause();
		} else {
			bench_wait(c, port, how);
		}
		t1 = bolt_rdtsc();
		if (i >= c->warmup)
			c->buf[i - c->warmup] = t1 - t0;
	}
	if (how & BENCH_HOW_RUN) {
		bench_cli();
		bolt_evtchn_set_handler(port, NULL, NULL);
	}
	return 0;
}

int bench_bind_ports(unsigned want, unsigned *bound)
{
	evtchn_port_t p;
	long ret = 0;
	unsigned n;

	for (n = 0; n < want; n++) {
		ret = bolt_evtchn_bind_ipi(&p);
		if (ret < 0)
			break;
	}
	*bound = n;
	/* Running out of ports is the expected way to stop. */
	return ret == -XEN_ENOSPC || ret >= 0 ? 0 : (int)ret;
}

/* Echo side of the running phase: reply from the upcall, count. */
static void bench_echo_handler(evtchn_port_t port, void *arg)
{
	(void)arg;
	if (bench_seen >= bench_limit) {
		/* The driver's next command: leave it to the command loop. */
		bench_extra = true;
		return;
	}
	bench_notify(bench_run_ctx, port, bench_run_how);
	bench_seen = bench_seen + 1;
}

static void bench_echo_run(const struct bench_ctx *c, evtchn_port_t port, uint32_t count,
			   unsigned how)
{
	/* hv_wake of a running receiver: the kick IPI's exit to the upcall's entry. */
	bool stats = bolt_stats_reset() == 0;
	struct bolt_stats s;

	bench_seen = 0;
	bench_limit = count;
	bench_extra = false;
	bench_run_ctx = c;
	bench_run_how = how;
	bolt_evtchn_set_handler(port, bench_echo_handler, NULL);
	/* IF=1 before the reply: the first ping can only come after it. */
	bench_sti();
	bench_notify(c, BENCH_PORT, 0);
	while (bench_seen < count)
		bench_pause();
	bench_cli();
	bolt_evtchn_set_handler(port, NULL, NULL);
	if (stats && bolt_stats_get(&s) == 0)
		bench_print_timing("hv_wake_running_ticks", &s.hv_wake);
}

static void bench_echo_shm_poll(const struct bench_ctx *c, uint32_t count)
{
	volatile uint64_t *seq = &c->mbox->seq;
	uint64_t i;

	bench_notify(c, BENCH_PORT, 0);
	for (i = 0; i < count; i++) {
		while (*seq != 2 * i + 1)
			bench_pause();
		*seq = 2 * i + 2;
	}
}

static void bench_echo_oneway(const struct bench_ctx *c, evtchn_port_t port, uint32_t count)
{
	struct bolt_stats s0, s1;
	char name[32];
	bool stats;
	uint32_t i;

	/* Reset first: the histograms then hold this phase only. */
	stats = bolt_stats_reset() == 0;
	bench_notify(c, BENCH_PORT, 0);
	if (stats)
		stats = bolt_stats_get(&s0) == 0;
	for (i = 0; i < count; i++) {
		bolt_evtchn_wait(port);
		c->mbox->seq = i + 1;
	}
	if (stats)
		stats = bolt_stats_get(&s1) == 0;
	if (!stats) {
		printf("bench: echo: bolt_op stats unavailable; no receiver figures\n");
		return;
	}
	bench_print_stats_delta("receiver", &s0, &s1);
	if (strcmp(c->idle, "mwait") == 0)
		bench_print_ratio("exits_receiver_per_notify", bench_notify_exits(&s0, &s1), count,
				  "exits");
	snprintf(name, sizeof(name), "hv_wake_%s_ticks", c->idle);
	bench_print_timing(name, &s1.hv_wake);
}

int bench_echo(const struct bench_ctx *c)
{
	struct bench_mbox *m = c->mbox;
	bool pending = false;
	unsigned bound;

	for (;;) {
		uint32_t cmd, count, how;
		evtchn_port_t port;

		if (!pending && !bolt_evtchn_wait_timeout(BENCH_PORT, BENCH_IDLE_TIMEOUT_TICKS)) {
			printf("bench: echo %u: no command for %llu ticks\n", c->pair,
			       (unsigned long long)BENCH_IDLE_TIMEOUT_TICKS);
			return -XEN_ETIMEDOUT;
		}
		pending = false;
		cmd = m->cmd;
		port = m->port;
		count = m->count;
		how = m->how;
		m->result = 0;
		switch (cmd) {
		case BENCH_CMD_ECHO:
			if (how & BENCH_HOW_RUN) {
				bench_echo_run(c, port, count, how);
				pending = bench_extra;
				break;
			}
			bench_notify(c, BENCH_PORT, 0);
			for (uint32_t i = 0; i < count; i++) {
				bench_wait(c, port, how);
				bench_notify(c, port, how);
			}
			break;
		case BENCH_CMD_SHM_POLL:
			bench_echo_shm_poll(c, count);
			break;
		case BENCH_CMD_ONEWAY:
			bench_echo_oneway(c, port, count);
			break;
		case BENCH_CMD_BIND:
			m->result = bench_bind_ports(count, &bound);
			if (!m->result)
				m->result = bound;
			bench_notify(c, BENCH_PORT, 0);
			break;
		case BENCH_CMD_STOP:
			bench_notify(c, BENCH_PORT, 0);
			return 0;
		default:
			printf("bench: echo %u: unknown command %u\n", c->pair, cmd);
			m->result = -XEN_EINVAL;
			bench_notify(c, BENCH_PORT, 0);
			break;
		}
	}
}
