/* SPDX-License-Identifier: MIT */
/* Locked wrapper around the page allocator for hypervisor-wide use. */
#include "core/heap.h"
#include "core/mem.h"
#include "core/spinlock.h"

static struct mem_pool heap;
static struct spinlock heap_lock = SPINLOCK_INIT;

int heap_init(uint64_t base, uint64_t size)
{
	return mem_pool_init(&heap, base, size);
}

void *heap_alloc_pages(size_t npages, size_t align_pages)
{
	spin_lock(&heap_lock);
	void *p = mem_alloc_pages(&heap, npages, align_pages);
	spin_unlock(&heap_lock);
	return p;
}

void *heap_zalloc(size_t bytes)
{
	spin_lock(&heap_lock);
	void *p = mem_zalloc(&heap, bytes);
	spin_unlock(&heap_lock);
	return p;
}
