/* SPDX-License-Identifier: MIT */
/*
 * hostile catalogue, case=tpr-kick: a guest that raises CR8 to 15 must
 * not hold off Bolt's kick IPI on its CPU. Before issue 8, MOV to CR8
 * reached the real local APIC: with TPR = 15 every interrupt, the kick
 * included, stayed pending while the guest ran, so a spinning receiver
 * never saw the peer's events.
 *
 *   case=tpr-kick role=rx port=P [rounds=N]   CR8 = 15, sti, spin until each
 *                                             reply's upcall has run
 *   case=tpr-kick role=tx port=P              echo every event back on P
 * Each round rx sends on P and spins (no exits, no hypercalls) until its
 * upcall handler saw the reply, for at most 200 ms of TSC; tx gives up
 * after 2 s without an event.
 */
#include "tests/guests/hostile/hostile.h"

#define TPR_SPIN_NS 200000000ull

static volatile uint64_t tpr_upcalls;

static void tpr_handler(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	tpr_upcalls++;
}

/* TSC ticks in ns of guest time, from the pvclock's scale (TSC 50 MHz in Bochs). */
static uint64_t tpr_ticks(uint64_t ns)
{
	uint64_t t0 = bolt_rdtsc(), n0 = bolt_now_ns();

	while (bolt_now_ns() - n0 < 1000000)
		;
	return ns / 1000000 * (bolt_rdtsc() - t0);
}

static const char *tpr_rx(evtchn_port_t port, uint64_t rounds)
{
	static char why[128];
	uint64_t limit = tpr_ticks(TPR_SPIN_NS), cr8;

	if (bolt_evtchn_set_handler(port, tpr_handler, NULL) < 0)
		return "cannot set the event handler";
	__asm__ volatile("mov %0, %%cr8" : : "r"(15ull) : "memory");
	__asm__ volatile("mov %%cr8, %0" : "=r"(cr8));
	if (cr8 != 15)
		return "CR8 does not read back 15";
	__asm__ volatile("sti" ::: "memory");
	for (uint64_t i = 0; i < rounds; i++) {
		uint64_t t0 = bolt_rdtsc();

		if (bolt_evtchn_send(port) < 0)
			return "send failed";
		while (tpr_upcalls <= i && bolt_rdtsc() - t0 < limit)
			__asm__ volatile("pause" ::: "memory");
		if (tpr_upcalls <= i) {
			__asm__ volatile("cli; mov %0, %%cr8" : : "r"(0ull) : "memory");
			snprintf(why, sizeof(why),
				 "round %llu: no upcall within 200 ms while CR8 = 15 "
				 "(the kick IPI was held off)", (unsigned long long)i + 1);
			return why;
		}
	}
	__asm__ volatile("cli; mov %0, %%cr8" : : "r"(0ull) : "memory");
	printf("hostile: tpr-kick: %llu replies delivered while CR8 = 15\n",
	       (unsigned long long)rounds);
	/* Tell tx we are done: it stops on the extra event. */
	bolt_evtchn_send(port);
	return NULL;
}

static const char *tpr_tx(evtchn_port_t port, uint64_t rounds)
{
	uint64_t limit = tpr_ticks(2000000000ull);

	for (uint64_t i = 0; i <= rounds; i++) {
		if (!bolt_evtchn_wait_timeout(port, limit))
			return "no event from rx within 2 s";
		if (i < rounds && bolt_evtchn_send(port) < 0)
			return "send failed";
	}
	return NULL;
}

const char *hostile_tpr_kick(const struct hostile_args *a)
{
	char role[8];
	uint64_t port = 0, rounds = 50;

	if (bolt_cmdline_get(a->si, "role", role, sizeof(role)) < 0 ||
	    bolt_cmdline_get_u64(a->si, "port", &port) < 0 || !port)
		return "needs role=rx|tx and port=P";
	bolt_cmdline_get_u64(a->si, "rounds", &rounds);
	if (strcmp(role, "rx") == 0)
		return tpr_rx((evtchn_port_t)port, rounds);
	if (strcmp(role, "tx") == 0)
		return tpr_tx((evtchn_port_t)port, rounds);
	return "role= must be rx or tx";
}
