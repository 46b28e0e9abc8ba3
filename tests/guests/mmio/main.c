/* SPDX-License-Identifier: MIT */
/*
 * mmio: the MMIO hole (docs/abi.md, "Guest-physical address space").
 * Probes the HPET page at 0xFED00000, which no Bolt guest has, as a device
 * driver would: 8/16/32/64-bit MOV loads (and AH, a high-byte register),
 * MOVZX/MOVSX, MOV moffs, stores of registers and immediates, REP STOS;
 * every read must return all-ones (extended as the instruction says) and
 * leave the other registers alone, every write must vanish. Then the last
 * act, chosen by case=:
 *   case=above4g  read 4 GiB (mapped by hand, above the SDK's identity map):
 *                 no MMIO there, Bolt must stop the guest
 *   case=add      ADD to the HPET page: not an instruction Bolt emulates,
 *                 Bolt must stop the guest and name its bytes
 * A line from us after that act means the guest survived it.
 */
#include <bolt/sdk.h>

#define HPET 0xfed00000ul

static unsigned failures;

#define EXPECT_EQ(what, got, want)                                                         \
	do {                                                                               \
		unsigned long long g_ = (got), w_ = (want);                                \
		if (g_ != w_) {                                                            \
			failures++;                                                        \
			printf("mmio: %s: got 0x%llx, expected 0x%llx\n", (what), g_, w_); \
		}                                                                          \
	} while (0)

static void reads(void)
{
	uint64_t r;

	r = 0x1122334455667788ull;
	__asm__ volatile("movb (%1), %b0" : "+a"(r) : "r"(HPET) : "memory");
	EXPECT_EQ("movb -> AL", r, 0x11223344556677ffull);
	r = 0x1122334455667788ull;
	__asm__ volatile("movb (%1), %%ah" : "+a"(r) : "r"(HPET) : "memory");
	EXPECT_EQ("movb -> AH", r, 0x112233445566ff88ull);
	r = 0x1122334455667788ull;
	__asm__ volatile("movw (%1), %w0" : "+r"(r) : "r"(HPET + 2) : "memory");
	EXPECT_EQ("movw", r, 0x112233445566ffffull);
	r = 0x1122334455667788ull;
	__asm__ volatile("movl 0x10(%1), %k0" : "+r"(r) : "r"(HPET) : "memory");
	EXPECT_EQ("movl (zero-extends)", r, 0xffffffffull);
	r = 0;
	__asm__ volatile("movq (%1,%2,8), %0" : "+r"(r) : "r"(HPET), "r"(2ul) : "memory");
	EXPECT_EQ("movq", r, ~0ull);
	r = 0x1122334455667788ull;
	__asm__ volatile("movzbl (%1), %k0" : "+r"(r) : "r"(HPET) : "memory");
	EXPECT_EQ("movzbl", r, 0xffull);
	r = 0x1122334455667788ull;
	__asm__ volatile("movzwq (%1), %0" : "+r"(r) : "r"(HPET) : "memory");
	EXPECT_EQ("movzwq", r, 0xffffull);
	r = 0;
	__asm__ volatile("movsbq (%1), %0" : "+r"(r) : "r"(HPET) : "memory");
	EXPECT_EQ("movsbq", r, ~0ull);
	r = 0;
	/* MOV moffs (A1) with a 64-bit offset: a disp32 would be sign-extended. */
	__asm__ volatile("movabsl 0xfed000f0, %k0" : "+a"(r) : : "memory");
	EXPECT_EQ("movabsl moffs", r, 0xffffffffull);
	/* A plain C volatile read, whatever the compiler makes of it. */
	EXPECT_EQ("volatile uint32_t", *(volatile uint32_t *)HPET, 0xffffffffu);
	EXPECT_EQ("volatile uint64_t", *(volatile uint64_t *)(HPET + 0xf0), ~0ull);
	EXPECT_EQ("volatile uint16_t", *(volatile uint16_t *)(HPET + 0x100), 0xffffu);
	EXPECT_EQ("volatile uint8_t", *(volatile uint8_t *)(HPET + 0xfff), 0xffu);
}

static void writes(void)
{
	uint64_t rdi = HPET + 0x100, rcx = 4, rsp_before, rsp_after;

	/* The HPET's general configuration register: enable, as a driver would. */
	*(volatile uint64_t *)(HPET + 0x10) = 1;
	__asm__ volatile("movl %0, 0x20(%1)" : : "r"(0x12345678u), "r"(HPET) : "memory");
	__asm__ volatile("movw $0x1234, (%0)" : : "r"(HPET) : "memory");
	__asm__ volatile("movb %0, 3(%1)" : : "q"((uint8_t)0), "r"(HPET) : "memory");
	__asm__ volatile("movq $0, 0xf0(%0)" : : "r"(HPET) : "memory");
	__asm__ volatile("cld; rep stosl" : "+D"(rdi), "+c"(rcx) : "a"(0) : "memory");
	EXPECT_EQ("rep stosl: rDI", rdi, HPET + 0x110);
	EXPECT_EQ("rep stosl: rCX", rcx, 0);
	/* A load into RSP's neighbours must not move RSP. */
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp_before));
	(void)*(volatile uint32_t *)HPET;
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp_after));
	EXPECT_EQ("RSP unchanged", rsp_after, rsp_before);
	/* Nothing stuck: it all reads as all-ones again. */
	EXPECT_EQ("after writes: 0x10", *(volatile uint64_t *)(HPET + 0x10), ~0ull);
	EXPECT_EQ("after writes: 0x20", *(volatile uint32_t *)(HPET + 0x20), 0xffffffffu);
	EXPECT_EQ("after writes: 0x0", *(volatile uint16_t *)HPET, 0xffffu);
	EXPECT_EQ("after writes: 0x100", *(volatile uint32_t *)(HPET + 0x10c), 0xffffffffu);
}

/* 4 GiB .. 4 GiB + 2 MiB into the SDK's page tables: PDPT entry 4 -> pd[0]. */
static void map_4g(void)
{
	static uint64_t pd[512] __attribute__((aligned(4096)));
	uint64_t cr3, *pml4, *pdpt;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(uintptr_t)(cr3 & ~0xfffull);
	pdpt = (uint64_t *)(uintptr_t)(pml4[0] & 0x000ffffffffff000ull);
	pd[0] = 0x100000000ull | 0x83; /* P, RW, PS */
	pdpt[4] = (uint64_t)(uintptr_t)pd | 0x3;
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	char cas[16] = "above4g";
	uint32_t v;

	(void)bolt_cmdline_get(si, "case", cas, sizeof(cas));
	reads();
	writes();
	printf("RESULT mmio-%s %s (%u failures)\n", cas, failures ? "FAIL" : "PASS", failures);
	if (strcmp(cas, "above4g") == 0) {
		map_4g();
		printf("mmio: above4g: reading guest-physical 0x100000000\n");
		v = *(volatile uint32_t *)0x100000000ull;
	} else if (strcmp(cas, "add") == 0) {
		printf("mmio: add: addl $1 to the HPET page\n");
		__asm__ volatile("addl $1, (%%rax)" : : "a"(HPET) : "memory");
		v = 0;
	} else {
		printf("mmio: unknown case=%s\n", cas);
		return 1;
	}
	printf("mmio: %s: survived (read 0x%x)\n", cas, v);
	return 1;
}
