/* SPDX-License-Identifier: MIT */
/*
 * arch/x86/mtrr.c and arch/x86/ept_ram.c: the MTRR precedence rules (SDM
 * Vol. 3A, 12.11.4.1), over the layouts real firmware and Bochs+OVMF
 * leave, and guest RAM mapped in EPT with the types they give.
 */
#include "arch/ept.h"
#include "arch/mtrr.h"
#include "lib/errno.h"
#include "lib/lib.h"
#include "unit.h"

#define MIB(x) ((uint64_t)(x) << 20)
#define GIB(x) ((uint64_t)(x) << 30)
#define E_FE (MTRR_DEF_E | MTRR_DEF_FE)
#define ALL_WB 0x0606060606060606ULL
#define ALL_UC 0ULL

static struct mtrr_state mk(uint64_t cap, uint64_t def, unsigned maxphy)
{
	struct mtrr_state s = { .cap = cap, .def_type = def, .maxphyaddr = maxphy };

	return s;
}

/* Variable range i = [base, base + size) (size a power of two, base aligned). */
static void var(struct mtrr_state *s, unsigned i, uint64_t base, uint64_t size, unsigned type)
{
	uint64_t pmask = (1ULL << s->maxphyaddr) - 1;

	s->physbase[i] = base | type;
	s->physmask[i] = (~(size - 1) & pmask) | MTRR_PHYSMASK_V;
}

static unsigned at(const struct mtrr_state *s, uint64_t addr)
{
	return mtrr_range_type(s, addr, 0x1000);
}

static void test_precedence(void)
{
	struct mtrr_state s = mk(8, MTRR_DEF_E | MTRR_TYPE_WB, 36);

	/* No variable range: the default type. */
	CHECK_EQ(at(&s, 0), MTRR_TYPE_WB);
	CHECK_EQ(at(&s, GIB(63)), MTRR_TYPE_WB);
	/* MTRRs disabled: everything UC, whatever the ranges say (rule 1). */
	s.def_type = MTRR_TYPE_WB;
	CHECK_EQ(at(&s, MIB(16)), MTRR_TYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, 0, GIB(64)), MTRR_TYPE_UC);
	s.def_type = MTRR_DEF_E | MTRR_TYPE_WB;

	var(&s, 0, MIB(256), MIB(256), MTRR_TYPE_WT);
	var(&s, 1, MIB(256), MIB(64), MTRR_TYPE_WB);  /* WT + WB overlap: WT */
	var(&s, 2, MIB(384), MIB(64), MTRR_TYPE_UC);  /* WT + UC overlap: UC */
	var(&s, 3, GIB(1), GIB(1), MTRR_TYPE_WC);
	var(&s, 4, GIB(1), MIB(2), MTRR_TYPE_WB);     /* WC + WB: undefined, taken as UC */
	CHECK_EQ(at(&s, MIB(256)), MTRR_TYPE_WT);
	CHECK_EQ(at(&s, MIB(320)), MTRR_TYPE_WT);
	CHECK_EQ(at(&s, MIB(384)), MTRR_TYPE_UC);
	CHECK_EQ(at(&s, MIB(448)), MTRR_TYPE_WT);
	CHECK_EQ(at(&s, MIB(512)), MTRR_TYPE_WB);     /* the default again */
	CHECK_EQ(at(&s, GIB(1)), MTRR_TYPE_UC);
	CHECK_EQ(at(&s, GIB(1) + MIB(2)), MTRR_TYPE_WC);
	CHECK_EQ(mtrr_range_type(&s, MIB(256), MIB(128)), MTRR_TYPE_WT);
	CHECK_EQ(mtrr_range_type(&s, MIB(256), MIB(128) + 0x1000), MTRR_TYPE_MIXED);

	/* An invalid pair (V = 0) and pairs beyond IA32_MTRRCAP.VCNT do not count. */
	s.physmask[2] &= ~MTRR_PHYSMASK_V;
	CHECK_EQ(at(&s, MIB(384)), MTRR_TYPE_WT);
	var(&s, 9, 0, GIB(64), MTRR_TYPE_UC);
	CHECK_EQ(at(&s, MIB(512)), MTRR_TYPE_WB);
	s.cap = 10;
	CHECK_EQ(at(&s, MIB(512)), MTRR_TYPE_UC);

	/* Reserved type encodings are never taken as cacheable. */
	s = mk(8, MTRR_DEF_E | 7, 36);
	CHECK_EQ(at(&s, 0), MTRR_TYPE_UC);
	var(&s, 0, 0, GIB(1), 2);
	s.def_type = MTRR_DEF_E | MTRR_TYPE_WB;
	CHECK_EQ(at(&s, 0), MTRR_TYPE_UC);
	CHECK_STR(mtrr_type_name(MTRR_TYPE_WB), "WB");
	CHECK_STR(mtrr_type_name(MTRR_TYPE_MIXED), "mixed");
	CHECK_STR(mtrr_type_name(3), "reserved");
}

/* A common fixed-range setup: RAM WB, VGA hole UC, option ROMs WP, BIOS WP. */
static void fixed_pc(struct mtrr_state *s)
{
	s->fixed[0] = ALL_WB;                /* 0-512K */
	s->fixed[1] = ALL_WB;                /* 512K-640K */
	s->fixed[2] = ALL_UC;                /* 640K-768K: VGA */
	for (unsigned i = 3; i < 11; i++)
		s->fixed[i] = 0x0505050505050505ULL; /* 768K-1M: ROM, WP */
	s->fixed[3] = 0x0606060605050505ULL; /* C0000-CFFFF: 16K WP, then 16K WB */
}

static void test_fixed(void)
{
	struct mtrr_state s = mk(MTRRCAP_FIX | 8, E_FE | MTRR_TYPE_UC, 36);
	uint64_t end;

	fixed_pc(&s);
	var(&s, 0, 0, GIB(2), MTRR_TYPE_WB);
	CHECK_EQ(at(&s, 0), MTRR_TYPE_WB);
	CHECK_EQ(at(&s, 0x9f000), MTRR_TYPE_WB);
	CHECK_EQ(at(&s, 0xa0000), MTRR_TYPE_UC);
	CHECK_EQ(at(&s, 0xbf000), MTRR_TYPE_UC);
	CHECK_EQ(at(&s, 0xc0000), MTRR_TYPE_WP);
	CHECK_EQ(at(&s, 0xc3000), MTRR_TYPE_WP);
	CHECK_EQ(at(&s, 0xc4000), MTRR_TYPE_WB);
	CHECK_EQ(at(&s, 0xc7000), MTRR_TYPE_WB);
	CHECK_EQ(at(&s, 0xc8000), MTRR_TYPE_WP);
	CHECK_EQ(at(&s, 0xff000), MTRR_TYPE_WP);
	CHECK_EQ(at(&s, MIB(1)), MTRR_TYPE_WB);
	/* Runs: [0, 640K) WB, through every 64K/16K fixed entry. */
	CHECK_EQ(mtrr_run(&s, 0, GIB(1), &end), MTRR_TYPE_WB);
	CHECK_EQ(end, 0xa0000);
	CHECK_EQ(mtrr_run(&s, 0xa0000, GIB(1), &end), MTRR_TYPE_UC);
	CHECK_EQ(end, 0xc0000);
	/* The last WP fixed range ends at 1 MiB, where the WB variable range takes over. */
	CHECK_EQ(mtrr_run(&s, 0xc8000, GIB(1), &end), MTRR_TYPE_WP);
	CHECK_EQ(end, MIB(1));
	CHECK_EQ(mtrr_run(&s, 0xc8000, 0xd0000, &end), MTRR_TYPE_WP);
	CHECK_EQ(end, 0xd0000);
	CHECK_EQ(mtrr_range_type(&s, 0, MIB(1)), MTRR_TYPE_MIXED);

	/* FE = 0: below 1 MiB the variable ranges and default apply (rule 2 off). */
	s.def_type = MTRR_DEF_E | MTRR_TYPE_UC;
	CHECK_EQ(at(&s, 0xa0000), MTRR_TYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 0, GIB(2)), MTRR_TYPE_WB);
	/* No fixed ranges in IA32_MTRRCAP: FE means nothing. */
	s.def_type = E_FE | MTRR_TYPE_UC;
	s.cap &= ~MTRRCAP_FIX;
	CHECK_EQ(at(&s, 0xa0000), MTRR_TYPE_WB);
}

/*
 * Intel Core i7-6700K board (VBoxCpuReport, VirtualBox CPU database,
 * Intel_Core_i7_6700K.h): MAXPHYADDR 39, IA32_MTRRCAP 0x1d0a (10 variable
 * pairs, fixed ranges, WC, SMRR), seven UC variable ranges covering
 * 0x88800000-4 GiB (the MMIO hole), the rest unused. The report does not
 * give IA32_MTRR_DEF_TYPE; the layout only makes sense with default WB
 * (0xc06), which is also what such firmware sets: "default WB, UC holes".
 */
static struct mtrr_state i7_6700k(void)
{
	struct mtrr_state s = mk(0x1d0a, 0xc06, 39);
	static const uint64_t base[7] = {
		0xc0000000, 0xa0000000, 0x90000000, 0x8c000000, 0x8a000000, 0x89000000, 0x88800000,
	};
	static const uint64_t mask[7] = {
		0x7fc0000800, 0x7fe0000800, 0x7ff0000800, 0x7ffc000800, 0x7ffe000800,
		0x7fff000800, 0x7fff800800,
	};

	fixed_pc(&s);
	for (unsigned i = 0; i < 7; i++) {
		s.physbase[i] = base[i];
		s.physmask[i] = mask[i];
	}
	return s;
}

static void test_default_wb_uc_holes(void)
{
	struct mtrr_state s = i7_6700k();
	uint64_t end;

	CHECK_EQ(mtrr_range_type(&s, MIB(1), 0x88800000 - MIB(1)), MTRR_TYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 0x88800000, GIB(4) - 0x88800000), MTRR_TYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, GIB(4), GIB(28)), MTRR_TYPE_WB); /* RAM above 4 GiB */
	CHECK_EQ(mtrr_range_type(&s, MIB(2048), MIB(256)), MTRR_TYPE_MIXED);
	/* The UC hole is seven ranges but one run. */
	CHECK_EQ(mtrr_run(&s, MIB(2048), GIB(8), &end), MTRR_TYPE_WB);
	CHECK_EQ(end, 0x88800000);
	CHECK_EQ(mtrr_run(&s, 0x88800000, GIB(8), &end), MTRR_TYPE_UC);
	CHECK_EQ(end, GIB(4));
	CHECK_EQ(mtrr_run(&s, GIB(4), GIB(8), &end), MTRR_TYPE_WB);
	CHECK_EQ(end, GIB(8));
	/* Bits above MAXPHYADDR in PHYSMASK/PHYSBASE are not part of the match. */
	s.physmask[6] |= 0xff80000000000000ULL;
	CHECK_EQ(at(&s, 0x88800000), MTRR_TYPE_UC);
	CHECK_EQ(at(&s, 0x88000000), MTRR_TYPE_WB);
}

/*
 * Older firmware: default UC, WB variable ranges over RAM, a UC range
 * punched into them (36-bit CPU, 3 GiB + 1 GiB above 4 GiB of RAM).
 */
static void test_default_uc_wb_ranges(void)
{
	struct mtrr_state s = mk(MTRRCAP_FIX | 8, E_FE | MTRR_TYPE_UC, 36);

	fixed_pc(&s);
	var(&s, 0, 0, GIB(2), MTRR_TYPE_WB);
	var(&s, 1, GIB(2), GIB(1), MTRR_TYPE_WB);
	var(&s, 2, 0xb0000000, MIB(256), MTRR_TYPE_UC); /* UC wins inside WB range 1 */
	var(&s, 3, GIB(4), GIB(1), MTRR_TYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, MIB(1), GIB(2) + MIB(512) - MIB(1)), MTRR_TYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 0xb0000000, MIB(256)), MTRR_TYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, 0xc0000000, GIB(1)), MTRR_TYPE_UC); /* the default */
	CHECK_EQ(mtrr_range_type(&s, GIB(4), GIB(1)), MTRR_TYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, GIB(4), GIB(1) + 0x1000), MTRR_TYPE_MIXED);
	CHECK_EQ(mtrr_range_type(&s, 0xa0000000, MIB(512)), MTRR_TYPE_MIXED);
}

/*
 * Bochs 2.7 (corei7_skylake_x, MAXPHYADDR 40) + Debian's OVMF, as Bolt
 * logs them at boot (tests/integration/smp2.cfg checks the first line):
 *   MTRR: enabled, default type WB, fixed ranges on, 2 of 8 variable ranges in use
 *   MTRR: variable 0: base 0x80000000 mask 0xff80000000 UC    (2-4 GiB: 32-bit PCI)
 *   MTRR: variable 1: base 0x800000000 mask 0xf800000000 UC   (32-64 GiB: 64-bit PCI)
 * Bolt does not log the fixed ranges; they are set here as OVMF's
 * PlatformPei programs them (WB, then UC from 640 KiB to 1 MiB). Bolt's
 * guest RAM lies between 1 MiB and 2 GiB there: WB, and no warning.
 */
static struct mtrr_state bochs_ovmf(void)
{
	struct mtrr_state s = mk(MTRRCAP_FIX | MTRRCAP_WC | 8, E_FE | MTRR_TYPE_WB, 40);

	s.fixed[0] = ALL_WB;
	s.fixed[1] = ALL_WB;
	for (unsigned i = 2; i < 11; i++)
		s.fixed[i] = ALL_UC;
	s.physbase[0] = 0x80000000 | MTRR_TYPE_UC;
	s.physmask[0] = 0xff80000000ULL | MTRR_PHYSMASK_V;
	s.physbase[1] = 0x800000000ULL | MTRR_TYPE_UC;
	s.physmask[1] = 0xf800000000ULL | MTRR_PHYSMASK_V;
	return s;
}

static void test_bochs(void)
{
	struct mtrr_state s = bochs_ovmf();

	CHECK_EQ(mtrr_range_type(&s, MIB(2), MIB(126)), MTRR_TYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, MIB(1), GIB(2) - MIB(1)), MTRR_TYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, 0xa0000, 0x60000), MTRR_TYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, GIB(2), GIB(2)), MTRR_TYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, GIB(2) - MIB(2), MIB(4)), MTRR_TYPE_MIXED);
	CHECK_EQ(mtrr_range_type(&s, GIB(4), GIB(28)), MTRR_TYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, GIB(32), GIB(32)), MTRR_TYPE_UC);
	CHECK_EQ(mtrr_range_type(&s, GIB(64), GIB(64)), MTRR_TYPE_WB);
}

/* A non-contiguous mask (legal, rarely used): bits 20-21 only, so every 4th MiB from 1 MiB. */
static void test_noncontiguous(void)
{
	struct mtrr_state s = mk(8, MTRR_DEF_E | MTRR_TYPE_WB, 36);
	uint64_t end;

	s.physbase[0] = MIB(1) | MTRR_TYPE_UC;
	s.physmask[0] = MIB(3) | MTRR_PHYSMASK_V;
	CHECK_EQ(at(&s, 0), MTRR_TYPE_WB);
	CHECK_EQ(at(&s, MIB(1)), MTRR_TYPE_UC);
	CHECK_EQ(at(&s, MIB(2)), MTRR_TYPE_WB);
	CHECK_EQ(at(&s, MIB(3)), MTRR_TYPE_WB);
	CHECK_EQ(at(&s, MIB(5)), MTRR_TYPE_UC);
	CHECK_EQ(at(&s, GIB(1) + MIB(1)), MTRR_TYPE_UC);
	CHECK_EQ(mtrr_run(&s, MIB(1), GIB(1), &end), MTRR_TYPE_UC);
	CHECK_EQ(end, MIB(2));
	CHECK_EQ(mtrr_run(&s, MIB(2), GIB(1), &end), MTRR_TYPE_WB);
	CHECK_EQ(end, MIB(5));
	CHECK_EQ(mtrr_range_type(&s, MIB(2), MIB(3)), MTRR_TYPE_WB);
	CHECK_EQ(mtrr_range_type(&s, MIB(2), MIB(4)), MTRR_TYPE_MIXED);
}

/* --- Guest RAM in EPT (arch/x86/ept_ram.c) --- */

struct pages {
	int n;
	void *p[64];
};

static void *page_alloc(void *ctx)
{
	struct pages *a = ctx;
	void *p;

	if (a->n >= (int)ARRAY_SIZE(a->p))
		return NULL;
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (p) {
		memset(p, 0, PAGE_SIZE);
		a->p[a->n++] = p;
	}
	return p;
}

static void pages_free(struct pages *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->p[i]);
	a->n = 0;
}

/* Memory type (bits 5:3) of the leaf mapping gpa, or -1 (SDM Vol. 3C, 29.3.2). */
static int leaf_type(const struct ept *e, uint64_t gpa)
{
	const uint64_t *t = e->pml4;

	for (int level = 3; level >= 0; level--) {
		uint64_t x = t[gpa >> (12 + 9 * level) & 511];
		if (!(x & 7))
			return -1;
		if (level == 0 || (x & 0x80))
			return (int)(x >> 3 & 7);
		t = (const uint64_t *)(uintptr_t)(x & 0x000ffffffffff000ULL);
	}
	return -1;
}

struct notes {
	int n;
	uint64_t gpa, size;
	unsigned type;
};

static void note(void *ctx, uint64_t gpa, uint64_t size, unsigned type)
{
	struct notes *n = ctx;

	n->n++;
	n->gpa = gpa;
	n->size = size;
	n->type = type;
}

static void test_ept_ram(void)
{
	struct mtrr_state s = i7_6700k();
	struct pages a = { 0 };
	struct notes n = { 0 };
	struct ept e;

	/* All WB: one type, nothing to report. */
	CHECK_EQ(ept_init(&e, page_alloc, &a, 39, 0), 0);
	CHECK_EQ(ept_map_ram(&e, &s, 0, MIB(64), MIB(32), note, &n), 0);
	CHECK_EQ(n.n, 0);
	CHECK_EQ(leaf_type(&e, 0), MTRR_TYPE_WB);
	CHECK_EQ(leaf_type(&e, MIB(32) - PAGE_SIZE), MTRR_TYPE_WB);
	CHECK_EQ(leaf_type(&e, MIB(32)), -1);
	pages_free(&a);

	/* RAM straddling the start of the UC hole: WB part WB, UC part UC and reported. */
	CHECK_EQ(ept_init(&e, page_alloc, &a, 39, 0), 0);
	CHECK_EQ(ept_map_ram(&e, &s, 0, 0x88000000, MIB(16), note, &n), 0);
	CHECK_EQ(n.n, 1);
	CHECK_EQ(n.gpa, MIB(8));
	CHECK_EQ(n.size, MIB(8));
	CHECK_EQ(n.type, MTRR_TYPE_UC);
	CHECK_EQ(leaf_type(&e, 0), MTRR_TYPE_WB);
	CHECK_EQ(leaf_type(&e, MIB(8) - PAGE_SIZE), MTRR_TYPE_WB);
	CHECK_EQ(leaf_type(&e, MIB(8)), MTRR_TYPE_UC);
	CHECK_EQ(leaf_type(&e, MIB(16) - PAGE_SIZE), MTRR_TYPE_UC);
	pages_free(&a);

	/* MTRRs never read (all zero, E = 0): UC, and said so, not WB silently. */
	struct mtrr_state zero = { 0 };
	n = (struct notes){ 0 };
	CHECK_EQ(ept_init(&e, page_alloc, &a, 39, 0), 0);
	CHECK_EQ(ept_map_ram(&e, &zero, 0, MIB(2), MIB(2), note, &n), 0);
	CHECK_EQ(n.n, 1);
	CHECK_EQ(n.type, MTRR_TYPE_UC);
	CHECK_EQ(leaf_type(&e, 0), MTRR_TYPE_UC);
	/* Bad ranges. */
	CHECK_EQ(ept_map_ram(&e, &s, 0, MIB(4), 0, note, &n), -XEN_EINVAL);
	CHECK_EQ(ept_map_ram(&e, &s, 0, UINT64_MAX & ~0xfffULL, MIB(2), note, &n), -XEN_EINVAL);
	/* Overlap: ept_map's error comes back. */
	CHECK_EQ(ept_map_ram(&e, &s, 0, MIB(2), MIB(2), NULL, NULL), -XEN_EEXIST);
	pages_free(&a);
}

void unit_main(void)
{
	TEST(test_precedence);
	TEST(test_fixed);
	TEST(test_default_wb_uc_holes);
	TEST(test_default_uc_wb_ranges);
	TEST(test_bochs);
	TEST(test_noncontiguous);
	TEST(test_ept_ram);
}
