/* SPDX-License-Identifier: MIT */
/*
 * EPT (extended page table) builder: the guest-physical -> host-physical
 * tables for one guest. Intel SDM Vol. 3C §29.3 "The Extended Page Table
 * Mechanism (EPT)". 4-level tables only (guest-physical bits 47:0).
 *
 * Pages come from a caller callback; addresses are identity mapped
 * (phys == virt). Not thread-safe: one builder per guest, changed only
 * with that guest's vCPUs stopped or under its lock. After ept_unmap() or
 * any permission reduction the caller must INVEPT before the guest runs.
 */
#ifndef ARCH_EPT_H
#define ARCH_EPT_H

#include <stdbool.h>
#include <stdint.h>

/* Permissions (bits 2:0 of an EPT entry). */
#define EPT_R 1u
#define EPT_W 2u
#define EPT_X 4u
#define EPT_RWX (EPT_R | EPT_W | EPT_X)

/* Memory types (bits 5:3 of a leaf), SDM "EPT and Memory Typing". */
#define EPT_MT_UC 0u
#define EPT_MT_WC 1u
#define EPT_MT_WT 4u
#define EPT_MT_WP 5u
#define EPT_MT_WB 6u

/* ept_init flags. */
#define EPT_FLAG_1G 1u /* the CPU supports 1 GiB EPT pages (IA32_VMX_EPT_VPID_CAP bit 17) */

/* Returns a zeroed, 4 KiB-aligned page or NULL. */
typedef void *(*ept_alloc_fn)(void *ctx);

struct ept {
	uint64_t *pml4;
	ept_alloc_fn alloc;
	void *ctx;
	unsigned maxphyaddr; /* CPUID.80000008H:EAX[7:0] */
	unsigned flags;
	uint64_t *spare; /* tables detached by unmap, reused before alloc (linked via word 0) */
};

/*
 * Allocate the PML4. maxphyaddr must be 36..52; flags are EPT_FLAG_*.
 * Returns -XEN_EINVAL for bad arguments, -XEN_ENOMEM if alloc fails.
 */
int ept_init(struct ept *ept, ept_alloc_fn alloc, void *ctx, unsigned maxphyaddr,
	     unsigned flags);

/*
 * Map [gpa, gpa + size) to [hpa, hpa + size) with prot (EPT_R/W/X; must
 * include R, write-only and execute-only are refused) and memtype.
 * Uses 1 GiB (with EPT_FLAG_1G) and 2 MiB leaves wherever both addresses
 * and the remaining size allow, 4 KiB otherwise. Errors: -XEN_EINVAL
 * (unaligned, empty, bad prot/memtype, gpa beyond 2^min(48, maxphyaddr),
 * hpa beyond 2^maxphyaddr), -XEN_EEXIST (any page already mapped; nothing
 * is changed), -XEN_ENOMEM (allocation failed; what was mapped is undone,
 * intermediate tables allocated so far stay, empty). On success, a table
 * that now maps one aligned, contiguous range with the same attributes is
 * folded back into one large leaf (where that level allows leaves) and
 * kept for reuse, as by ept_unmap: so a large page split by ept_unmap and
 * then mapped back as it was costs no table for good. The caller must
 * INVEPT before the guest runs again and before later maps.
 */
int ept_map(struct ept *ept, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned prot,
	    unsigned memtype);

/*
 * Unmap [gpa, gpa + size); unmapped holes inside are fine. Large pages
 * straddling either end are split first, which can fail with -XEN_ENOMEM
 * (the range may then be partially unmapped). Tables wholly inside the
 * range are detached and kept for reuse by later maps: the caller must
 * INVEPT before the guest runs again and before those maps.
 */
int ept_unmap(struct ept *ept, uint64_t gpa, uint64_t size);

/* Walk: 0 with hpa, prot and leaf page size (each optional), or -XEN_EFAULT. */
int ept_translate(const struct ept *ept, uint64_t gpa, uint64_t *hpa, unsigned *prot,
		  uint64_t *page_size);

/* EPTP for the VMCS: WB paging-structure type, 4-level walk, no A/D. */
uint64_t ept_eptp(const struct ept *ept);

#endif
