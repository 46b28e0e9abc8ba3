/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the pure parts of the guest SDK: shared-memory cmdline
 * words (guests/sdk/shm.c), sort and percentiles (stats.c), the pvclock
 * formula (pvclock.c), the cmdline readers they build on, the heap's
 * bounds from the memory map and the argv split (startinfo.c).
 * The hypercall and shared_info parts need Bolt and are exercised by the
 * ping/pong guests instead.
 */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"
#include "lib/lib.h"

/*
 * The SDK is guest code, not one of the Makefile's HOST_SRCS: compile the
 * pure parts into this test directly.
 */
#include "guests/sdk/pvclock.c"
#include "guests/sdk/shm.c"
#include "guests/sdk/startinfo.c"
#include "guests/sdk/stats.c"

/* A start info whose command line is s (it must outlive the use). */
static struct hvm_start_info make_si(const char *s)
{
	struct hvm_start_info si;

	memset(&si, 0, sizeof(si));
	si.magic = XEN_HVM_START_MAGIC_VALUE;
	si.version = 1;
	si.cmdline_paddr = (uint64_t)(uintptr_t)s;
	return si;
}

static void test_shm_found(void)
{
	struct hvm_start_info si =
		make_si("rounds=5 bolt.shm=ring:0x200000:0x1000:rw bolt.shm=log:0x300000:0x2000:ro");
	struct bolt_shm shm;

	CHECK_EQ(bolt_shm_find(&si, "ring", &shm), 0);
	CHECK_EQ(shm.gpa, 0x200000);
	CHECK_EQ(shm.size, 0x1000);
	CHECK(shm.writable);
	CHECK_EQ(bolt_shm_find(&si, "log", &shm), 0);
	CHECK_EQ(shm.gpa, 0x300000);
	CHECK_EQ(shm.size, 0x2000);
	CHECK(!shm.writable);
	/* Decimal works too (bolt_parse_u64), and tabs separate words. */
	CHECK_EQ(bolt_shm_parse("a\tbolt.shm=x:4096:8192:ro", "x", &shm), 0);
	CHECK_EQ(shm.gpa, 4096);
	CHECK_EQ(shm.size, 8192);
}

static void test_shm_missing(void)
{
	struct hvm_start_info si = make_si("bolt.shm=ringbuf:0x200000:0x1000:rw");
	struct bolt_shm shm = { .gpa = 7, .size = 7, .writable = true };

	/* A name that is only a prefix of a region's name does not match it. */
	CHECK_EQ(bolt_shm_find(&si, "ring", &shm), -XEN_ENOENT);
	CHECK_EQ(bolt_shm_find(&si, "ringbuf2", &shm), -XEN_ENOENT);
	CHECK_EQ(shm.gpa, 7);
	CHECK_EQ(bolt_shm_find(NULL, "ring", &shm), -XEN_ENOENT);
	CHECK_EQ(bolt_shm_parse(NULL, "ring", &shm), -XEN_ENOENT);
	CHECK_EQ(bolt_shm_parse("", "ring", &shm), -XEN_ENOENT);
	CHECK_EQ(bolt_shm_parse("xbolt.shm=ring:0x1:0x1:rw", "ring", &shm), -XEN_ENOENT);
	CHECK_EQ(bolt_shm_parse("bolt.shm=ring:0x1:0x1:rw", "", &shm), -XEN_EINVAL);
	/* Wrong magic: no command line at all. */
	si.magic = 0;
	CHECK_EQ(bolt_shm_find(&si, "ringbuf", &shm), -XEN_ENOENT);
}

static void test_shm_malformed(void)
{
	static const char *const bad[] = {
		"bolt.shm=r:0x1000:0x1000",	      /* no access field */
		"bolt.shm=r:0x1000:0x1000:",	      /* empty access */
		"bolt.shm=r:0x1000:0x1000:rx",	      /* unknown access */
		"bolt.shm=r:0x1000:0x1000:rwx",	      /* trailing junk */
		"bolt.shm=r:0x1000:rw",		      /* no size */
		"bolt.shm=r:",			      /* nothing */
		"bolt.shm=r::0x1000:rw",	      /* empty gpa */
		"bolt.shm=r:0xg000:0x1000:rw",	      /* bad hex */
		"bolt.shm=r:0x1000:0:rw",	      /* empty region */
		"bolt.shm=r:0xfffffffffffff000:0x2000:rw", /* wraps */
		"bolt.shm=r:0x10000000000000000:0x1:rw", /* overflows */
		"bolt.shm=r:0x0000000000000000000001000:0x1:rw", /* too long */
	};
	struct bolt_shm shm = { .gpa = 7, .size = 7, .writable = false };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = bolt_shm_parse(bad[i], "r", &shm);

		if (ret != -XEN_EINVAL)
			fprintf(stderr, "case %zu: \"%s\" gave %d\n", i, bad[i], ret);
		CHECK_EQ(ret, -XEN_EINVAL);
	}
	CHECK_EQ(shm.gpa, 7);
	CHECK_EQ(shm.size, 7);
	CHECK(!shm.writable);
}

static bool is_sorted(const uint64_t *a, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (a[i - 1] > a[i])
			return false;
	return true;
}

static void test_sort(void)
{
	uint64_t a[] = { 5, 3, UINT64_MAX, 0, 3, 9, 1, 0, 42 };
	uint64_t one[] = { 17 };
	uint64_t big[1000];
	uint64_t x = 0x9e3779b97f4a7c15ull, sum = 0, sum2 = 0;
	size_t i;

	bolt_sort_u64(a, ARRAY_SIZE(a));
	CHECK(is_sorted(a, ARRAY_SIZE(a)));
	CHECK_EQ(a[0], 0);
	CHECK_EQ(a[1], 0);
	CHECK_EQ(a[2], 1);
	CHECK_EQ(a[4], 3);
	CHECK(a[8] == UINT64_MAX);
	bolt_sort_u64(one, 1);
	CHECK_EQ(one[0], 17);
	bolt_sort_u64(NULL, 0);

	/* Pseudo-random, with duplicates: sorted and the same multiset. */
	for (i = 0; i < ARRAY_SIZE(big); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		big[i] = x % 500;
		sum += big[i];
	}
	bolt_sort_u64(big, ARRAY_SIZE(big));
	CHECK(is_sorted(big, ARRAY_SIZE(big)));
	for (i = 0; i < ARRAY_SIZE(big); i++)
		sum2 += big[i];
	CHECK_EQ(sum, sum2);

	/* Already sorted and reversed inputs. */
	for (i = 0; i < ARRAY_SIZE(big); i++)
		big[i] = ARRAY_SIZE(big) - i;
	bolt_sort_u64(big, ARRAY_SIZE(big));
	CHECK(is_sorted(big, ARRAY_SIZE(big)));
	CHECK_EQ(big[0], 1);
	CHECK_EQ(big[999], 1000);
	bolt_sort_u64(big, ARRAY_SIZE(big));
	CHECK(is_sorted(big, ARRAY_SIZE(big)));
}

static void test_percentile(void)
{
	uint64_t a[100], two[] = { 10, 20 };
	uint64_t k[2000];
	size_t i;

	for (i = 0; i < 100; i++)
		a[i] = i + 1; /* 1..100: percentile p is exactly p */
	CHECK_EQ(bolt_percentile(a, 100, 50), 50);
	CHECK_EQ(bolt_percentile(a, 100, 99), 99);
	CHECK_EQ(bolt_percentile(a, 100, 1), 1);
	CHECK_EQ(bolt_percentile(a, 100, 0), 1);
	CHECK_EQ(bolt_percentile(a, 100, 100), 100);
	CHECK_EQ(bolt_percentile(a, 100, 250), 100);
	CHECK_EQ(bolt_percentile(NULL, 0, 50), 0);
	CHECK_EQ(bolt_percentile(two, 2, 50), 10);
	CHECK_EQ(bolt_percentile(two, 2, 51), 20);
	CHECK_EQ(bolt_percentile(two, 1, 99), 10);
	/* ping's case: 2000 samples, p50 = 1000th, p99 = 1980th smallest. */
	for (i = 0; i < 2000; i++)
		k[i] = i;
	CHECK_EQ(bolt_percentile(k, 2000, 50), 999);
	CHECK_EQ(bolt_percentile(k, 2000, 99), 1979);
}

static void test_pvclock(void)
{
	struct vcpu_time_info t;

	/* mul 2^32 is 1.0: shift alone sets the ratio. */
	CHECK_EQ(bolt_pvclock_scale(1000, 0x80000000u, 1), 1000);
	CHECK_EQ(bolt_pvclock_scale(1000, 0x80000000u, 0), 500);
	CHECK_EQ(bolt_pvclock_scale(1000, 0x80000000u, -1), 250);
	CHECK_EQ(bolt_pvclock_scale(1000, 0, 3), 0);
	CHECK_EQ(bolt_pvclock_scale(1000, 0xffffffffu, 64), 0);
	CHECK_EQ(bolt_pvclock_scale(1000, 0xffffffffu, -64), 0);
	/* Large deltas must not lose the high bits of the 96-bit product. */
	CHECK(bolt_pvclock_scale(1ull << 62, 0x80000000u, 1) == 1ull << 62);
	/* A 3 GHz TSC: mul = 2^32 / 3 with shift 0 gives ns = ticks / 3. */
	CHECK_EQ(bolt_pvclock_scale(3000000000ull, 0x55555555u, 0), 999999999);

	memset(&t, 0, sizeof(t));
	t.tsc_timestamp = 1000;
	t.system_time = 5000000;
	t.tsc_to_system_mul = 0x80000000u; /* 2 ticks per ns */
	t.tsc_shift = 0;
	CHECK_EQ(bolt_pvclock_ns(&t, 1000), 5000000);
	CHECK_EQ(bolt_pvclock_ns(&t, 3000), 5001000);
	/* A TSC behind the timestamp counts as no time passed. */
	CHECK_EQ(bolt_pvclock_ns(&t, 10), 5000000);
}

static void test_cmdline(void)
{
	struct hvm_start_info si = make_si("rounds=2000 warmup=0x10 port=bad flag");
	uint64_t v = 0;
	char buf[8];

	CHECK_EQ(bolt_cmdline_get_u64(&si, "rounds", &v), 0);
	CHECK_EQ(v, 2000);
	CHECK_EQ(bolt_cmdline_get_u64(&si, "warmup", &v), 0);
	CHECK_EQ(v, 16);
	CHECK_EQ(bolt_cmdline_get_u64(&si, "port", &v), -XEN_EINVAL);
	CHECK_EQ(bolt_cmdline_get_u64(&si, "round", &v), -XEN_ENOENT);
	CHECK_EQ(bolt_cmdline_get(&si, "flag", buf, sizeof(buf)), 0);
	CHECK_STR(buf, "");
}

/* A start info with a memory map (and optionally a command line) at host addresses. */
struct heap_world {
	struct hvm_start_info si;
	struct hvm_memmap_table_entry map[3];
};

static void heap_world_init(struct heap_world *w, uint64_t ram_base, uint64_t ram_size)
{
	memset(w, 0, sizeof(*w));
	w->si.magic = XEN_HVM_START_MAGIC_VALUE;
	w->si.version = 1;
	w->si.memmap_paddr = (uint64_t)(uintptr_t)w->map;
	w->si.memmap_entries = 2;
	w->map[0] = (struct hvm_memmap_table_entry){ .addr = 0, .size = 0x9f000,
						     .type = XEN_HVM_MEMMAP_TYPE_RAM };
	w->map[1] = (struct hvm_memmap_table_entry){ .addr = ram_base, .size = ram_size,
						     .type = XEN_HVM_MEMMAP_TYPE_RAM };
}

static void test_heap_range(void)
{
	struct heap_world w;
	uintptr_t start, end;

	/* 4 MiB guest: the heap runs from the image's end (16-aligned) to the RAM's end. */
	heap_world_init(&w, 0x100000, 0x400000);
	/* The start info and memory map live in the host test's memory, far from here. */
	sdk_heap_range(&w.si, 0x123457, &start, &end);
	CHECK_EQ(start, 0x123460);
	CHECK_EQ(end, 0x500000);
	/* Not in any RAM entry: an empty heap, not memory the guest does not own. */
	sdk_heap_range(&w.si, 0x600000, &start, &end);
	CHECK_EQ(start, end);
	/* No start info, or a wrong magic: empty. */
	sdk_heap_range(NULL, 0x123457, &start, &end);
	CHECK_EQ(start, end);
	w.si.magic = 0;
	sdk_heap_range(&w.si, 0x123457, &start, &end);
	CHECK_EQ(start, end);
}

static void test_heap_range_avoids_start_info(void)
{
	/* One buffer stands for guest RAM; Bolt's structures sit inside it. */
	static uint8_t ram[0x10000] __attribute__((aligned(16)));
	uintptr_t base = (uintptr_t)ram, start, end;
	struct heap_world *w = (struct heap_world *)(ram + 0x8000);
	char *cmdline = (char *)(ram + 0x4000);

	heap_world_init(w, base, sizeof(ram));
	/* The image ends at +0x1000; the command line at +0x4000 caps the heap. */
	strcpy(cmdline, "rounds=3");
	w->si.cmdline_paddr = (uint64_t)(uintptr_t)cmdline;
	sdk_heap_range(&w->si, base + 0x1000, &start, &end);
	CHECK_EQ(start, base + 0x1000);
	CHECK_EQ(end, base + 0x4000);
	/* Without it, the start info at +0x8000 does. */
	w->si.cmdline_paddr = 0;
	sdk_heap_range(&w->si, base + 0x1000, &start, &end);
	CHECK_EQ(end, base + 0x8000);
	/* An image ending inside the start info: the heap starts after it. */
	sdk_heap_range(&w->si, base + 0x8008, &start, &end);
	CHECK(start >= base + 0x8000 + sizeof(w->si));
	CHECK(start <= end);
	CHECK_EQ(start % 16, 0);
}

static void test_args_split(void)
{
	char buf[32];
	char *argv[4];

	CHECK_EQ(sdk_args_split("  role=ping\tpeer=2  ", buf, sizeof(buf), argv, 4), 3);
	CHECK_STR(argv[0], "");
	CHECK_STR(argv[1], "role=ping");
	CHECK_STR(argv[2], "peer=2");
	CHECK(argv[3] == NULL);
	CHECK_EQ(sdk_args_split("", buf, sizeof(buf), argv, 4), 1);
	CHECK(argv[1] == NULL);
	/* Too many words for argv (the NULL needs a slot), or bytes for buf. */
	CHECK_EQ(sdk_args_split("a b c", buf, sizeof(buf), argv, 4), -XEN_E2BIG);
	CHECK_EQ(sdk_args_split("abcdefghijklmnopqrstuvwxyz0123456789", buf, sizeof(buf), argv,
				4),
		 -XEN_E2BIG);
	/* Exactly full: "" + "abc" + NUL in 5 bytes. */
	CHECK_EQ(sdk_args_split("abc", buf, 5, argv, 4), 2);
	CHECK_STR(argv[1], "abc");
	CHECK_EQ(sdk_args_split("abcd", buf, 5, argv, 4), -XEN_E2BIG);
	CHECK_EQ(sdk_args_split("a", buf, sizeof(buf), argv, 1), -XEN_EINVAL);
}

void unit_main(void)
{
	TEST(test_heap_range);
	TEST(test_heap_range_avoids_start_info);
	TEST(test_args_split);
	TEST(test_shm_found);
	TEST(test_shm_missing);
	TEST(test_shm_malformed);
	TEST(test_sort);
	TEST(test_percentile);
	TEST(test_pvclock);
	TEST(test_cmdline);
}
