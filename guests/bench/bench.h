/* SPDX-License-Identifier: MIT */
/*
 * The bench guest (bench.elf): one image, several roles chosen on the
 * command line, that measures Bolt's exit and event-channel latencies for
 * `make bench` (the runner tools/bench.sh boots the bench/ configurations).
 *
 *   role=drive suite=cpu2     every 2-CPU figure, in phases, against one echo
 *   role=drive suite=mwait    the halted ping-pong and one-way figures only,
 *                             for a boot with no time event on either CPU
 *   role=drive suite=pairs pair=N   4 pairs on 4 CPUs (pair 0 leads), then
 *                              the 4095-ports figure on pair 0
 *   role=echo pair=N          answers one driver, as its commands say
 *   samples=N (2000), warmup=N (100), doorbell=IOPORT (0x510)
 *   wait=halt|poll            suite=pairs: drivers and echoes wait for events
 *                             in sti;hlt (default) or SCHEDOP_poll
 *   idle=spin|mwait           what a halted receiver's CPU does in this boot
 *                             (bench2.cfg: spin, its 1 ms tick is armed;
 *                             bench2-mwait.cfg: mwait); names the figures
 *
 * A driver talks to its echo through a mailbox in the [shm] region
 * "bench" (one 256-byte slot per pair): it writes a command there, sends
 * an event on port 1 and waits for the echo's reply on port 1. The echo
 * replies once it is ready for the phase, so every phase starts with both
 * sides in place and nothing else running. The phases themselves are
 * strictly alternating ping-pongs, so events never coalesce.
 *
 * Output, after each phase has finished measuring (console_io exits must
 * not disturb a measurement): `CSV <figure> s1 s2 ...` lines with the raw
 * samples in ticks, then `BENCH <figure>_p50|_p99|_max <v> ticks`; the
 * stats-derived figures as `BENCH <name> <value> <unit>`.
 */
#ifndef BOLT_BENCH_H
#define BOLT_BENCH_H

#include <bolt/sdk.h>

#define BENCH_MAX_SAMPLES 20000u
#define BENCH_MAX_WARMUP 10000u
#define BENCH_DEFAULT_SAMPLES 2000u
#define BENCH_DEFAULT_WARMUP 100u
#define BENCH_DEFAULT_DOORBELL 0x510u
#define BENCH_MAX_PAIRS 4u
/* SDM basic exit reason 52: the VMX-preemption timer expired. */
#define BENCH_EXIT_PREEMPTION_TIMER 52u

/* Port 1: each pair's immediate channel (commands and most phases). */
#define BENCH_PORT 1u
/* Port 2 in suite=cpu2: the same two guests over a delivery = lazy channel. */
#define BENCH_LAZY_PORT 2u
/* Port 2 of a pairs follower / ports 2..4 of the leader: the control channels. */
#define BENCH_CTL_PORT 2u

/* How long a driver waits for a command reply: 100 s at Bochs' 50 ticks/us. */
#define BENCH_CMD_TIMEOUT_TICKS 5000000000ull
/* How long an echo or a pairs follower waits for its next command. */
#define BENCH_IDLE_TIMEOUT_TICKS 50000000000ull

enum bench_cmd {
	BENCH_CMD_NONE,
	BENCH_CMD_ECHO,     /* answer `count` events on `port` as `how` says */
	BENCH_CMD_SHM_POLL, /* bounce the seq word `count` times, no events */
	BENCH_CMD_ONEWAY,   /* count one-way notifications, ack each in seq; print stats */
	BENCH_CMD_BIND,     /* bind up to `count` more ports; result = how many */
	BENCH_CMD_STOP,     /* reply and power off */
};

/* `how` bits of BENCH_CMD_ECHO (the driver uses the same for its side). */
#define BENCH_HOW_RUN 1u      /* spin with IF=1, answer from the upcall handler */
#define BENCH_HOW_DOORBELL 2u /* notify with `outb` to the doorbell port, not a hypercall */
#define BENCH_HOW_POLL 4u     /* wait in SCHEDOP_poll instead of sti;hlt */

/* One pair's slot in the shared region; the fields sit on separate cache lines. */
struct bench_mbox {
	volatile uint32_t cmd, port, count, how;
	volatile int64_t result; /* the echo's answer to the last command */
	uint8_t pad0[40];
	volatile uint64_t seq;   /* shm_poll: ping 2i+1, pong 2i+2; oneway: acks */
	uint8_t pad1[56];
	uint8_t pad2[128];
};
_Static_assert(sizeof(struct bench_mbox) == 256, "one mailbox per 256 bytes");

struct bench_ctx {
	const char *role;       /* "drive" or "echo" (log prefix) */
	unsigned pair;
	uint64_t samples, warmup;
	uint16_t doorbell;
	unsigned wait_how;      /* suite=pairs: 0 or BENCH_HOW_POLL (wait=) */
	const char *idle;       /* idle=: "spin" or "mwait" */
	struct bench_mbox *mbox;
	uint64_t *buf;          /* BENCH_MAX_SAMPLES entries */
};

/* proto.c: both sides of the ping-pong. */
void bench_notify(const struct bench_ctx *c, evtchn_port_t port, unsigned how);
int bench_command(const struct bench_ctx *c, enum bench_cmd cmd, evtchn_port_t port,
		  uint32_t count, unsigned how, int64_t *result);
int bench_measure_rt(const struct bench_ctx *c, evtchn_port_t port, unsigned how);
int bench_bind_ports(unsigned want, unsigned *bound);
int bench_echo(const struct bench_ctx *c);

/* report.c: output. */
void bench_print_samples(const char *fig, const uint64_t *s, size_t n);
void bench_print_summary(const char *fig, uint64_t *s, size_t n);
void bench_report(const char *fig, uint64_t *s, size_t n);
void bench_print_ratio(const char *name, uint64_t num, uint64_t den, const char *unit);
void bench_print_timing(const char *name, const struct bolt_timing *t);
void bench_print_stats_delta(const char *who, const struct bolt_stats *a,
			     const struct bolt_stats *b);
uint64_t bench_notify_exits(const struct bolt_stats *a, const struct bolt_stats *b);

/* suites */
int bench_suite_cpu2(const struct bench_ctx *c);
int bench_suite_pairs(const struct bench_ctx *c);
int bench_suite_mwait(const struct bench_ctx *c);
/* fifo.c: evtchn_send_2l / evtchn_send_fifo; closes every port of the driver. */
int bench_fifo_send(const struct bench_ctx *c);

#endif
