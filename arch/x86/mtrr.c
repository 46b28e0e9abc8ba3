/* SPDX-License-Identifier: MIT */
/*
 * The memory type the host MTRRs give a physical address, by the
 * precedence rules of SDM Vol. 3A, 12.11.4.1 "MTRR Precedences":
 *   1. MTRRs disabled (IA32_MTRR_DEF_TYPE.E = 0): everything is UC.
 *   2. Below 1 MiB, with the fixed ranges present and enabled (FE = 1):
 *      the fixed-range MTRR's type.
 *   3. Otherwise the variable ranges that match the address: one type
 *      if they all agree; UC if any is UC; WT if they are WT and WB;
 *      any other overlap is undefined in the SDM and taken as UC here.
 *   4. No variable range matches: the default type.
 * Pure: the MSR values come in a struct (arch/x86/mtrr_host.c reads them).
 */
#include "arch/mtrr.h"

#define MIB1 0x100000ULL
#define FIX64K_END 0x80000ULL  /* IA32_MTRR_FIX64K_00000: 8 x 64 KiB */
#define FIX16K_END 0xc0000ULL  /* IA32_MTRR_FIX16K_80000/A0000: 16 x 16 KiB */
#define PAGE_MASK_4K 0xfffULL

/* Reserved encodings cannot be written (WRMSR #GP), but never trust them as cacheable. */
static unsigned normalise(uint64_t t)
{
	switch (t) {
	case MTRR_TYPE_UC: case MTRR_TYPE_WC: case MTRR_TYPE_WT: case MTRR_TYPE_WP: case MTRR_TYPE_WB:
		return (unsigned)t;
	default:
		return MTRR_TYPE_UC;
	}
}

static uint64_t phys_mask(const struct mtrr_state *s)
{
	/* Without CPUID 80000008H the SDM's default physical-address width is 36 bits. */
	unsigned w = s->maxphyaddr >= 36 && s->maxphyaddr <= 52 ? s->maxphyaddr : 36;

	return (1ULL << w) - 1;
}

/* SDM Vol. 3A, Table 12-9 "Address Mapping for Fixed-Range MTRRs". */
static unsigned fixed_type(const struct mtrr_state *s, uint64_t addr, uint64_t *next)
{
	unsigned msr, byte, shift;

	if (addr < FIX64K_END) {
		shift = 16;
		msr = 0;
		byte = (unsigned)(addr >> shift);
	} else if (addr < FIX16K_END) {
		shift = 14;
		msr = 1 + (unsigned)((addr - FIX64K_END) >> 17);
		byte = (unsigned)((addr - FIX64K_END) >> shift) & 7;
	} else {
		shift = 12;
		msr = 3 + (unsigned)((addr - FIX16K_END) >> 15);
		byte = (unsigned)((addr - FIX16K_END) >> shift) & 7;
	}
	*next = ((addr >> shift) + 1) << shift;
	return normalise(s->fixed[msr] >> (8 * byte) & 0xff);
}

/* The next address above addr where variable range (b, m) starts or stops matching. */
static uint64_t var_boundary(uint64_t addr, uint64_t b, uint64_t m, uint64_t pmask)
{
	uint64_t x = ~m & pmask;

	if ((x & (x + 1)) == 0) { /* contiguous mask: one range [start, start + x + 1) */
		uint64_t start = b & m, end = start + x + 1;
		if (addr < start)
			return start;
		return addr < end ? end : UINT64_MAX;
	}
	/* A non-contiguous mask matches in aligned blocks of its lowest set bit. */
	return (addr | ((m & -m) - 1)) + 1;
}

/* Type of the byte at addr; *next is an address above addr before which it cannot change. */
static unsigned type_at(const struct mtrr_state *s, uint64_t addr, uint64_t *next)
{
	uint64_t pmask = phys_mask(s), bnd = UINT64_MAX;
	unsigned nvar = (unsigned)(s->cap & MTRRCAP_VCNT_MASK), seen = 0, matches = 0;

	*next = UINT64_MAX;
	if (!(s->def_type & MTRR_DEF_E))
		return MTRR_TYPE_UC;
	if ((s->cap & MTRRCAP_FIX) && (s->def_type & MTRR_DEF_FE) && addr < MIB1)
		return fixed_type(s, addr, next);
	if (nvar > MTRR_MAX_VAR)
		nvar = MTRR_MAX_VAR;
	for (unsigned i = 0; i < nvar; i++) {
		if (!(s->physmask[i] & MTRR_PHYSMASK_V))
			continue;
		uint64_t m = s->physmask[i] & pmask & ~PAGE_MASK_4K;
		uint64_t b = s->physbase[i] & pmask & ~PAGE_MASK_4K;
		uint64_t vb = var_boundary(addr, b, m, pmask);
		if (vb < bnd)
			bnd = vb;
		if ((addr & m) == (b & m)) {
			seen |= 1u << normalise(s->physbase[i] & MTRR_PHYSBASE_TYPE_MASK);
			matches++;
		}
	}
	*next = bnd;
	if (!matches)
		return normalise(s->def_type & MTRR_DEF_TYPE_MASK);
	if ((seen & (seen - 1)) == 0) /* one type */
		return (unsigned)__builtin_ctz(seen);
	if (seen == (1u << MTRR_TYPE_WT | 1u << MTRR_TYPE_WB))
		return MTRR_TYPE_WT;
	return MTRR_TYPE_UC; /* UC in the mix, or an overlap the SDM leaves undefined */
}

unsigned mtrr_run(const struct mtrr_state *s, uint64_t base, uint64_t end, uint64_t *run_end)
{
	uint64_t next, after;
	unsigned t = type_at(s, base, &next);

	while (next < end && type_at(s, next, &after) == t)
		next = after;
	*run_end = next < end ? next : end;
	return t;
}

unsigned mtrr_range_type(const struct mtrr_state *s, uint64_t base, uint64_t len)
{
	uint64_t end = base + len < base ? UINT64_MAX : base + len, run_end;
	unsigned t;

	if (!len)
		return type_at(s, base, &run_end);
	t = mtrr_run(s, base, end, &run_end);
	return run_end == end ? t : MTRR_TYPE_MIXED;
}

const char *mtrr_type_name(unsigned type)
{
	switch (type) {
	case MTRR_TYPE_UC: return "UC";
	case MTRR_TYPE_WC: return "WC";
	case MTRR_TYPE_WT: return "WT";
	case MTRR_TYPE_WP: return "WP";
	case MTRR_TYPE_WB: return "WB";
	case MTRR_TYPE_MIXED: return "mixed";
	default: return "reserved";
	}
}
