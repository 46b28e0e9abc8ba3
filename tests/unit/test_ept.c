/* SPDX-License-Identifier: MIT */
/* Unit tests for the EPT builder (arch/x86/ept.c). */
#include "unit.h"
#include "arch/ept.h"
#include "lib/errno.h"
#include "lib/lib.h"

/* Page source with failure injection and bookkeeping for leak checks. */
struct test_alloc {
	int allocated;  /* pages handed out */
	int found;      /* pages finish() found linked into the EPT */
	int fail_after; /* -1: never fail */
	void *pages[4096];
};

static void *talloc(void *ctx)
{
	struct test_alloc *a = ctx;
	void *p;

	if (a->fail_after >= 0 && a->allocated >= a->fail_after)
		return NULL;
	if ((size_t)a->allocated >= ARRAY_SIZE(a->pages))
		return NULL;
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!p)
		return NULL;
	memset(p, 0, PAGE_SIZE);
	a->pages[a->allocated++] = p;
	return p;
}

static struct test_alloc *new_alloc(int fail_after)
{
	struct test_alloc *a = calloc(1, sizeof(*a));

	if (!a)
		exit(2);
	a->fail_after = fail_after;
	return a;
}

/* Count page as reachable: it must be one of ours and reached only once. */
static void found_page(struct test_alloc *a, const uint64_t *page, bool *seen)
{
	int i;

	for (i = 0; i < a->allocated; i++) {
		if (a->pages[i] == page) {
			CHECK(!seen[i]);
			seen[i] = true;
			a->found++;
			return;
		}
	}
	CHECK(!"EPT links a page the allocator never handed out");
}

/* Walk one table and, for non-leaf entries (SDM 29.3.2: RWX != 0, bit 7 clear), below. */
static void walk_table(struct test_alloc *a, const uint64_t *t, int level, bool *seen)
{
	int i;

	found_page(a, t, seen);
	for (i = 0; level > 0 && i < 512; i++)
		if ((t[i] & 7) && !(t[i] & 0x80))
			walk_table(a, (const uint64_t *)(uintptr_t)(t[i] & 0x000ffffffffff000ULL),
				   level - 1, seen);
}

/*
 * Check that every table page handed out is still owned by the EPT exactly
 * once (in the tree or on the spare list: nothing leaked, nothing linked
 * twice), then free them all. Bolt never tears an EPT down, so the walk
 * lives here, not in ept.c.
 */
static void finish(struct ept *e, struct test_alloc *a)
{
	bool *seen = calloc(ARRAY_SIZE(a->pages), sizeof(*seen));
	const uint64_t *t;
	int i;

	if (!seen)
		exit(2);
	if (e->pml4)
		walk_table(a, e->pml4, 3, seen);
	for (t = e->spare; t; t = (const uint64_t *)(uintptr_t)t[0])
		found_page(a, t, seen);
	CHECK_EQ(a->found, a->allocated);
	for (i = 0; i < a->allocated; i++)
		free(a->pages[i]);
	free(seen);
	free(a);
}

/* The raw leaf entry for gpa, or 0. */
static uint64_t leaf_entry(const struct ept *e, uint64_t gpa)
{
	const uint64_t *t = e->pml4;
	int level;

	for (level = 3; level >= 0; level--) {
		uint64_t ent = t[(gpa >> (12 + 9 * level)) & 511];

		if (!(ent & 7))
			return 0;
		if (level == 0 || (ent & 0x80))
			return ent;
		CHECK_EQ(ent & 0xfff, 7); /* non-leaf: RWX, nothing else */
		t = (const uint64_t *)(uintptr_t)(ent & 0x000ffffffffff000ULL);
	}
	return 0;
}

static void test_init_args(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;

	CHECK_EQ(ept_init(&e, NULL, a, 46, 0), -XEN_EINVAL);
	CHECK_EQ(ept_init(&e, talloc, a, 35, 0), -XEN_EINVAL);
	CHECK_EQ(ept_init(&e, talloc, a, 53, 0), -XEN_EINVAL);
	CHECK_EQ(ept_init(&e, talloc, a, 46, 0x80), -XEN_EINVAL);
	CHECK_EQ(a->allocated, 0);
	a->fail_after = 0;
	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), -XEN_ENOMEM);
	CHECK(e.pml4 == NULL);
	CHECK_EQ(ept_map(&e, 0, 0, PAGE_SIZE, EPT_R, EPT_MT_WB), -XEN_EINVAL);
	a->fail_after = -1;
	CHECK_EQ(ept_init(&e, talloc, a, 46, EPT_FLAG_1G), 0);
	CHECK_EQ(a->allocated, 1);
	finish(&e, a);
}

static void test_eptp(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	uint64_t eptp;

	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
	eptp = ept_eptp(&e);
	CHECK_EQ(eptp & 7, 6);          /* WB */
	CHECK_EQ((eptp >> 3) & 7, 3);   /* 4-level walk */
	CHECK_EQ((eptp >> 6) & 1, 0);   /* no A/D */
	CHECK_EQ(eptp & ~0xfffULL, (uint64_t)(uintptr_t)e.pml4);
	CHECK_EQ(eptp & 0xf80, 0);
	finish(&e, a);
}

static void test_2m_and_4k(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	uint64_t gpa = MiB(2) - KiB(8); /* 4K-aligned, not 2M-aligned: 2 head pages */
	uint64_t hpa = GiB(5) - KiB(8);
	uint64_t size = MiB(4) + KiB(8) + KiB(12); /* head, two 2M, 3 tail pages */
	uint64_t off, h, ps;
	unsigned prot;
	int bad = 0;

	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
	CHECK_EQ(ept_map(&e, gpa, hpa, size, EPT_R | EPT_W | EPT_X, EPT_MT_WB), 0);
	/* Every page boundary and the byte before it translates back. */
	for (off = 0; off < size; off += PAGE_SIZE) {
		uint64_t want = (gpa + off < MiB(2) || gpa + off >= MiB(6)) ? KiB(4) : MiB(2);

		if (ept_translate(&e, gpa + off, &h, &prot, &ps) || h != hpa + off ||
		    prot != 7 || ps != want)
			bad++;
		if (ept_translate(&e, gpa + off + 4095, &h, NULL, NULL) || h != hpa + off + 4095)
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(ept_translate(&e, gpa - 1, &h, &prot, &ps), -XEN_EFAULT);
	CHECK_EQ(ept_translate(&e, gpa + size, &h, &prot, &ps), -XEN_EFAULT);
	CHECK_EQ(ept_translate(&e, 0, NULL, NULL, NULL), -XEN_EFAULT);
	CHECK_EQ(ept_translate(&e, 1ULL << 48, NULL, NULL, NULL), -XEN_EFAULT);
	/* Large leaf format: bit 7, WB in 5:3, IPAT clear. */
	CHECK_EQ(leaf_entry(&e, MiB(2)), (hpa + KiB(8)) | 0x80 | (6 << 3) | 7);
	CHECK_EQ(leaf_entry(&e, gpa), hpa | (6 << 3) | 7);
	/* pml4 + pdpt + pd + 2 page tables (head and tail); no 1G without the flag. */
	CHECK_EQ(a->allocated, 5);
	finish(&e, a);
}

static void test_1g(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	uint64_t h, ps;

	/* Without the flag a 1G-aligned region still uses 2M pages. */
	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
	CHECK_EQ(ept_map(&e, GiB(1), GiB(3), GiB(1), EPT_R, EPT_MT_WB), 0);
	CHECK_EQ(ept_translate(&e, GiB(1) + 12345, &h, NULL, &ps), 0);
	CHECK_EQ(h, GiB(3) + 12345);
	CHECK_EQ(ps, MiB(2));
	finish(&e, a);

	a = new_alloc(-1);
	CHECK_EQ(ept_init(&e, talloc, a, 46, EPT_FLAG_1G), 0);
	CHECK_EQ(ept_map(&e, GiB(1), GiB(3), GiB(2) + MiB(2), EPT_R | EPT_X, EPT_MT_UC), 0);
	CHECK_EQ(ept_translate(&e, GiB(2) + 5, &h, NULL, &ps), 0);
	CHECK_EQ(h, GiB(4) + 5);
	CHECK_EQ(ps, GiB(1));
	CHECK_EQ(ept_translate(&e, GiB(3) + 5, &h, NULL, &ps), 0);
	CHECK_EQ(ps, MiB(2));
	CHECK_EQ(leaf_entry(&e, GiB(1)), GiB(3) | 0x80 | EPT_MT_UC | 5);
	/* hpa only 2M-aligned: 2M leaves even though gpa is 1G-aligned. */
	CHECK_EQ(ept_map(&e, GiB(8), GiB(16) + MiB(2), GiB(1), EPT_R, EPT_MT_WB), 0);
	CHECK_EQ(ept_translate(&e, GiB(8), &h, NULL, &ps), 0);
	CHECK_EQ(ps, MiB(2));
	CHECK_EQ(h, GiB(16) + MiB(2));
	finish(&e, a);
}

static void test_memtype_prot(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	unsigned prot;

	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
	CHECK_EQ(ept_map(&e, 0, MiB(64), PAGE_SIZE, EPT_R, EPT_MT_UC), 0);
	CHECK_EQ(ept_map(&e, KiB(4), MiB(64), PAGE_SIZE, EPT_R | EPT_W, EPT_MT_WC), 0);
	CHECK_EQ(ept_map(&e, KiB(8), MiB(64), PAGE_SIZE, EPT_R | EPT_X, EPT_MT_WT), 0);
	CHECK_EQ(ept_map(&e, KiB(12), MiB(64), PAGE_SIZE, EPT_R, EPT_MT_WP), 0);
	CHECK_EQ(leaf_entry(&e, 0), MiB(64) | 1);
	CHECK_EQ(leaf_entry(&e, KiB(4)), MiB(64) | (1 << 3) | 3);
	CHECK_EQ(leaf_entry(&e, KiB(8)), MiB(64) | (4 << 3) | 5);
	CHECK_EQ(leaf_entry(&e, KiB(12)), MiB(64) | (5 << 3) | 1);
	CHECK_EQ(ept_translate(&e, KiB(8), NULL, &prot, NULL), 0);
	CHECK_EQ(prot, EPT_R | EPT_X);
	/* Reserved memory types, write-only, execute-only, no access, junk bits. */
	CHECK_EQ(ept_map(&e, KiB(16), 0, PAGE_SIZE, EPT_R, 2), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, KiB(16), 0, PAGE_SIZE, EPT_R, 3), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, KiB(16), 0, PAGE_SIZE, EPT_R, 7), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, KiB(16), 0, PAGE_SIZE, EPT_R, 8), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, KiB(16), 0, PAGE_SIZE, EPT_W, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, KiB(16), 0, PAGE_SIZE, EPT_X, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, KiB(16), 0, PAGE_SIZE, 0, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, KiB(16), 0, PAGE_SIZE, 9, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_translate(&e, KiB(16), NULL, NULL, NULL), -XEN_EFAULT);
	finish(&e, a);
}

static void test_bad_args(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;

	CHECK_EQ(ept_init(&e, talloc, a, 39, 0), 0);
	CHECK_EQ(ept_map(&e, 1, 0, PAGE_SIZE, EPT_R, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, 0, 0x800, PAGE_SIZE, EPT_R, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, 0, 0, 100, EPT_R, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, 0, 0, 0, EPT_R, EPT_MT_WB), -XEN_EINVAL);
	/* MAXPHYADDR 39: both gpa and hpa must stay below 512 GiB. */
	CHECK_EQ(ept_map(&e, GiB(512), 0, PAGE_SIZE, EPT_R, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, 0, GiB(512), PAGE_SIZE, EPT_R, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, GiB(512) - PAGE_SIZE, 0, 2 * PAGE_SIZE, EPT_R, EPT_MT_WB),
		 -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, 0, GiB(512) - PAGE_SIZE, 2 * PAGE_SIZE, EPT_R, EPT_MT_WB),
		 -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, 0, UINT64_MAX & ~0xfffULL, PAGE_SIZE, EPT_R, EPT_MT_WB),
		 -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, PAGE_SIZE, 0, UINT64_MAX & ~0xfffULL, EPT_R, EPT_MT_WB),
		 -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, GiB(512) - PAGE_SIZE, GiB(512) - PAGE_SIZE, PAGE_SIZE, EPT_R,
			 EPT_MT_WB), 0);
	CHECK_EQ(a->allocated, 4); /* nothing allocated by refused calls */
	CHECK_EQ(ept_unmap(&e, 1, PAGE_SIZE), -XEN_EINVAL);
	CHECK_EQ(ept_unmap(&e, 0, 0), -XEN_EINVAL);
	CHECK_EQ(ept_unmap(&e, 1ULL << 48, PAGE_SIZE), -XEN_EINVAL);
	finish(&e, a);

	/* With MAXPHYADDR 52, gpa is still limited to 48 bits by the 4-level walk. */
	a = new_alloc(-1);
	CHECK_EQ(ept_init(&e, talloc, a, 52, 0), 0);
	CHECK_EQ(ept_map(&e, 1ULL << 48, 0, PAGE_SIZE, EPT_R, EPT_MT_WB), -XEN_EINVAL);
	CHECK_EQ(ept_map(&e, (1ULL << 48) - PAGE_SIZE, (1ULL << 51), PAGE_SIZE, EPT_R,
			 EPT_MT_WB), 0);
	finish(&e, a);
}

static void test_overlap(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	int before;

	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
	CHECK_EQ(ept_map(&e, MiB(4), MiB(4), MiB(2), EPT_R, EPT_MT_WB), 0); /* one 2M leaf */
	CHECK_EQ(ept_map(&e, MiB(16), MiB(16), PAGE_SIZE, EPT_R, EPT_MT_WB), 0);
	before = a->allocated;
	CHECK_EQ(ept_map(&e, MiB(4), 0, PAGE_SIZE, EPT_R, EPT_MT_WB), -XEN_EEXIST);
	CHECK_EQ(ept_map(&e, MiB(6) - PAGE_SIZE, 0, PAGE_SIZE, EPT_R, EPT_MT_WB), -XEN_EEXIST);
	CHECK_EQ(ept_map(&e, 0, 0, MiB(4) + PAGE_SIZE, EPT_R, EPT_MT_WB), -XEN_EEXIST);
	CHECK_EQ(ept_map(&e, MiB(8), 0, MiB(10), EPT_R, EPT_MT_WB), -XEN_EEXIST); /* tail hits 16M */
	CHECK_EQ(ept_map(&e, 0, 0, GiB(4), EPT_R, EPT_MT_WB), -XEN_EEXIST);
	CHECK_EQ(a->allocated, before);
	/* The refused calls changed nothing. */
	CHECK_EQ(ept_translate(&e, 0, NULL, NULL, NULL), -XEN_EFAULT);
	CHECK_EQ(ept_translate(&e, MiB(8), NULL, NULL, NULL), -XEN_EFAULT);
	/* Adjacent ranges are fine. */
	CHECK_EQ(ept_map(&e, MiB(6), MiB(6), PAGE_SIZE, EPT_R, EPT_MT_WB), 0);
	CHECK_EQ(ept_map(&e, MiB(4) - PAGE_SIZE, 0, PAGE_SIZE, EPT_R, EPT_MT_WB), 0);
	finish(&e, a);
}

static void test_unmap_split(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	uint64_t h, ps, off;
	int bad = 0;

	CHECK_EQ(ept_init(&e, talloc, a, 46, EPT_FLAG_1G), 0);
	CHECK_EQ(ept_map(&e, GiB(1), GiB(7), GiB(1), EPT_R | EPT_W, EPT_MT_WT), 0);
	/* Punch one 4K hole in the middle of the 1G page: 1G -> 2M -> 4K. */
	CHECK_EQ(ept_unmap(&e, GiB(1) + MiB(3), PAGE_SIZE), 0);
	CHECK_EQ(ept_translate(&e, GiB(1) + MiB(3), NULL, NULL, NULL), -XEN_EFAULT);
	CHECK_EQ(ept_translate(&e, GiB(1) + MiB(3) + PAGE_SIZE, &h, NULL, &ps), 0);
	CHECK_EQ(h, GiB(7) + MiB(3) + PAGE_SIZE);
	CHECK_EQ(ps, KiB(4));
	CHECK_EQ(ept_translate(&e, GiB(1) + MiB(3) - 1, &h, NULL, &ps), 0);
	CHECK_EQ(h, GiB(7) + MiB(3) - 1);
	CHECK_EQ(ps, KiB(4));
	CHECK_EQ(ept_translate(&e, GiB(1) + MiB(2) - 1, &h, NULL, &ps), 0);
	CHECK_EQ(h, GiB(7) + MiB(2) - 1);
	CHECK_EQ(ps, MiB(2));
	CHECK_EQ(ept_translate(&e, GiB(2) - 1, &h, NULL, &ps), 0);
	CHECK_EQ(h, GiB(8) - 1);
	/* Split leaves keep the attributes. */
	CHECK_EQ(leaf_entry(&e, GiB(1) + MiB(3) + PAGE_SIZE),
		 (GiB(7) + MiB(3) + PAGE_SIZE) | (4 << 3) | 3);
	CHECK_EQ(leaf_entry(&e, GiB(1)), GiB(7) | 0x80 | (4 << 3) | 3);
	for (off = 0; off < GiB(1); off += MiB(1) - PAGE_SIZE) {
		int hole = GiB(1) + off >= GiB(1) + MiB(3) && off < MiB(3) + PAGE_SIZE;
		int rc = ept_translate(&e, GiB(1) + off, &h, NULL, NULL);

		if (hole ? rc != -XEN_EFAULT : (rc || h != GiB(7) + off))
			bad++;
	}
	CHECK_EQ(bad, 0);
	/* Unmap across holes and beyond; then the range maps again. */
	CHECK_EQ(ept_unmap(&e, 0, GiB(4)), 0);
	CHECK_EQ(ept_translate(&e, GiB(1) + MiB(100), NULL, NULL, NULL), -XEN_EFAULT);
	CHECK_EQ(ept_map(&e, GiB(1), GiB(7), GiB(1), EPT_R, EPT_MT_WB), 0);
	CHECK_EQ(ept_translate(&e, GiB(1), NULL, NULL, &ps), 0);
	CHECK_EQ(ps, GiB(1));
	/* The tables freed by the big unmap were reused, not leaked or reallocated. */
	CHECK_EQ(ept_map(&e, GiB(2) + MiB(1), 0, PAGE_SIZE, EPT_R, EPT_MT_WB), 0);
	CHECK_EQ(a->allocated, 4);
	finish(&e, a);

	/* Split failure is reported and leaves the mapping intact. */
	a = new_alloc(-1);
	CHECK_EQ(ept_init(&e, talloc, a, 46, EPT_FLAG_1G), 0);
	CHECK_EQ(ept_map(&e, GiB(1), GiB(7), GiB(1), EPT_R, EPT_MT_WB), 0);
	a->fail_after = a->allocated + 1; /* one split (1G -> 2M) but not the second */
	CHECK_EQ(ept_unmap(&e, GiB(1) + PAGE_SIZE, PAGE_SIZE), -XEN_ENOMEM);
	CHECK_EQ(ept_translate(&e, GiB(1) + PAGE_SIZE, &h, NULL, &ps), 0);
	CHECK_EQ(h, GiB(7) + PAGE_SIZE);
	CHECK_EQ(ps, MiB(2));
	CHECK_EQ(ept_translate(&e, GiB(2) - 1, &h, NULL, &ps), 0);
	CHECK_EQ(h, GiB(8) - 1);
	finish(&e, a);
}

/* A large leaf over a table emptied by unmap: the table is recycled, not leaked. */
static void test_leaf_over_empty_table(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	uint64_t ps;

	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
	CHECK_EQ(ept_map(&e, MiB(2), MiB(2), PAGE_SIZE, EPT_R, EPT_MT_WB), 0);
	CHECK_EQ(a->allocated, 4);
	CHECK_EQ(ept_unmap(&e, MiB(2), PAGE_SIZE), 0);
	CHECK_EQ(ept_translate(&e, MiB(2), NULL, NULL, NULL), -XEN_EFAULT);
	CHECK_EQ(ept_map(&e, MiB(2), MiB(2), MiB(2), EPT_R, EPT_MT_WB), 0);
	CHECK_EQ(ept_translate(&e, MiB(2), NULL, NULL, &ps), 0);
	CHECK_EQ(ps, MiB(2));
	CHECK(e.spare != NULL);
	CHECK_EQ(ept_map(&e, MiB(8), MiB(8), PAGE_SIZE, EPT_R, EPT_MT_WB), 0);
	CHECK(e.spare == NULL);
	CHECK_EQ(a->allocated, 4);
	finish(&e, a);
}

/*
 * Issue 8 item 6: shared_info moved to a new 2 MiB region again and again
 * (every boot of a restarting guest), each time as Bolt does it: split the
 * RAM's large page for the hypervisor page, later map the RAM page back.
 * The table must be folded back and reused, not leak one per region.
 */
static void map_hv_page(struct ept *e, uint64_t gpa, uint64_t page)
{
	CHECK_EQ(ept_unmap(e, gpa, PAGE_SIZE), 0);
	CHECK_EQ(ept_map(e, gpa, page, PAGE_SIZE, EPT_R | EPT_W, EPT_MT_WB), 0);
}

static void restore_ram(struct ept *e, uint64_t ram, uint64_t gpa)
{
	CHECK_EQ(ept_unmap(e, gpa, PAGE_SIZE), 0);
	CHECK_EQ(ept_map(e, gpa, ram + gpa, PAGE_SIZE, EPT_RWX, EPT_MT_WB), 0);
}

static void test_split_restore_bounded(void)
{
	const uint64_t ram = GiB(2), ram_size = MiB(64), shinfo = GiB(5);
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	uint64_t h, ps, prev = 0, gpa = 0;
	unsigned prot, boot, move;
	int base, bad = 0;

	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
	CHECK_EQ(ept_map(&e, 0, ram, ram_size, EPT_RWX, EPT_MT_WB), 0);
	base = a->allocated; /* PML4, PDPT, PD: every 2 MiB of RAM is one leaf */
	CHECK_EQ(base, 3);
	for (boot = 0; boot < 40; boot++) {
		/* 16 moves a boot (GUEST_PAGE_REMAPS_MAX), each to another region. */
		for (move = 0; move < 16; move++) {
			gpa = MiB(2) * (1 + (boot * 16 + move) % 31) + PAGE_SIZE * (boot + move);
			map_hv_page(&e, gpa, shinfo);
			if (prev)
				restore_ram(&e, ram, prev);
			prev = gpa;
			/* At most the region holding shared_info is split, plus one spare. */
			if (a->allocated > base + 2)
				bad++;
		}
		/* The restart maps the page back as RAM. */
		restore_ram(&e, ram, prev);
		prev = 0;
	}
	CHECK_EQ(bad, 0);
	CHECK(a->allocated <= base + 2);
	/* Every region is one 2 MiB RAM leaf again, with its attributes. */
	for (h = 0; h < ram_size; h += MiB(2)) {
		CHECK_EQ(ept_translate(&e, h + PAGE_SIZE * 7, &gpa, &prot, &ps), 0);
		CHECK_EQ(gpa, ram + h + PAGE_SIZE * 7);
		CHECK_EQ(prot, EPT_RWX);
		CHECK_EQ(ps, MiB(2));
	}
	/* While mapped, the hypervisor page is 4K and its neighbours RAM. */
	map_hv_page(&e, MiB(6) + PAGE_SIZE, shinfo);
	CHECK_EQ(ept_translate(&e, MiB(6) + PAGE_SIZE, &h, &prot, &ps), 0);
	CHECK_EQ(h, shinfo);
	CHECK_EQ(prot, EPT_R | EPT_W);
	CHECK_EQ(ps, KiB(4));
	CHECK_EQ(ept_translate(&e, MiB(6), &h, &prot, &ps), 0);
	CHECK_EQ(h, ram + MiB(6));
	CHECK_EQ(ps, KiB(4));
	/* Back in place but with other attributes: stays split. */
	CHECK_EQ(ept_unmap(&e, MiB(6) + PAGE_SIZE, PAGE_SIZE), 0);
	CHECK_EQ(ept_map(&e, MiB(6) + PAGE_SIZE, ram + MiB(6) + PAGE_SIZE, PAGE_SIZE, EPT_R,
			 EPT_MT_WB), 0);
	CHECK_EQ(ept_translate(&e, MiB(6), NULL, NULL, &ps), 0);
	CHECK_EQ(ps, KiB(4));
	restore_ram(&e, ram, MiB(6) + PAGE_SIZE);
	CHECK_EQ(ept_translate(&e, MiB(6), NULL, NULL, &ps), 0);
	CHECK_EQ(ps, MiB(2));
	finish(&e, a);
}

/*
 * A page of Bolt's above the guest's RAM (a grant-table frame or
 * shared_info in unpopulated space, core/physmap.h), moved again and again
 * to places that each need a new PDPT, PD and PT, and unmapped at every
 * restart: unmapping gives the emptied tables back, so the EPT never holds
 * more than the boot tables, the two places of one move, and spares.
 */
static void test_above_ram_bounded(void)
{
	const uint64_t ram = GiB(2), ram_size = MiB(64), page = GiB(5);
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	uint64_t prev = 0, gpa = 0, h;
	unsigned boot, move, left = 0;
	int base, bad = 0;

	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
	CHECK_EQ(ept_map(&e, 0, ram, ram_size, EPT_RWX, EPT_MT_WB), 0);
	base = a->allocated;
	for (boot = 0; boot < 40; boot++) {
		for (move = 0; move < 16; move++) {
			unsigned n = boot * 16 + move;

			/* Another 512 GiB slot, 1 GiB slot and 2 MiB region every time. */
			gpa = GiB(512) * (1 + n % 100) + GiB(1) * (n % 7) + MiB(2) * (n % 13) +
			      PAGE_SIZE * (n % 5);
			CHECK_EQ(ept_map(&e, gpa, page, PAGE_SIZE, EPT_R | EPT_W, EPT_MT_WB), 0);
			if (prev)
				CHECK_EQ(ept_unmap(&e, prev, PAGE_SIZE), 0);
			prev = gpa;
			if (a->allocated > base + 6)
				bad++;
		}
		CHECK_EQ(ept_unmap(&e, prev, PAGE_SIZE), 0); /* the restart: a hole again */
		prev = 0;
	}
	CHECK_EQ(bad, 0);
	CHECK(a->allocated <= base + 6);
	CHECK_EQ(ept_translate(&e, gpa, NULL, NULL, NULL), -XEN_EFAULT);
	/* Only the RAM's tables are still linked; RAM is untouched. */
	CHECK_EQ(ept_translate(&e, MiB(3), &h, NULL, NULL), 0);
	CHECK_EQ(h, ram + MiB(3));
	for (unsigned i = 1; i < 512; i++)
		left += e.pml4[i] != 0;
	CHECK_EQ(left, 0);
	finish(&e, a);
}

/* A hole punched into a 1 GiB page and filled again: 4K -> 2M -> 1G. */
static void test_merge_1g(void)
{
	struct test_alloc *a = new_alloc(-1);
	struct ept e;
	uint64_t h, ps;
	int before;

	CHECK_EQ(ept_init(&e, talloc, a, 46, EPT_FLAG_1G), 0);
	CHECK_EQ(ept_map(&e, GiB(1), GiB(7), GiB(1), EPT_R | EPT_W, EPT_MT_WT), 0);
	CHECK_EQ(ept_unmap(&e, GiB(1) + MiB(3), PAGE_SIZE), 0);
	before = a->allocated;
	CHECK_EQ(ept_map(&e, GiB(1) + MiB(3), GiB(7) + MiB(3), PAGE_SIZE, EPT_R | EPT_W,
			 EPT_MT_WT), 0);
	CHECK_EQ(ept_translate(&e, GiB(1) + MiB(3) + 5, &h, NULL, &ps), 0);
	CHECK_EQ(h, GiB(7) + MiB(3) + 5);
	CHECK_EQ(ps, GiB(1));
	CHECK_EQ(leaf_entry(&e, GiB(1)), GiB(7) | 0x80 | (4 << 3) | 3);
	/* The same hole again: both tables come from the spares. */
	CHECK_EQ(ept_unmap(&e, GiB(1) + MiB(3), PAGE_SIZE), 0);
	CHECK_EQ(a->allocated, before);
	/* Without 1 GiB support the PD stays, the PT still folds. */
	finish(&e, a);
	a = new_alloc(-1);
	CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
	CHECK_EQ(ept_map(&e, GiB(1), GiB(7), GiB(1), EPT_R, EPT_MT_WB), 0);
	CHECK_EQ(ept_unmap(&e, GiB(1) + MiB(3), PAGE_SIZE), 0);
	CHECK_EQ(ept_map(&e, GiB(1) + MiB(3), GiB(7) + MiB(3), PAGE_SIZE, EPT_R, EPT_MT_WB), 0);
	CHECK_EQ(ept_translate(&e, GiB(1) + MiB(3), NULL, NULL, &ps), 0);
	CHECK_EQ(ps, MiB(2));
	CHECK(e.spare != NULL);
	finish(&e, a);
}

/* Every prefix of allocations failing: -ENOMEM, no leaks, nothing half mapped. */
static void test_alloc_failure(void)
{
	int n, ok = 0;

	for (n = 1; n <= 8; n++) {
		struct test_alloc *a = new_alloc(n);
		struct ept e;
		int rc;

		CHECK_EQ(ept_init(&e, talloc, a, 46, 0), 0);
		/* 4K head, 2M leaf, (new PD) 2M leaf, 4K tail in another PT. */
		rc = ept_map(&e, GiB(1) - MiB(2) - PAGE_SIZE, MiB(2) - PAGE_SIZE,
			     MiB(2) + 2 * PAGE_SIZE + MiB(2),
			     EPT_R, EPT_MT_WB);
		if (rc == 0) {
			ok++;
			CHECK_EQ(a->allocated, 6);
			CHECK_EQ(ept_translate(&e, GiB(1) + MiB(2), NULL, NULL, NULL), 0);
		} else {
			CHECK_EQ(rc, -XEN_ENOMEM);
			CHECK_EQ(ept_translate(&e, GiB(1) - MiB(2) - PAGE_SIZE, NULL, NULL, NULL),
				 -XEN_EFAULT);
			CHECK_EQ(ept_translate(&e, GiB(1) - MiB(2), NULL, NULL, NULL), -XEN_EFAULT);
			CHECK_EQ(ept_translate(&e, GiB(1), NULL, NULL, NULL), -XEN_EFAULT);
			/* After the failure the same map succeeds with memory back. */
			a->fail_after = -1;
			CHECK_EQ(ept_map(&e, GiB(1) - MiB(2) - PAGE_SIZE, MiB(2) - PAGE_SIZE,
					 MiB(2) + 2 * PAGE_SIZE + MiB(2), EPT_R, EPT_MT_WB), 0);
		}
		CHECK_EQ(ept_translate(&e, GiB(1) + MiB(2), NULL, NULL, NULL), 0);
		finish(&e, a);
	}
	/* Needs pml4, pdpt, pd, pt (head), pd, pt (tail): fails for n <= 5. */
	CHECK_EQ(ok, 3);
}

void unit_main(void)
{
	TEST(test_init_args);
	TEST(test_eptp);
	TEST(test_2m_and_4k);
	TEST(test_1g);
	TEST(test_memtype_prot);
	TEST(test_bad_args);
	TEST(test_overlap);
	TEST(test_unmap_split);
	TEST(test_leaf_over_empty_table);
	TEST(test_alloc_failure);
	TEST(test_split_restore_bounded);
	TEST(test_above_ram_bounded);
	TEST(test_merge_1g);
}
