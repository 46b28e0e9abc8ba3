/* SPDX-License-Identifier: MIT */
/*
 * ELF loader for PVH guest kernels (Xen PVH boot protocol): validates an
 * ELF32/ELF64 x86 executable, finds its XEN_ELFNOTE_PHYS32_ENTRY note and
 * copies its PT_LOAD segments to their physical addresses (p_paddr) in the
 * guest's RAM. Generic and freestanding: the caller supplies the image bytes
 * and a host pointer to guest-physical address 0.
 */
#ifndef LIB_ELF_H
#define LIB_ELF_H

#include <stddef.h>
#include <stdint.h>

/* At most this many program headers; real kernels have fewer than 16. */
#define ELF_MAX_PHDRS 64u

struct elf_pvh_info {
	uint32_t entry;       /* 32-bit physical entry point (PHYS32_ENTRY) */
	uint64_t load_lo;     /* lowest guest-physical byte loaded */
	uint64_t load_hi;     /* one past the highest byte loaded (incl. bss) */
	unsigned nr_segments; /* PT_LOAD segments with a non-zero p_memsz */
};

/*
 * Validate a PVH kernel image without touching guest memory, so every
 * guest's image can be checked before anything is started. All PT_LOAD
 * segments must lie in [min_paddr, ram_size). name (may be NULL) prefixes
 * every message written to err (always NUL-terminated when errlen > 0).
 *
 * Returns 0 and fills info (may be NULL), or:
 *   -XEN_ENOEXEC  not an x86 ELF executable, or no PHYS32_ENTRY note
 *   -XEN_EINVAL   malformed: truncated/overflowing headers, bad notes,
 *                 overlapping segments, entry outside the loaded code
 *   -XEN_E2BIG    a segment does not fit in guest RAM
 */
int elf_probe_pvh(const void *image, size_t image_len, const char *name,
		  uint64_t ram_size, uint64_t min_paddr, struct elf_pvh_info *info,
		  char *err, size_t errlen);

/*
 * elf_probe_pvh(), then copy every PT_LOAD segment to ram + p_paddr and
 * zero-fill p_memsz beyond p_filesz. ram is the host pointer to
 * guest-physical address 0 and holds ram_size bytes. Guest memory is only
 * written once the whole image has been validated.
 */
int elf_load_pvh(const void *image, size_t image_len, const char *name,
		 void *ram, uint64_t ram_size, uint64_t min_paddr,
		 struct elf_pvh_info *info, char *err, size_t errlen);

#endif
