/* SPDX-License-Identifier: MIT */
/*
 * grant_table_op, version 1, alone (xen/grant_table.h): the interface
 * queries and a guest's own grants, whose return values Xen documents.
 *   gnttab-version: set_version 1 is 0; 2 is -ENOSYS on a hypervisor with
 *     v1 only (Xen's gnttab_max_version=1), 3 -EINVAL, the current version
 *     written back each time; get_version of DOMID_SELF is 1, of an unknown
 *     domain -ESRCH; an unknown op -ENOSYS; continuation bits in cmd or a
 *     negative count -EINVAL.
 *   gnttab-frames: query_size (count must be 1; an unknown domain is
 *     GNTST_bad_domain in the status), frame 0 mapped by add_to_physmap
 *     (out-of-range idx and the v2 status bit -EINVAL), setup_table giving
 *     back where it is mapped, a fresh table reading zero.
 *   gnttab-self: a page granted to ourselves, mapped at a second address
 *     (writes visible both ways, GTF_reading | GTF_writing set while mapped
 *     and cleared by the unmap), copied by GNTTABOP_copy in a batch of two,
 *     a bad handle, a bad ref, an offset beyond the page.
 * A 32-bit build passes its own layouts: 4-byte xen_pfn_t and handles in
 * setup_table and copy (24-byte ops), which the hypervisor must read as such.
 * Alone on the machine this guest is domid 1 (a map names the granter by
 * id: DOMID_SELF is GNTST_bad_domain, as Xen).
 */
#include "tests/xen/xc.h"

#include <xen/grant_table.h>
#include <xen/memory.h>

#define XC_SELF_DOMID 1
#define XC_NO_SUCH_DOMID 0x7000u
#define XC_REF 8

static grant_entry_v1_t xc_gtab[4096 / sizeof(grant_entry_v1_t)] __attribute__((aligned(4096)));
static uint8_t xc_gpage[4096] __attribute__((aligned(4096)));
static uint8_t xc_gwin[4096] __attribute__((aligned(4096)));
static uint8_t xc_gbuf[4096] __attribute__((aligned(4096)));

static long xc_gnttab(unsigned cmd, void *uop, unsigned count)
{
	return xc_hypercall(__HYPERVISOR_grant_table_op, cmd, XC_ULONG(uop), count, 0, 0);
}

static long xc_map_gframe(xen_ulong_t idx, void *where)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table,
		.idx = idx,
		.gpfn = (xen_pfn_t)(XC_ULONG(where) >> 12),
	};

	return xc_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XC_ULONG(&xatp), 0, 0,
			    0);
}

void xc_case_gnttab_version(void)
{
	struct gnttab_set_version sv = { .version = 1 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	struct gnttab_query_size qs = { .dom = DOMID_SELF };

	XC_RC("set_version(1)", xc_gnttab(GNTTABOP_set_version, &sv, 1), 0);
	XC_CHECK(sv.version == 1, "set_version(1) wrote back %u", sv.version);
	sv.version = 2;
	XC_RC("set_version(2)", xc_gnttab(GNTTABOP_set_version, &sv, 1), -XEN_ENOSYS);
	XC_CHECK(sv.version == 1, "set_version(2) wrote back %u, want 1", sv.version);
	sv.version = 3;
	XC_RC("set_version(3)", xc_gnttab(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL);
	XC_RC("get_version(self)", xc_gnttab(GNTTABOP_get_version, &gv, 1), 0);
	XC_CHECK(gv.version == 1, "get_version gave %u", gv.version);
	gv.dom = XC_NO_SUCH_DOMID;
	XC_RC("get_version(unknown domain)", xc_gnttab(GNTTABOP_get_version, &gv, 1), -XEN_ESRCH);
	XC_RC("transfer", xc_gnttab(GNTTABOP_transfer, 0, 0), -XEN_ENOSYS);
	XC_RC("query_size with continuation bits",
	      xc_gnttab(GNTTABOP_query_size | (1u << 12), &qs, 1), -XEN_EINVAL);
	XC_RC("map_grant_ref, count -1", xc_gnttab(GNTTABOP_map_grant_ref, 0, 0xffffffffu),
	      -XEN_EINVAL);
	XC_RC("map_grant_ref, count 0", xc_gnttab(GNTTABOP_map_grant_ref, 0, 0), 0);
}

void xc_case_gnttab_frames(void)
{
	struct gnttab_query_size qs = { .dom = DOMID_SELF };
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2 };
	xen_pfn_t frames[3] = { 0, 0, 0x5555 };

	XC_RC("query_size", xc_gnttab(GNTTABOP_query_size, &qs, 1), 0);
	XC_CHECK(qs.status == GNTST_okay && qs.nr_frames >= 1 && qs.max_nr_frames >= qs.nr_frames,
		 "query_size: status %d, %u of %u frames", qs.status, qs.nr_frames, qs.max_nr_frames);
	XC_RC("query_size, count 2", xc_gnttab(GNTTABOP_query_size, &qs, 2), -XEN_EINVAL);
	qs.dom = XC_NO_SUCH_DOMID;
	XC_RC("query_size(unknown domain)", xc_gnttab(GNTTABOP_query_size, &qs, 1), 0);
	XC_CHECK(qs.status == GNTST_bad_domain, "query_size(unknown domain): status %d", qs.status);

	XC_RC("add_to_physmap(grant_table, idx max_nr_frames)", xc_map_gframe(4096, xc_gtab),
	      -XEN_EINVAL);
	XC_RC("add_to_physmap(grant_table, status frame 0)",
	      xc_map_gframe(XENMAPIDX_grant_table_status, xc_gtab), -XEN_EINVAL);
	if (!XC_RC("add_to_physmap(grant_table, 0)", xc_map_gframe(0, xc_gtab), 0))
		return;
	XC_CHECK(xc_gtab[XC_REF].flags == 0 && xc_gtab[XC_REF].frame == 0,
		 "a fresh table's entry %u reads flags 0x%x frame 0x%x", XC_REF,
		 xc_gtab[XC_REF].flags, xc_gtab[XC_REF].frame);
	set_xen_guest_handle(st.frame_list, frames);
	XC_RC("setup_table(2 frames)", xc_gnttab(GNTTABOP_setup_table, &st, 1), 0);
	XC_CHECK(st.status == GNTST_okay, "setup_table: status %d", st.status);
	XC_CHECK(frames[0] == (xen_pfn_t)(XC_ULONG(xc_gtab) >> 12),
		 "setup_table: frame 0 is 0x%lx, mapped at 0x%lx", (unsigned long)frames[0],
		 XC_ULONG(xc_gtab) >> 12);
	XC_CHECK(frames[2] == 0x5555, "setup_table wrote past nr_frames");
	XC_RC("setup_table, count 2", xc_gnttab(GNTTABOP_setup_table, &st, 2), -XEN_EINVAL);
	st.nr_frames = qs.max_nr_frames + 100;
	XC_RC("setup_table(too many)", xc_gnttab(GNTTABOP_setup_table, &st, 1), 0);
	XC_CHECK(st.status == GNTST_general_error, "setup_table(too many): status %d", st.status);
}

static void xc_copy_ptr(struct gnttab_copy *c, bool from_grant, unsigned off, void *local,
			unsigned loff, unsigned len)
{
	struct gnttab_copy_ptr *g = from_grant ? &c->source : &c->dest;
	struct gnttab_copy_ptr *l = from_grant ? &c->dest : &c->source;

	memset(c, 0, sizeof(*c));
	g->u.ref = XC_REF;
	g->domid = XC_SELF_DOMID;
	g->offset = (uint16_t)off;
	l->u.gmfn = (xen_pfn_t)(XC_ULONG(local) >> 12);
	l->domid = DOMID_SELF;
	l->offset = (uint16_t)loff;
	c->len = (uint16_t)len;
	c->flags = from_grant ? GNTCOPY_source_gref : GNTCOPY_dest_gref;
	c->status = 99;
}

void xc_case_gnttab_self(void)
{
	struct gnttab_map_grant_ref map = {
		.host_addr = XC_ULONG(xc_gwin), .flags = GNTMAP_host_map, .ref = XC_REF,
		.dom = DOMID_SELF,
	};
	struct gnttab_unmap_grant_ref unmap = { .host_addr = XC_ULONG(xc_gwin) };
	struct gnttab_copy cp[2];

	memcpy(xc_gpage, "granted!", 8);
	memcpy(xc_gwin, "own page", 8);
	xc_gtab[XC_REF].domid = XC_SELF_DOMID;
	xc_gtab[XC_REF].frame = (uint32_t)(XC_ULONG(xc_gpage) >> 12);
	__atomic_store_n(&xc_gtab[XC_REF].flags, GTF_permit_access, __ATOMIC_RELEASE);

	XC_RC("map_grant_ref(DOMID_SELF)", xc_gnttab(GNTTABOP_map_grant_ref, &map, 1), 0);
	XC_CHECK(map.status == GNTST_bad_domain, "map naming DOMID_SELF: status %d", map.status);
	map.dom = XC_SELF_DOMID;
	map.ref = 4096;
	xc_gnttab(GNTTABOP_map_grant_ref, &map, 1);
	XC_CHECK(map.status == GNTST_bad_gntref, "map of ref 4096: status %d", map.status);
	map.ref = XC_REF;
	XC_RC("map_grant_ref", xc_gnttab(GNTTABOP_map_grant_ref, &map, 1), 0);
	if (!XC_CHECK(map.status == GNTST_okay, "map_grant_ref: status %d", map.status))
		return;
	XC_CHECK(!memcmp(xc_gwin, "granted!", 8), "the mapping does not show the granted page");
	/* Two names for one page: volatile, or the compiler assumes they cannot alias. */
	((volatile uint8_t *)xc_gwin)[8] = 'W';
	XC_CHECK(((volatile uint8_t *)xc_gpage)[8] == 'W',
		 "a write through the mapping is not in the granted page");
	XC_CHECK((xc_gtab[XC_REF].flags & (GTF_reading | GTF_writing)) == (GTF_reading | GTF_writing),
		 "entry flags 0x%x while mapped", xc_gtab[XC_REF].flags);

	/* Two copies in one call: out of the grant, then into it (the op stride matters). */
	xc_copy_ptr(&cp[0], true, 0, xc_gbuf, 16, 8);
	xc_copy_ptr(&cp[1], false, 100, xc_gbuf, 16, 8);
	XC_RC("copy x2", xc_gnttab(GNTTABOP_copy, cp, 2), 0);
	XC_CHECK(cp[0].status == GNTST_okay && cp[1].status == GNTST_okay,
		 "copy statuses %d, %d", cp[0].status, cp[1].status);
	XC_CHECK(!memcmp(xc_gbuf + 16, "granted!", 8) && !memcmp(xc_gpage + 100, "granted!", 8),
		 "copied bytes wrong");
	xc_copy_ptr(&cp[0], true, 4090, xc_gbuf, 0, 8);
	xc_gnttab(GNTTABOP_copy, cp, 1);
	XC_CHECK(cp[0].status == GNTST_bad_copy_arg, "copy beyond the page: status %d",
		 cp[0].status);

	unmap.handle = 9999;
	XC_RC("unmap(bad handle)", xc_gnttab(GNTTABOP_unmap_grant_ref, &unmap, 1), 0);
	XC_CHECK(unmap.status == GNTST_bad_handle, "unmap(bad handle): status %d", unmap.status);
	unmap.handle = map.handle;
	XC_RC("unmap_grant_ref", xc_gnttab(GNTTABOP_unmap_grant_ref, &unmap, 1), 0);
	XC_CHECK(unmap.status == GNTST_okay, "unmap_grant_ref: status %d", unmap.status);
	XC_CHECK(!memcmp(xc_gwin, "own page", 8), "the unmapped address is not our page again");
	XC_CHECK(xc_gtab[XC_REF].flags == GTF_permit_access, "entry flags 0x%x after unmap",
		 xc_gtab[XC_REF].flags);
}
