/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the little-endian byte readers in lib/bytes.h, which the
 * ELF loader and the ACPI parser share: values come out in little-endian
 * order whatever the alignment, and le_get() refuses a field that does
 * not fit in the bytes left (the AML integer decoder relies on that).
 */
#include <stdint.h>

#include "lib/bytes.h"

#include "unit.h"

static const uint8_t buf[] = { 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x99 };

static void test_fixed_width_unaligned(void)
{
	CHECK_EQ(le16(buf + 1), 0x0201);
	CHECK_EQ(le32(buf + 1), 0x04030201);
	CHECK(le64(buf + 1) == 0x0807060504030201ull);
	CHECK(le64(buf + 2) == 0x9908070605040302ull);
	/* High bits are not sign-extended. */
	CHECK_EQ(le16(buf + 8), 0x9908);
}

static void test_le_get_in_bounds(void)
{
	uint64_t v = 0;

	CHECK(le_get(buf + 1, 1, 1, &v));
	CHECK_EQ(v, 0x01);
	CHECK(le_get(buf + 1, 2, 2, &v));
	CHECK_EQ(v, 0x0201);
	CHECK(le_get(buf + 1, 9, 4, &v));
	CHECK_EQ(v, 0x04030201);
	CHECK(le_get(buf + 1, 8, 8, &v));
	CHECK(v == 0x0807060504030201ull);
	CHECK(le_get(buf, 0, 0, &v));
	CHECK_EQ(v, 0);
}

static void test_le_get_out_of_bounds(void)
{
	uint64_t v = 42;

	CHECK(!le_get(buf + 1, 0, 1, &v));
	CHECK(!le_get(buf + 1, 3, 4, &v));
	CHECK(!le_get(buf + 1, 7, 8, &v));
	CHECK(!le_get(buf, sizeof(buf), 9, &v));
	/* A refused read leaves the output alone. */
	CHECK_EQ(v, 42);
}

void unit_main(void)
{
	TEST(test_fixed_width_unaligned);
	TEST(test_le_get_in_bounds);
	TEST(test_le_get_out_of_bounds);
}
