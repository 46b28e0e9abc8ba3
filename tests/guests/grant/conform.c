/* SPDX-License-Identifier: MIT */
/*
 * role=granter and role=mapper: the two-guest conformance run. They step
 * through a handshake in the granted page: the mapper writes `step` (through
 * its mapping, later by GNTTABOP_copy once unmapped), the granter answers
 * in `ack` after checking its grant entries.
 */
#include "grant.h"

#define TIMEOUT_NS 20000000000ull
#define MAPTRACK_MAX 64 /* Bolt's bound on one guest's grant mappings (docs/abi.md) */

struct hs {
	struct shared_hdr h;
	volatile uint32_t step, ack;
};

static grant_entry_v1_t gtab[PAGE / sizeof(grant_entry_v1_t)] __attribute__((aligned(PAGE)));
static uint8_t page_rw[PAGE] __attribute__((aligned(PAGE)));
static uint8_t page_ro[PAGE] __attribute__((aligned(PAGE)));
static uint8_t win_rw[PAGE] __attribute__((aligned(PAGE)));
static uint8_t win_ro[PAGE] __attribute__((aligned(PAGE)));
static uint8_t wins[MAPTRACK_MAX + 1][PAGE] __attribute__((aligned(PAGE)));

static bool wait_for(volatile uint32_t *word, uint32_t want)
{
	uint64_t until = bolt_now_ns() + TIMEOUT_NS;

	while (*word != want)
		if (bolt_now_ns() > until || bolt_yield() < 0)
			return false;
	return true;
}

static void grant_to(grant_ref_t ref, domid_t dom, void *page, uint16_t flags)
{
	gtab[ref].domid = dom;
	gtab[ref].frame = (uint32_t)GFN(page);
	__atomic_store_n(&gtab[ref].flags, flags, __ATOMIC_RELEASE); /* last, as Linux does */
}

static void granter_interface(void)
{
	struct gnttab_set_version sv = { .version = 1 };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	struct gnttab_query_size qs = { .dom = DOMID_SELF };
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 2 };
	xen_pfn_t frames[2] = { 0, 0 };

	EXPECT_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), 0);
	EXPECT_EQ(sv.version, 1);
	sv.version = 2; /* Xen with gnttab_max_version=1: -ENOSYS, the version written back */
	EXPECT_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), -XEN_ENOSYS);
	EXPECT_EQ(sv.version, 1);
	sv.version = 3;
	EXPECT_EQ(gnttab_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL);
	EXPECT_EQ(gnttab_op(GNTTABOP_get_version, &gv, 1), 0);
	EXPECT_EQ(gv.version, 1);
	gv.dom = 2;
	EXPECT_EQ(gnttab_op(GNTTABOP_get_version, &gv, 1), -XEN_EPERM);
	gv.dom = 77;
	EXPECT_EQ(gnttab_op(GNTTABOP_get_version, &gv, 1), -XEN_ESRCH);

	EXPECT_EQ(gnttab_op(GNTTABOP_query_size, &qs, 1), 0);
	EXPECT_EQ(qs.status, GNTST_okay);
	EXPECT_EQ(qs.nr_frames, 4);
	EXPECT_EQ(qs.max_nr_frames, 4);
	EXPECT_EQ(gnttab_op(GNTTABOP_query_size, &qs, 2), -XEN_EINVAL);
	qs.dom = 2;
	EXPECT_EQ(gnttab_op(GNTTABOP_query_size, &qs, 1), 0);
	EXPECT_EQ(qs.status, GNTST_permission_denied);
	qs.dom = 77;
	EXPECT_EQ(gnttab_op(GNTTABOP_query_size, &qs, 1), 0);
	EXPECT_EQ(qs.status, GNTST_bad_domain);

	/* The frames: idx beyond the table, a v2 status frame, then frame 0 for real. */
	EXPECT_EQ(add_grant_frame(4, gtab), -XEN_EINVAL);
	EXPECT_EQ(add_grant_frame(XENMAPIDX_grant_table_status, gtab), -XEN_EINVAL);
	EXPECT_EQ(add_grant_frame(0, (void *)0xf0000000ul), -XEN_EINVAL); /* the MMIO hole */
	EXPECT_EQ(add_grant_frame(0, gtab), 0);
	EXPECT_EQ(add_grant_frame(0, gtab), 0); /* again, same place */
	EXPECT_EQ(add_grant_frame(1, gtab), -XEN_EINVAL); /* frame 0 is there */
	set_xen_guest_handle(st.frame_list, frames);
	EXPECT_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
	EXPECT_EQ(st.status, GNTST_okay);
	EXPECT_EQ(frames[0], GFN(gtab));
	EXPECT_EQ(frames[1], (xen_pfn_t)~0ull); /* not mapped: INVALID_GFN */
	EXPECT_EQ(gnttab_op(GNTTABOP_setup_table, &st, 2), -XEN_EINVAL);
	st.nr_frames = 5;
	EXPECT_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
	EXPECT_EQ(st.status, GNTST_general_error);
	st.nr_frames = 1;
	st.dom = 2;
	EXPECT_EQ(gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
	EXPECT_EQ(st.status, GNTST_permission_denied);
	/* The table starts empty: the frame reads zero through its new mapping. */
	EXPECT_EQ(gtab[REF_RW].flags | gtab[REF_RW].domid | gtab[REF_RW].frame, 0);

	EXPECT_EQ(gnttab_op(GNTTABOP_transfer, NULL, 0), -XEN_ENOSYS);
	EXPECT_EQ(gnttab_op(GNTTABOP_query_size | (1u << 12), &qs, 1), -XEN_EINVAL);
	EXPECT_EQ(gnttab_op(GNTTABOP_map_grant_ref, NULL, 0x80000000u), -XEN_EINVAL);
	EXPECT_EQ(gnttab_op(GNTTABOP_map_grant_ref, NULL, 0), 0);
}

int role_granter(void)
{
	struct hs *rw = (struct hs *)page_rw, *ro = (struct hs *)page_ro;
	uint16_t f;

	granter_interface();
	rw->h.magic = ro->h.magic = MAGIC;
	grant_to(REF_RW, 2, page_rw, GTF_permit_access);
	grant_to(REF_RO, 2, page_ro, GTF_permit_access | GTF_readonly);
	grant_to(REF_OTHER, 3, page_rw, GTF_permit_access);
	printf("granter: granted refs %u (rw), %u (ro) to domain 2\n", REF_RW, REF_RO);

	/* Step 1: both mapped, the mapper's write visible here; Bolt marks the entries busy. */
	if (!wait_for(&rw->step, 1))
		return printf("granter: the mapper never mapped\n"), -1;
	f = gtab[REF_RW].flags;
	EXPECT_EQ(f & (GTF_reading | GTF_writing), GTF_reading | GTF_writing);
	f = gtab[REF_RO].flags;
	EXPECT_EQ(f & (GTF_reading | GTF_writing), GTF_reading);
	EXPECT_EQ(gtab[REF_OTHER].flags, GTF_permit_access);
	rw->ack = 1;

	/* Step 2 came by GNTTABOP_copy, both unmapped: the busy bits are gone. */
	if (!wait_for(&rw->step, 2))
		return printf("granter: no step 2\n"), -1;
	EXPECT_EQ(gtab[REF_RW].flags, GTF_permit_access);
	EXPECT_EQ(gtab[REF_RO].flags, GTF_permit_access | GTF_readonly);
	rw->ack = 2;

	if (!wait_for(&rw->step, 3))
		return printf("granter: no step 3\n"), -1;
	EXPECT_EQ(gtab[REF_RW].flags, GTF_permit_access);
	EXPECT_EQ(gtab[REF_RO].flags, GTF_permit_access | GTF_readonly);
	printf("granter: entries idle again, mapper done\n");
	return 0;
}

static void copy_word(bool to_granter, size_t offset, uint32_t *local)
{
	struct gnttab_copy c = { .len = sizeof(*local) };

	if (to_granter) {
		c.source.u.gmfn = GFN(local);
		c.source.domid = DOMID_SELF;
		c.source.offset = (uint16_t)((uintptr_t)local % PAGE);
		c.dest.u.ref = REF_RW;
		c.dest.domid = 1;
		c.dest.offset = (uint16_t)offset;
		c.flags = GNTCOPY_dest_gref;
	} else {
		c.source.u.ref = REF_RW;
		c.source.domid = 1;
		c.source.offset = (uint16_t)offset;
		c.dest.u.gmfn = GFN(local);
		c.dest.domid = DOMID_SELF;
		c.dest.offset = (uint16_t)((uintptr_t)local % PAGE);
		c.flags = GNTCOPY_source_gref;
	}
	EXPECT_EQ(copy_op(&c), GNTST_okay);
}

/* Refusals, with Xen's status for each. */
static void mapper_bad_maps(void)
{
	grant_handle_t h;

	EXPECT_EQ(map_ref(1, REF_RW, win_rw, 0, &h), GNTST_bad_gntref);
	EXPECT_EQ(map_ref(1, REF_RW, win_rw, GNTMAP_host_map | GNTMAP_device_map, &h),
		  GNTST_general_error);
	EXPECT_EQ(map_ref(1, REF_RW, win_rw, GNTMAP_host_map | GNTMAP_contains_pte, &h),
		  GNTST_general_error);
	EXPECT_EQ(map_ref(77, REF_RW, win_rw, GNTMAP_host_map, &h), GNTST_bad_domain);
	EXPECT_EQ(map_ref(DOMID_SELF, REF_RW, win_rw, GNTMAP_host_map, &h), GNTST_bad_domain);
	EXPECT_EQ(map_ref(3, REF_RW, win_rw, GNTMAP_host_map, &h), GNTST_permission_denied);
	EXPECT_EQ(map_ref(1, 5000, win_rw, GNTMAP_host_map, &h), GNTST_bad_gntref);
	EXPECT_EQ(map_ref(1, REF_OTHER, win_rw, GNTMAP_host_map, &h), GNTST_general_error);
	EXPECT_EQ(map_ref(1, REF_OTHER + 1, win_rw, GNTMAP_host_map, &h), GNTST_general_error);
	EXPECT_EQ(map_ref(1, REF_RO, win_rw, GNTMAP_host_map, &h), GNTST_general_error);
	/*
	 * Where it may not go: the MMIO hole, beyond the physical address
	 * width (2^52 is beyond any CPU's), the reserved low pages.
	 */
	EXPECT_EQ(map_ref(1, REF_RW, (void *)0xf0000000ul, GNTMAP_host_map, &h), GNTST_general_error);
	EXPECT_EQ(map_ref(1, REF_RW, (void *)(1ul << 52), GNTMAP_host_map, &h), GNTST_general_error);
	EXPECT_EQ(map_ref(1, REF_RW, (void *)0x1000ul, GNTMAP_host_map, &h), GNTST_general_error);
	/* Unpopulated space above RAM is allowed, as on Xen: Linux PVH's gntdev maps there. */
	EXPECT_EQ(map_ref(1, REF_RW, (void *)0x40000000ul, GNTMAP_host_map, &h), GNTST_okay);
	EXPECT_EQ(unmap_handle(h, (void *)0x40000000ul), GNTST_okay);
	/* None of them left the granter's entry busy (checked by the granter at step 2). */
}

/* GNTST_no_space after MAPTRACK_MAX mappings, and all of them undone. */
static void mapper_maptrack_limit(void)
{
	grant_handle_t h[MAPTRACK_MAX + 1];
	unsigned n = 0;

	for (; n < MAPTRACK_MAX; n++)
		if (map_ref(1, REF_RO, wins[n], GNTMAP_host_map | GNTMAP_readonly, &h[n]) != GNTST_okay)
			break;
	EXPECT_EQ(n, MAPTRACK_MAX);
	EXPECT_EQ(map_ref(1, REF_RO, wins[MAPTRACK_MAX], GNTMAP_host_map | GNTMAP_readonly, &h[n]),
		  GNTST_no_space);
	EXPECT_EQ(((struct hs *)wins[MAPTRACK_MAX / 2])->h.magic, MAGIC);
	while (n--)
		EXPECT_EQ(unmap_handle(h[n], wins[n]), GNTST_okay);
	EXPECT_EQ(((struct hs *)wins[0])->h.magic, 0); /* its own page again */
}

static void mapper_bad_copies(void)
{
	static uint8_t buf[PAGE] __attribute__((aligned(PAGE)));
	struct gnttab_copy c = { .len = 4, .flags = GNTCOPY_source_gref };

	c.source.u.ref = REF_RW;
	c.source.domid = 1;
	c.dest.u.gmfn = GFN(buf);
	c.dest.domid = DOMID_SELF;
	EXPECT_EQ(copy_op(&c), GNTST_okay);
	EXPECT_EQ(*(uint32_t *)buf, MAGIC);
	c.source.offset = PAGE - 2; /* beyond the page */
	EXPECT_EQ(copy_op(&c), GNTST_bad_copy_arg);
	c.source.offset = 0;
	c.source.u.ref = 5000;
	EXPECT_EQ(copy_op(&c), GNTST_bad_gntref);
	c.source.u.ref = REF_OTHER;
	EXPECT_EQ(copy_op(&c), GNTST_general_error);
	c.source.u.ref = REF_RW;
	c.source.domid = 77;
	EXPECT_EQ(copy_op(&c), GNTST_bad_domain);
	c.source.domid = 3;
	EXPECT_EQ(copy_op(&c), GNTST_permission_denied);
	c.source.domid = 1;
	c.dest.domid = 2; /* a frame may only be named with DOMID_SELF */
	EXPECT_EQ(copy_op(&c), GNTST_permission_denied);
	c.dest.domid = DOMID_SELF;
	c.dest.u.gmfn = 0xf0000; /* not RAM */
	EXPECT_EQ(copy_op(&c), GNTST_bad_page);
	/* Writing into a read-only grant. */
	c = (struct gnttab_copy){ .len = 4, .flags = GNTCOPY_dest_gref };
	c.source.u.gmfn = GFN(buf);
	c.source.domid = DOMID_SELF;
	c.dest.u.ref = REF_RO;
	c.dest.domid = 1;
	EXPECT_EQ(copy_op(&c), GNTST_general_error);
}

int role_mapper(void)
{
	struct hs *w = (struct hs *)win_rw, *r = (struct hs *)win_ro;
	uint64_t until = bolt_now_ns() + TIMEOUT_NS;
	grant_handle_t hrw = 0, hro = 0, h2 = 0;
	uint32_t word;
	int rc;

	memcpy(win_rw, "MINE", 4);
	/* Wait for the grant: not granted yet is GNTST_general_error. */
	while ((rc = map_ref(1, REF_RW, win_rw, GNTMAP_host_map, &hrw)) == GNTST_general_error &&
	       bolt_now_ns() < until)
		bolt_yield();
	EXPECT_EQ(rc, GNTST_okay);
	if (rc)
		return -1;
	EXPECT_EQ(map_ref(1, REF_RO, win_ro, GNTMAP_host_map | GNTMAP_readonly, &hro), GNTST_okay);
	EXPECT_EQ(w->h.magic, MAGIC);
	EXPECT_EQ(r->h.magic, MAGIC);
	/* The same gfn twice, and the same grant at a second place. */
	EXPECT_EQ(map_ref(1, REF_RO, win_rw, GNTMAP_host_map | GNTMAP_readonly, NULL),
		  GNTST_general_error);
	EXPECT_EQ(map_ref(1, REF_RW, wins[0], GNTMAP_host_map, &h2), GNTST_okay);
	EXPECT_EQ(((struct hs *)wins[0])->h.magic, MAGIC);
	EXPECT_EQ(unmap_handle(h2, wins[0]), GNTST_okay);
	printf("mapper: mapped refs %u and %u of domain 1\n", REF_RW, REF_RO);

	w->step = 1; /* through the mapping */
	if (!wait_for(&w->ack, 1))
		return printf("mapper: no ack 1\n"), -1;
	mapper_bad_maps();

	/* Unmap: bad handle, wrong address, no address (nothing done), then for real. */
	EXPECT_EQ(unmap_handle(999, win_rw), GNTST_bad_handle);
	EXPECT_EQ(unmap_handle(MAPTRACK_MAX - 1, win_rw), GNTST_bad_handle);
	EXPECT_EQ(unmap_handle(hrw, win_ro), GNTST_general_error);
	EXPECT_EQ(unmap_handle(hrw, NULL), GNTST_okay);
	EXPECT_EQ(w->h.magic, MAGIC); /* still mapped */
	EXPECT_EQ(unmap_handle(hrw, win_rw), GNTST_okay);
	EXPECT_EQ(unmap_handle(hro, win_ro), GNTST_okay);
	EXPECT_EQ(unmap_handle(hrw, win_rw), GNTST_bad_handle);
	EXPECT_EQ(memcmp(win_rw, "MINE", 4), 0); /* its own page is back */
	EXPECT_EQ(r->h.magic, 0);

	word = 2;
	copy_word(true, offsetof(struct hs, step), &word);
	until = bolt_now_ns() + TIMEOUT_NS;
	do {
		bolt_yield();
		copy_word(false, offsetof(struct hs, ack), &word);
	} while (word != 2 && bolt_now_ns() < until && !failures);
	EXPECT_EQ(word, 2);
	mapper_maptrack_limit();
	mapper_bad_copies();
	printf("mapper: %u failures\n", failures);
	word = 3;
	copy_word(true, offsetof(struct hs, step), &word);
	return 0;
}
