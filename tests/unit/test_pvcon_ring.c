/* SPDX-License-Identifier: MIT */
/* Unit tests for the PV console ring consumer (core/pvcon_ring.c). */
#include "unit.h"
#include "core/pvcon_ring.h"
#include "lib/errno.h"

static struct xencons_interface ring;
static char got[4096];
static size_t ngot;

static void put(void *ctx, char c)
{
	(void)ctx;
	if (ngot < sizeof(got))
		got[ngot++] = c;
}

static void produce(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ring.out[MASK_XENCONS_IDX(ring.out_prod + i, ring.out)] = s[i];
	ring.out_prod += (XENCONS_RING_IDX)n;
}

static void reset(uint32_t start)
{
	memset(&ring, 0, sizeof(ring));
	ring.out_prod = ring.out_cons = start;
	ngot = 0;
}

/* Bytes come out in order, out_cons follows, nothing twice. */
static void test_simple(void)
{
	uint32_t cons = 0, bad = 0;

	reset(0);
	produce("hello\n", 6);
	CHECK_EQ(pvcon_ring_drain(&ring, &cons, put, NULL, &bad), 6);
	CHECK_EQ(cons, 6);
	CHECK_EQ(ring.out_cons, 6);
	CHECK(ngot == 6 && !memcmp(got, "hello\n", 6));
	CHECK_EQ(pvcon_ring_drain(&ring, &cons, put, NULL, &bad), 0);
	CHECK_EQ(ngot, 6);
}

/* Wrapping past out[]'s end, and the 32-bit indices wrapping past 2^32. */
static void test_wrap(void)
{
	char buf[2048];
	uint32_t cons = 0xfffffc00u, bad = 0;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)('a' + i % 26);
	reset(cons);
	produce(buf, sizeof(buf)); /* a full ring, straddling index 2^32 and out[]'s end */
	CHECK_EQ(pvcon_ring_drain(&ring, &cons, put, NULL, &bad), 2048);
	CHECK_EQ(cons, 0x400u);
	CHECK(ngot == 2048 && !memcmp(got, buf, 2048));
}

/* A hostile out_prod: ahead by more than a ring, or behind: nothing read, resynchronised. */
static void test_hostile(void)
{
	uint32_t cons = 100, bad = 0;

	reset(100);
	ring.out_prod = 100 + 2049;
	CHECK_EQ(pvcon_ring_drain(&ring, &cons, put, NULL, &bad), -XEN_EINVAL);
	CHECK_EQ(bad, 100 + 2049);
	CHECK_EQ(cons, 100 + 2049);
	CHECK_EQ(ring.out_cons, 100 + 2049);
	CHECK_EQ(ngot, 0);
	ring.out_prod = cons - 1; /* behind */
	CHECK_EQ(pvcon_ring_drain(&ring, &cons, put, NULL, &bad), -XEN_EINVAL);
	CHECK_EQ(ngot, 0);
	/* The guest's out_cons is not trusted: Bolt keeps its own. */
	ring.out_cons = 0x12345;
	produce("x", 1);
	CHECK_EQ(pvcon_ring_drain(&ring, &cons, put, NULL, &bad), 1);
	CHECK(ngot == 1 && got[0] == 'x');
	CHECK_EQ(ring.out_cons, cons);
}

void unit_main(void)
{
	TEST(test_simple);
	TEST(test_wrap);
	TEST(test_hostile);
}
