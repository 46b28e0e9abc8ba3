/* SPDX-License-Identifier: MIT */
/*
 * hvm_op: the upcall vector (HVM_PARAM_CALLBACK_IRQ of the "vector" type,
 * HVMOP_set_evtchn_upcall_vector) and the parameters of services Bolt does
 * not have (no xenstore, no PV console).
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "bolt/bolt.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "lib/errno.h"

#define HVM_CALLBACK_TYPE_SHIFT 56
#define HVM_CALLBACK_TYPE_VECTOR 2ULL

static long hvm_param(struct vcpu *v, bool set, struct xen_hvm_param *p)
{
	struct guest *g = v->guest;

	if (p->domid != DOMID_SELF && p->domid != g->domid)
		return -XEN_EPERM;
	switch (p->index) {
	case HVM_PARAM_CALLBACK_IRQ:
		if (!set) {
			p->value = g->upcall_vector ? (HVM_CALLBACK_TYPE_VECTOR << HVM_CALLBACK_TYPE_SHIFT) |
							      g->upcall_vector
						    : 0;
			return 0;
		}
		if (p->value == 0) {
			g->upcall_vector = 0;
			return 0;
		}
		/* Only the "vector" callback type: Bolt has no emulated interrupt controllers. */
		if ((p->value >> HVM_CALLBACK_TYPE_SHIFT) != HVM_CALLBACK_TYPE_VECTOR)
			return -XEN_EINVAL;
		if ((p->value & 0xff) < 32)
			return -XEN_EINVAL;
		g->upcall_vector = (uint8_t)p->value;
		return 0;
	case HVM_PARAM_STORE_EVTCHN:
		if (set)
			return -XEN_EPERM;
		p->value = 0; /* no xenstore */
		return 0;
	case HVM_PARAM_STORE_PFN:
		if (set)
			return -XEN_EPERM;
		p->value = BOLT_GUEST_STORE_PAGE >> 12;
		return 0;
	default:
		return -XEN_EINVAL; /* CONSOLE_PFN and the rest: no such service */
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
		long rc = hvm_param(v, a->a[0] == HVMOP_set_param, &p);
		if (!rc && a->a[0] == HVMOP_get_param && vcpu_copy_to_guest(v, a->a[1], &p, sizeof(p)))
			return -XEN_EFAULT;
		return rc;
	}
	case HVMOP_set_evtchn_upcall_vector: {
		struct xen_hvm_evtchn_upcall_vector uv;
		if (vcpu_copy_from_guest(v, &uv, a->a[1], sizeof(uv)))
			return -XEN_EFAULT;
		if (uv.vcpu != 0)
			return -XEN_ENOENT; /* one vCPU per guest */
		if (uv.vector < 32)
			return -XEN_EINVAL;
		v->guest->upcall_vector = uv.vector;
		return 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}
