/* SPDX-License-Identifier: MIT */
/*
 * EPT builder: 4-level guest-physical -> host-physical tables.
 * Intel SDM Vol. 3C §29.3 "The Extended Page Table Mechanism (EPT)";
 * entry formats in §29.3.2 "EPT Translation Mechanism", reserved
 * combinations in §29.3.3.1 "EPT Misconfigurations".
 *
 * Levels are numbered by what one entry covers: 3 = PML4E (512 GiB),
 * 2 = PDPTE (1 GiB), 1 = PDE (2 MiB), 0 = PTE (4 KiB).
 */
#include "arch/ept.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define EPT_ENTRIES 512
#define EPT_LEVELS 4
#define EPT_GPA_BITS 48 /* a 4-level walk translates bits 47:0 */
#define EPT_ADDR_MASK 0x000ffffffffff000ULL /* bits 51:12 */
#define EPT_MT_SHIFT 3
#define EPT_MT_MASK (7ULL << EPT_MT_SHIFT)
#define EPT_IPAT (1ULL << 6)
#define EPT_LARGE (1ULL << 7) /* PDPTE/PDE: maps a 1 GiB / 2 MiB page */

static uint64_t ept_level_size(int level)
{
	return 1ULL << (12 + 9 * level);
}

static unsigned ept_index(uint64_t gpa, int level)
{
	return (unsigned)(gpa >> (12 + 9 * level)) & (EPT_ENTRIES - 1);
}

/* An entry is present when any of R/W/X is set (§29.3.2). */
static bool ept_present(uint64_t e)
{
	return (e & EPT_RWX) != 0;
}

static bool ept_is_leaf(uint64_t e, int level)
{
	return level == 0 || (e & EPT_LARGE);
}

static uint64_t *ept_table(uint64_t e)
{
	return (uint64_t *)(uintptr_t)(e & EPT_ADDR_MASK);
}

/*
 * Entries are read by other CPUs' page walkers while we edit them: write
 * each one with a single 64-bit store, and fully build any table before
 * linking it in.
 */
static void ept_set(uint64_t *slot, uint64_t val)
{
	*(volatile uint64_t *)slot = val;
}

static uint64_t *ept_new_table(struct ept *ept)
{
	uint64_t *t = ept->spare;

	if (t) {
		ept->spare = (uint64_t *)(uintptr_t)t[0];
		memset(t, 0, PAGE_SIZE);
		return t;
	}
	t = ept->alloc(ept->ctx);

	/* A misaligned page would corrupt the entry's low (permission) bits. */
	if (t && !IS_ALIGNED((uint64_t)(uintptr_t)t, PAGE_SIZE))
		return NULL;
	return t;
}

/* Put a detached table and every table below it on the spare list. */
static void ept_recycle(struct ept *ept, uint64_t *table, int level)
{
	unsigned i;

	for (i = 0; level > 0 && i < EPT_ENTRIES; i++)
		if (ept_present(table[i]) && !ept_is_leaf(table[i], level))
			ept_recycle(ept, ept_table(table[i]), level - 1);
	table[0] = (uint64_t)(uintptr_t)ept->spare;
	ept->spare = table;
}

int ept_init(struct ept *ept, ept_alloc_fn alloc, void *ctx, unsigned maxphyaddr,
	     unsigned flags)
{
	memset(ept, 0, sizeof(*ept));
	if (!alloc || maxphyaddr < 36 || maxphyaddr > 52 || (flags & ~EPT_FLAG_1G))
		return -XEN_EINVAL;
	ept->alloc = alloc;
	ept->ctx = ctx;
	ept->maxphyaddr = maxphyaddr;
	ept->flags = flags;
	ept->pml4 = ept_new_table(ept);
	if (!ept->pml4)
		return -XEN_ENOMEM;
	return 0;
}

/* May a leaf sit at this level? PDPTE leaves need CPU support (§29.3.2). */
static bool ept_leaf_ok(const struct ept *ept, int level)
{
	return level <= 1 || (level == 2 && (ept->flags & EPT_FLAG_1G));
}

/* Is any page in [gpa, end) mapped below this table? */
static bool ept_any_mapped(const uint64_t *table, int level, uint64_t gpa, uint64_t end)
{
	while (gpa < end) {
		uint64_t size = ept_level_size(level);
		uint64_t next = ALIGN_DOWN(gpa, size) + size;
		uint64_t e = table[ept_index(gpa, level)];

		if (ept_present(e)) {
			if (ept_is_leaf(e, level))
				return true;
			if (ept_any_mapped(ept_table(e), level - 1, gpa, MIN(next, end)))
				return true;
		}
		gpa = next;
	}
	return false;
}

/*
 * Fill [gpa, end) below `table`, all of it known unmapped. *done counts
 * bytes mapped so far (leaves are written in ascending order) so a failure
 * can be rolled back exactly.
 */
static int ept_map_level(struct ept *ept, uint64_t *table, int level, uint64_t gpa,
			 uint64_t hpa, uint64_t end, uint64_t attr, uint64_t *done)
{
	while (gpa < end) {
		uint64_t size = ept_level_size(level);
		uint64_t next = ALIGN_DOWN(gpa, size) + size;
		uint64_t *slot = &table[ept_index(gpa, level)];
		uint64_t sub_end = MIN(next, end);
		int rc;

		if (ept_leaf_ok(ept, level) && IS_ALIGNED(gpa, size) && IS_ALIGNED(hpa, size) &&
		    end - gpa >= size) {
			uint64_t old = *slot;

			ept_set(slot, hpa | attr | (level ? EPT_LARGE : 0));
			/* An empty table left by an earlier unmap: reuse it later. */
			if (ept_present(old) && !ept_is_leaf(old, level))
				ept_recycle(ept, ept_table(old), level - 1);
			*done += size;
		} else {
			if (!ept_present(*slot)) {
				uint64_t *t = ept_new_table(ept);

				if (!t)
					return -XEN_ENOMEM;
				/* Non-leaf entries allow everything; leaves restrict (§29.3.2). */
				ept_set(slot, (uint64_t)(uintptr_t)t | EPT_RWX);
			} else if (ept_is_leaf(*slot, level)) {
				return -XEN_EEXIST; /* excluded by ept_any_mapped() */
			}
			rc = ept_map_level(ept, ept_table(*slot), level - 1, gpa, hpa, sub_end,
					   attr, done);
			if (rc)
				return rc;
		}
		hpa += sub_end - gpa;
		gpa = sub_end;
	}
	return 0;
}

/*
 * Does this table (its entries at `level`) map one contiguous range,
 * aligned to the size of the entry above, with the same attributes
 * throughout? Then *leaf is the one large entry that translates the same.
 */
static bool ept_uniform(const uint64_t *table, int level, uint64_t *leaf)
{
	uint64_t size = ept_level_size(level);
	uint64_t base = table[0] & EPT_ADDR_MASK;
	uint64_t bits = table[0] & ~EPT_ADDR_MASK;
	unsigned i;

	if (!ept_present(table[0]) || !ept_is_leaf(table[0], level) ||
	    !IS_ALIGNED(base, ept_level_size(level + 1)))
		return false;
	for (i = 1; i < EPT_ENTRIES; i++)
		if (table[i] != ((base + i * size) | bits))
			return false;
	*leaf = base | (bits & (EPT_RWX | EPT_MT_MASK | EPT_IPAT)) | EPT_LARGE;
	return true;
}

/*
 * Fold tables below [gpa, end) that became uniform back into large leaves
 * (the inverse of ept_split), bottom-up, and put them on the spare list.
 * This is what bounds the tables a guest's EPT ever holds: a 2 MiB page
 * split to map a hypervisor page (shared_info) is whole again as soon as
 * its RAM page is mapped back, so moving that page around, and restarts,
 * reuse one spare table instead of keeping every region they ever touched
 * split. The translation of every address is unchanged; only the page
 * size differs, which the INVEPT the caller owes after a change covers
 * (SDM Vol. 3C §29.4.3.1; §4.10.2.3 on TLBs holding both sizes).
 */
static void ept_merge_level(struct ept *ept, uint64_t *table, int level, uint64_t gpa,
			    uint64_t end)
{
	while (gpa < end) {
		uint64_t size = ept_level_size(level);
		uint64_t next = ALIGN_DOWN(gpa, size) + size;
		uint64_t *slot = &table[ept_index(gpa, level)];
		uint64_t sub_end = MIN(next, end), leaf;

		if (ept_present(*slot) && !ept_is_leaf(*slot, level)) {
			uint64_t *t = ept_table(*slot);

			if (level > 1)
				ept_merge_level(ept, t, level - 1, gpa, sub_end);
			if (ept_leaf_ok(ept, level) && ept_uniform(t, level - 1, &leaf)) {
				ept_set(slot, leaf);
				ept_recycle(ept, t, level - 1);
			}
		}
		gpa = sub_end;
	}
}

static bool ept_memtype_ok(unsigned mt)
{
	/* 2, 3 and 7 are reserved and cause EPT misconfigurations (§29.3.3.1). */
	return mt == EPT_MT_UC || mt == EPT_MT_WC || mt == EPT_MT_WT || mt == EPT_MT_WP ||
	       mt == EPT_MT_WB;
}

/* Range within 2^bits, without overflow. */
static bool ept_range_ok(uint64_t addr, uint64_t size, unsigned bits)
{
	uint64_t limit = 1ULL << bits;

	return addr < limit && size <= limit - addr;
}

int ept_map(struct ept *ept, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned prot,
	    unsigned memtype)
{
	uint64_t attr, done = 0;
	int rc;

	if (!ept->pml4 || size == 0 || !IS_ALIGNED(gpa | hpa | size, PAGE_SIZE))
		return -XEN_EINVAL;
	/*
	 * Write without read is a misconfiguration; execute-only needs a CPU
	 * capability we do not probe, so Bolt never asks for it.
	 */
	if ((prot & ~EPT_RWX) || !(prot & EPT_R) || !ept_memtype_ok(memtype))
		return -XEN_EINVAL;
	if (!ept_range_ok(gpa, size, MIN(EPT_GPA_BITS, ept->maxphyaddr)) ||
	    !ept_range_ok(hpa, size, ept->maxphyaddr))
		return -XEN_EINVAL;
	if (ept_any_mapped(ept->pml4, EPT_LEVELS - 1, gpa, gpa + size))
		return -XEN_EEXIST;

	/* Ignore-PAT stays 0: the guest's PAT combines with the EPT type. */
	attr = prot | ((uint64_t)memtype << EPT_MT_SHIFT);
	rc = ept_map_level(ept, ept->pml4, EPT_LEVELS - 1, gpa, hpa, gpa + size, attr, &done);
	if (rc && done)
		/* Only whole leaves inside the range: unmapping splits nothing. */
		ept_unmap(ept, gpa, done);
	else if (!rc)
		/* After success only: the rollback above must never need a split. */
		ept_merge_level(ept, ept->pml4, EPT_LEVELS - 1, gpa, gpa + size);
	return rc;
}

/* Replace a large leaf by a table of 512 leaves one level down, same attributes. */
static int ept_split(struct ept *ept, uint64_t *slot, int level)
{
	uint64_t e = *slot;
	uint64_t sub = ept_level_size(level - 1);
	uint64_t base = e & EPT_ADDR_MASK & ~(ept_level_size(level) - 1);
	uint64_t attr = e & (EPT_RWX | EPT_MT_MASK | EPT_IPAT);
	uint64_t *t = ept_new_table(ept);
	unsigned i;

	if (!t)
		return -XEN_ENOMEM;
	for (i = 0; i < EPT_ENTRIES; i++)
		t[i] = (base + i * sub) | attr | (level - 1 ? EPT_LARGE : 0);
	ept_set(slot, (uint64_t)(uintptr_t)t | EPT_RWX);
	return 0;
}

/*
 * A table whose last entry was just unmapped goes back on the spare list.
 * This is what bounds the tables of mappings outside RAM (a grant frame
 * or shared_info above it, core/physmap.h): such a page may need a new
 * PDPT, PD and PT, and nothing would ever fold an empty table the way
 * ept_merge_level folds a uniform one, so a guest moving the page around,
 * or a new boot putting it elsewhere, would otherwise keep every table it
 * ever needed. Dropping a non-leaf entry is the same change to the walk as
 * unmapping a large leaf; the caller's INVEPT covers both (§29.4.3.1).
 */
static void ept_prune(struct ept *ept, uint64_t *slot, int level)
{
	uint64_t *t = ept_table(*slot);

	for (unsigned i = 0; i < EPT_ENTRIES; i++)
		if (ept_present(t[i]))
			return;
	ept_set(slot, 0);
	ept_recycle(ept, t, level - 1);
}

static int ept_unmap_level(struct ept *ept, uint64_t *table, int level, uint64_t gpa,
			   uint64_t end)
{
	while (gpa < end) {
		uint64_t size = ept_level_size(level);
		uint64_t next = ALIGN_DOWN(gpa, size) + size;
		uint64_t *slot = &table[ept_index(gpa, level)];
		uint64_t sub_end = MIN(next, end);
		int rc;

		if (ept_present(*slot)) {
			if (IS_ALIGNED(gpa, size) && end - gpa >= size) {
				uint64_t old = *slot;

				ept_set(slot, 0);
				if (!ept_is_leaf(old, level))
					ept_recycle(ept, ept_table(old), level - 1);
			} else {
				if (ept_is_leaf(*slot, level)) {
					rc = ept_split(ept, slot, level);
					if (rc)
						return rc;
				}
				rc = ept_unmap_level(ept, ept_table(*slot), level - 1, gpa,
						     sub_end);
				if (rc)
					return rc;
				ept_prune(ept, slot, level);
			}
		}
		gpa = sub_end;
	}
	return 0;
}

int ept_unmap(struct ept *ept, uint64_t gpa, uint64_t size)
{
	if (!ept->pml4 || size == 0 || !IS_ALIGNED(gpa | size, PAGE_SIZE) ||
	    !ept_range_ok(gpa, size, EPT_GPA_BITS))
		return -XEN_EINVAL;
	return ept_unmap_level(ept, ept->pml4, EPT_LEVELS - 1, gpa, gpa + size);
}

int ept_translate(const struct ept *ept, uint64_t gpa, uint64_t *hpa, unsigned *prot,
		  uint64_t *page_size)
{
	const uint64_t *table = ept->pml4;
	int level;

	if (!table || gpa >> EPT_GPA_BITS)
		return -XEN_EFAULT;
	for (level = EPT_LEVELS - 1; level >= 0; level--) {
		uint64_t e = table[ept_index(gpa, level)];
		uint64_t size = ept_level_size(level);

		if (!ept_present(e))
			return -XEN_EFAULT;
		if (ept_is_leaf(e, level)) {
			if (hpa)
				*hpa = (e & EPT_ADDR_MASK & ~(size - 1)) | (gpa & (size - 1));
			if (prot)
				*prot = (unsigned)(e & EPT_RWX);
			if (page_size)
				*page_size = size;
			return 0;
		}
		table = ept_table(e);
	}
	return -XEN_EFAULT; /* not reached: level 0 entries are always leaves */
}

uint64_t ept_eptp(const struct ept *ept)
{
	/*
	 * EPTP (SDM Vol. 3C §25.6.11): bits 2:0 memory type of the paging
	 * structures (6 = WB), bits 5:3 walk length minus one (3), bit 6
	 * A/D enable (0), bits 51:12 the PML4 address.
	 */
	return (uint64_t)(uintptr_t)ept->pml4 | EPT_MT_WB | ((EPT_LEVELS - 1) << 3);
}
