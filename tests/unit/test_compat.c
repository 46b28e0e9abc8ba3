/* SPDX-License-Identifier: MIT */
/*
 * core/compat.c: a 32-bit caller's argument structs, written byte by byte
 * at the offsets an i386 build of the Xen public headers gives them (gcc
 * -m32 on xen/memory.h, sched.h, vcpu.h), read into the native structs;
 * the runstate output written back at its i386 offsets.
 */
#include <stdint.h>
#include <string.h>

#include "core/compat.h"
#include "unit.h"

static void put16(uint8_t *b, size_t off, uint16_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

static void put64(uint8_t *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

static uint64_t get64(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static void test_sizes(void)
{
	CHECK_EQ(sizeof(struct compat_add_to_physmap), 16);
	CHECK_EQ(sizeof(struct compat_memory_reservation), 20);
	CHECK_EQ(sizeof(struct compat_memory_map), 8);
	CHECK_EQ(sizeof(struct compat_sched_poll), 16);
	CHECK_EQ(sizeof(struct compat_vcpu_set_singleshot_timer), 12);
	CHECK_EQ(sizeof(struct compat_vcpu_runstate_info), 44);
}

/* The case that broke shared_info for 32-bit guests: idx and gpfn are 4 bytes each. */
static void test_add_to_physmap(void)
{
	uint8_t b[16];
	struct compat_add_to_physmap c;
	struct xen_add_to_physmap n;

	put16(b, 0, DOMID_SELF);
	put16(b, 2, 0);
	put32(b, 4, XENMAPSPACE_shared_info);
	put32(b, 8, 0);
	put32(b, 12, 0x10f);
	memcpy(&c, b, sizeof(c));
	compat_add_to_physmap_in(&c, &n);
	CHECK_EQ(n.domid, DOMID_SELF);
	CHECK_EQ(n.space, XENMAPSPACE_shared_info);
	CHECK_EQ(n.idx, 0);
	CHECK_EQ(n.gpfn, 0x10f);
}

static void test_reservation_and_map(void)
{
	uint8_t b[20] = { 0 }, m[8];
	struct compat_memory_reservation c;
	struct xen_memory_reservation n;
	struct compat_memory_map cm;
	struct xen_memory_map nm;

	put32(b, 0, 0x123450);
	put32(b, 4, 7);
	put32(b, 8, 2);
	put32(b, 12, XENMEMF_address_bits(32));
	put16(b, 16, 0x7ff0);
	memcpy(&c, b, sizeof(c));
	compat_memory_reservation_in(&c, &n);
	CHECK_EQ((uintptr_t)n.extent_start.p, 0x123450);
	CHECK_EQ(n.nr_extents, 7);
	CHECK_EQ(n.extent_order, 2);
	CHECK_EQ(n.mem_flags, XENMEMF_address_bits(32));
	CHECK_EQ(n.domid, 0x7ff0);

	put32(m, 0, 5);
	put32(m, 4, 0xfffff000u);
	memcpy(&cm, m, sizeof(cm));
	compat_memory_map_in(&cm, &nm);
	CHECK_EQ(nm.nr_entries, 5);
	CHECK_EQ((uintptr_t)nm.buffer.p, 0xfffff000u); /* zero-extended, not sign-extended */
}

static void test_poll_and_singleshot(void)
{
	uint8_t b[16], s[12];
	struct compat_sched_poll c;
	struct sched_poll n;
	struct compat_vcpu_set_singleshot_timer cs;
	struct vcpu_set_singleshot_timer ns;

	put32(b, 0, 0x2000);
	put32(b, 4, 3);
	put64(b, 8, 0x123456789abcdefULL);
	memcpy(&c, b, sizeof(c));
	compat_sched_poll_in(&c, &n);
	CHECK_EQ((uintptr_t)n.ports.p, 0x2000);
	CHECK_EQ(n.nr_ports, 3);
	CHECK_EQ(n.timeout, 0x123456789abcdefULL);

	put64(s, 0, 0xfedcba9876543210ULL);
	put32(s, 8, VCPU_SSHOTTMR_future);
	memcpy(&cs, s, sizeof(cs));
	compat_singleshot_in(&cs, &ns);
	CHECK(ns.timeout_abs_ns == 0xfedcba9876543210ULL);
	CHECK_EQ(ns.flags, VCPU_SSHOTTMR_future);
}

/* Native -> 32-bit layout -> the values at the i386 offsets (4 and 12 + 8k). */
static void test_runstate_out(void)
{
	struct vcpu_runstate_info n = {
		.state = RUNSTATE_running,
		.state_entry_time = 0x1111222233334444ULL,
		.time = { 10, 0x500000000ULL, 30, 40 },
	};
	struct compat_vcpu_runstate_info c;
	uint8_t b[44];
	int32_t state;

	compat_runstate_out(&n, &c);
	memcpy(b, &c, sizeof(b));
	memcpy(&state, b, sizeof(state));
	CHECK_EQ(state, RUNSTATE_running);
	CHECK(get64(b, 4) == 0x1111222233334444ULL);
	CHECK_EQ(get64(b, 12), 10);
	CHECK_EQ(get64(b, 20), 0x500000000LL);
	CHECK_EQ(get64(b, 28), 30);
	CHECK_EQ(get64(b, 36), 40);
}

void unit_main(void)
{
	TEST(test_sizes);
	TEST(test_add_to_physmap);
	TEST(test_reservation_and_map);
	TEST(test_poll_and_singleshot);
	TEST(test_runstate_out);
}
