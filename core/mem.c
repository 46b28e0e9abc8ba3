/* SPDX-License-Identifier: MIT */
/*
 * Bitmap page allocator over one contiguous pool (see core/mem.h).
 * Callers hold the pool lock; nothing here synchronises.
 */
#include "core/mem.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define MEM_BITS_PER_PAGE (PAGE_SIZE * 8)

static uint64_t mem_page_addr(const struct mem_pool *p, size_t idx)
{
	return p->base + (uint64_t)idx * PAGE_SIZE;
}

static bool mem_test(const struct mem_pool *p, size_t idx)
{
	return (p->bitmap[idx / 64] >> (idx % 64)) & 1;
}

static void mem_set(struct mem_pool *p, size_t idx)
{
	p->bitmap[idx / 64] |= 1ULL << (idx % 64);
}

int mem_pool_init(struct mem_pool *p, uint64_t base, uint64_t size)
{
	uint64_t start = ALIGN_UP(base, PAGE_SIZE);
	uint64_t end = base + size;
	uint64_t total, bm;

	memset(p, 0, sizeof(*p));
	if (end < base || start < base || start >= end)
		return -XEN_EINVAL;
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (end <= start)
		return -XEN_EINVAL;
	total = (end - start) / PAGE_SIZE;
	/*
	 * The bitmap needs one bit per remaining page; sizing it for all
	 * `total` pages wastes at most one bitmap page and keeps this simple.
	 */
	bm = (total + MEM_BITS_PER_PAGE - 1) / MEM_BITS_PER_PAGE;
	if (total <= bm || total - bm > SIZE_MAX)
		return -XEN_EINVAL;

	p->bitmap = (uint64_t *)(uintptr_t)start;
	p->bitmap_pages = (size_t)bm;
	p->base = start + bm * PAGE_SIZE;
	p->npages = (size_t)(total - bm);
	p->nfree = p->npages;
	memset(p->bitmap, 0, (size_t)bm * PAGE_SIZE);
	return 0;
}

/* Index of the first page >= idx whose address is aligned to align bytes. */
static size_t mem_next_aligned(const struct mem_pool *p, size_t idx, uint64_t align)
{
	uint64_t addr = mem_page_addr(p, idx);
	uint64_t up = ALIGN_UP(addr, align);

	if (up < addr)
		return SIZE_MAX;
	return idx + (size_t)((up - addr) / PAGE_SIZE);
}

/* First used page in [from, to), or to if all are free. */
static size_t mem_find_used(const struct mem_pool *p, size_t from, size_t to)
{
	size_t i = from;

	while (i < to) {
		/* Skip whole free words quickly; a full pool scan stays cheap. */
		if (!(i % 64) && to - i >= 64 && p->bitmap[i / 64] == 0) {
			i += 64;
			continue;
		}
		if (mem_test(p, i))
			return i;
		i++;
	}
	return to;
}

void *mem_alloc_pages(struct mem_pool *p, size_t npages, size_t align_pages)
{
	uint64_t align;
	size_t cand, used, i;
	void *ptr;

	if (align_pages == 0)
		align_pages = 1;
	if (npages == 0 || npages > p->nfree || (align_pages & (align_pages - 1)) ||
	    align_pages > SIZE_MAX / PAGE_SIZE)
		return NULL;
	align = (uint64_t)align_pages * PAGE_SIZE;

	cand = mem_next_aligned(p, 0, align);
	while (cand < p->npages && p->npages - cand >= npages) {
		used = mem_find_used(p, cand, cand + npages);
		if (used == cand + npages) {
			for (i = cand; i < cand + npages; i++)
				mem_set(p, i);
			p->nfree -= npages;
			ptr = (void *)(uintptr_t)mem_page_addr(p, cand);
			memset(ptr, 0, npages * PAGE_SIZE);
			return ptr;
		}
		/* Nothing starting at or before `used` can fit: restart after it. */
		cand = mem_next_aligned(p, used + 1, align);
	}
	return NULL;
}

void *mem_zalloc(struct mem_pool *p, size_t bytes)
{
	if (bytes == 0 || bytes > SIZE_MAX - (PAGE_SIZE - 1))
		return NULL;
	return mem_alloc_pages(p, (size_t)(ALIGN_UP((uint64_t)bytes, PAGE_SIZE) / PAGE_SIZE), 1);
}
