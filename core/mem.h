/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor page allocator: a first-fit bitmap allocator over one
 * contiguous block of memory (taken from UEFI before ExitBootServices).
 * The bitmap lives in the first pages of the block itself, so the pool
 * needs no memory besides what it manages. Nothing is ever given back:
 * Bolt allocates at boot and a restarted guest keeps what it had, so there
 * is no free (a test that needs holes clears bitmap bits itself).
 *
 * Not thread-safe: every call must be made with the pool's lock held
 * (the hypervisor wraps the pool in a spinlock; host tests are single
 * threaded). Addresses are identity mapped: phys == virt.
 */
#ifndef CORE_MEM_H
#define CORE_MEM_H

#include <stddef.h>
#include <stdint.h>

struct mem_pool {
	uint64_t base;     /* address of the first allocatable page */
	size_t npages;     /* number of allocatable pages */
	size_t nfree;      /* number of free allocatable pages */
	uint64_t *bitmap;  /* one bit per allocatable page, 1 = in use */
	size_t bitmap_pages; /* pages at the start of the block holding the bitmap */
};

/*
 * Set up a pool over [base, base + size). base is aligned up to a page and
 * the end aligned down. Returns -XEN_EINVAL if nothing is left to allocate
 * once the bitmap is carved out, or if the range wraps.
 */
int mem_pool_init(struct mem_pool *p, uint64_t base, uint64_t size);

/*
 * Allocate npages contiguous zeroed pages whose address is a multiple of
 * align_pages * 4 KiB (align_pages must be 0, 1 or a power of two). First
 * fit. Returns NULL on exhaustion or bad arguments.
 */
void *mem_alloc_pages(struct mem_pool *p, size_t npages, size_t align_pages);

/* Zeroed allocation of at least bytes bytes, rounded up to whole pages. */
void *mem_zalloc(struct mem_pool *p, size_t bytes);

#endif
