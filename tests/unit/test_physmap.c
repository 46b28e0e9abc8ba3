/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for where a hypervisor page or a grant mapping may go
 * (core/physmap.c): RAM as before, and unpopulated space above RAM, as
 * Linux PVH's grant table and gntdev pages need, within the guest's
 * physical address width and off every region Bolt put there.
 */
#include "unit.h"
#include "bolt/bolt.h"
#include "core/physmap.h"
#include "lib/errno.h"

#define RAM_FRAMES 0x10000u /* 256 MiB, as configs/linux.cfg */

static struct balloon b;

static int place(uint64_t gfn, const struct cfg_shm *const *shms, unsigned n)
{
	return physmap_place(&b, 39, shms, n, gfn);
}

/* RAM: what the memory map calls RAM, holes included; nothing else below its top. */
static void test_ram(void)
{
	balloon_init(&b, RAM_FRAMES);
	CHECK_EQ(place(0, NULL, 0), -XEN_EINVAL);
	CHECK_EQ(place(2, NULL, 0), -XEN_EINVAL); /* the console page */
	CHECK_EQ(place(3, NULL, 0), PHYSMAP_RAM);
	CHECK_EQ(place(BOLT_GUEST_ACPI >> 12, NULL, 0), -XEN_EINVAL);
	CHECK_EQ(place(0xa0, NULL, 0), -XEN_EINVAL);
	CHECK_EQ(place(0x100, NULL, 0), PHYSMAP_RAM);
	CHECK_EQ(place(RAM_FRAMES - 1, NULL, 0), PHYSMAP_RAM);
	balloon_set(&b, 0x200, 1, true);
	CHECK_EQ(place(0x200, NULL, 0), PHYSMAP_RAM); /* a ballooned hole: RAM in the map */
}

/* Above RAM: where Linux's xen_alloc_unpopulated_pages looks first. */
static void test_above_ram(void)
{
	balloon_init(&b, RAM_FRAMES);
	CHECK_EQ(place(RAM_FRAMES, NULL, 0), PHYSMAP_ABOVE);
	CHECK_EQ(place(RAM_FRAMES + 0x7fff, NULL, 0), PHYSMAP_ABOVE);
	CHECK_EQ(place(0x40000, NULL, 0), PHYSMAP_ABOVE); /* 1 GiB */
	CHECK_EQ(place((BOLT_GUEST_MMIO_HOLE_START >> 12) - 1, NULL, 0), PHYSMAP_ABOVE);
	CHECK_EQ(place(BOLT_GUEST_MMIO_HOLE_END >> 12, NULL, 0), PHYSMAP_ABOVE); /* 4 GiB */
	/* The last frame a 39-bit guest can address, and the first it cannot. */
	CHECK_EQ(place((1ULL << 27) - 1, NULL, 0), PHYSMAP_ABOVE);
	CHECK_EQ(place(1ULL << 27, NULL, 0), -XEN_EINVAL);
	CHECK_EQ(place(~0ULL, NULL, 0), -XEN_EINVAL);
	CHECK_EQ(place(1ULL << 52, NULL, 0), -XEN_EINVAL);
}

/* The MMIO hole: the xAPIC and I/O APIC pages Bolt emulates or answers there. */
static void test_mmio_hole(void)
{
	balloon_init(&b, RAM_FRAMES);
	CHECK_EQ(place(BOLT_GUEST_MMIO_HOLE_START >> 12, NULL, 0), -XEN_EINVAL);
	CHECK_EQ(place(0xfec00, NULL, 0), -XEN_EINVAL);
	CHECK_EQ(place(0xfee00, NULL, 0), -XEN_EINVAL);
	CHECK_EQ(place((BOLT_GUEST_MMIO_HOLE_END >> 12) - 1, NULL, 0), -XEN_EINVAL);
}

/* [shm] regions: every frame of each, an unaligned size's last partial frame too. */
static void test_shm(void)
{
	struct cfg_shm s1 = { .gpa = 0x20000000, .size = MiB(2) };
	struct cfg_shm s2 = { .gpa = 0x140000000, .size = 0x1800 };
	const struct cfg_shm *shms[] = { &s1, &s2 };

	balloon_init(&b, RAM_FRAMES);
	CHECK_EQ(place(0x1ffff, shms, 2), PHYSMAP_ABOVE);
	CHECK_EQ(place(0x20000, shms, 2), -XEN_EINVAL);
	CHECK_EQ(place(0x201ff, shms, 2), -XEN_EINVAL);
	CHECK_EQ(place(0x20200, shms, 2), PHYSMAP_ABOVE);
	CHECK_EQ(place(0x140000, shms, 2), -XEN_EINVAL);
	CHECK_EQ(place(0x140001, shms, 2), -XEN_EINVAL);
	CHECK_EQ(place(0x140002, shms, 2), PHYSMAP_ABOVE);
	CHECK_EQ(place(0x13ffff, shms, 2), PHYSMAP_ABOVE);
	CHECK_EQ(place(0x20000, shms, 0), PHYSMAP_ABOVE); /* not this guest's region */
}

/* The width clamps to what a 4-level EPT translates; a nonsense width allows nothing. */
static void test_width(void)
{
	balloon_init(&b, RAM_FRAMES);
	CHECK_EQ(physmap_place(&b, 52, NULL, 0, (1ULL << 36) - 1), PHYSMAP_ABOVE);
	CHECK_EQ(physmap_place(&b, 52, NULL, 0, 1ULL << 36), -XEN_EINVAL);
	CHECK_EQ(physmap_place(&b, 0, NULL, 0, RAM_FRAMES), -XEN_EINVAL);
	CHECK_EQ(physmap_place(&b, 12, NULL, 0, RAM_FRAMES), -XEN_EINVAL);
	CHECK_EQ(physmap_place(&b, 0, NULL, 0, 0x100), PHYSMAP_RAM);
}

void unit_main(void)
{
	TEST(test_ram);
	TEST(test_above_ram);
	TEST(test_mmio_hole);
	TEST(test_shm);
	TEST(test_width);
}
