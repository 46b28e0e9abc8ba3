/* SPDX-License-Identifier: MIT */
/*
 * Counts guests still alive. When the last one stops, the CPU that stopped
 * it prints per guest the stop reason, time in the guest and exits by
 * reason, then powers the machine off (or halts) as bolt.cfg says.
 */
#include "arch/cpu.h"
#include "arch/vmx_setup.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/pcpu.h"
#include "core/summary.h"
#include "core/grant.h"
#include "core/trace.h"
#include "lib/fmt.h"
#include "lib/lib.h"

static unsigned running;
static enum cfg_on_all_stopped end_policy;
static uint64_t ticks_per_us = 1;

void summary_init(unsigned nr_running, enum cfg_on_all_stopped policy, uint64_t tsc_per_us)
{
	running = nr_running;
	end_policy = policy;
	ticks_per_us = tsc_per_us ? tsc_per_us : 1;
}

/* Its vCPUs' counters added up (a static: struct vcpu is large for a host stack). */
static const struct vcpu *vcpu_totals(const struct guest *g)
{
	static struct vcpu sum;

	if (g->nr_vcpus == 1)
		return &g->vcpus[0];
	memset(&sum, 0, sizeof(sum));
	for (unsigned i = 0; i < g->nr_vcpus; i++) {
		const struct vcpu *v = &g->vcpus[i];

		sum.nr_exits += v->nr_exits;
		sum.guest_ticks += v->guest_ticks;
		sum.sends += v->sends;
		sum.notifies += v->notifies;
		sum.upcalls += v->upcalls;
		sum.wakeups += v->wakeups;
		sum.throttled += v->throttled;
		for (unsigned r = 0; r < ARCH_NR_EXIT_REASONS; r++)
			sum.exits[r] += v->exits[r];
	}
	return &sum;
}

static void print_guest(const struct guest *g)
{
	const struct vcpu *v = vcpu_totals(g);
	char line[CONSOLE_LINE_MAX];
	size_t n = 0;

	log_printf("  %-12s %-8s boots %u, %lu exits, %lu ticks (%lu us) in guest: %s", g->cfg->name,
		   guest_stop_name(g->stop_reason), g->boot_count + 1, (unsigned long)v->nr_exits,
		   (unsigned long)v->guest_ticks, (unsigned long)(v->guest_ticks / ticks_per_us),
		   g->stop_msg);
	line[0] = '\0';
	for (unsigned r = 0; r < ARCH_NR_EXIT_REASONS; r++) {
		if (!v->exits[r])
			continue;
		int w = bolt_snprintf(line + n, sizeof(line) - n, "%s%s %lu", n ? ", " : "",
				      arch_exit_reason_name(r), (unsigned long)v->exits[r]);
		if (w < 0 || (size_t)w >= sizeof(line) - n) {
			log_printf("  %-12s exits: %s", "", line);
			n = 0;
			line[0] = '\0';
			w = bolt_snprintf(line, sizeof(line), "%s %lu", arch_exit_reason_name(r),
					  (unsigned long)v->exits[r]);
		}
		n += (size_t)w;
	}
	if (n)
		log_printf("  %-12s exits: %s", "", line);
	if (v->sends || v->notifies || v->upcalls)
		log_printf("  %-12s events: %lu sent, %lu notified, %lu upcalls, %lu wake-ups, %lu throttled",
			   "", (unsigned long)v->sends, (unsigned long)v->notifies,
			   (unsigned long)v->upcalls, (unsigned long)v->wakeups,
			   (unsigned long)v->throttled);
	for (unsigned i = 0; g->nr_vcpus > 1 && i < g->nr_vcpus; i++)
		log_printf("  %-12s vCPU %u on CPU %u: %lu exits, %lu ticks in guest, %lu upcalls", "",
			   i, g->vcpus[i].pcpu->index, (unsigned long)g->vcpus[i].nr_exits,
			   (unsigned long)g->vcpus[i].guest_ticks, (unsigned long)g->vcpus[i].upcalls);
}

/* Every guest has stopped and released its grants: nothing may be left mapped or pinned. */
static void print_grants(void)
{
	uint64_t maps;
	unsigned held, pinned;

	gnt_totals(&maps, &held, &pinned);
	if (!maps)
		return;
	log_printf("  grant tables: %lu mappings made, %u still mapped, %u references still pinned%s",
		   (unsigned long)maps, held, pinned, held || pinned ? " (LEAK)" : "");
}

void summary_guest_stopped(struct guest *g)
{
	(void)g;
	/* Acquire/release: the last CPU sees every other guest's final statistics. */
	if (__atomic_sub_fetch(&running, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (trace_enabled)
		trace_dump();
	log_printf("all guests stopped; summary:");
	for (unsigned i = 0; i < nr_guests; i++)
		print_guest(&guests[i]);
	print_grants();
	if (end_policy == CFG_ALL_STOPPED_HALT) {
		log_printf("halting (on_all_stopped = halt)");
		arch_halt_all();
	}
	log_printf("powering off");
	arch_poweroff();
}
