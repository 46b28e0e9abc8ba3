/* SPDX-License-Identifier: MIT */
/* The delivery policy (sched/notify.h). tests/model/wake.pml models it: change the two together. */
#include "arch/cpu.h"
#include "core/pcpu.h"
#include "core/vcpu.h"
#include "sched/notify.h"
#include "sched/sched.h"

void sched_notify(struct vcpu *v, enum sched_event ev, bool lazy)
{
	struct pcpu *target = v->pcpu;

	if (ev == SCHED_EVENT_UPCALL)
		__atomic_fetch_add(&v->notifies, 1, __ATOMIC_RELAXED);
	if (lazy)
		return;
	if (ev == SCHED_EVENT_PORT) {
		/*
		 * Dekker pair with SCHEDOP_poll: it stores `polling`, blocks
		 * (a locked RMW) and re-reads its ports; we made the port
		 * pending (a locked RMW) before this load. One side sees the
		 * other.
		 */
		if (__atomic_load_n(&v->polling, __ATOMIC_SEQ_CST))
			sched_wake(v);
		return;
	}
	if (sched_wake(v)) {
		if (v->handover)
			sched_handover(v);
		return;
	}
	if (v->handover && sched_handover(v))
		return;
	/*
	 * Running on another CPU: it needs the kick's IPI only while it is in
	 * the guest; a CPU in the hypervisor re-checks the upcall after it
	 * announced in_guest (prepare_entry), and sched_kick() reads in_guest
	 * after a full barrier, so one side always sees the other.
	 */
	if (target != this_pcpu() && __atomic_load_n(&target->current, __ATOMIC_ACQUIRE) == v &&
	    __atomic_load_n(&v->state, __ATOMIC_RELAXED) == VCPU_RUNNABLE)
		sched_kick(target);
}
