/* SPDX-License-Identifier: MIT */
/*
 * IPIs between the vCPUs of one guest (the vLAPIC's route hook,
 * core/vlapic.h): a fixed interrupt sets the target's IRR and wakes or
 * kicks its CPU; INIT and STARTUP go to core/vcpu_up.c. Destinations are
 * matched against the guest's own vCPUs only, so nothing reaches another
 * guest or a physical APIC.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/guest.h"
#include "core/lapic_ipi.h"
#include "core/pcpu.h"
#include "core/vcpu_up.h"
#include "core/vlapic.h"
#include "sched/sched.h"

/*
 * The IRR bit is set (a seq_cst RMW) before resched is raised and the CPU
 * kicked: the target either sees resched when it re-checks after
 * announcing in_guest (prepare_entry) and injects, or sched_kick sees it
 * in the guest and sends the IPI. A vCPU halted in HLT is woken.
 */
static void deliver_fixed(struct vcpu *t, uint8_t vector)
{
	if (!vlapic_set_irr_remote(&t->lapic, vector))
		return;
	__atomic_store_n(&t->pcpu->rq.resched, true, __ATOMIC_SEQ_CST);
	if (!sched_wake(t))
		sched_kick(t->pcpu);
}

static void route(struct vlapic *from, const struct vlapic_ipi *ipi)
{
	struct vcpu *v = (struct vcpu *)(void *)((char *)from - offsetof(struct vcpu, lapic));
	struct guest *g = v->guest;
	bool hit = false;

	for (unsigned i = 0; i < g->nr_vcpus; i++) {
		struct vcpu *t = &g->vcpus[i];

		if (t == v || (ipi->shorthand == VLAPIC_SH_NONE && !vlapic_dest_matches(&t->lapic, ipi)))
			continue;
		hit = true;
		switch (ipi->mode) {
		case VLAPIC_DM_FIXED:
		case VLAPIC_DM_LOWEST: /* every candidate: Linux sends it to one */
			deliver_fixed(t, ipi->vector);
			break;
		case VLAPIC_DM_INIT:
			/* INIT level de-assert (level 0) only synchronises arbitration IDs. */
			if (ipi->level_assert)
				vcpu_init_ipi(t);
			break;
		case VLAPIC_DM_SIPI:
			vcpu_startup_ipi(t, ipi->vector);
			break;
		default:
			/* NMI and SMI between vCPUs: not emulated (docs/abi.md). */
			from->ipis_dropped++;
			break;
		}
	}
	if (!hit && ipi->shorthand == VLAPIC_SH_NONE && !vlapic_dest_matches(from, ipi))
		from->ipis_dropped++;
}

void lapic_ipi_attach(struct vcpu *v)
{
	v->lapic.route = v->guest->nr_vcpus > 1 ? route : NULL;
}
