/* SPDX-License-Identifier: MIT */
/*
 * The Xen hypercalls around event channels that are not event channels
 * themselves: xen_version, memory_op (mapping shared_info), hvm_op (the
 * upcall vector and the parameters of services Bolt does not have) and
 * set_timer_op. Answers follow what a Xen HVM domain without xenstore or
 * PV console would see.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "arch/cpu.h"
#include "bolt/bolt.h"
#include "lib/errno.h"
#include "core/guest.h"
#include "lib/lib.h"
#include "core/time.h"
#include "core/xen_hc.h"
#include "sched/timer.h"

#define HVM_CALLBACK_TYPE_SHIFT 56
#define HVM_CALLBACK_TYPE_VECTOR 2ULL

static long copy_string_out(struct vcpu *v, uint64_t gva, const char *s, size_t size)
{
	char buf[64];

	/* NUL-padded to the full size of the Xen type, in 64-byte pieces. */
	for (size_t off = 0; off < size; off += sizeof(buf)) {
		size_t n = MIN(sizeof(buf), size - off);
		memset(buf, 0, sizeof(buf));
		size_t len = strlen(s);
		if (off < len)
			memcpy(buf, s + off, MIN(n, len - off));
		if (vcpu_copy_to_guest(v, gva + off, buf, n))
			return -XEN_EFAULT;
	}
	return 0;
}

long hc_xen_version(struct vcpu *v, struct hypercall_args *a)
{
	uint64_t arg = a->a[1];

	switch (a->a[0]) {
	case XENVER_version:
		return 4 << 16 | 14; /* the interface version Bolt implements */
	case XENVER_extraversion:
		return copy_string_out(v, arg, "-bolt", sizeof(xen_extraversion_t));
	case XENVER_compile_info: {
		struct xen_compile_info ci;
		memset(&ci, 0, sizeof(ci));
		strlcpy_ok(ci.compiler, "gcc", sizeof(ci.compiler));
		strlcpy_ok(ci.compile_by, "bolt", sizeof(ci.compile_by));
		strlcpy_ok(ci.compile_domain, "bolt", sizeof(ci.compile_domain));
		strlcpy_ok(ci.compile_date, __DATE__, sizeof(ci.compile_date));
		return vcpu_copy_to_guest(v, arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
	}
	case XENVER_capabilities:
		return copy_string_out(v, arg, "hvm-3.0-x86_64 hvm-3.0-x86_32",
				       sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return copy_string_out(v, arg, "bolt", sizeof(xen_changeset_info_t));
	case XENVER_get_features: {
		struct xen_feature_info fi;
		if (vcpu_copy_from_guest(v, &fi, arg, sizeof(fi)))
			return -XEN_EFAULT;
		fi.submap = 0;
		if (fi.submap_idx == 0)
			fi.submap = 1u << XENFEAT_hvm_callback_vector;
		return vcpu_copy_to_guest(v, arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}

long hc_memory_op(struct vcpu *v, struct hypercall_args *a)
{
	struct xen_add_to_physmap xatp;
	struct guest *g = v->guest;
	int rc;

	if (a->a[0] != XENMEM_add_to_physmap)
		return -XEN_ENOSYS;
	if (vcpu_copy_from_guest(v, &xatp, a->a[1], sizeof(xatp)))
		return -XEN_EFAULT;
	if (xatp.domid != DOMID_SELF && xatp.domid != g->domid)
		return -XEN_EPERM;
	if (xatp.space != XENMAPSPACE_shared_info)
		return -XEN_ENOSYS; /* no grant tables or foreign mappings in Bolt */
	if (xatp.idx != 0)
		return -XEN_EINVAL;
	/* Only over the guest's own RAM, above the reserved low pages. */
	if (xatp.gpfn < (BOLT_GUEST_RESERVED_END >> 12) || xatp.gpfn >= (g->ram_size >> 12))
		return -XEN_EINVAL;
	/* Not on top of the other hypervisor page the guest may have mapped. */
	if (g->trace_acks_gfn && xatp.gpfn == g->trace_acks_gfn)
		return -XEN_EINVAL;
	if (xatp.gpfn == g->shinfo_gfn)
		return 0; /* already there */
	if (g->page_remaps >= GUEST_PAGE_REMAPS_MAX)
		return -XEN_EBUSY;
	g->page_remaps++;
	rc = guest_arch_map_page(g, xatp.gpfn << 12, g->shinfo);
	if (rc)
		return rc;
	if (g->shinfo_gfn != ~0ULL && g->shinfo_gfn != xatp.gpfn)
		guest_arch_restore_ram_page(g, g->shinfo_gfn << 12); /* moved: old page is RAM again */
	g->shinfo_gfn = xatp.gpfn;
	return 0;
}

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

/* set_timer_op(deadline): one-shot VIRQ_TIMER at an absolute system time; 0 cancels. */
long hc_set_timer_op(struct vcpu *v, struct hypercall_args *a)
{
	timer_set(v, a->a[0]);
	return 0;
}
