/* SPDX-License-Identifier: MIT */
/*
 * The hypercall table (Xen numbering, xen/xen.h, plus Bolt's own). Each
 * handler lives in core/hc_<hypercall>.c; unknown numbers return -ENOSYS.
 */
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#include "bolt/bolt.h"
#include "lib/errno.h"
#include "arch/cpu.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "core/vcpu_up.h"

typedef long (*hypercall_fn)(struct vcpu *v, struct hypercall_args *a);

static const hypercall_fn hypercalls[HYPERCALL_NR_MAX] = {
	[__HYPERVISOR_set_timer_op] = hc_set_timer_op,
	[__HYPERVISOR_memory_op] = hc_memory_op,
	[__HYPERVISOR_xen_version] = hc_xen_version,
	[__HYPERVISOR_console_io] = hc_console_io,
	[__HYPERVISOR_sched_op] = hc_sched_op,
	[__HYPERVISOR_event_channel_op] = hc_event_channel_op,
	[__HYPERVISOR_grant_table_op] = hc_grant_table_op,
	[__HYPERVISOR_vcpu_op] = hc_vcpu_op,
	[__HYPERVISOR_hvm_op] = hc_hvm_op,
	[BOLT_HYPERCALL_bolt_op] = hc_bolt_op,
};

/*
 * Hypercalls that change guest-wide state (memory map, grant table, console
 * line, HVM params, Bolt's ops): one vCPU at a time in a guest with
 * several. The rest keep to per-vCPU state or have locks of their own
 * (event channels, the scheduler).
 */
static bool guest_wide(unsigned nr)
{
	return nr == __HYPERVISOR_memory_op || nr == __HYPERVISOR_grant_table_op ||
	       nr == __HYPERVISOR_console_io || nr == __HYPERVISOR_hvm_op ||
	       nr == BOLT_HYPERCALL_bolt_op;
}

long hypercall_dispatch(struct vcpu *v, unsigned nr, struct hypercall_args *args)
{
	hypercall_fn fn = nr < HYPERCALL_NR_MAX ? hypercalls[nr] : NULL;
	struct guest *g = v->guest;
	bool locked;
	long rc;

	args->continuation = false;
	if (!fn)
		return -XEN_ENOSYS;
	if (g->nr_vcpus == 1)
		return fn(v, args);
	locked = guest_wide(nr);
	if (locked)
		guest_spin_lock(&g->hc_lock);
	rc = fn(v, args);
	if (locked)
		spin_unlock(&g->hc_lock);
	/* A mapping it removed must be gone on every CPU of the guest before it goes on. */
	if (guest_arch_take_ept_changed(g))
		vcpus_sync_siblings(v);
	return rc;
}
