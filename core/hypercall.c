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
#include "core/hypercall.h"

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

long hypercall_dispatch(struct vcpu *v, unsigned nr, struct hypercall_args *args)
{
	hypercall_fn fn = nr < HYPERCALL_NR_MAX ? hypercalls[nr] : NULL;

	args->continuation = false;
	return fn ? fn(v, args) : -XEN_ENOSYS;
}
