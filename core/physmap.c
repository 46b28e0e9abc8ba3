/* SPDX-License-Identifier: MIT */
/* Where a hypervisor page or a grant mapping may go in a guest (core/physmap.h). */
#include "bolt/bolt.h"
#include "core/physmap.h"
#include "lib/errno.h"
#include "lib/lib.h"

/* What a 4-level EPT walk translates (SDM Vol. 3C §29.3.2; arch/x86/ept.c). */
#define PHYSMAP_EPT_BITS 48u

int physmap_place(const struct balloon *b, unsigned phys_bits,
		  const struct cfg_shm *const *shms, unsigned nr_shms, uint64_t gfn)
{
	unsigned bits = MIN(phys_bits, PHYSMAP_EPT_BITS);

	if (gfn < b->nr_frames)
		return balloon_frame_is_ram(b, gfn) ? PHYSMAP_RAM : -XEN_EINVAL;
	/* The guest cannot address it (a PTE's address bits stop below phys_bits). */
	if (bits <= 12 || gfn >= (1ULL << (bits - 12)))
		return -XEN_EINVAL;
	/* The legacy area is below 1 MiB, so below RAM, but never trust that alone. */
	if (gfn >= (0xa0000u >> 12) && gfn < (BOLT_GUEST_LOAD_MIN >> 12))
		return -XEN_EINVAL;
	if (gfn >= (BOLT_GUEST_MMIO_HOLE_START >> 12) && gfn < (BOLT_GUEST_MMIO_HOLE_END >> 12))
		return -XEN_EINVAL;
	for (unsigned i = 0; i < nr_shms; i++)
		if (gfn - (shms[i]->gpa >> 12) < (shms[i]->size + PAGE_SIZE - 1) >> 12)
			return -XEN_EINVAL;
	return PHYSMAP_ABOVE;
}
