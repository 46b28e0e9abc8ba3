/* SPDX-License-Identifier: MIT */
/* arch/x86/xcr0.c: every SDM rule for the values XSETBV may load. */
#include "arch/xcr0.h"
#include "unit.h"

/* Bochs corei7_skylake_x: x87, SSE, AVX, AVX-512 (CPUID.(0DH,0).EAX = 0xe7). */
#define SKX 0xe7ULL
/* A CPU with everything the rules name: MPX, AVX-512, PKRU, AMX. */
#define ALL (0xffULL | XCR0_PKRU | XCR0_AMX)

static void test_basic(void)
{
	CHECK(xcr0_valid(XCR0_X87, SKX));
	CHECK(xcr0_valid(XCR0_X87 | XCR0_SSE, SKX));
	CHECK(xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX, SKX));
	CHECK(xcr0_valid(SKX, SKX));
	CHECK(!xcr0_valid(0, SKX));                  /* x87 off */
	CHECK(!xcr0_valid(XCR0_SSE, SKX));           /* x87 off */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_AVX, SKX)); /* AVX without SSE */
}

static void test_avx512(void)
{
	/* The value that panicked CPU 0 (issue 8): x87|SSE|opmask, no AVX. */
	CHECK(!xcr0_valid(0x23, SKX));
	/* AVX-512 complete but without AVX. */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX512, SKX));
	/* Every proper, non-empty subset of the three AVX-512 bits. */
	for (uint64_t s = 1; s < 7; s++)
		CHECK(!xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX | (s << 5), SKX));
	CHECK(xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_AVX512, SKX));
}

static void test_pairs(void)
{
	uint64_t base = XCR0_X87 | XCR0_SSE;

	CHECK(xcr0_valid(base | XCR0_MPX, ALL));
	CHECK(!xcr0_valid(base | XCR0_BNDREGS, ALL));
	CHECK(!xcr0_valid(base | XCR0_BNDCSR, ALL));
	CHECK(xcr0_valid(base | XCR0_AMX, ALL));
	CHECK(!xcr0_valid(base | XCR0_XTILECFG, ALL));
	CHECK(!xcr0_valid(base | XCR0_XTILEDATA, ALL));
	CHECK(xcr0_valid(base | XCR0_PKRU, ALL));
	/* MPX is not on Skylake-X as Bochs models it: not supported, not allowed. */
	CHECK(!xcr0_valid(base | XCR0_MPX, SKX));
}

static void test_unsupported(void)
{
	/* Bits the CPU does not report, supervisor-only bits (XSS) and bit 63. */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_PKRU, SKX));
	CHECK(!xcr0_valid(XCR0_X87 | (1ULL << 8), ALL));
	CHECK(!xcr0_valid(XCR0_X87 | (1ULL << 63), ALL));
	CHECK(!xcr0_valid(~0ULL, ALL));
	/* A CPU without AVX: AVX-512 values are unsupported too. */
	CHECK(!xcr0_valid(XCR0_X87 | XCR0_SSE | XCR0_AVX, XCR0_X87 | XCR0_SSE));
}

/* Against a reference written from the rules, for every value of bits 0-18. */
static void test_exhaustive(void)
{
	unsigned bad = 0;

	for (uint64_t v = 0; v < (1u << 19); v++) {
		bool want = (v & 1) && !(v & ~ALL) && (!(v & 4) || (v & 2)) &&
			    ((v >> 3 & 3) == 0 || (v >> 3 & 3) == 3) &&
			    ((v >> 5 & 7) == 0 || ((v >> 5 & 7) == 7 && (v & 4))) &&
			    ((v >> 17 & 3) == 0 || (v >> 17 & 3) == 3);
		if (xcr0_valid(v, ALL) != want)
			bad++;
	}
	CHECK_EQ(bad, 0);
}

void unit_main(void)
{
	TEST(test_basic);
	TEST(test_avx512);
	TEST(test_pairs);
	TEST(test_unsupported);
	TEST(test_exhaustive);
}
