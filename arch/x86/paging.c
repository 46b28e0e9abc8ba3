/* SPDX-License-Identifier: MIT */
/*
 * Host page tables (SDM Vol. 3A, 4.5 "4-Level Paging"). Every page is mapped
 * write-back in the PAT sense; the firmware's MTRRs still make MMIO such as
 * the local APIC and the framebuffer uncacheable, as on any OS.
 */
#include "arch/paging.h"
#include "core/heap.h"
#include "lib/lib.h"

#define PTE_P (1ULL << 0)
#define PTE_W (1ULL << 1)
#define PTE_PS (1ULL << 7)

uint64_t paging_build_identity(uint64_t top)
{
	uint64_t gib = ALIGN_UP(top, GiB(1)) >> 30;
	uint64_t *pml4, *pdpt;

	if (gib == 0 || gib > 512)
		gib = gib ? 512 : 4;
	pml4 = heap_alloc_pages(1, 1);
	pdpt = heap_alloc_pages(1, 1);
	if (!pml4 || !pdpt)
		return 0;
	pml4[0] = (uint64_t)(uintptr_t)pdpt | PTE_P | PTE_W;
	for (uint64_t g = 0; g < gib; g++) {
		uint64_t *pd = heap_alloc_pages(1, 1);
		if (!pd)
			return 0;
		for (uint64_t i = 0; i < 512; i++)
			pd[i] = (g << 30 | i << 21) | PTE_P | PTE_W | PTE_PS;
		pdpt[g] = (uint64_t)(uintptr_t)pd | PTE_P | PTE_W;
	}
	return (uint64_t)(uintptr_t)pml4;
}
