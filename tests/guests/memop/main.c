/* SPDX-License-Identifier: MIT */
/*
 * memop: XENMEM sub-ops against Xen's semantics (docs/abi.md, "memory_op").
 *
 * Boot 1: the reservation queries (own, foreign and unknown domids, a bad
 * pointer), the memory map (whole and truncated) against the start info,
 * then ballooning: decrease_reservation and populate_physmap with good and
 * bad extents (out of RAM, the reserved pages, the shared_info frame,
 * foreign domids, double decrease, populating a populated frame, order
 * beyond 9, a batch stopping at its bad extent), the counts following each,
 * and repopulated frames reading zero. Holes are never read: Bolt stops a
 * guest that touches one. It then leaves holes and reboots.
 * Boot 2: the whole RAM is back (current = maximum reservation) and the
 * frames that were holes read zero and are writable.
 * Needs a second guest as domid 2 (the foreign one).
 */
#include <bolt/sdk.h>
#include <malloc.h>
#include <xen/memory.h>
#include "lib/macros.h"

#define REGION (2u << 20)
#define PAGE BOLT_PAGE_SIZE
#define UNKNOWN_DOMID 77
#define FOREIGN_DOMID 2

static unsigned failures;

#define EXPECT(cond)                                                          \
	do {                                                                  \
		if (!(cond)) {                                                \
			failures++;                                           \
			printf("memop: line %d: failed: %s\n", __LINE__, #cond); \
		}                                                             \
	} while (0)
#define EXPECT_EQ(a, b)                                                                \
	do {                                                                           \
		long long a_ = (long long)(a), b_ = (long long)(b);                    \
		if (a_ != b_) {                                                        \
			failures++;                                                    \
			printf("memop: line %d: %s = %lld, expected %lld\n", __LINE__, #a, a_, b_); \
		}                                                                      \
	} while (0)

static long memory_op(unsigned cmd, void *arg)
{
	return bolt_hypercall5(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static long query(unsigned cmd, domid_t domid)
{
	return memory_op(cmd, &domid);
}

static long reservation(unsigned cmd, xen_pfn_t *pfns, unsigned long n, unsigned order,
			domid_t domid)
{
	struct xen_memory_reservation r = { .nr_extents = n, .extent_order = order, .domid = domid };

	set_xen_guest_handle(r.extent_start, pfns);
	return memory_op(cmd, &r);
}

static long one(unsigned cmd, xen_pfn_t pfn, unsigned order)
{
	return reservation(cmd, &pfn, 1, order, DOMID_SELF);
}

static bool page_is(const uint8_t *p, size_t len, uint8_t v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void test_queries(const struct bolt_info *info, uint64_t frames, uint64_t top)
{
	EXPECT_EQ(query(XENMEM_maximum_reservation, DOMID_SELF), frames);
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), frames);
	EXPECT_EQ(query(XENMEM_current_reservation, (domid_t)info->domid), frames);
	EXPECT_EQ(query(XENMEM_maximum_gpfn, DOMID_SELF), frames - 1);
	EXPECT_EQ(memory_op(XENMEM_maximum_ram_page, NULL), frames - 1);
	EXPECT_EQ(query(XENMEM_current_reservation, FOREIGN_DOMID), -XEN_EPERM);
	EXPECT_EQ(query(XENMEM_maximum_reservation, UNKNOWN_DOMID), -XEN_ESRCH);
	EXPECT_EQ(memory_op(XENMEM_current_reservation, (void *)(uintptr_t)(top + PAGE)),
		  -XEN_EFAULT);
	/* A continuation index on a sub-op that has none. */
	EXPECT_EQ(memory_op(XENMEM_current_reservation | (1u << 6), &(domid_t){ DOMID_SELF }),
		  -XEN_EINVAL);
	EXPECT_EQ(memory_op(XENMEM_exchange, NULL), -XEN_ENOSYS);
}

struct e820 {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

static void test_memory_map(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *mm = (const void *)(uintptr_t)si->memmap_paddr;
	struct e820 e[BOLT_GUEST_MEMMAP_MAX + 1];
	struct xen_memory_map map = { .nr_entries = BOLT_GUEST_MEMMAP_MAX + 1 };

	memset(e, 0xee, sizeof(e));
	set_xen_guest_handle(map.buffer, e);
	EXPECT_EQ(memory_op(XENMEM_memory_map, &map), 0);
	EXPECT_EQ(map.nr_entries, si->memmap_entries);
	for (unsigned i = 0; i < map.nr_entries && i < si->memmap_entries; i++) {
		EXPECT_EQ(e[i].addr, mm[i].addr);
		EXPECT_EQ(e[i].size, mm[i].size);
		EXPECT_EQ(e[i].type, mm[i].type);
	}
	/* Room for one: one entry, the next left alone. */
	memset(e, 0xee, sizeof(e));
	map.nr_entries = 1;
	EXPECT_EQ(memory_op(XENMEM_memory_map, &map), 0);
	EXPECT_EQ(map.nr_entries, 1);
	EXPECT_EQ(e[0].addr, mm[0].addr);
	EXPECT(page_is((const uint8_t *)&e[1], sizeof(e[1]), 0xee));
	printf("memop: memory map: %u entries\n", si->memmap_entries);
}

static void test_balloon(uint8_t *buf, uint64_t frames)
{
	const uint64_t max = frames;
	xen_pfn_t p0 = (uintptr_t)buf / PAGE, region = (uintptr_t)(buf + REGION) / PAGE;
	xen_pfn_t batch[3];
	struct shared_info *sh = bolt_shared_info();

	/* Refused requests: nothing done, nothing changed (Xen: 0 extents). */
	EXPECT_EQ(reservation(XENMEM_decrease_reservation, &p0, 1, 0, FOREIGN_DOMID), 0);
	EXPECT_EQ(reservation(XENMEM_decrease_reservation, &p0, 1, 0, UNKNOWN_DOMID), 0);
	EXPECT_EQ(reservation(XENMEM_populate_physmap, &p0, 1, 0, FOREIGN_DOMID), 0);
	EXPECT_EQ(one(XENMEM_decrease_reservation, region, 10), 0); /* order beyond 9 */
	EXPECT_EQ(one(XENMEM_decrease_reservation, frames, 0), 0);  /* beyond its RAM */
	EXPECT_EQ(one(XENMEM_decrease_reservation, ~0ULL, 0), 0);
	EXPECT_EQ(one(XENMEM_decrease_reservation, 1, 0), 0);       /* the start info page */
	if (sh)
		EXPECT_EQ(one(XENMEM_decrease_reservation, (uintptr_t)sh / PAGE, 0), 0);
	EXPECT_EQ(one(XENMEM_populate_physmap, p0, 0), 0);          /* populated: beyond max */
	EXPECT_EQ(one(XENMEM_populate_physmap, frames, 0), 0);
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), max);

	/* One frame out, not twice, back zeroed. */
	memset(buf, 0xaa, 2 * PAGE);
	EXPECT_EQ(one(XENMEM_decrease_reservation, p0, 0), 1);
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), max - 1);
	EXPECT_EQ(query(XENMEM_maximum_reservation, DOMID_SELF), max);
	EXPECT_EQ(one(XENMEM_decrease_reservation, p0, 0), 0);
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), max - 1);
	EXPECT(page_is(buf + PAGE, PAGE, 0xaa)); /* its neighbour untouched */
	EXPECT_EQ(one(XENMEM_populate_physmap, p0, 0), 1);
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), max);
	EXPECT(page_is(buf, PAGE, 0));
	EXPECT(page_is(buf + PAGE, PAGE, 0xaa));

	/* A batch stops at its bad extent: [good, beyond RAM, good] does one. */
	batch[0] = p0 + 2;
	batch[1] = frames + 5;
	batch[2] = p0 + 3;
	EXPECT_EQ(reservation(XENMEM_decrease_reservation, batch, 3, 0, DOMID_SELF), 1);
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), max - 1);
	/* Populating [hole, populated] does the hole only. */
	batch[1] = p0 + 3;
	EXPECT_EQ(reservation(XENMEM_populate_physmap, batch, 2, 0, DOMID_SELF), 1);
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), max);

	/* A whole 2 MiB extent (order 9), its first page written before. */
	memset(buf + REGION, 0x55, PAGE);
	EXPECT_EQ(one(XENMEM_decrease_reservation, region, 9), 1);
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), max - 512);
	EXPECT_EQ(one(XENMEM_decrease_reservation, region + 7, 0), 0); /* inside the hole */
	EXPECT_EQ(one(XENMEM_populate_physmap, region, 9), 1);
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), max);
	EXPECT(page_is(buf + REGION, REGION, 0));
	printf("memop: ballooning: %u failures\n", failures);
}

int main(void)
{
	/* First, before any other allocation, so each boot gets the same address. */
	uint8_t *buf = memalign(REGION, 2 * REGION);
	const struct hvm_start_info *si = bolt_start_info();
	struct bolt_info info;
	uint64_t top = bolt_ram_top(si), frames = top / PAGE;

	if (!buf || bolt_info(&info) < 0 || !top) {
		printf("RESULT memop FAIL: no buffer, Bolt info or RAM top\n");
		return 1;
	}
	if (info.boot_count == 0) {
		test_queries(&info, frames, top);
		test_memory_map(si);
		test_balloon(buf, frames);
		if (failures) {
			printf("RESULT memop FAIL: %u failures\n", failures);
			return 1;
		}
		/* Leave holes behind: the restart must give the whole RAM back. */
		memset(buf, 0x77, 2 * REGION);
		EXPECT_EQ(one(XENMEM_decrease_reservation, (uintptr_t)buf / PAGE + 9, 0), 1);
		EXPECT_EQ(one(XENMEM_decrease_reservation, (uintptr_t)(buf + REGION) / PAGE, 9), 1);
		EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), frames - 513);
		printf("memop: boot 1 done (%u failures), holes left, rebooting\n", failures);
		if (failures) {
			printf("RESULT memop FAIL: %u failures\n", failures);
			return 1;
		}
		bolt_shutdown(SHUTDOWN_reboot);
	}
	EXPECT_EQ(query(XENMEM_current_reservation, DOMID_SELF), frames);
	EXPECT(page_is(buf + 9 * PAGE, PAGE, 0));
	EXPECT(page_is(buf + REGION, REGION, 0));
	memset(buf, 0x33, 2 * REGION);
	EXPECT(page_is(buf + REGION, REGION, 0x33));
	printf("RESULT memop %s (boot %u, %u failures)\n", failures ? "FAIL" : "PASS",
	       info.boot_count + 1, failures);
	return failures ? 1 : 0;
}
