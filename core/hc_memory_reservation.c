/* SPDX-License-Identifier: MIT */
/*
 * XENMEM_decrease_reservation and XENMEM_populate_physmap for an
 * auto-translated (PVH) guest: ballooning within its configured RAM. A
 * frame handed back becomes a hole in its EPT; populating it again maps the
 * guest's own RAM page back, zeroed. As in Xen (xen/common/memory.c) the
 * result is the number of extents done: a bad request is 0 extents done, a
 * bad extent stops the batch there. docs/abi.md, "memory_op".
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/memory.h>

#include "core/balloon.h"
#include "core/compat.h"
#include "core/grant.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "lib/errno.h"

/*
 * Frames holding a hypervisor page (shared_info, trace acks, grant-table
 * frames) or a peer's granted page: not the guest's to balloon.
 */
static bool covers_hv_page(const struct guest *g, uint64_t pfn, uint64_t n)
{
	if (g->shinfo_gfn != ~0ULL && g->shinfo_gfn - pfn < n)
		return true;
	if (gnt_range_busy(g, pfn, n))
		return true;
	return g->trace_acks_gfn && g->trace_acks_gfn - pfn < n;
}

static int one_extent(struct guest *g, unsigned op, uint64_t pfn, uint64_t n)
{
	int rc;

	if (covers_hv_page(g, pfn, n))
		return -XEN_EINVAL;
	if (op == XENMEM_decrease_reservation) {
		rc = balloon_can_decrease(&g->balloon, pfn, n);
		if (rc)
			return rc;
		rc = guest_arch_unmap_ram(g, pfn << 12, n << 12);
		if (rc) {
			/* A split failed: whatever went is mapped back, nothing changes. */
			guest_arch_restore_ram(g, pfn << 12, n << 12, false);
			return rc;
		}
		balloon_set(&g->balloon, pfn, n, true);
		return 0;
	}
	rc = balloon_can_populate(&g->balloon, pfn, n);
	if (rc)
		return rc;
	rc = guest_arch_restore_ram(g, pfn << 12, n << 12, true);
	if (rc)
		return rc;
	balloon_set(&g->balloon, pfn, n, false);
	return 0;
}

/* Reads the reservation in the caller's layout; false on a fault. */
static bool read_reservation(struct vcpu *v, bool compat, uint64_t arg,
			     struct xen_memory_reservation *r)
{
	struct compat_memory_reservation c;

	if (!compat)
		return !vcpu_copy_from_guest(v, r, arg, sizeof(*r));
	if (vcpu_copy_from_guest(v, &c, arg, sizeof(c)))
		return false;
	compat_memory_reservation_in(&c, r);
	return true;
}

long memop_reservation(struct vcpu *v, unsigned op, bool compat, unsigned long start,
		       uint64_t arg)
{
	struct xen_memory_reservation r;
	struct guest *g = v->guest;
	unsigned long i = start;
	/* A 32-bit caller's extent list holds 32-bit frame numbers (compat_pfn_t). */
	uint64_t pfn_size = compat ? sizeof(uint32_t) : sizeof(xen_pfn_t);

	/* Each refusal below is "start extents done", exactly as Xen answers it. */
	if (!read_reservation(v, compat, arg, &r))
		goto out;
	if (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) || start >= r.nr_extents)
		goto out;
	if (memop_domid_check(g, r.domid))
		goto out;
	/* An address limit of a page or less can never be met (construct_memop_from_reservation). */
	if (XENMEMF_get_address_bits(r.mem_flags) && XENMEMF_get_address_bits(r.mem_flags) <= 12)
		goto out;
	if (r.extent_order > BALLOON_MAX_ORDER)
		goto out;
	for (; i < r.nr_extents; i++) {
		xen_pfn_t pfn = 0; /* little-endian: a 4-byte entry fills its low half */

		if (vcpu_copy_from_guest(v, &pfn, (uint64_t)(uintptr_t)r.extent_start.p +
							  i * pfn_size, pfn_size))
			break;
		if (one_extent(g, op, pfn, 1ULL << r.extent_order))
			break;
	}
out:
	return (long)i;
}
