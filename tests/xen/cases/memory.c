/* SPDX-License-Identifier: MIT */
/*
 * XENMEM reservation queries and ballooning (xen/memory.h) as a PVH
 * kernel's balloon driver uses them. current/maximum_reservation take a
 * pointer to a domid_t and return a page count. decrease_reservation and
 * populate_physmap take struct xen_memory_reservation, whose extent_start
 * handle and xen_pfn_t entries are 4 bytes for a 32-bit caller (20-byte
 * struct) and 8 for a 64-bit one (32 bytes), and return the number of
 * extents done.
 */
#include "tests/xen/xc.h"

#include <xen/memory.h>

#define XC_NO_SUCH_DOMID 0x7000u

/* A page of our own to hand back and get again; never touched while out. */
static uint8_t xc_balloon_page[4096] __attribute__((aligned(4096)));

static long xc_memop(unsigned op, void *arg)
{
	return xc_hypercall(__HYPERVISOR_memory_op, op, XC_ULONG(arg), 0, 0, 0);
}

static long xc_reservation(unsigned op, xen_pfn_t *frames, unsigned n)
{
	struct xen_memory_reservation r = {
		.nr_extents = n, .extent_order = 0, .mem_flags = 0, .domid = DOMID_SELF
	};

	set_xen_guest_handle(r.extent_start, frames);
	return xc_memop(op, &r);
}

void xc_case_memory_reservation(void)
{
	domid_t self = DOMID_SELF, other = XC_NO_SUCH_DOMID;
	long cur = xc_memop(XENMEM_current_reservation, &self);
	long max = xc_memop(XENMEM_maximum_reservation, &self);
	long top = xc_memop(XENMEM_maximum_ram_page, NULL);
	long ret;

	/* At least our own image (1 MiB + its size) is RAM. */
	XC_CHECK(cur > 256, "current_reservation %ld", cur);
	XC_CHECK(max >= cur, "maximum_reservation %ld below current %ld", max, cur);
	XC_CHECK(top > 256, "maximum_ram_page %ld", top);
	ret = xc_memop(XENMEM_current_reservation, &other);
	XC_CHECK(ret == -XEN_ESRCH || ret == -XEN_EPERM,
		 "current_reservation of domid 0x%x returned %ld", XC_NO_SUCH_DOMID, ret);
}

void xc_case_memory_balloon(void)
{
	domid_t self = DOMID_SELF;
	xen_pfn_t pfn = (xen_pfn_t)(XC_ULONG(xc_balloon_page) >> 12);
	xen_pfn_t two[2] = { pfn, (xen_pfn_t)0x7ffff000u };
	long cur = xc_memop(XENMEM_current_reservation, &self);
	bool zero = true;

	memset(xc_balloon_page, 0x5a, sizeof(xc_balloon_page));
	/* The second extent is no RAM of ours: the batch stops after the first. */
	if (!XC_RC("decrease_reservation(our page, a frame past RAM)",
		   xc_reservation(XENMEM_decrease_reservation, two, 2), 1))
		return;
	XC_RC("current_reservation after giving a page back",
	      xc_memop(XENMEM_current_reservation, &self), cur - 1);
	XC_RC("decrease_reservation of the same page again",
	      xc_reservation(XENMEM_decrease_reservation, &pfn, 1), 0);
	XC_RC("populate_physmap(the page)", xc_reservation(XENMEM_populate_physmap, &pfn, 1), 1);
	XC_RC("current_reservation after populating",
	      xc_memop(XENMEM_current_reservation, &self), cur);
	for (size_t i = 0; i < sizeof(xc_balloon_page); i++)
		zero = zero && xc_balloon_page[i] == 0;
	XC_CHECK(zero, "a repopulated page is not zeroed");
}
