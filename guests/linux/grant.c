// SPDX-License-Identifier: MIT
/*
 * grant: Linux's grant devices against Bolt's grant tables, from user
 * space (docs/linux.md, "Grant tables"). The program grants pages to its
 * own domain with /dev/xen/gntalloc and maps those grants back with
 * /dev/xen/gntdev (ioctls from linux-libc-dev's <xen/gntalloc.h> and
 * <xen/gntdev.h>), so one guest exercises both halves of what a
 * backend/frontend pair of guests does:
 *   - gntalloc: Linux fills entries of its grant table, whose frames Bolt
 *     maps above the guest's RAM (XENMEM_add_to_physmap at the
 *     unpopulated gpfns Linux PVH picks);
 *   - gntdev: GNTTABOP_map_grant_ref with host_addr above RAM (gntdev's
 *     pages come from Linux's unpopulated-memory allocator too), then
 *     unmap_grant_ref when the mapping goes.
 * A pattern written through one mapping must read back through the other,
 * both ways, in every round; each round maps and unmaps afresh, so the
 * second round also checks that unmapping left things reusable.
 *
 * Its domain id is Bolt's CPUID leaf 0x40000001 EBX (include/bolt/bolt.h),
 * which user space reads without any kernel support.
 *
 * Usage: grant [rounds [pages]]   (default 3 and 4)
 * Prints "RESULT linux-grant PASS|FAIL".
 */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* <xen/gntdev.h> uses Xen's domid_t and grant_ref_t without defining them (Xen's headers do). */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;
#include <xen/gntalloc.h>
#include <xen/gntdev.h>

#include "bolt/bolt.h"

#define PAGE 4096u
#define MAX_PAGES 16u

static int fail(const char *what)
{
	printf("grant: %s: %s\n", what, strerror(errno));
	printf("RESULT linux-grant FAIL: %s\n", what);
	return 1;
}

/* Bolt's domain id for this guest, or -1 when not under Bolt. */
static int own_domid(void)
{
	unsigned a, b, c, d;
	char sig[13];

	__cpuid(BOLT_CPUID_BASE, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = 0;
	if (strcmp(sig, BOLT_CPUID_SIGNATURE) || a < BOLT_CPUID_INFO)
		return -1;
	__cpuid(BOLT_CPUID_INFO, a, b, c, d);
	return (int)b;
}

/* Write through w, check through r: 0, or the first differing byte's index + 1. */
static size_t pattern(volatile uint8_t *w, const volatile uint8_t *r, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		w[i] = (uint8_t)(i * 131u + seed);
	for (size_t i = 0; i < len; i++)
		if (r[i] != (uint8_t)(i * 131u + seed))
			return i + 1;
	return 0;
}

/*
 * Both ioctls end in a one-element array that really holds count
 * elements: build them in byte buffers and reach the arrays by offset, so
 * the compiler cannot assume index 0 only (it did, with -O2).
 */
union alloc_buf {
	struct ioctl_gntalloc_alloc_gref op;
	uint8_t raw[sizeof(struct ioctl_gntalloc_alloc_gref) + MAX_PAGES * sizeof(uint32_t)];
};
union map_buf {
	struct ioctl_gntdev_map_grant_ref op;
	uint8_t raw[sizeof(struct ioctl_gntdev_map_grant_ref) +
		    MAX_PAGES * sizeof(struct ioctl_gntdev_grant_ref)];
};

static int round_trip(int ga, int gd, uint16_t domid, unsigned pages, unsigned round)
{
	union alloc_buf alloc = { .op = { .domid = domid, .flags = GNTALLOC_FLAG_WRITABLE,
					  .count = pages } };
	union map_buf map = { .op = { .count = pages } };
	uint32_t *ids = (uint32_t *)(void *)(alloc.raw +
					      offsetof(struct ioctl_gntalloc_alloc_gref, gref_ids));
	struct ioctl_gntdev_grant_ref *refs = (struct ioctl_gntdev_grant_ref *)(void *)(
		map.raw + offsetof(struct ioctl_gntdev_map_grant_ref, refs));
	size_t len = (size_t)pages * PAGE, bad;
	uint8_t *a, *b;
	char what[96];

	if (ioctl(ga, IOCTL_GNTALLOC_ALLOC_GREF, &alloc))
		return fail("gntalloc: IOCTL_GNTALLOC_ALLOC_GREF");
	a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, ga, (off_t)alloc.op.index);
	if (a == MAP_FAILED)
		return fail("gntalloc: mmap");
	for (unsigned i = 0; i < pages; i++)
		refs[i] = (struct ioctl_gntdev_grant_ref){ .domid = domid, .ref = ids[i] };
	if (ioctl(gd, IOCTL_GNTDEV_MAP_GRANT_REF, &map))
		return fail("gntdev: IOCTL_GNTDEV_MAP_GRANT_REF");
	/* The hypercall (GNTTABOP_map_grant_ref) happens here, at mmap. */
	b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, gd, (off_t)map.op.index);
	if (b == MAP_FAILED)
		return fail("gntdev: mmap (GNTTABOP_map_grant_ref)");
	if (round == 0)
		printf("grant: domain %u granted %u pages to itself, refs %u..%u; mapped back through "
		       "gntdev\n", domid, pages, ids[0], ids[pages - 1]);
	bad = pattern(a, b, len, round * 2);
	if (!bad)
		bad = pattern(b, a, len, round * 2 + 1);
	if (bad) {
		snprintf(what, sizeof(what), "round %u: byte %zu differs between the two mappings",
			 round, bad - 1);
		errno = 0;
		return fail(what);
	}
	if (munmap(b, len))
		return fail("gntdev: munmap");
	if (ioctl(gd, IOCTL_GNTDEV_UNMAP_GRANT_REF,
		  &(struct ioctl_gntdev_unmap_grant_ref){ .index = map.op.index, .count = pages }))
		return fail("gntdev: IOCTL_GNTDEV_UNMAP_GRANT_REF");
	/* The granted pages keep what the mapper wrote. */
	if (a[0] != (uint8_t)(round * 2 + 1)) {
		errno = 0;
		return fail("the granted page lost what gntdev's mapping wrote");
	}
	if (munmap(a, len))
		return fail("gntalloc: munmap");
	if (ioctl(ga, IOCTL_GNTALLOC_DEALLOC_GREF,
		  &(struct ioctl_gntalloc_dealloc_gref){ .index = alloc.op.index, .count = pages }))
		return fail("gntalloc: IOCTL_GNTALLOC_DEALLOC_GREF");
	return 0;
}

int main(int argc, char **argv)
{
	unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 3;
	unsigned pages = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 4;
	int domid = own_domid(), ga, gd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pages < 1 || pages > MAX_PAGES || rounds < 1) {
		printf("RESULT linux-grant FAIL: usage: grant [rounds [pages 1..%u]]\n", MAX_PAGES);
		return 1;
	}
	if (domid < 1) {
		printf("RESULT linux-grant FAIL: no Bolt CPUID leaf 0x%x: domain id unknown\n",
		       BOLT_CPUID_INFO);
		return 1;
	}
	ga = open("/dev/xen/gntalloc", O_RDWR);
	if (ga < 0)
		return fail("open /dev/xen/gntalloc");
	gd = open("/dev/xen/gntdev", O_RDWR);
	if (gd < 0)
		return fail("open /dev/xen/gntdev");
	for (unsigned r = 0; r < rounds; r++)
		if (round_trip(ga, gd, (uint16_t)domid, pages, r))
			return 1;
	close(gd);
	close(ga);
	printf("grant: %u rounds of %u pages: each written through one mapping, read through the "
	       "other, both ways\n", rounds, pages);
	printf("RESULT linux-grant PASS\n");
	return 0;
}
