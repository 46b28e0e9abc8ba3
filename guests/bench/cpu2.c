/* SPDX-License-Identifier: MIT */
/*
 * suite=cpu2: every 2-CPU figure in one boot, one phase at a time, the
 * driver on CPU 0 and its echo on CPU 1 (bench/bench2.cfg):
 *   vmcall_rt, cpuid_rt, pio_rt     exits of the driver alone
 *   shm_poll_rt                     a cache line bounced with no exits
 *   evtchn_rt_spin / _running / _lazy, doorbell_rt   event ping-pongs
 *   hv_send_spin_ticks, hv_wake_spin_ticks   one-way notifications, bolt_stats
 * and suite=mwait (bench/bench2-mwait.cfg, no time event on either CPU):
 *   evtchn_rt_mwait, hv_send_ticks, hv_wake_mwait_ticks, exits_*_per_notify,
 *   evtchn_send_2l, evtchn_send_fifo (fifo.c)
 */
#include "guests/bench/bench.h"

#include <xen/version.h>

/* An I/O port nothing is wired to: every OUT exits and is dropped. */
#define BENCH_PIO_PORT 0x80

enum bench_exit_kind { BENCH_VMCALL, BENCH_CPUID, BENCH_PIO };

static void bench_exit_rt(const struct bench_ctx *c, const char *fig, enum bench_exit_kind k)
{
	uint64_t total = c->warmup + c->samples, i, t0, t1;
	uint32_t regs[4];

	for (i = 0; i < total; i++) {
		t0 = bolt_rdtsc();
		switch (k) {
		case BENCH_VMCALL:
			/* The cheapest real hypercall: no guest memory touched. */
			bolt_hypercall5(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
			break;
		case BENCH_CPUID:
			bolt_cpuid(0, 0, regs);
			break;
		case BENCH_PIO:
			bolt_outb(BENCH_PIO_PORT, 0);
			break;
		}
		t1 = bolt_rdtsc();
		if (i >= c->warmup)
			c->buf[i - c->warmup] = t1 - t0;
	}
	bench_report(fig, c->buf, c->samples);
}

static int bench_shm_poll(const struct bench_ctx *c)
{
	uint64_t total = c->warmup + c->samples, i, t0, t1;
	volatile uint64_t *seq = &c->mbox->seq;
	int ret;

	*seq = 0;
	ret = bench_command(c, BENCH_CMD_SHM_POLL, 0, (uint32_t)total, 0, NULL);
	if (ret < 0)
		return ret;
	for (i = 0; i < total; i++) {
		t0 = bolt_rdtsc();
		*seq = 2 * i + 1;
		while (*seq != 2 * i + 2)
			__asm__ volatile("pause" : : : "memory");
		t1 = bolt_rdtsc();
		if (i >= c->warmup)
			c->buf[i - c->warmup] = t1 - t0;
	}
	bench_report("shm_poll_rt", c->buf, c->samples);
	return 0;
}

static int bench_evtchn_rt(const struct bench_ctx *c, const char *fig, evtchn_port_t port,
			   unsigned how)
{
	int ret = bench_measure_rt(c, port, how);

	if (ret < 0) {
		printf("bench: %s: failed: %d\n", fig, ret);
		return ret;
	}
	bench_report(fig, c->buf, c->samples);
	return 0;
}

/*
 * One-way notifications: the driver sends, the echo (halted) acks each in
 * shared memory instead of with an event, so each side's exits belong to
 * one direction only. Both read bolt_stats around their loop.
 */
static int bench_oneway(const struct bench_ctx *c)
{
	uint64_t total = c->warmup + c->samples, i;
	struct bolt_stats s0, s1;
	volatile uint64_t *seq = &c->mbox->seq;
	long sret;
	bool stats;
	int ret;

	*seq = 0;
	ret = bench_command(c, BENCH_CMD_ONEWAY, BENCH_PORT, (uint32_t)total, 0, NULL);
	if (ret < 0)
		return ret;
	sret = bolt_stats_reset();
	stats = sret == 0 && bolt_stats_get(&s0) == 0;
	for (i = 0; i < total; i++) {
		bench_notify(c, BENCH_PORT, 0);
		while (*seq != i + 1)
			__asm__ volatile("pause" : : : "memory");
	}
	if (stats)
		stats = bolt_stats_get(&s1) == 0;
	if (!stats) {
		printf("bench: drive: bolt_op stats unavailable (%ld); no exits_* or hv_* "
		       "figures\n", sret);
		return 0;
	}
	bench_print_stats_delta("sender", &s0, &s1);
	/* The exit counts and hv_send's target are for the boot without the tick. */
	if (strcmp(c->idle, "mwait") == 0) {
		bench_print_ratio("exits_sender_per_notify", bench_notify_exits(&s0, &s1), total,
				  "exits");
		bench_print_timing("hv_send_ticks", &s1.hv_send);
	} else {
		bench_print_timing("hv_send_spin_ticks", &s1.hv_send);
	}
	return 0;
}

int bench_suite_cpu2(const struct bench_ctx *c)
{
	int ret;

	bench_exit_rt(c, "vmcall_rt", BENCH_VMCALL);
	bench_exit_rt(c, "cpuid_rt", BENCH_CPUID);
	bench_exit_rt(c, "pio_rt", BENCH_PIO);
	/* A phase that fails leaves the echo in an unknown state: stop there. */
	ret = bench_shm_poll(c);
	if (!ret)
		ret = bench_evtchn_rt(c, "evtchn_rt_spin", BENCH_PORT, 0);
	if (!ret)
		ret = bench_evtchn_rt(c, "evtchn_rt_running", BENCH_PORT, BENCH_HOW_RUN);
	if (!ret)
		ret = bench_evtchn_rt(c, "evtchn_rt_lazy", BENCH_LAZY_PORT, 0);
	if (!ret)
		ret = bench_evtchn_rt(c, "doorbell_rt", BENCH_PORT, BENCH_HOW_DOORBELL);
	if (!ret)
		ret = bench_oneway(c);
	if (!ret)
		ret = bench_command(c, BENCH_CMD_STOP, 0, 0, 0, NULL);
	return ret;
}

/*
 * bench/bench2-mwait.cfg: a halted receiver's CPU really sits in MWAIT.
 * Then, with the echo gone and no time event, the 2-level vs FIFO send
 * cost on the driver alone (fifo.c; it closes every port, so it is last).
 */
int bench_suite_mwait(const struct bench_ctx *c)
{
	int ret = bench_evtchn_rt(c, "evtchn_rt_mwait", BENCH_PORT, 0);

	if (!ret)
		ret = bench_oneway(c);
	if (!ret)
		ret = bench_command(c, BENCH_CMD_STOP, 0, 0, 0, NULL);
	if (!ret)
		ret = bench_fifo_send(c);
	return ret;
}
