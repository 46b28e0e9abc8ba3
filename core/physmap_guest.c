/* SPDX-License-Identifier: MIT */
/* Hypervisor pages and grant mappings in a guest's physical space (core/physmap_guest.h). */
#include "arch/cpu.h"
#include "core/guest.h"
#include "core/physmap.h"
#include "core/physmap_guest.h"

int physmap_guest_place(const struct guest *g, uint64_t gfn)
{
	return physmap_place(&g->balloon, guest_arch_phys_bits(g), g->shms, g->nr_shms, gfn);
}

void physmap_guest_restore(struct guest *g, uint64_t gfn)
{
	uint64_t gpa = gfn << 12;

	/*
	 * Never map "RAM" beyond g->ram_size: that would be host memory past
	 * the guest's allocation.
	 */
	if (gfn >= g->ram_size >> 12 || balloon_is_hole(&g->balloon, gfn))
		guest_arch_unmap_ram(g, gpa, PAGE_SIZE);
	else
		guest_arch_restore_ram_page(g, gpa);
}
