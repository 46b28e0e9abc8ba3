/* SPDX-License-Identifier: MIT */
/*
 * XENMEM_add_to_physmap of XENMAPSPACE_shared_info (xen/memory.h): the
 * way every HVM/PVH kernel finds shared_info. The guest passes the
 * struct in its own layout: 16 bytes with a 4-byte xen_ulong_t idx and
 * xen_pfn_t gpfn in a 32-bit build, 24 bytes with 8-byte ones in a 64-bit
 * one; a hypervisor that reads a 32-bit caller's struct with the 64-bit
 * layout sees gpfn in the high half of idx and refuses (-EINVAL).
 *
 * Mapped over a page of our own bss, the page must then read as a
 * shared_info: vcpu_info[0].time (struct vcpu_time_info, whose offset
 * and layout are the same for 32- and 64-bit guests) holds an even
 * version and a non-zero tsc_to_system_mul (Xen fills it before the
 * vCPU first runs). idx != 0 is -EINVAL: there is one shared_info frame.
 */
#include "tests/xen/xc.h"

#include <xen/memory.h>

static uint8_t xc_shinfo_page[4096] __attribute__((aligned(4096)));

static long xc_map_shinfo(xen_ulong_t idx, xen_pfn_t gpfn)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = idx,
		.gpfn = gpfn,
	};

	return xc_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XC_ULONG(&xatp), 0, 0,
			    0);
}

void xc_case_shinfo(void)
{
	xen_pfn_t gpfn = (xen_pfn_t)(XC_ULONG(xc_shinfo_page) >> 12);
	volatile struct shared_info *s = (volatile struct shared_info *)xc_shinfo_page;

	XC_RC("add_to_physmap(shared_info, idx 1)", xc_map_shinfo(1, gpfn), -XEN_EINVAL);
	if (!XC_RC("add_to_physmap(shared_info)", xc_map_shinfo(0, gpfn), 0))
		return;
	XC_CHECK((s->vcpu_info[0].time.version & 1) == 0,
		 "vcpu_info[0].time.version %u odd after the map", s->vcpu_info[0].time.version);
	XC_CHECK(s->vcpu_info[0].time.tsc_to_system_mul != 0,
		 "vcpu_info[0].time.tsc_to_system_mul is 0: not a shared_info");
	/* Mapping it again at the same frame is a no-op that succeeds. */
	XC_RC("add_to_physmap(shared_info) again", xc_map_shinfo(0, gpfn), 0);
	/* The later cases read it (lib/events.c). */
	xc_shinfo = s;
}
