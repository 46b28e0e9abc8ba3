/* SPDX-License-Identifier: MIT */
/*
 * memory_op: add_to_physmap of the shared_info page (and of grant-table
 * frames, core/grant_map.c), over RAM or above it (core/physmap.h), the reservation
 * queries (current/maximum reservation, maximum_ram_page, maximum_gpfn)
 * and the memory map; decrease_reservation and populate_physmap are in
 * core/hc_memory_reservation.c. docs/abi.md, "memory_op", compares each
 * with Xen (xen/common/memory.c, arch/x86/mm.c).
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/arch-x86/hvm/start_info.h>

#include "bolt/bolt.h"
#include "core/compat.h"
#include "core/grant.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "core/lifecycle.h"
#include "core/physmap_guest.h"
#include "lib/errno.h"

/* One entry of the BIOS INT 15h E820 map, the format XENMEM_memory_map returns. */
struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct e820_entry) == 20, "E820 entries are 20 bytes");

int memop_domid_check(const struct guest *g, unsigned domid)
{
	if (domid == DOMID_SELF || domid == g->domid)
		return 0;
	/* Another guest exists but is not ours to touch (Xen's XSM_TARGET check). */
	return domid >= 1 && domid <= nr_guests ? -XEN_EPERM : -XEN_ESRCH;
}

static long add_to_physmap(struct vcpu *v, bool compat, uint64_t arg)
{
	struct xen_add_to_physmap xatp;
	struct guest *g = v->guest;
	int rc;

	if (compat) {
		struct compat_add_to_physmap c;

		if (vcpu_copy_from_guest(v, &c, arg, sizeof(c)))
			return -XEN_EFAULT;
		compat_add_to_physmap_in(&c, &xatp);
	} else if (vcpu_copy_from_guest(v, &xatp, arg, sizeof(xatp))) {
		return -XEN_EFAULT;
	}
	if (xatp.domid != DOMID_SELF && xatp.domid != g->domid)
		return -XEN_EPERM;
	if (xatp.space == XENMAPSPACE_grant_table)
		return gnt_add_to_physmap(g, xatp.idx, xatp.gpfn);
	if (xatp.space != XENMAPSPACE_shared_info)
		return -XEN_ENOSYS; /* no foreign or MMIO mappings in Bolt */
	if (xatp.idx != 0)
		return -XEN_EINVAL;
	/* Over the guest's own RAM, or in unpopulated space above it (core/physmap.h). */
	if (physmap_guest_place(g, xatp.gpfn) < 0)
		return -XEN_EINVAL;
	/* Not on top of the other hypervisor page the guest may have mapped. */
	if (g->trace_acks_gfn && xatp.gpfn == g->trace_acks_gfn)
		return -XEN_EINVAL;
	/* Nor on a grant-table frame or a grant mapping. */
	if (gnt_range_busy(g, xatp.gpfn, 1))
		return -XEN_EINVAL;
	if (xatp.gpfn == g->shinfo_gfn)
		return 0; /* already there */
	if (g->page_remaps >= GUEST_PAGE_REMAPS_MAX)
		return -XEN_EBUSY;
	g->page_remaps++;
	rc = guest_arch_map_page(g, xatp.gpfn << 12, g->shinfo);
	if (rc) {
		physmap_guest_restore(g, xatp.gpfn);
		return rc;
	}
	/* Moved: the old frame is RAM again, or the hole it was put over (in RAM or above). */
	if (g->shinfo_gfn != ~0ULL && g->shinfo_gfn != xatp.gpfn)
		physmap_guest_restore(g, g->shinfo_gfn);
	g->shinfo_gfn = xatp.gpfn;
	return 0;
}

/* current_reservation, maximum_reservation, maximum_gpfn: arg points at a domid_t. */
static long reservation_query(struct vcpu *v, unsigned op, uint64_t arg)
{
	struct guest *g = v->guest;
	domid_t domid;
	int rc;

	if (vcpu_copy_from_guest(v, &domid, arg, sizeof(domid)))
		return -XEN_EFAULT;
	rc = memop_domid_check(g, domid);
	if (rc)
		return rc;
	if (op == XENMEM_current_reservation)
		return (long)balloon_pages(&g->balloon);
	if (op == XENMEM_maximum_reservation)
		return (long)g->balloon.nr_frames;
	return (long)(g->ram_size >> 12) - 1; /* maximum_gpfn: the top of its RAM */
}

static long memory_map(struct vcpu *v, bool compat, uint64_t arg)
{
	struct hvm_memmap_table_entry mm[BOLT_GUEST_MEMMAP_MAX];
	struct xen_memory_map map;
	unsigned n = guest_memmap(v->guest, mm);

	if (compat) {
		struct compat_memory_map c;

		if (vcpu_copy_from_guest(v, &c, arg, sizeof(c)))
			return -XEN_EFAULT;
		compat_memory_map_in(&c, &map);
	} else if (vcpu_copy_from_guest(v, &map, arg, sizeof(map))) {
		return -XEN_EFAULT;
	}
	/* As Xen: as many entries as fit, and the count stored back (offset 0 in both layouts). */
	if (map.nr_entries > n)
		map.nr_entries = n;
	for (unsigned i = 0; i < map.nr_entries; i++) {
		struct e820_entry e = { mm[i].addr, mm[i].size, mm[i].type };

		if (vcpu_copy_to_guest(v, (uint64_t)(uintptr_t)map.buffer.p + i * sizeof(e), &e,
				       sizeof(e)))
			return -XEN_EFAULT;
	}
	if (vcpu_copy_to_guest(v, arg, &map, sizeof(map.nr_entries)))
		return -XEN_EFAULT;
	return 0;
}

long hc_memory_op(struct vcpu *v, struct hypercall_args *a)
{
	unsigned op = (unsigned)(a->a[0] & MEMOP_CMD_MASK);
	unsigned long start = (unsigned long)(a->a[0] >> MEMOP_EXTENT_SHIFT);

	if (op == XENMEM_decrease_reservation || op == XENMEM_populate_physmap)
		return memop_reservation(v, op, a->compat, start, a->a[1]);
	/* The other sub-ops have no continuation: Xen refuses a start extent too. */
	if (start)
		return -XEN_EINVAL;
	switch (op) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(v, a->compat, a->a[1]);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return reservation_query(v, op, a->a[1]);
	case XENMEM_maximum_ram_page:
		/* Xen: the host's top frame; a Bolt guest sees no host frame, so its own top. */
		return (long)(v->guest->ram_size >> 12) - 1;
	case XENMEM_memory_map:
		return memory_map(v, a->compat, a->a[1]);
	default:
		return -XEN_ENOSYS;
	}
}
