/* SPDX-License-Identifier: MIT */
/*
 * event_channel_op and the hooks evtchn/ needs from the rest of Bolt:
 * finding a guest by domid, the bolt.cfg access control, and the wake hook
 * that runs the receiver now.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "arch/cpu.h"
#include "boot/boot.h"
#include "lib/errno.h"
#include "core/guest.h"
#include "lib/lib.h"
#include "core/pcpu.h"
#include "core/console.h"
#include "core/time.h"
#include "core/trace.h"
#include "core/xen_hc.h"
#include "evtchn/evtchn.h"
#include "sched/sched.h"

/*
 * The guest a send on @info reaches: the owner itself for an IPI port, the
 * peer for an interdomain one; 0 when the send delivers nothing (unbound)
 * or fails (a VIRQ or free port).
 */
static uint16_t send_receiver(const struct evtchn_domain *d, const struct evtchn_port *info)
{
	if (info->state == ECS_IPI)
		return d->domid;
	if (info->state == ECS_INTERDOMAIN)
		return info->remote_domid;
	return 0;
}

/*
 * Flood protection (bolt.cfg `budget = N/PERIOD`): a sender that has used
 * up its budget toward the receiver in the current window is put to sleep
 * until the window ends; the send is retried then, so nothing is lost and
 * the flooder's CPU time goes to the other vCPUs. Returns true if throttled.
 *
 * The budget is the (sender, receiver) pair's, found from the port's
 * current binding: closing a budgeted port and binding a new one to the
 * same peer (or rebinding that port number to something else) changes
 * nothing. Only this vCPU binds or closes its own ports (one vCPU per
 * guest), so the binding @info shows is the one evtchn_op_send() uses; the
 * peer can only close its end meanwhile, which drops the send.
 */
static bool over_budget(struct vcpu *v, const struct evtchn_port *info)
{
	struct guest *g = v->guest;
	uint16_t to = send_receiver(&g->evtchn, info);
	struct send_budget *b;
	uint64_t now;

	if (to == 0 || to > nr_guests)
		return false;
	b = &g->budgets[to - 1];
	if (!b->limit)
		return false;
	now = time_now_ns();
	if (now >= b->window_end_ns) {
		b->window_end_ns = now + b->period_ns;
		b->used = 0;
	}
	if (b->used < b->limit) {
		b->used++;
		return false;
	}
	if (!b->logged) {
		log_printf("guest '%s': channel '%s' over its budget (%u per %lu us): throttling the sender on every channel to '%s'",
			   g->cfg->name, b->channel, b->limit, (unsigned long)(b->period_ns / 1000),
			   guests[to - 1].cfg->name);
		b->logged = true;
	}
	v->throttled++;
	v->poll_ns = b->window_end_ns; /* timer_run() wakes it when the window ends */
	sched_block(v);
	return true;
}

/*
 * Every event a guest sends (EVTCHNOP_send or a PIO doorbell) goes through
 * here: budgeted, counted for the benchmarks, timed from exit to entry,
 * and traced when the channel has trace = on. -XEN_EAGAIN: throttled, the
 * vCPU now sleeps and the caller must retry the instruction.
 */
int guest_send(struct vcpu *v, uint32_t port)
{
	struct evtchn_domain *d = &v->guest->evtchn;
	struct evtchn_port info;
	bool known = false, traced = false;
	int rc;

	/* A guest without budgets or tracing does not look the port up at all. */
	if (v->guest->nr_budgets || trace_enabled)
		known = evtchn_port_get(d, port, &info) == 0;
	if (known && v->guest->nr_budgets && over_budget(v, &info))
		return -XEN_EAGAIN;

	v->sends++;
	v->sent = true;
	if (known && trace_enabled && info.trace) {
		trace_send_begin(d->domid, port, info.remote_domid, info.remote_port);
		traced = true;
	}
	rc = evtchn_op_send(d, port);
	if (traced)
		trace_send_end();
	return rc;
}

long hc_event_channel_op(struct vcpu *v, struct hypercall_args *a)
{
	int cmd = (int)a->a[0];
	size_t size = evtchn_op_arg_size(cmd);
	uint64_t buf[8];
	int rc;

	if (size == 0 || size > sizeof(buf))
		return -XEN_ENOSYS;
	if (vcpu_copy_from_guest(v, buf, a->a[1], size))
		return -XEN_EFAULT;
	if (cmd == EVTCHNOP_send) {
		rc = guest_send(v, ((struct evtchn_send *)buf)->port);
		if (rc == -XEN_EAGAIN) {
			a->continuation = true; /* throttled: the VMCALL runs again after the window */
			return 0;
		}
	} else
		rc = evtchn_op(&v->guest->evtchn, cmd, buf);
	if (rc == 0 && evtchn_op_has_output(cmd) && vcpu_copy_to_guest(v, a->a[1], buf, size))
		return -XEN_EFAULT;
	return rc;
}

struct evtchn_domain *evtchn_hook_lookup(uint16_t domid)
{
	if (domid == 0 || domid > nr_guests)
		return NULL;
	return &guests[domid - 1].evtchn;
}

bool evtchn_hook_may_bind(uint16_t domid_a, uint16_t domid_b)
{
	if (domid_a == 0 || domid_a > nr_guests || domid_b == 0 || domid_b > nr_guests)
		return false;
	return cfg_may_bind(boot_info.cfg, domid_a - 1u, domid_b - 1u);
}

void evtchn_hook_poll_wake(struct evtchn_domain *d, enum evtchn_delivery how)
{
	struct guest *g = d->owner;

	/* Only a vCPU in SCHEDOP_poll waits for ports; HLT and block wait for upcalls. */
	if (how == EVTCHN_DELIVERY_IMMEDIATE && g->vcpu.polling)
		sched_wake(&g->vcpu);
}

/*
 * The wake hook. Called after the receiver's upcall became pending (the
 * release store in evtchn/abi_2l.c). A blocked receiver is woken on its
 * own CPU at once (sched_wake kicks that CPU: a write to the line its idle
 * loop MWAITs on, or an IPI); a receiver running on another CPU gets an
 * IPI, whose VM exit injects the upcall on the way back in. Lazy delivery
 * leaves it to the receiving CPU's next tick.
 */
void evtchn_hook_notify(struct evtchn_domain *d, enum evtchn_delivery how)
{
	struct guest *g = d->owner;
	struct vcpu *v = &g->vcpu;

	__atomic_fetch_add(&v->notifies, 1, __ATOMIC_RELAXED);
	if (how == EVTCHN_DELIVERY_LAZY)
		return;
	if (sched_wake(v)) {
		if (g->cfg->handover)
			sched_handover(v);
		return;
	}
	if (g->cfg->handover && sched_handover(v))
		return;
	struct pcpu *target = v->pcpu;
	/*
	 * A running receiver needs the IPI only while it is in the guest: a
	 * CPU in the hypervisor re-checks the upcall after announcing in_guest
	 * (seq_cst there, and here after the seq_cst upcall_pending exchange
	 * in evtchn/abi_2l.c), so one side always sees the other.
	 */
	if (target != this_pcpu() && __atomic_load_n(&target->current, __ATOMIC_ACQUIRE) == v &&
	    v->state == VCPU_RUNNABLE && __atomic_load_n(&target->in_guest, __ATOMIC_SEQ_CST)) {
		arch_kick_cpu(target);
		if (trace_enabled)
			trace_kick(true);
	}
}
