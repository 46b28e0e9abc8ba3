/* SPDX-License-Identifier: MIT */
/*
 * Each CPU's life once its descriptor tables are loaded: arch bring-up
 * (APIC, VMX root), the boot CPU starts the others, then every CPU boots
 * the guests pinned to it and enters the scheduler for good.
 */
#include "arch/cpu.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/lifecycle.h"
#include "core/main.h"
#include "core/pcpu.h"
#include "core/summary.h"

void bolt_cpu_main(unsigned index, void (*start_others)(void))
{
	struct pcpu *p = &pcpus[index];

	arch_cpu_init(p);
	__atomic_store_n(&p->online, true, __ATOMIC_RELEASE);
	if (index == 0) {
		log_printf("CPU 0 (APIC ID %u) in VMX root; starting %u more", p->apic_id, nr_pcpus - 1);
		start_others();
		/* Guests whose CPU never came up cannot run: count them as stopped. */
		for (unsigned i = 0; i < nr_guests; i++) {
			struct guest *g = &guests[i];
			if (!g->vcpus[0].pcpu->online) {
				log_printf("guest '%s' stopped (crash): its CPU %u is not online",
					   g->cfg->name, g->vcpus[0].pcpu->index);
				g->stop_reason = GUEST_STOP_CRASH;
				summary_guest_stopped(g);
				continue;
			}
			/* A secondary vCPU there would never run: its STARTUP IPI is lost. */
			for (unsigned v = 1; v < g->nr_vcpus; v++)
				if (!g->vcpus[v].pcpu->online)
					log_printf("guest '%s': vCPU %u's CPU %u is not online; that vCPU "
						   "will never run", g->cfg->name, v,
						   g->vcpus[v].pcpu->index);
		}
	} else if (!p->nr_vcpus) {
		/*
		 * No guest is pinned here: nothing will ever run or be woken on
		 * this CPU, so it leaves the firmware's AP loop (it was started
		 * like the others) and halts with interrupts off in Bolt's own
		 * code for good. No code path sends it an IPI: kicks go only to
		 * a vCPU's CPU (sched_kick()). An NMI returns to the halt
		 * (arch/x86/nmi.c). See docs/running.md, "Real machines".
		 */
		log_printf("CPU %u: parked (no guest)", index);
		arch_cpu_park();
	} else {
		log_printf("CPU %u (APIC ID %u) in VMX root", index, p->apic_id);
	}
	guests_start_on_cpu(p);
	arch_cpu_run(p);
}
