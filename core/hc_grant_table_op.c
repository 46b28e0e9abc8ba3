/* SPDX-License-Identifier: MIT */
/*
 * grant_table_op(cmd, uop, count): grant tables v1 for auto-translated
 * guests (core/grant.h). The argument copy-in/out, 32-bit layouts and the
 * return values of do_grant_table_op in xen/common/grant_table.c; the
 * operations themselves are in core/grant_map.c and core/grant_copy.c.
 * docs/abi.md, "Grant tables".
 */
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#include "core/compat.h"
#include "core/grant.h"
#include "core/grant_table.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "lib/errno.h"
#include "lib/lib.h"

/* Xen keeps continuation state in cmd's bits from 12 up (GNTTABOP_CMD_MASK). */
#define GNTTABOP_ARG_SHIFT 12
/* Map, unmap and copy operations per VMCALL before a continuation. */
#define GNT_OPS_PER_CALL 16u

/*
 * The 32-bit layouts that differ (4-byte handles and xen_pfn_t, as Xen's
 * compat/grant_table.h; COMPAT_STRUCT is packed, so padding is spelled
 * out). map_grant_ref, unmap_grant_ref (grant_handle_t is 4 bytes, so both
 * are 24 bytes), query_size and the version ops are the same in both.
 */
struct compat_gnttab_setup_table {
	domid_t dom;
	uint16_t pad0;
	uint32_t nr_frames;
	int16_t status;
	uint16_t pad1;
	compat_handle_t frame_list; /* of uint32_t frame numbers */
} COMPAT_STRUCT;
struct compat_gnttab_copy_ptr {
	uint32_t u;                 /* grant_ref_t or a 32-bit xen_pfn_t */
	domid_t domid;
	uint16_t offset;
} COMPAT_STRUCT;
struct compat_gnttab_copy {
	struct compat_gnttab_copy_ptr source, dest;
	uint16_t len, flags;
	int16_t status;
} COMPAT_STRUCT;
_Static_assert(sizeof(struct compat_gnttab_setup_table) == 16, "i386 setup_table is 16 bytes");
_Static_assert(sizeof(struct compat_gnttab_copy) == 24, "i386 copy is 24 bytes");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32 &&
		       offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24,
	       "map_grant_ref: one layout for both");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size: one layout for both");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24 &&
		       offsetof(struct gnttab_unmap_grant_ref, status) == 20,
	       "unmap_grant_ref: one layout for both");
_Static_assert(offsetof(struct compat_gnttab_setup_table, frame_list) == 12 &&
		       offsetof(struct gnttab_setup_table, frame_list) == 16,
	       "setup_table layouts");
_Static_assert(sizeof(struct gnttab_copy) == 40, "native copy is 40 bytes");

static size_t op_size(unsigned cmd, bool compat)
{
	if (cmd == GNTTABOP_map_grant_ref)
		return sizeof(struct gnttab_map_grant_ref);
	if (cmd == GNTTABOP_unmap_grant_ref)
		return sizeof(struct gnttab_unmap_grant_ref);
	return compat ? sizeof(struct compat_gnttab_copy) : sizeof(struct gnttab_copy);
}

static void copy_ptr_in(const struct compat_gnttab_copy_ptr *c, struct gnttab_copy_ptr *n)
{
	n->u.gmfn = c->u; /* a ref is the low 32 bits of the union either way */
	n->domid = c->domid;
	n->offset = c->offset;
}

static int unmap_one(struct vcpu *v, uint64_t at)
{
	struct gnttab_unmap_grant_ref op;

	if (vcpu_copy_from_guest(v, &op, at, sizeof(op)))
		return -XEN_EFAULT;
	gnt_unmap(v->guest, &op);
	/* Only the status goes back, as Xen's __copy_field_to_guest. */
	return vcpu_copy_to_guest(v, at + offsetof(struct gnttab_unmap_grant_ref, status),
				  &op.status, sizeof(op.status)) ? -XEN_EFAULT : 0;
}

static int copy_one(struct vcpu *v, bool compat, uint64_t at)
{
	struct gnttab_copy op;
	struct compat_gnttab_copy c;

	if (compat) {
		if (vcpu_copy_from_guest(v, &c, at, sizeof(c)))
			return -XEN_EFAULT;
		op = (struct gnttab_copy){ .len = c.len, .flags = c.flags };
		copy_ptr_in(&c.source, &op.source);
		copy_ptr_in(&c.dest, &op.dest);
	} else if (vcpu_copy_from_guest(v, &op, at, sizeof(op))) {
		return -XEN_EFAULT;
	}
	gnt_copy(v->guest, &op);
	return vcpu_copy_to_guest(v, at + (compat ? offsetof(struct compat_gnttab_copy, status)
						 : offsetof(struct gnttab_copy, status)),
				  &op.status, sizeof(op.status)) ? -XEN_EFAULT : 0;
}

static int map_one(struct vcpu *v, uint64_t at)
{
	struct gnttab_map_grant_ref op;

	if (vcpu_copy_from_guest(v, &op, at, sizeof(op)))
		return -XEN_EFAULT;
	gnt_map(v->guest, &op);
	/* Xen copies the whole op back: status, handle and dev_bus_addr. */
	return vcpu_copy_to_guest(v, at, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* map / unmap / copy: count ops, a continuation every GNT_OPS_PER_CALL. */
static long batch(struct vcpu *v, struct hypercall_args *a, unsigned cmd, unsigned count)
{
	size_t size = op_size(cmd, a->compat);
	uint64_t uop = a->a[1];

	for (unsigned i = 0; i < count; i++) {
		uint64_t at = uop + i * size;
		int rc;

		if (i == GNT_OPS_PER_CALL) {
			a->a[1] = at;
			a->a[2] = count - i;
			a->continuation = true;
			return 0;
		}
		if (a->compat)
			at = (uint32_t)at;
		rc = cmd == GNTTABOP_map_grant_ref ? map_one(v, at)
		     : cmd == GNTTABOP_unmap_grant_ref ? unmap_one(v, at)
						       : copy_one(v, a->compat, at);
		if (rc)
			return rc;
	}
	return 0;
}

/* The target domain of setup_table / query_size: a status, as Xen's XSM_TARGET check. */
static int16_t target_status(struct guest *g, unsigned dom)
{
	struct guest *d = gnt_domain(g, dom);

	if (!d)
		return GNTST_bad_domain;
	return d == g ? GNTST_okay : GNTST_permission_denied;
}

static long setup_table(struct vcpu *v, bool compat, uint64_t arg, unsigned count)
{
	struct gnttab_setup_table op;
	struct compat_gnttab_setup_table c;
	struct guest *g = v->guest;
	uint64_t list;
	size_t status_at;

	if (count != 1)
		return -XEN_EINVAL;
	if (compat) {
		if (vcpu_copy_from_guest(v, &c, arg, sizeof(c)))
			return -XEN_EFAULT;
		op.dom = c.dom;
		op.nr_frames = c.nr_frames;
		list = c.frame_list;
		status_at = offsetof(struct compat_gnttab_setup_table, status);
	} else {
		if (vcpu_copy_from_guest(v, &op, arg, sizeof(op)))
			return -XEN_EFAULT;
		list = (uint64_t)(uintptr_t)op.frame_list.p;
		status_at = offsetof(struct gnttab_setup_table, status);
	}
	op.status = target_status(g, op.dom);
	if (!op.status && op.nr_frames > GNT_NR_FRAMES)
		op.status = GNTST_general_error;
	/*
	 * An auto-translated guest gets the gfn each frame is mapped at, or
	 * INVALID_GFN, as Xen's gnttab_shared_gfn() for a translated domain:
	 * never a host frame number.
	 */
	for (unsigned i = 0; !op.status && i < op.nr_frames; i++) {
		uint64_t gfn = gnt_frame_gfn(g, i);
		size_t n = compat ? sizeof(uint32_t) : sizeof(xen_pfn_t);

		if (vcpu_copy_to_guest(v, list + i * n, &gfn, n))
			op.status = GNTST_bad_virt_addr;
	}
	return vcpu_copy_to_guest(v, arg + status_at, &op.status, sizeof(op.status)) ? -XEN_EFAULT
										      : 0;
}

static long query_size(struct vcpu *v, uint64_t arg, unsigned count)
{
	struct gnttab_query_size op;

	if (count != 1)
		return -XEN_EINVAL;
	if (vcpu_copy_from_guest(v, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	op.status = target_status(v->guest, op.dom);
	if (!op.status) {
		op.nr_frames = GNT_NR_FRAMES; /* all there from the start: the table never grows */
		op.max_nr_frames = GNT_NR_FRAMES;
	}
	return vcpu_copy_to_guest(v, arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* Version 1 only: 2 answers as Xen with gnttab_max_version=1 (-ENOSYS), the version written back. */
static long set_version(struct vcpu *v, uint64_t arg)
{
	struct gnttab_set_version op;
	long rc;

	if (vcpu_copy_from_guest(v, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	rc = op.version == 1 ? 0 : op.version == 2 ? -XEN_ENOSYS : -XEN_EINVAL;
	op.version = 1;
	if (vcpu_copy_to_guest(v, arg, &op, sizeof(op)))
		return -XEN_EFAULT;
	return rc;
}

static long get_version(struct vcpu *v, uint64_t arg)
{
	struct gnttab_get_version op;
	struct guest *d;

	if (vcpu_copy_from_guest(v, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	d = gnt_domain(v->guest, op.dom);
	if (!d)
		return -XEN_ESRCH;
	if (d != v->guest)
		return -XEN_EPERM;
	op.version = 1;
	return vcpu_copy_to_guest(v, arg + offsetof(struct gnttab_get_version, version),
				  &op.version, sizeof(op.version)) ? -XEN_EFAULT : 0;
}

long hc_grant_table_op(struct vcpu *v, struct hypercall_args *a)
{
	unsigned cmd = (unsigned)a->a[0];
	unsigned count = (unsigned)a->a[2];

	if ((int)count < 0)
		return -XEN_EINVAL;
	if (cmd >> GNTTABOP_ARG_SHIFT)
		return -XEN_EINVAL; /* continuation bits belong to cache_flush, which Bolt has not */
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
	case GNTTABOP_copy:
		return batch(v, a, cmd, count);
	case GNTTABOP_setup_table:
		return setup_table(v, a->compat, a->a[1], count);
	case GNTTABOP_query_size:
		return query_size(v, a->a[1], count);
	case GNTTABOP_set_version:
		return set_version(v, a->a[1]);
	case GNTTABOP_get_version:
		return get_version(v, a->a[1]);
	default:
		/* dump_table, transfer, unmap_and_replace, get_status_frames, swap, cache_flush. */
		return -XEN_ENOSYS;
	}
}
