/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the guest page-table walker (arch/x86/guest_pt.c): page
 * tables for every paging mode are built in a fake guest RAM array.
 */
#include "unit.h"
#include "arch/guest_pt.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define RAM_SIZE MiB(16)
#define TABLES_AT MiB(1) /* page tables are bump-allocated from here */

static uint8_t *ram;
static uint64_t next_table;
static int ram_reads;

static int ram_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	(void)ctx;
	ram_reads++;
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return -XEN_EFAULT;
	memcpy(buf, ram + gpa, len);
	return 0;
}

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	(void)ctx;
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return -XEN_EFAULT;
	memcpy(ram + gpa, buf, len);
	return 0;
}

static void ram_reset(void)
{
	if (!ram)
		ram = malloc(RAM_SIZE);
	if (!ram)
		exit(2);
	memset(ram, 0, RAM_SIZE);
	next_table = TABLES_AT;
}

static uint64_t new_table(void)
{
	uint64_t t = next_table;

	next_table += PAGE_SIZE;
	return t;
}

static uint64_t *e64(uint64_t gpa)
{
	return (uint64_t *)(void *)(ram + gpa);
}

static uint32_t *e32(uint64_t gpa)
{
	return (uint32_t *)(void *)(ram + gpa);
}

#define P 1ULL
#define RW 2ULL
#define US 4ULL
#define PS 0x80ULL
#define XD (1ULL << 63)

#define CR0_PG (1ULL << 31)
#define CR0_WP (1ULL << 16)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define CR4_SMEP (1ULL << 20)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

static struct gpt_ctx ctx_for(uint64_t cr0, uint64_t cr3, uint64_t cr4, uint64_t efer)
{
	struct gpt_ctx c = {
		.cr0 = cr0, .cr3 = cr3, .cr4 = cr4, .efer = efer,
		.read_gpa = ram_read, .write_gpa = ram_write, .ctx = NULL,
	};
	return c;
}

/*
 * 64-bit-format tables (PAE, 4-level, 5-level): the entry for gva at
 * `level` (0 = PTE), creating permissive tables above it as needed. top is
 * the root level; PAE roots are 4-entry PDPTs with bare-P entries.
 */
static uint64_t *slot64(uint64_t root, int top, bool pae, uint64_t gva, int level)
{
	uint64_t table = root;
	int l;

	for (l = top; l > level; l--) {
		uint64_t *e = e64(table + ((gva >> (12 + 9 * l)) & 511) * 8);

		if (!(*e & P))
			*e = new_table() | P | (pae && l == 2 ? 0 : RW | US);
		table = *e & 0x000ffffffffff000ULL;
	}
	return e64(table + ((gva >> (12 + 9 * level)) & 511) * 8);
}

static void expect(const struct gpt_ctx *c, uint64_t gva, unsigned acc, uint64_t want)
{
	uint64_t gpa = 0xdead;
	int rc = gpt_translate(c, gva, acc, &gpa);

	CHECK_EQ(rc, 0);
	CHECK_EQ(gpa, want);
	if (rc || gpa != want)
		fprintf(stderr, "  ... gva %#llx access %u\n", (unsigned long long)gva, acc);
}

static void expect_fault(const struct gpt_ctx *c, uint64_t gva, unsigned acc, uint32_t pfec)
{
	uint64_t gpa = 0xdead;
	uint32_t code = 0xffff;
	int rc = gpt_translate_pfec(c, gva, acc, &gpa, &code);

	CHECK_EQ(rc, -XEN_EFAULT);
	CHECK_EQ(code, pfec);
	CHECK_EQ(gpa, 0xdead);
	if (rc != -XEN_EFAULT || code != pfec)
		fprintf(stderr, "  ... gva %#llx access %u\n", (unsigned long long)gva, acc);
}

static void test_paging_off(void)
{
	struct gpt_ctx c;

	ram_reset();
	c = ctx_for(0, 0x5000, CR4_PAE, 0);
	ram_reads = 0;
	expect(&c, 0x12345678, GPT_WRITE | GPT_USER | GPT_FETCH, 0x12345678);
	expect(&c, 0xabcd00001234ULL, 0, 0x00001234);
	expect(&c, 0xffffffffULL, 0, 0xffffffffULL);
	CHECK_EQ(ram_reads, 0);
}

static void test_32bit(void)
{
	uint64_t pd = 0x10000, pt = 0x11000;
	struct gpt_ctx c;

	ram_reset();
	c = ctx_for(CR0_PG, pd | 0x18 /* PWT/PCD ignored */, 0, 0);
	/* 0x00401000 -> 0x00200000 (4K), 0x00402000 read-only, 0x00403000 supervisor. */
	*e32(pd + 1 * 4) = (uint32_t)(pt | P | RW | US);
	*e32(pt + 1 * 4) = 0x200000 | P | RW | US;
	*e32(pt + 2 * 4) = 0x201000 | P | US;
	*e32(pt + 3 * 4) = 0x202000 | P | RW;
	expect(&c, 0x00401abc, GPT_WRITE | GPT_USER, 0x200abc);
	expect(&c, 0xf0000000ULL << 4 | 0x00401abc, 0, 0x200abc); /* 32-bit linear */
	expect(&c, 0x00402000, GPT_USER, 0x201000);
	expect(&c, 0x00402000, GPT_WRITE, 0x201000); /* CR0.WP = 0 */
	expect_fault(&c, 0x00402000, GPT_WRITE | GPT_USER, GPT_PFEC_P | GPT_PFEC_W | GPT_PFEC_U);
	expect_fault(&c, 0x00403000, GPT_USER, GPT_PFEC_P | GPT_PFEC_U);
	expect(&c, 0x00403000, GPT_WRITE | GPT_FETCH, 0x202000);
	c.cr0 |= CR0_WP;
	expect_fault(&c, 0x00402000, GPT_WRITE, GPT_PFEC_P | GPT_PFEC_W);
	/* Not present: PTE, then PDE. */
	expect_fault(&c, 0x00404000, 0, 0);
	expect_fault(&c, 0x00800000, GPT_WRITE, GPT_PFEC_W);
	/* R/W = 0 in the PDE restricts every page below it. */
	*e32(pd + 1 * 4) &= ~(uint32_t)RW;
	expect_fault(&c, 0x00401000, GPT_WRITE, GPT_PFEC_P | GPT_PFEC_W);
	*e32(pd + 1 * 4) |= (uint32_t)RW;

	/* 4 MiB PSE page at 0x80000000 with PSE-36 bit 13 -> physical bit 32. */
	*e32(pd + 0x200 * 4) = 0x00c00000 | (1u << 13) | PS | P | RW;
	c.cr4 = CR4_PSE;
	expect(&c, 0x80123456, GPT_WRITE, 0x100c00000ULL + 0x123456);
	expect(&c, 0x803fffff, 0, 0x100ffffffULL);
	/* Without CR4.PSE the PS bit is ignored: the PDE names a page table (zeroed RAM). */
	c.cr4 = 0;
	expect_fault(&c, 0x80123456, 0, 0);
	c.cr4 = CR4_PSE;
	/* Bit 21 is reserved; with MAXPHYADDR 36, bits 20:17 too. */
	*e32(pd + 0x200 * 4) |= 1u << 21;
	expect_fault(&c, 0x80000000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	*e32(pd + 0x200 * 4) = 0x00c00000 | (1u << 17) | PS | P;
	expect(&c, 0x80000000, 0, 0x1000c00000ULL);
	c.maxphyaddr = 36;
	expect_fault(&c, 0x80000000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	/* XD does not exist in 32-bit paging: fetches are allowed. */
	c.efer = EFER_NXE;
	expect(&c, 0x00401000, GPT_FETCH, 0x200000);
}

static void test_pae(void)
{
	uint64_t pdpt = 0x20020; /* 32-byte aligned only */
	uint64_t *e;
	struct gpt_ctx c;

	ram_reset();
	c = ctx_for(CR0_PG | CR0_WP, pdpt, CR4_PAE, EFER_NXE);
	/* 0xc0001000 -> 0x3000 (4K, NX), 0xc0200000 -> 0x600000 (2M, user). */
	e = slot64(pdpt, 2, true, 0xc0001000, 0);
	*e = 0x3000 | P | RW | XD;
	e = slot64(pdpt, 2, true, 0xc0200000, 1);
	*e = 0x600000 | PS | P | RW | US;
	CHECK((*e64(pdpt + 3 * 8) & 0xfff) == P);
	expect(&c, 0xc0001234, GPT_WRITE, 0x3234);
	expect(&c, 0x1c0001234ULL, 0, 0x3234); /* linear addresses are 32 bits */
	expect_fault(&c, 0xc0001234, GPT_FETCH, GPT_PFEC_P | GPT_PFEC_I);
	/* Intermediate PDE has U/S=1 but the PTE does not. */
	expect_fault(&c, 0xc0001234, GPT_USER, GPT_PFEC_P | GPT_PFEC_U);
	expect(&c, 0xc03fffff, GPT_USER | GPT_FETCH | GPT_WRITE, 0x7fffff);
	/* Not present at each level. */
	expect_fault(&c, 0x00001000, 0, 0);  /* PDPTE 0 */
	expect_fault(&c, 0xc0400000, 0, 0);  /* PDE */
	expect_fault(&c, 0xc0002000, 0, 0);  /* PTE */
	/* 2M page with bit 13 set: reserved. */
	*e |= 1ULL << 13;
	expect_fault(&c, 0xc0200000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	*e &= ~(1ULL << 13);
	/* PDPTE: R/W (bit 1) is reserved in PAE paging. */
	*e64(pdpt + 3 * 8) |= RW;
	expect_fault(&c, 0xc0200000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	*e64(pdpt + 3 * 8) &= ~RW;
	/* XD set without EFER.NXE: reserved. */
	c.efer = 0;
	expect_fault(&c, 0xc0001000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	/* Address bit above MAXPHYADDR: reserved. */
	c.efer = EFER_NXE;
	c.maxphyaddr = 36;
	*e = (1ULL << 36) | 0x600000 | PS | P;
	expect_fault(&c, 0xc0200000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	c.maxphyaddr = 40;
	expect(&c, 0xc0200000, 0, (1ULL << 36) | 0x600000);
}

/* A fresh 4-level (or 5-level) address space with a mix of page sizes. */
static uint64_t build_lm(int top)
{
	uint64_t root = new_table();

	*slot64(root, top, false, 0x40000000, 2) = 0x80000000 | PS | P | RW | US; /* 1G */
	*slot64(root, top, false, 0x00200000, 1) = 0x00400000 | PS | P | RW | US; /* 2M */
	*slot64(root, top, false, 0x00001000, 0) = 0x00005000 | P | RW | US;      /* 4K */
	*slot64(root, top, false, 0xffff800000003000ULL, 0) = 0x6000 | P | RW | XD;
	*slot64(root, top, false, 0xffffffffffe00000ULL, 0) = 0x7000 | P;
	return root;
}

static void test_long_mode(void)
{
	uint64_t root, *e;
	struct gpt_ctx c;

	ram_reset();
	root = build_lm(3);
	c = ctx_for(CR0_PG | CR0_WP, root | 0x123 /* PCID */, CR4_PAE,
		    EFER_LME | EFER_LMA | EFER_NXE);
	expect(&c, 0x40000000, GPT_USER | GPT_WRITE, 0x80000000);
	expect(&c, 0x7fffffff, 0, 0xbfffffff);
	expect(&c, 0x00212345, GPT_USER, 0x00412345);
	expect(&c, 0x00001fff, GPT_USER | GPT_FETCH, 0x5fff);
	expect(&c, 0xffff800000003010ULL, GPT_WRITE, 0x6010);
	expect(&c, 0xffffffffffe00fffULL, GPT_FETCH, 0x7fff);
	/* Supervisor-only, read-only, NX. */
	expect_fault(&c, 0xffff800000003000ULL, GPT_USER, GPT_PFEC_P | GPT_PFEC_U);
	expect_fault(&c, 0xffff800000003000ULL, GPT_FETCH, GPT_PFEC_P | GPT_PFEC_I);
	expect_fault(&c, 0xffffffffffe00000ULL, GPT_WRITE, GPT_PFEC_P | GPT_PFEC_W);
	c.cr0 &= ~CR0_WP;
	expect(&c, 0xffffffffffe00000ULL, GPT_WRITE, 0x7000);
	expect_fault(&c, 0xffffffffffe00000ULL, GPT_WRITE | GPT_USER,
		     GPT_PFEC_P | GPT_PFEC_W | GPT_PFEC_U);
	/* SMEP: supervisor fetch from a user page. */
	c.cr4 |= CR4_SMEP;
	expect_fault(&c, 0x00001000, GPT_FETCH, GPT_PFEC_P | GPT_PFEC_I);
	expect(&c, 0x00001000, GPT_FETCH | GPT_USER, 0x5000);
	expect(&c, 0x00001000, 0, 0x5000);
	c.cr4 &= ~CR4_SMEP;
	/* Non-canonical: #GP, not #PF. */
	expect_fault(&c, 0x0000800000000000ULL, 0, GPT_PFEC_GP);
	expect_fault(&c, 0xffff7fffffffffffULL, 0, GPT_PFEC_GP);
	expect_fault(&c, 0x0100000000001000ULL, 0, GPT_PFEC_GP);
	/* Not present at each level: PML4E, PDPTE, PDE, PTE. */
	expect_fault(&c, 0x0000008000000000ULL, 0, 0);
	expect_fault(&c, 0x00000000c0000000ULL, GPT_USER, GPT_PFEC_U);
	expect_fault(&c, 0x0000000000600000ULL, 0, 0);
	expect_fault(&c, 0x0000000000002000ULL, GPT_WRITE, GPT_PFEC_W);
	/* XD in a non-leaf entry applies below it. */
	e = e64((c.cr3 & ~0xfffULL) + 0);
	*e |= XD;
	expect_fault(&c, 0x00001000, GPT_FETCH, GPT_PFEC_P | GPT_PFEC_I);
	expect(&c, 0x00001000, GPT_WRITE, 0x5000);
	/* ... and is reserved when EFER.NXE is clear. */
	c.efer &= ~EFER_NXE;
	expect_fault(&c, 0x00001000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	c.efer |= EFER_NXE;
	*e &= ~XD;
	/* PS in a PML4E is reserved. */
	*e |= PS;
	expect_fault(&c, 0x00001000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	*e &= ~PS;
	/* 1G page with bit 29 (below the page size) set; PAT bit 12 is fine. */
	e = slot64(root, 3, false, 0x40000000, 2);
	*e |= 1ULL << 29;
	expect_fault(&c, 0x40000000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	*e &= ~(1ULL << 29);
	*e |= 1ULL << 12;
	expect(&c, 0x40000000, 0, 0x80000000);
	/* MAXPHYADDR: a table address above it is reserved. */
	c.maxphyaddr = 39;
	e = slot64(root, 3, false, 0x1000, 1);
	*e |= 1ULL << 40;
	expect_fault(&c, 0x1000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
	c.maxphyaddr = 0;
	expect_fault(&c, 0x1000, 0, 0); /* reads past the fake RAM: fails anyway */
	*e &= ~(1ULL << 40);
	/* Paging structures outside guest RAM fail cleanly. */
	c.cr3 = RAM_SIZE + MiB(1);
	expect_fault(&c, 0x1000, 0, 0);
}

static void test_la57(void)
{
	uint64_t root;
	struct gpt_ctx c;
	uint64_t hi = 0x00ff000000002000ULL; /* needs 57-bit addressing */

	ram_reset();
	root = build_lm(4);
	*slot64(root, 4, false, hi, 0) = 0x9000 | P | RW;
	*slot64(root, 4, false, 0xff00000000004000ULL, 0) = 0xa000 | P;
	c = ctx_for(CR0_PG, root, CR4_PAE | CR4_LA57, EFER_LMA);
	expect(&c, hi + 5, GPT_WRITE, 0x9005);
	expect(&c, 0xff00000000004321ULL, 0, 0xa321);
	expect(&c, 0x40000000, 0, 0x80000000);
	expect(&c, 0x00212345, 0, 0x00412345);
	expect(&c, 0xffffffffffe00000ULL, 0, 0x7000);
	expect_fault(&c, 0x0100000000000000ULL, 0, GPT_PFEC_GP);
	expect_fault(&c, 0xfeffffffffffffffULL, 0, GPT_PFEC_GP);
	expect_fault(&c, 0x00fe000000000000ULL, 0, 0); /* PML5E not present */
	/* The same address is non-canonical with 4-level paging. */
	c.cr4 &= ~CR4_LA57;
	expect_fault(&c, hi, 0, GPT_PFEC_GP);
	/* PS in a PML5E is reserved. */
	c.cr4 |= CR4_LA57;
	*e64(root) |= PS;
	expect_fault(&c, 0x1000, 0, GPT_PFEC_P | GPT_PFEC_RSVD);
}

static void test_copy(void)
{
	uint64_t root;
	struct gpt_ctx c;
	uint8_t buf[3 * 4096], out[sizeof(buf)];
	size_t i;

	ram_reset();
	root = new_table();
	/* gva 0x10000.. maps to scattered gpas: 0x300000, 0x200000, 0x250000 (read-only). */
	*slot64(root, 3, false, 0x10000, 0) = 0x300000 | P | RW | US;
	*slot64(root, 3, false, 0x11000, 0) = 0x200000 | P | RW | US;
	*slot64(root, 3, false, 0x12000, 0) = 0x250000 | P | US;
	*slot64(root, 3, false, 0x13000, 0) = 0x260000 | P | RW; /* supervisor */
	c = ctx_for(CR0_PG | CR0_WP, root, CR4_PAE, EFER_LMA);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);

	/* Write 4112 bytes from 0x10ff0: pieces of 16 and 4096 bytes. */
	CHECK_EQ(gpt_copy_to_guest(&c, 0x10ff0, buf, 4096 + 16, GPT_USER), 0);
	CHECK(!memcmp(ram + 0x300ff0, buf, 16));
	CHECK(!memcmp(ram + 0x200000, buf + 16, 4096));
	CHECK_EQ(ram[0x300fef], 0);
	/* The third page is read-only: the write fails and nothing is written. */
	memset(ram + 0x300000, 0, PAGE_SIZE);
	CHECK_EQ(gpt_copy_to_guest(&c, 0x10ff0, buf, 4096 + 17, 0), -XEN_EFAULT);
	CHECK_EQ(ram[0x300ff0], 0);
	/* Exactly up to the end of the second page is fine. */
	CHECK_EQ(gpt_copy_to_guest(&c, 0x10ff0, buf, 4096 + 16, 0), 0);
	CHECK_EQ(ram[0x300ff0], buf[0]);
	CHECK_EQ(ram[0x200fff], buf[4096 + 15]);

	/* Read back across all three pages. */
	memcpy(ram + 0x250000, buf + 16 + 4096, 100);
	memset(out, 0, sizeof(out));
	CHECK_EQ(gpt_copy_from_guest(&c, out, 0x10ff0, 16 + 4096 + 100, GPT_USER), 0);
	CHECK(!memcmp(out, buf, 16 + 4096 + 100));
	/* Within one page, and zero length. */
	CHECK_EQ(gpt_copy_from_guest(&c, out, 0x11004, 8, 0), 0);
	CHECK(!memcmp(out, buf + 16 + 4, 8));
	CHECK_EQ(gpt_copy_from_guest(&c, out, 0xdead0000, 0, 0), 0);
	CHECK_EQ(gpt_copy_to_guest(&c, 0xdead0000, buf, 0, 0), 0);
	/* User copy touching the supervisor page; unmapped page; non-canonical; wrap. */
	CHECK_EQ(gpt_copy_from_guest(&c, out, 0x12ff0, 32, GPT_USER), -XEN_EFAULT);
	CHECK_EQ(gpt_copy_from_guest(&c, out, 0x12ff0, 32, 0), 0);
	CHECK_EQ(gpt_copy_from_guest(&c, out, 0x13ff0, 32, 0), -XEN_EFAULT);
	CHECK_EQ(gpt_copy_from_guest(&c, out, 0x00007ffffffffff0ULL, 32, 0), -XEN_EFAULT);
	CHECK_EQ(gpt_copy_from_guest(&c, out, UINT64_MAX - 3, 8, 0), -XEN_EFAULT);
	CHECK_EQ(gpt_copy_to_guest(&c, UINT64_MAX - 3, buf, 8, 0), -XEN_EFAULT);
	/* No write callback: refused. */
	c.write_gpa = NULL;
	CHECK_EQ(gpt_copy_to_guest(&c, 0x10000, buf, 1, 0), -XEN_EFAULT);
	/* A gpa outside RAM fails the copy. */
	*slot64(root, 3, false, 0x14000, 0) = (RAM_SIZE + PAGE_SIZE) | P;
	CHECK_EQ(gpt_copy_from_guest(&c, out, 0x14000, 4, 0), -XEN_EFAULT);
	/* Paging off: plain physical copy. */
	c.cr0 = 0;
	CHECK_EQ(gpt_copy_from_guest(&c, out, 0x200000, 16, 0), 0);
	CHECK(!memcmp(out, buf + 16, 16));
}

void unit_main(void)
{
	TEST(test_paging_off);
	TEST(test_32bit);
	TEST(test_pae);
	TEST(test_long_mode);
	TEST(test_la57);
	TEST(test_copy);
	free(ram);
}
