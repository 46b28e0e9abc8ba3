/* SPDX-License-Identifier: MIT */
/*
 * Is the event-channel upcall pending for v? The one body behind
 * vcpu_upcall_pending() (the hook generic code calls) and the entry path
 * (vmx.c), which asks on every VM entry and so reads it inline.
 */
#ifndef ARCH_UPCALL_PENDING_H
#define ARCH_UPCALL_PENDING_H

#include <stdbool.h>
#include <xen/xen.h>

#include "core/guest.h"

/* Acquire: pairs with the upcall exchange in evtchn/abi_2l.c. */
static inline bool upcall_is_pending(const struct vcpu *v)
{
	const struct guest *g = v->guest;

	/*
	 * Moved by VCPUOP_register_vcpu_info: acquire pairs with its release
	 * store (evtchn_set_vcpu_info). Its own: ports notify one vCPU each.
	 */
	const struct vcpu_info *vi = __atomic_load_n(&g->evtchn.vcpu_info[v->vcpu_id],
						     __ATOMIC_ACQUIRE);

	return v->upcall_vector && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE);
}

#endif
