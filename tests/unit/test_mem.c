/* SPDX-License-Identifier: MIT */
/* Unit tests for the hypervisor page allocator (core/mem.c). */
#include "unit.h"
#include "core/mem.h"
#include "lib/errno.h"
#include "lib/lib.h"

/* A host block standing in for the UEFI allocation; 2 MiB aligned. */
static void *test_block(size_t bytes)
{
	void *b = aligned_alloc(MiB(2), ALIGN_UP(bytes, MiB(2)));

	CHECK(b != NULL);
	if (!b)
		exit(2);
	memset(b, 0xa5, bytes);
	return b;
}

/*
 * Bolt never frees pages (core/mem.h), so a test that needs a hole makes
 * one itself: clear the pages' bits in the bitmap (1 = in use) and count
 * them free again, exactly the state an allocator with a free would leave.
 */
static void punch_hole(struct mem_pool *p, void *ptr, size_t npages)
{
	size_t idx = (size_t)(((uint64_t)(uintptr_t)ptr - p->base) / PAGE_SIZE), i;

	for (i = idx; i < idx + npages; i++) {
		CHECK((p->bitmap[i / 64] >> (i % 64)) & 1); /* a page the pool handed out */
		p->bitmap[i / 64] &= ~(1ULL << (i % 64));
	}
	p->nfree += npages;
}

static void test_init(void)
{
	struct mem_pool p;
	uint8_t *b = test_block(MiB(2));
	uint64_t a = (uint64_t)(uintptr_t)b;

	CHECK_EQ(mem_pool_init(&p, a, 0), -XEN_EINVAL);
	CHECK_EQ(mem_pool_init(&p, a, PAGE_SIZE), -XEN_EINVAL); /* only the bitmap */
	CHECK_EQ(mem_pool_init(&p, a + 1, 2 * PAGE_SIZE), -XEN_EINVAL); /* aligns to 1 page */
	CHECK_EQ(mem_pool_init(&p, UINT64_MAX - PAGE_SIZE, 4 * PAGE_SIZE), -XEN_EINVAL);

	CHECK_EQ(mem_pool_init(&p, a, 2 * PAGE_SIZE), 0);
	CHECK_EQ(p.nfree, 1);
	CHECK_EQ(p.base, a + PAGE_SIZE);

	/* Unaligned base and size: aligned inward. */
	CHECK_EQ(mem_pool_init(&p, a + 100, 11 * PAGE_SIZE), 0);
	CHECK_EQ(p.base, a + 2 * PAGE_SIZE);
	CHECK_EQ(p.nfree, 9);

	CHECK_EQ(mem_pool_init(&p, a, MiB(2)), 0);
	CHECK_EQ(p.bitmap_pages, 1);
	CHECK_EQ(p.nfree, 511);
	free(b);
}

/* One bitmap page covers 32768 pages; one more page needs a second one. */
static void test_bitmap_pages(void)
{
	struct mem_pool p;
	uint8_t *b = test_block(MiB(129));
	uint64_t a = (uint64_t)(uintptr_t)b;
	uint8_t *q;

	CHECK_EQ(mem_pool_init(&p, a, 32768 * PAGE_SIZE), 0);
	CHECK_EQ(p.bitmap_pages, 1);
	CHECK_EQ(p.nfree, 32767);
	CHECK_EQ(mem_pool_init(&p, a, 32769 * PAGE_SIZE), 0);
	CHECK_EQ(p.bitmap_pages, 2);
	CHECK_EQ(p.nfree, 32767);
	q = mem_alloc_pages(&p, 32767, 1);
	CHECK(q == b + 2 * PAGE_SIZE);
	CHECK(mem_alloc_pages(&p, 1, 1) == NULL);
	punch_hole(&p, q + 32766 * PAGE_SIZE, 1);
	CHECK(mem_alloc_pages(&p, 1, 1) == q + 32766 * PAGE_SIZE);
	free(b);
}

static void test_alloc_reuse(void)
{
	struct mem_pool p;
	uint8_t *b = test_block(MiB(1));
	uint8_t *x, *y, *z;
	size_t total, i;

	CHECK_EQ(mem_pool_init(&p, (uint64_t)(uintptr_t)b, MiB(1)), 0);
	total = p.nfree;
	CHECK_EQ(total, 255);

	x = mem_alloc_pages(&p, 1, 1);
	y = mem_alloc_pages(&p, 3, 0);
	z = mem_alloc_pages(&p, 1, 1);
	CHECK(x && y && z);
	CHECK_EQ((uint64_t)(uintptr_t)x, p.base);
	CHECK(y == x + PAGE_SIZE);
	CHECK(z == y + 3 * PAGE_SIZE);
	CHECK_EQ(p.nfree, total - 5);
	/* Zeroed despite the 0xa5 fill. */
	for (i = 0; i < 3 * PAGE_SIZE; i++)
		if (y[i])
			break;
	CHECK_EQ(i, 3 * PAGE_SIZE);

	/* A hole is reused first-fit, and only when it is big enough. */
	punch_hole(&p, y, 3);
	CHECK(mem_alloc_pages(&p, 4, 1) == z + PAGE_SIZE);
	memset(y, 0xff, PAGE_SIZE);
	CHECK(mem_alloc_pages(&p, 2, 1) == y);
	CHECK_EQ(y[0], 0);
	CHECK(mem_alloc_pages(&p, 1, 1) == y + 2 * PAGE_SIZE);

	CHECK(mem_alloc_pages(&p, 0, 1) == NULL);
	CHECK(mem_alloc_pages(&p, 1, 3) == NULL); /* not a power of two */
	CHECK(mem_zalloc(&p, 0) == NULL);
	free(b);
}

static void test_alignment(void)
{
	struct mem_pool p;
	uint8_t *b = test_block(MiB(8));
	void *big, *small, *big2;

	CHECK_EQ(mem_pool_init(&p, (uint64_t)(uintptr_t)b, MiB(8)), 0);
	small = mem_alloc_pages(&p, 1, 1);
	CHECK(small != NULL);
	big = mem_alloc_pages(&p, 512, 512);
	CHECK(big != NULL);
	CHECK(IS_ALIGNED((uint64_t)(uintptr_t)big, MiB(2)));
	CHECK((uint8_t *)big == b + MiB(2)); /* the first 2 MiB hold the bitmap + small */
	/* The pages skipped for alignment stay free and are used next. */
	CHECK(mem_alloc_pages(&p, 1, 1) == (uint8_t *)small + PAGE_SIZE);
	CHECK_EQ(p.nfree, 2047 - 514);
	big2 = mem_alloc_pages(&p, 512, 512);
	CHECK((uint8_t *)big2 == b + MiB(4));
	CHECK(mem_alloc_pages(&p, 512, 512) == b + MiB(6));
	/* No 2 MiB-aligned run is left even though >= 512 pages are free. */
	CHECK(p.nfree >= 500);
	CHECK(mem_alloc_pages(&p, 512, 512) == NULL);
	CHECK(mem_alloc_pages(&p, 16, 16) != NULL);
	punch_hole(&p, big2, 512);
	CHECK(mem_alloc_pages(&p, 512, 512) == big2);
	free(b);
}

static void test_exhaustion(void)
{
	struct mem_pool p;
	uint8_t *b = test_block(MiB(2));
	size_t n = 0;

	/* 61 pages: not a multiple of 8 or 64. */
	CHECK_EQ(mem_pool_init(&p, (uint64_t)(uintptr_t)b, 61 * PAGE_SIZE), 0);
	CHECK_EQ(p.nfree, 60);
	while (mem_alloc_pages(&p, 1, 1))
		n++;
	CHECK_EQ(n, 60);
	CHECK_EQ(p.nfree, 0);
	CHECK(mem_zalloc(&p, 1) == NULL);
	punch_hole(&p, b + 60 * PAGE_SIZE, 1); /* the last page */
	CHECK(mem_alloc_pages(&p, 2, 1) == NULL);
	CHECK(mem_zalloc(&p, 1) == b + 60 * PAGE_SIZE);
	/* Run too long for the pool. */
	CHECK_EQ(mem_pool_init(&p, (uint64_t)(uintptr_t)b, 61 * PAGE_SIZE), 0);
	CHECK(mem_alloc_pages(&p, 61, 1) == NULL);
	CHECK(mem_alloc_pages(&p, 60, 1) == b + PAGE_SIZE);
	/* mem_zalloc rounds up. */
	CHECK_EQ(mem_pool_init(&p, (uint64_t)(uintptr_t)b, 61 * PAGE_SIZE), 0);
	CHECK(mem_zalloc(&p, PAGE_SIZE + 1) == b + PAGE_SIZE);
	CHECK(mem_zalloc(&p, PAGE_SIZE) == b + 3 * PAGE_SIZE);
	CHECK_EQ(p.nfree, 57);
	CHECK(mem_zalloc(&p, SIZE_MAX) == NULL);
	free(b);
}

/* xorshift64: deterministic, seeded. */
static uint64_t rnd_state;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

#define STRESS_PAGES 1000
struct stress_alloc {
	uint8_t *ptr;
	size_t n;
};

/* Random allocations and holes against a shadow map of page ownership. */
static void test_stress(void)
{
	static int owner[STRESS_PAGES];
	static struct stress_alloc live[400];
	struct mem_pool p;
	size_t bytes = (STRESS_PAGES + 1) * PAGE_SIZE;
	uint8_t *b = test_block(bytes);
	size_t nlive = 0, shadow_free = STRESS_PAGES, iter, i, bad = 0;

	rnd_state = 0x9e3779b97f4a7c15ULL;
	CHECK_EQ(mem_pool_init(&p, (uint64_t)(uintptr_t)b, bytes), 0);
	CHECK_EQ(p.nfree, STRESS_PAGES);
	memset(owner, 0, sizeof(owner));
	for (iter = 0; iter < 20000; iter++) {
		if (nlive < ARRAY_SIZE(live) && (rnd() % 3 || nlive == 0)) {
			size_t n = 1 + rnd() % 24;
			size_t align = (size_t)1 << (rnd() % 5);
			uint8_t *q = mem_alloc_pages(&p, n, align);
			size_t idx;

			if (!q)
				continue;
			idx = (size_t)(q - b) / PAGE_SIZE - 1;
			if ((uint64_t)(uintptr_t)q % (align * PAGE_SIZE) || idx + n > STRESS_PAGES)
				bad++;
			for (i = idx; i < idx + n && i < STRESS_PAGES; i++) {
				if (owner[i] || q[(i - idx) * PAGE_SIZE] ||
				    q[(i - idx) * PAGE_SIZE + PAGE_SIZE - 1])
					bad++;
				owner[i] = 1;
			}
			memset(q, 0x5a, n * PAGE_SIZE); /* dirty it: next alloc must re-zero */
			live[nlive].ptr = q;
			live[nlive].n = n;
			nlive++;
			shadow_free -= n;
		} else {
			size_t k = rnd() % nlive;
			size_t idx = (size_t)(live[k].ptr - b) / PAGE_SIZE - 1;

			punch_hole(&p, live[k].ptr, live[k].n);
			for (i = idx; i < idx + live[k].n; i++)
				owner[i] = 0;
			shadow_free += live[k].n;
			live[k] = live[--nlive];
		}
		if (p.nfree != shadow_free)
			bad++;
	}
	CHECK_EQ(bad, 0);
	/* First fit: with everything freed a whole-pool allocation succeeds. */
	while (nlive) {
		nlive--;
		punch_hole(&p, live[nlive].ptr, live[nlive].n);
	}
	CHECK_EQ(p.nfree, STRESS_PAGES);
	CHECK(mem_alloc_pages(&p, STRESS_PAGES, 1) == b + PAGE_SIZE);
	free(b);
}

void unit_main(void)
{
	TEST(test_init);
	TEST(test_bitmap_pages);
	TEST(test_alloc_reuse);
	TEST(test_alignment);
	TEST(test_exhaustion);
	TEST(test_stress);
}
