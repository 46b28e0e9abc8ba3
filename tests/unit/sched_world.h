/* SPDX-License-Identifier: MIT */
/*
 * The fake world of the scheduler tests (test_sched.c, test_notify.c):
 * sched/'s sources included directly (the explicit seam), the real
 * event-channel core linked (see the Makefile), and fakes for the arch,
 * time, trace and console hooks. Two CPUs whose "current CPU" the test
 * chooses, a clock the test sets, and an idle wait that records its
 * arguments and runs a test-supplied callback (standing in for a remote
 * CPU or the passing of time) so the idle loop can end.
 */
#ifndef TESTS_UNIT_SCHED_WORLD_H
#define TESTS_UNIT_SCHED_WORLD_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "../../sched/budget.c"
#include "../../sched/idle.c"
#include "../../sched/notify.c"
#include "../../sched/sched.c"
#include "../../sched/timer.c"

#include "lib/errno.h"
#include "unit.h"

#define NCPU 2
#define NGUEST 6

static struct pcpu P[NCPU];
static struct guest G[NGUEST];
static struct vcpu GV[NGUEST]; /* guest i's one vCPU */
static struct shared_info *g0_shinfo;
static struct evtchn_port *g0_ports;
static uint32_t g0_timer_port;

/* --- fakes --------------------------------------------------------------- */

static struct pcpu *fake_cpu;     /* what this_pcpu() returns */
static int fake_ipis[NCPU];       /* arch_kick_cpu() calls per CPU */
static uint64_t fake_now;         /* time_now_ns() */
static bool fake_upcall[NGUEST];  /* vcpu_upcall_pending() per guest */
static int fake_logs;             /* log_printf() calls */
static int fake_trace_ipi, fake_trace_line; /* trace_kick(true/false) calls */
static uint64_t fake_tsc;         /* arch_timestamp(): advances by 1 per read */
bool trace_enabled;

static struct {
	int calls;
	volatile uint64_t *line;
	void *volatile const *cond;
	uint64_t deadline_tsc;
	void (*hook)(int call);   /* what "happens" while the CPU waits */
} fake_idle;

struct pcpu *this_pcpu(void)
{
	return fake_cpu;
}

void arch_kick_cpu(struct pcpu *p)
{
	fake_ipis[p->index]++;
}

void trace_kick(bool ipi)
{
	if (ipi)
		fake_trace_ipi++;
	else
		fake_trace_line++;
}

uint64_t arch_timestamp(void)
{
	return ++fake_tsc;
}

uint64_t time_now_ns(void)
{
	return fake_now;
}

/* A distinct affine map, so the test sees that the deadline was converted. */
uint64_t time_ns_to_tsc(uint64_t ns)
{
	return ns * 3 + 7;
}

bool vcpu_upcall_pending(const struct vcpu *v)
{
	const struct shared_info *sh = v->guest->shinfo;

	/* A test sets it by hand, or the real event-channel core raised it. */
	return fake_upcall[v->guest - G] ||
	       (sh && __atomic_load_n(&sh->vcpu_info[0].evtchn_upcall_pending, __ATOMIC_ACQUIRE));
}

uint64_t arch_idle_wait(volatile uint64_t *line, void *volatile const *cond, uint64_t deadline_tsc)
{
	fake_idle.calls++;
	fake_idle.line = line;
	fake_idle.cond = cond;
	fake_idle.deadline_tsc = deadline_tsc;
	if (fake_idle.calls > 50 || !fake_idle.hook) {
		fprintf(stderr, "%s: idle loop never ends\n", unit_current);
		abort();
	}
	fake_idle.hook(fake_idle.calls);
	return 0;
}

void log_printf(const char *fmt, ...)
{
	(void)fmt;
	fake_logs++;
}

/* The current vCPU blocks with nothing to wait for but a sched_wake(). */
static __attribute__((unused)) void block(struct vcpu *v)
{
	CHECK(sched_block_unless(v, NULL, NULL));
}

/* --- world --------------------------------------------------------------- */

static struct vcpu *V(int i)
{
	return &GV[i];
}

/* Fresh CPUs and guests; guest i is pinned to cpu[i] with priority prio[i]. */
static void world(const int cpu[NGUEST], const unsigned prio[NGUEST])
{
	memset(P, 0, sizeof(P));
	memset(G, 0, sizeof(G));
	memset(GV, 0, sizeof(GV));
	memset(fake_ipis, 0, sizeof(fake_ipis));
	memset(fake_upcall, 0, sizeof(fake_upcall));
	memset(&fake_idle, 0, sizeof(fake_idle));
	fake_logs = 0;
	fake_trace_ipi = fake_trace_line = 0;
	fake_tsc = 1000;
	trace_enabled = true;
	fake_now = 100 * TICK_NS + 12345; /* not on a tick boundary */
	for (int c = 0; c < NCPU; c++) {
		P[c].self = &P[c];
		P[c].index = (unsigned)c;
		/* Garbage the init must clear. */
		P[c].rq.head = (struct vcpu *)&P[c];
		P[c].rq.kick = 77;
		P[c].rq.resched = true;
		P[c].rq.slice_end_ns = 5;
		sched_init_cpu(&P[c]);
	}
	for (int i = 0; i < NGUEST; i++) {
		struct vcpu *v = V(i);
		struct pcpu *p = &P[cpu[i]];

		G[i].domid = (unsigned)i + 1;
		G[i].vcpus = v;
		G[i].nr_vcpus = 1;
		v->guest = &G[i];
		v->pcpu = p;
		v->priority = prio[i];
		v->state = VCPU_STOPPED;
		p->vcpus[p->nr_vcpus++] = v;
	}
	/* Guest 0 has bound VIRQ_TIMER; the others' virq tables are empty. */
	memset(g0_shinfo, 0, sizeof(*g0_shinfo));
	evtchn_domain_init(&G[0].evtchn, 1, g0_shinfo, g0_ports, EVTCHN_DELIVERY_IMMEDIATE,
			   (struct vcpu *[1]){ V(0) }, 1);
	struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
	if (evtchn_op_bind_virq(&G[0].evtchn, &b))
		abort();
	g0_timer_port = b.port;
	fake_cpu = &P[0];
}

static const int all_cpu0[NGUEST] = { 0, 0, 0, 0, 0, 0 };
static const unsigned all_prio1[NGUEST] = { 1, 1, 1, 1, 1, 1 };

/* Run the scheduler as CPU p itself. */
static struct vcpu *next_on(struct pcpu *p)
{
	fake_cpu = p;
	return sched_next(p);
}

/* The queue as guest indexes ("0,3,1"), for readable comparisons. */
static const char *queue_str(const struct pcpu *p)
{
	static char buf[64];
	size_t n = 0;

	buf[0] = '\0';
	for (const struct vcpu *v = p->rq.head; v && n + 4 < sizeof(buf); v = v->rq_next)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%d", n ? "," : "",
				      (int)(v->guest - G));
	return buf;
}

/* Start guests 0..n-1 and let CPU 0 pick the first. */
static __attribute__((unused)) struct vcpu *start_n(int n)
{
	for (int i = 0; i < n; i++)
		sched_start(V(i));
	return next_on(&P[0]);
}

#endif
