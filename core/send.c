/* SPDX-License-Identifier: MIT */
/* Every event a guest sends goes through guest_send() (core/send.h). */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "arch/cpu.h"
#include "core/guest.h"
#include "core/pvconsole.h"
#include "core/send.h"
#include "core/trace.h"
#include "evtchn/evtchn.h"
#include "lib/errno.h"
#include "sched/budget.h"

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
 * The budget is the (sender, receiver) pair's, found from the port's
 * current binding: closing a budgeted port and binding a new one to the
 * same peer (or rebinding that port number to something else) changes
 * nothing. Only this vCPU binds or closes its own ports (one vCPU per
 * guest), so the binding @info shows is the one evtchn_op_send() uses; the
 * peer can only close its end meanwhile, which drops the send.
 */
static bool throttled(struct vcpu *v, const struct evtchn_port *info)
{
	uint16_t to = send_receiver(&v->guest->evtchn, info);

	if (to == 0 || to > nr_guests)
		return false;
	return sched_budget_charge(v, &v->guest->budgets[to - 1], guests[to - 1].cfg->name);
}

int guest_send(struct vcpu *v, uint32_t port)
{
	struct evtchn_domain *d = &v->guest->evtchn;
	struct evtchn_port info;
	bool known = false, traced = false;
	int rc;

	/* A guest without budgets or tracing does not look the port up at all. */
	if (v->guest->nr_budgets || trace_enabled)
		known = evtchn_port_get(d, port, &info) == 0;
	if (known && v->guest->nr_budgets && throttled(v, &info))
		return -XEN_EAGAIN;

	v->sends++;
	v->sent = true;
	if (known && trace_enabled && info.trace) {
		trace_send_begin(d->domid, port, info.remote_domid, info.remote_port);
		traced = true;
	}
	/* Bolt is the console's remote end: serve it, then the send is dropped as on any unbound port. */
	pvconsole_notify(v->guest, port);
	rc = evtchn_op_send(d, port);
	if (traced)
		trace_send_end();
	return rc;
}
