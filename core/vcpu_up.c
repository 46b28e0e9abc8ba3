/* SPDX-License-Identifier: MIT */
/*
 * Starting and stopping the vCPUs of a guest (core/vcpu_up.h).
 *
 * A vCPU is pinned to one physical CPU, and only that CPU may load its
 * VMCS. So whoever starts a stopped vCPU (vCPU 0's boot or restart, a
 * sibling's STARTUP IPI, VCPUOP_up) builds and checks its VMCS image here,
 * on its own CPU, records the start in v->start and makes v runnable; v's
 * CPU loads the image before it next enters v (vcpu_apply_start, from
 * prepare_entry). Stopping goes the other way: the stopper takes v off its
 * run queue and then waits until v's CPU has passed its scheduling point
 * (pcpu_sync), so no CPU is still inside v when its guest's RAM is
 * rewritten. Every start and stop of a guest's vCPUs happens under
 * g->vcpu_lock; a CPU waiting for that lock or for a sync keeps answering
 * syncs itself, so two CPUs stopping each other's guests cannot deadlock.
 */
#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/hvm/hvm_vcpu.h>

#include "arch/cpu.h"
#include "core/console.h"
#include "core/grant.h"
#include "core/guest.h"
#include "core/pcpu.h"
#include "core/vcpu_up.h"
#include "lib/errno.h"
#include "lib/lib.h"
#include "sched/sched.h"

/*
 * The sync is the CPU's grant-work ticket (core/grant_map.c): serving it
 * drops revoked grant mappings of the CPU's guests and their cached EPT
 * translations, which is what a stopper or an EPT changer needs too. One
 * ticket for all three means one kind of wait, which every waiting loop
 * serves, so no two waits can deadlock each other.
 */
static void serve(struct pcpu *me)
{
	if (gnt_work_pending(me))
		gnt_cpu_work(me);
}

/*
 * Wait until CPU p has left the vCPU it was in when we asked: it serves
 * the ticket at its next scheduling point (prepare_entry re-checks
 * gnt_work_pending after announcing in_guest, the Dekker pair with
 * sched_kick's in_guest load, so it cannot slip into the guest unseen),
 * or it is idle with no vCPU at all (then it serves the ticket before its
 * next entry). The caller has already taken the vCPU off p's run queue.
 */
static void pcpu_sync(struct pcpu *p)
{
	struct pcpu *me = this_pcpu();
	uint64_t ticket;

	if (p == me)
		return;
	ticket = __atomic_add_fetch(&p->gnt_req, 1, __ATOMIC_SEQ_CST);
	sched_kick(p);
	while (__atomic_load_n(&p->gnt_done, __ATOMIC_SEQ_CST) < ticket &&
	       __atomic_load_n(&p->current, __ATOMIC_SEQ_CST)) {
		serve(me);
		__builtin_ia32_pause();
	}
}

void vcpus_sync_siblings(struct vcpu *v)
{
	struct guest *g = v->guest;

	for (unsigned i = 0; i < g->nr_vcpus; i++)
		if (&g->vcpus[i] != v)
			pcpu_sync(g->vcpus[i].pcpu);
}

void guest_spin_lock(struct spinlock *l)
{
	struct pcpu *me = this_pcpu();
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
		serve(me);
		__builtin_ia32_pause();
	}
}

static void vcpu_lock(struct guest *g)
{
	guest_spin_lock(&g->vcpu_lock);
}

static void vcpu_unlock(struct guest *g)
{
	spin_unlock(&g->vcpu_lock);
}

/* Take stopped-or-not t off its CPU; the caller syncs with that CPU. */
static void stop_one(struct vcpu *t)
{
	sched_stop(t);
	t->start.kind = VCPU_START_NONE;
}

int vcpu_request_start(struct vcpu *v, const struct vcpu_start *s)
{
	int rc = vcpu_arch_prepare_start(v, s);

	if (rc)
		return rc;
	v->start = *s;
	v->wait_sipi = false;
	v->down = false;
	v->boot_guest_ticks = v->guest_ticks;
	/* The run-queue lock publishes v->start to v's CPU, which reads it after picking v. */
	sched_start(v);
	return 0;
}


void vcpu_init_ipi(struct vcpu *t)
{
	struct guest *g = t->guest;

	vcpu_lock(g);
	/* INIT stops a running vCPU too (SDM 10.6.1): it then waits for a STARTUP IPI. */
	if (t->state != VCPU_STOPPED) {
		stop_one(t);
		pcpu_sync(t->pcpu);
	}
	t->start.kind = VCPU_START_NONE;
	t->wait_sipi = true;
	t->down = false;
	vcpu_unlock(g);
}

void vcpu_startup_ipi(struct vcpu *t, uint8_t vector)
{
	struct guest *g = t->guest;
	struct vcpu_start s = { .kind = VCPU_START_SIPI, .vector = vector };

	vcpu_lock(g);
	/* Only a vCPU waiting for it takes a STARTUP IPI (SDM 8.4.4.1); others ignore it. */
	if (t->state == VCPU_STOPPED && t->wait_sipi && vcpu_request_start(t, &s))
		log_printf("guest '%s': vCPU %u could not take its STARTUP IPI", g->cfg->name,
			   t->vcpu_id);
	vcpu_unlock(g);
}

bool vcpu_is_up(const struct vcpu *t)
{
	return __atomic_load_n(&t->state, __ATOMIC_RELAXED) != VCPU_STOPPED;
}

/*
 * As Xen's VCPUOP_initialise for an HVM vCPU: once per boot of a vCPU that
 * never ran (-EEXIST otherwise), a vcpu_hvm_context in 32- or 64-bit mode
 * (-EINVAL for another mode or a state VM entry would refuse). 32-bit
 * callers are not supported: their struct has other padding (-ENOSYS).
 */
long vcpu_op_initialise(struct vcpu *caller, struct vcpu *t, bool compat, uint64_t arg)
{
	struct guest *g = t->guest;
	struct vcpu_start s = { .kind = VCPU_START_CONTEXT };
	long rc = 0;

	if (compat)
		return -XEN_ENOSYS;
	if (vcpu_copy_from_guest(caller, &s.ctx, arg, sizeof(s.ctx)))
		return -XEN_EFAULT;
	if (s.ctx.mode != VCPU_HVM_MODE_32B && s.ctx.mode != VCPU_HVM_MODE_64B)
		return -XEN_EINVAL;
	vcpu_lock(g);
	if (t->initialised || t->state != VCPU_STOPPED || t->down || t->vcpu_id == 0) {
		rc = -XEN_EEXIST;
		goto out;
	}
	rc = vcpu_arch_prepare_start(t, &s);
	if (rc)
		goto out;
	t->ctx = s;
	t->initialised = true;
out:
	vcpu_unlock(g);
	return rc;
}

/* Xen: up after down resumes it; a never-run vCPU needs VCPUOP_initialise first. */
long vcpu_op_up(struct vcpu *t)
{
	struct guest *g = t->guest;
	long rc = 0;

	vcpu_lock(g);
	if (t->state != VCPU_STOPPED)
		goto out;
	if (t->down) {
		t->down = false;
		sched_start(t);
	} else if (t->initialised) {
		rc = vcpu_request_start(t, &t->ctx);
	} else {
		rc = -XEN_EINVAL;
	}
out:
	vcpu_unlock(g);
	return rc;
}

/*
 * Unlike Xen, the guest's last vCPU that is up cannot be downed: nothing
 * could ever bring it back (VCPUOP_up needs a running sibling), so the
 * guest would hang holding its CPU's slot. SCHEDOP_shutdown is the way out.
 */
long vcpu_op_down(struct vcpu *caller, struct vcpu *t)
{
	struct guest *g = t->guest;
	unsigned up = 0;

	vcpu_lock(g);
	for (unsigned i = 0; i < g->nr_vcpus; i++)
		up += g->vcpus[i].state != VCPU_STOPPED;
	if (t->state != VCPU_STOPPED && up == 1) {
		vcpu_unlock(g);
		return -XEN_EBUSY;
	}
	if (t->state != VCPU_STOPPED) {
		stop_one(t);
		t->down = true;
		if (t != caller)
			pcpu_sync(t->pcpu);
	}
	vcpu_unlock(g);
	return 0;
}

bool vcpu_halt_forever(struct vcpu *v)
{
	struct guest *g = v->guest;
	unsigned others = 0;

	vcpu_lock(g);
	for (unsigned i = 0; i < g->nr_vcpus; i++)
		if (&g->vcpus[i] != v && g->vcpus[i].state != VCPU_STOPPED)
			others++;
	if (others) {
		/* Parked: only an INIT (then a STARTUP IPI) brings it back, as on hardware. */
		stop_one(v);
		v->wait_sipi = true;
	}
	vcpu_unlock(g);
	return others != 0;
}

bool vcpus_stop_all(struct guest *g, struct vcpu *self)
{
	vcpu_lock(g);
	if (self && self->state == VCPU_STOPPED && g->nr_vcpus > 1) {
		/* A sibling stopped the guest (or this vCPU) while we waited for the lock. */
		vcpu_unlock(g);
		return false;
	}
	for (unsigned i = 0; i < g->nr_vcpus; i++) {
		struct vcpu *t = &g->vcpus[i];

		stop_one(t);
		t->wait_sipi = i != 0;
		t->initialised = t->down = false;
	}
	for (unsigned i = 0; i < g->nr_vcpus; i++)
		pcpu_sync(g->vcpus[i].pcpu);
	return true;
}

void vcpus_stop_done(struct guest *g)
{
	vcpu_unlock(g);
}
