/* SPDX-License-Identifier: MIT */
/*
 * hvm_op: the upcall vector (HVM_PARAM_CALLBACK_IRQ of the "vector" type,
 * which also latches the shared_info layout,
 * HVMOP_set_evtchn_upcall_vector), the PV console's ring and port
 * (core/pvconsole.c) and "no xenstore".
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "bolt/bolt.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "core/pvconsole.h"
#include "core/shinfo_layout.h"
#include "lib/errno.h"

#define HVM_CALLBACK_TYPE_SHIFT 56
#define HVM_CALLBACK_TYPE_VECTOR 2ULL

/*
 * The domain-wide callback vector (HVM_PARAM_CALLBACK_IRQ) is the upcall
 * vector of every vCPU that has not set its own with
 * HVMOP_set_evtchn_upcall_vector (Xen's hvm_set_callback_via and
 * per-vCPU evtchn_upcall_vector). A sibling reads its byte when it next
 * injects: a single-byte store, no lock.
 */
static void set_callback_vector(struct guest *g, uint8_t vector)
{
	g->callback_vector = vector;
	for (unsigned i = 0; i < g->nr_vcpus; i++)
		if (!g->vcpus[i].upcall_own)
			__atomic_store_n(&g->vcpus[i].upcall_vector, vector, __ATOMIC_RELAXED);
}

static long hvm_param(struct vcpu *v, bool set, struct xen_hvm_param *p)
{
	struct guest *g = v->guest;

	if (p->domid != DOMID_SELF && p->domid != g->domid)
		return -XEN_EPERM;
	switch (p->index) {
	case HVM_PARAM_CALLBACK_IRQ:
		if (!set) {
			p->value = g->callback_vector ? (HVM_CALLBACK_TYPE_VECTOR << HVM_CALLBACK_TYPE_SHIFT) |
								g->callback_vector
						      : 0;
			return 0;
		}
		if (p->value == 0) {
			set_callback_vector(g, 0);
			return 0;
		}
		/* Only the "vector" callback type: Bolt has no emulated interrupt controllers. */
		if ((p->value >> HVM_CALLBACK_TYPE_SHIFT) != HVM_CALLBACK_TYPE_VECTOR)
			return -XEN_EINVAL;
		if ((p->value & 0xff) < 32)
			return -XEN_EINVAL;
		set_callback_vector(g, (uint8_t)p->value);
		return 0;
	/*
	 * As Xen's hvm_allow_set_param() for x86: the guest may set the two
	 * EVTCHN params (a stored value, nothing is rebound: Bolt keeps
	 * serving its console port), not the two PFNs (-EPERM).
	 */
	case HVM_PARAM_STORE_EVTCHN:
		if (set)
			g->hvm_store_evtchn = p->value;
		else
			p->value = g->hvm_store_evtchn; /* 0: no xenstore */
		return 0;
	case HVM_PARAM_CONSOLE_EVTCHN: {
		long rc = pvconsole_open(g);

		if (rc)
			return rc;
		if (set)
			g->hvm_console_evtchn = p->value;
		else
			p->value = g->hvm_console_evtchn;
		return 0;
	}
	case HVM_PARAM_STORE_PFN:
		if (set)
			return -XEN_EPERM;
		/*
		 * 0, an unset param, as Xen for a domain without xenstore:
		 * Linux's xenbus_init() then fails with -ENOENT instead of
		 * mapping a page nobody serves.
		 */
		p->value = 0;
		return 0;
	case HVM_PARAM_CONSOLE_PFN:
		if (set)
			return -XEN_EPERM;
		p->value = BOLT_GUEST_CONSOLE_PAGE >> 12;
		return 0;
	default:
		return -XEN_EINVAL; /* the rest: no such service */
	}
}

long hc_hvm_op(struct vcpu *v, struct hypercall_args *a)
{
	switch (a->a[0]) {
	case HVMOP_set_param:
	case HVMOP_get_param: {
		struct xen_hvm_param p;
		if (vcpu_copy_from_guest(v, &p, a->a[1], sizeof(p)))
			return -XEN_EFAULT;
		/*
		 * Xen latches the shared_info layout from the caller's mode at
		 * every set of CALLBACK_IRQ by the domain itself, whatever the
		 * value (hvm_latch_shinfo_size(); core/shinfo_layout.h).
		 */
		if (a->a[0] == HVMOP_set_param && p.index == HVM_PARAM_CALLBACK_IRQ &&
		    (p.domid == DOMID_SELF || p.domid == v->guest->domid))
			shinfo_latch_layout(v->guest, a->compat);
		long rc = hvm_param(v, a->a[0] == HVMOP_set_param, &p);
		if (!rc && a->a[0] == HVMOP_get_param && vcpu_copy_to_guest(v, a->a[1], &p, sizeof(p)))
			return -XEN_EFAULT;
		return rc;
	}
	case HVMOP_set_evtchn_upcall_vector: {
		struct xen_hvm_evtchn_upcall_vector uv;
		if (vcpu_copy_from_guest(v, &uv, a->a[1], sizeof(uv)))
			return -XEN_EFAULT;
		if (uv.vcpu >= v->guest->nr_vcpus)
			return -XEN_ENOENT;
		if (uv.vector < 32)
			return -XEN_EINVAL;
		v->guest->vcpus[uv.vcpu].upcall_own = true;
		__atomic_store_n(&v->guest->vcpus[uv.vcpu].upcall_vector, uv.vector,
				 __ATOMIC_RELAXED);
		return 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}
