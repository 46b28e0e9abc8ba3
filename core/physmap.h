/* SPDX-License-Identifier: MIT */
/*
 * Where in a guest's physical address space may Bolt put a page of its own
 * (shared_info, a grant-table frame: XENMEM_add_to_physmap) or another
 * guest's granted page (GNTTABOP_map_grant_ref)? Pure rules, no EPT, so
 * they build and are tested on the host; core/physmap_guest.c applies them
 * to a guest. docs/abi.md, "memory_op", has them for guests.
 *
 * As on Xen for HVM/PVH guests, two kinds of place are allowed:
 *   - a frame the memory map calls RAM: the page replaces the RAM page (or
 *     fills a ballooned-out hole) until it moves away or the guest restarts;
 *   - unpopulated space above RAM, where Linux PVH puts its grant table
 *     and gntdev's pages (CONFIG_XEN_UNPOPULATED_ALLOC: a range no e820
 *     entry or resource claims): nothing is there before, and it is a hole
 *     again afterwards.
 * Never the reserved low pages, the legacy area (the ACPI tables), a
 * [shm] region, the MMIO hole (the local and I/O APIC pages Bolt emulates
 * or answers there), or an address at or above the guest's physical
 * address width (CPUID.80000008H:EAX[7:0], which Bolt passes through) or
 * the 48 bits a 4-level EPT walk translates (SDM Vol. 3C §29.3.2).
 */
#ifndef CORE_PHYSMAP_H
#define CORE_PHYSMAP_H

#include <stdint.h>

#include "config/config.h"
#include "core/balloon.h"

enum physmap_place {
	PHYSMAP_RAM = 1,   /* over a RAM frame (populated or a ballooned hole) */
	PHYSMAP_ABOVE = 2, /* unpopulated space above RAM */
};

/*
 * gfn for a hypervisor page or grant mapping of a guest with RAM b
 * (b->nr_frames frames, and its holes), physical address width phys_bits
 * and the [shm] regions shms[0..nr_shms): PHYSMAP_RAM, PHYSMAP_ABOVE, or
 * -XEN_EINVAL. Whether another Bolt page already sits there is the
 * caller's check (core/physmap_guest.c).
 */
int physmap_place(const struct balloon *b, unsigned phys_bits,
		  const struct cfg_shm *const *shms, unsigned nr_shms, uint64_t gfn);

#endif
