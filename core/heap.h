/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's page heap: one block taken from the UEFI memory map at
 * boot, handed out by the core/mem.c allocator under a lock, usable from
 * every CPU after ExitBootServices.
 */
#ifndef CORE_HEAP_H
#define CORE_HEAP_H

#include <stddef.h>
#include <stdint.h>

int heap_init(uint64_t base, uint64_t size);
/* Zeroed pages; NULL when the heap is exhausted. */
void *heap_alloc_pages(size_t npages, size_t align_pages);
void *heap_zalloc(size_t bytes);

#endif
