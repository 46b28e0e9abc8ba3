/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the delivery policy (sched_notify, sched/notify.c) and the
 * flood budget (sched/budget.c), driven through the real event-channel
 * core: a guest sends with evtchn_op_send(), evtchn/ makes the event
 * pending and calls sched_notify(), and the test looks at run queues,
 * kick words, IPIs and vCPU states in the fake world of sched_world.h.
 *
 * Guests 0 and 3 sit on CPU 0, guests 1 and 2 on CPU 1. Static channels:
 * 0:1 <-> 1:1, 0:2 <-> 2:1, 0:3 <-> 3:1 (same core), 1:2 <-> 2:2.
 */
#include "sched_world.h"

#define NDOM 4

static struct shared_info *sh[NDOM];
static struct evtchn_port *ports[NDOM];

static const int cpus[NGUEST] = { 0, 1, 1, 0, 0, 0 };

/* The world plus event channels for guests 0..3, every vCPU runnable. */
static void setup(const unsigned prio[NGUEST], enum evtchn_delivery how)
{
	world(cpus, prio);
	for (int i = 0; i < NDOM; i++) {
		memset(sh[i], 0, sizeof(*sh[i]));
		G[i].shinfo = sh[i];
		V(i)->upcall_vector = 0xf3;
		if (evtchn_domain_init(&G[i].evtchn, (uint16_t)(i + 1), sh[i], ports[i], how,
				       (struct vcpu *[1]){ V(i) }, 1))
			abort();
	}
	if (evtchn_bind_static(&G[0].evtchn, 1, &G[1].evtchn, 1, how, false) ||
	    evtchn_bind_static(&G[0].evtchn, 2, &G[2].evtchn, 1, how, false) ||
	    evtchn_bind_static(&G[0].evtchn, 3, &G[3].evtchn, 1, how, false) ||
	    evtchn_bind_static(&G[1].evtchn, 2, &G[2].evtchn, 2, how, false))
		abort();
	for (int i = 0; i < NDOM; i++)
		sched_start(V(i));
	/* With equal priorities CPU 0 runs guest 0 (the sender), CPU 1 guest 1; 3 and 2 wait. */
	next_on(&P[1]);
	next_on(&P[0]);
	memset(fake_ipis, 0, sizeof(fake_ipis));
	P[0].rq.kick = P[1].rq.kick = 0;
	fake_trace_ipi = fake_trace_line = 0;
}

/*
 * Run CPU p's scheduler; with nothing runnable, leave it as the idle loop
 * does while it waits (current NULL) instead of calling the fake idle wait.
 */
static void next_on_or_idle(struct pcpu *p)
{
	if (p->rq.head) {
		next_on(p);
		return;
	}
	p->current = NULL;
	p->rq.resched = false;
}

/* Guest i blocks on its own CPU (HLT with nothing pending) and the CPU moves on. */
static void block_on_cpu(int i)
{
	struct pcpu *p = V(i)->pcpu;

	fake_cpu = p;
	CHECK(p->current == V(i)); /* only the running vCPU blocks */
	CHECK(sched_block_unless_upcall(V(i)));
	next_on_or_idle(p);
	fake_cpu = &P[0];
}

static int send(int from, uint32_t port)
{
	fake_cpu = V(from)->pcpu;
	return evtchn_op_send(&G[from].evtchn, port);
}

/* The guest took its upcall: clear the flag as its handler would. */
static void ack(int i)
{
	__atomic_store_n(&sh[i]->vcpu_info[0].evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	for (unsigned w = 0; w < sizeof(sh[i]->evtchn_pending) / sizeof(sh[i]->evtchn_pending[0]); w++)
		sh[i]->evtchn_pending[w] = 0;
}

/* --- the cases of sched/notify.h ------------------------------------------ */

/* Blocked receiver, its CPU idle in MWAIT: the line is written, no IPI. */
static void test_blocked_idle(void)
{
	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	block_on_cpu(1);
	block_on_cpu(2); /* CPU 1 has nothing left: idle */
	CHECK(P[1].current == NULL);
	P[1].rq.kick = 0;
	CHECK_EQ(send(0, 1), 0);
	CHECK_EQ(V(1)->state, VCPU_RUNNABLE);
	CHECK_EQ(V(1)->notifies, 1);
	CHECK_STR(queue_str(&P[1]), "1");
	CHECK_EQ(P[1].rq.kick, 1);
	CHECK_EQ(fake_ipis[1], 0);
	CHECK(P[1].rq.resched);
	CHECK(V(1)->woken);
	/* A second send before it ran: already pending, nothing more. */
	CHECK_EQ(send(0, 1), 0);
	CHECK_EQ(V(1)->notifies, 1);
	CHECK_EQ(P[1].rq.kick, 1);
}

/* Blocked receiver whose CPU runs an equal in the guest: IPI, and it preempts. */
static void test_blocked_preempts_equal(void)
{
	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	block_on_cpu(1); /* CPU 1 moves on to guest 2 */
	CHECK(P[1].current == V(2));
	P[1].in_guest = true;
	CHECK_EQ(send(0, 1), 0);
	CHECK_EQ(fake_ipis[1], 1);
	CHECK(V(1)->boosted);
	P[1].in_guest = false; /* the IPI's VM exit */
	CHECK(next_on(&P[1]) == V(1));
	CHECK_STR(queue_str(&P[1]), "2");
	CHECK_EQ(P[1].rq.slice_end_ns, fake_now + SCHED_SLICE_NS); /* guest 2 gets its turn */
}

/* Blocked receiver of lower priority than the running vCPU: queued, no kick. */
static void test_blocked_below_running(void)
{
	static const unsigned prio[NGUEST] = { 1, 0, 1, 1, 1, 1 };

	setup(prio, EVTCHN_DELIVERY_IMMEDIATE);
	CHECK(P[1].current == V(2)); /* the higher priority runs; guest 1 had blocked */
	sched_stop(V(1));
	V(1)->state = VCPU_BLOCKED;
	P[1].in_guest = true;
	P[1].rq.resched = false;
	CHECK_EQ(send(0, 1), 0);
	CHECK_EQ(V(1)->state, VCPU_RUNNABLE);
	CHECK_STR(queue_str(&P[1]), "1");
	CHECK_EQ(fake_ipis[1], 0); /* an exit would change nothing */
	CHECK_EQ(P[1].rq.kick, 0);
	CHECK(!P[1].rq.resched);
	/* It runs once guest 2 blocks. */
	block_on_cpu(2);
	CHECK(P[1].current == V(1));
}

/* Running receiver on another CPU: an IPI only while it is in the guest. */
static void test_running_remote(void)
{
	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	P[1].in_guest = true;
	CHECK_EQ(send(0, 1), 0);
	CHECK_EQ(fake_ipis[1], 1);
	CHECK_EQ(fake_trace_ipi, 1);
	CHECK(P[1].rq.head == V(2)); /* nothing queued */
	CHECK(!V(1)->woken);
	ack(1);
	/* In the hypervisor: its entry re-checks the upcall; no IPI. */
	P[1].in_guest = false;
	CHECK_EQ(send(0, 1), 0);
	CHECK_EQ(fake_ipis[1], 1);
	CHECK_EQ(V(1)->notifies, 2);
}

/* A runnable receiver that waits in its CPU's queue: nothing to do. */
static void test_queued_receiver(void)
{
	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	P[1].in_guest = true;
	CHECK_EQ(send(0, 2), 0); /* guest 2 is queued behind guest 1 on CPU 1 */
	CHECK_EQ(fake_ipis[1], 0);
	CHECK_EQ(P[1].rq.kick, 0);
	CHECK_STR(queue_str(&P[1]), "2");
	CHECK_EQ(V(2)->notifies, 1);
}

/* Same core: the woken receiver runs before the sender's next entry. */
static void test_same_core(void)
{
	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	fake_cpu = &P[0];
	/* Guest 3 ran and blocked; guest 0 runs again. */
	sched_stop(V(3));
	V(3)->state = VCPU_BLOCKED;
	P[0].rq.resched = false;
	CHECK_EQ(send(0, 3), 0);
	CHECK_EQ(P[0].rq.kick, 0); /* no line write, no IPI to ourselves */
	CHECK_EQ(fake_ipis[0] + fake_ipis[1], 0);
	CHECK(P[0].rq.resched);
	CHECK(next_on(&P[0]) == V(3));
	CHECK_STR(queue_str(&P[0]), "0");
}

/* bolt.cfg handover: a runnable receiver on the sender's core runs next. */
static void test_handover(void)
{
	static const unsigned prio[NGUEST] = { 2, 1, 1, 1, 1, 1 };

	setup(prio, EVTCHN_DELIVERY_IMMEDIATE);
	V(3)->handover = true;
	CHECK_STR(queue_str(&P[0]), "3");
	P[0].rq.resched = false;
	CHECK_EQ(send(0, 3), 0); /* guest 3 is runnable, below guest 0 */
	CHECK(P[0].rq.handover);
	CHECK(next_on(&P[0]) == V(3)); /* despite guest 0's higher priority */
	CHECK_STR(queue_str(&P[0]), "0");
	/* Without handover the higher-priority sender keeps the CPU. */
	setup(prio, EVTCHN_DELIVERY_IMMEDIATE);
	P[0].rq.resched = false;
	CHECK_EQ(send(0, 3), 0);
	CHECK(!P[0].rq.handover);
	CHECK(next_on(&P[0]) == V(0));
}

/* Lazy delivery: nothing until the receiving CPU's tick. */
static void test_lazy(void)
{
	setup(all_prio1, EVTCHN_DELIVERY_LAZY);
	block_on_cpu(1);
	block_on_cpu(2);
	P[1].lazy = true;
	P[1].next_tick_ns = fake_now + 10;
	P[1].rq.kick = 0;
	P[1].rq.resched = false;
	CHECK_EQ(send(0, 1), 0);
	CHECK_EQ(V(1)->notifies, 1);
	CHECK_EQ(V(1)->state, VCPU_BLOCKED);
	CHECK_EQ(P[1].rq.kick, 0);
	CHECK_EQ(fake_ipis[1], 0);
	fake_now += 10;
	fake_cpu = &P[1];
	timer_run(&P[1]);
	CHECK_EQ(V(1)->state, VCPU_RUNNABLE);
	CHECK_STR(queue_str(&P[1]), "1");
}

/* SCHEDOP_poll: a port pending without a new upcall wakes only a poller. */
static void test_poll_port_event(void)
{
	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	block_on_cpu(1);
	block_on_cpu(2);
	/* Guest 2 has an upcall pending already: later events raise no upcall. */
	sh[2]->vcpu_info[0].evtchn_upcall_pending = 1;
	CHECK_EQ(send(0, 2), 0);
	CHECK_EQ(V(2)->state, VCPU_BLOCKED); /* not polling: HLT waits for upcalls */
	CHECK_EQ(V(2)->notifies, 0);
	V(2)->polling = true;
	CHECK_EQ(send(1, 2), 0);
	CHECK_EQ(V(2)->state, VCPU_RUNNABLE);
	CHECK(!V(2)->polling);
}

/* The block primitive re-checks after blocking: an event raised in between is not slept through. */
static bool pending_after_first_look(const struct vcpu *v, const void *arg)
{
	int *looks = (int *)(uintptr_t)arg;

	(void)v;
	return ++*looks > 1; /* the sender's event lands between the two looks */
}

static void test_block_recheck(void)
{
	int looks = 0;

	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	fake_cpu = &P[1];
	CHECK(!sched_block_unless(V(1), pending_after_first_look, &looks));
	CHECK_EQ(looks, 2);
	CHECK_EQ(V(1)->state, VCPU_RUNNABLE);
	CHECK(next_on(&P[1]) == V(1));
	/* Pending at the first look: it never blocks. */
	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	sh[1]->vcpu_info[0].evtchn_upcall_pending = 1;
	fake_cpu = &P[1];
	CHECK(!sched_block_unless_upcall(V(1)));
	CHECK_EQ(V(1)->state, VCPU_RUNNABLE);
	CHECK(!V(1)->woken);
}

/* Flood budget: the sender sleeps out the window and is woken at its end. */
static void test_budget_throttle(void)
{
	struct sched_budget b = { .limit = 2, .period_ns = 1000, .channel = "flood" };

	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	G[0].cfg = &(struct cfg_guest){ .name = "flooder" };
	fake_cpu = &P[0];
	uint64_t start = fake_now;
	CHECK(!sched_budget_charge(V(0), &b, "victim"));
	CHECK(!sched_budget_charge(V(0), &b, "victim"));
	CHECK(sched_budget_charge(V(0), &b, "victim"));
	CHECK_EQ(V(0)->state, VCPU_BLOCKED);
	CHECK_EQ(V(0)->throttled, 1);
	CHECK_EQ(V(0)->poll_ns, start + 1000);
	CHECK_EQ(fake_logs, 1);
	CHECK(next_on(&P[0]) == V(3)); /* its CPU time goes to the others */
	/* Still in the window: nothing; at its end the tick of timer_run wakes it. */
	fake_now = start + 999;
	timer_run(&P[0]);
	CHECK_EQ(V(0)->state, VCPU_BLOCKED);
	fake_now = start + 1000;
	timer_run(&P[0]);
	CHECK_EQ(V(0)->state, VCPU_RUNNABLE);
	/* A new window: two more sends go through; the log line came once. */
	CHECK(!sched_budget_charge(V(0), &b, "victim"));
	CHECK(!sched_budget_charge(V(0), &b, "victim"));
	CHECK(sched_budget_charge(V(0), &b, "victim"));
	CHECK_EQ(fake_logs, 1);
	/* No budget: never throttled. */
	struct sched_budget none = { 0 };
	for (int i = 0; i < 100; i++)
		CHECK(!sched_budget_charge(V(1), &none, "x"));
}

/* A send racing the receiver's stop and restart: no wake of a stopped vCPU, then UNBOUND. */
static void test_close_and_restart(void)
{
	setup(all_prio1, EVTCHN_DELIVERY_IMMEDIATE);
	block_on_cpu(1);
	block_on_cpu(2);
	/* Guest 1 stops (guest_stop on CPU 1): its vCPU is STOPPED before its ports close. */
	fake_cpu = &P[1];
	sched_stop(V(1));
	CHECK_EQ(send(0, 1), 0); /* the channel is still connected: the event is pending... */
	CHECK_EQ(V(1)->state, VCPU_STOPPED); /* ...but a stopped vCPU is never woken */
	CHECK(P[1].rq.head == NULL);
	evtchn_domain_close_all(&G[1].evtchn);
	ack(1);
	/* Closed: the sender's end waits UNBOUND for the restarted guest; a send delivers nothing. */
	CHECK_EQ(send(0, 1), 0);
	CHECK_EQ(V(1)->notifies, 1);
	/* Restart: runnable again; the static channel is re-bound (core/lifecycle.c). */
	fake_cpu = &P[1];
	sched_start(V(1));
	CHECK(evtchn_bind_static(&G[0].evtchn, 1, &G[1].evtchn, 1, EVTCHN_DELIVERY_IMMEDIATE,
				 false) == 0);
	CHECK(next_on(&P[1]) == V(1));
	block_on_cpu(1);
	CHECK_EQ(send(0, 1), 0);
	CHECK_EQ(V(1)->state, VCPU_RUNNABLE);
	CHECK_EQ(V(1)->notifies, 2);
}

void unit_main(void)
{
	g0_shinfo = calloc(1, sizeof(*g0_shinfo));
	g0_ports = calloc(EVTCHN_NR_PORTS, sizeof(*g0_ports));
	for (int i = 0; i < NDOM; i++) {
		sh[i] = calloc(1, sizeof(*sh[i]));
		ports[i] = calloc(EVTCHN_NR_PORTS, sizeof(*ports[i]));
		if (!sh[i] || !ports[i])
			abort();
	}
	if (!g0_shinfo || !g0_ports)
		abort();
	TEST(test_blocked_idle);
	TEST(test_blocked_preempts_equal);
	TEST(test_blocked_below_running);
	TEST(test_running_remote);
	TEST(test_queued_receiver);
	TEST(test_same_core);
	TEST(test_handover);
	TEST(test_lazy);
	TEST(test_poll_port_event);
	TEST(test_block_recheck);
	TEST(test_budget_throttle);
	TEST(test_close_and_restart);
	for (int i = 0; i < NDOM; i++) {
		free(sh[i]);
		free(ports[i]);
	}
	free(g0_shinfo);
	free(g0_ports);
}
