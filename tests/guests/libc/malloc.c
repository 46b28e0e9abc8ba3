/* SPDX-License-Identifier: MIT */
/*
 * libc malloc: malloc, free, realloc and calloc (C11 7.22.3) under 10,000
 * random operations on at most 200 live blocks (sizes mostly 1..4096, one
 * in 16 up to 64 KiB: about 1 MiB live, well inside a 4 MiB guest). Every
 * block holds a pattern derived from its tag, checked before it is freed
 * or reallocated, so overlapping blocks or a realloc that loses data show.
 * Every pointer must be aligned for any object type (alignof(max_align_t),
 * 16 on x86-64: SSE code relies on it). Then calloc zeroes recycled memory
 * and the sizes that cannot be met fail with NULL and ENOMEM; aligned_alloc
 * and posix_memalign (which newlib declares but does not provide) work.
 */
#include "tests/guests/libc/libc.h"

#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAL_OPS 10000
#define MAL_SLOTS 200
#define MAL_SEED 0x6d616c6c6f63ull
#define MAL_SMALL 4096u
#define MAL_BIG 65536u
#define MAL_CALLOC 4000u

struct mal_block {
	unsigned char *p;
	size_t size;
	uint32_t tag;
};

/* Failures are counted by kind and the first of each run is kept. */
struct mal_stats {
	unsigned int nulls, misaligned, corrupt, lost;
	char first[120];
};

static struct mal_block mal_blocks[MAL_SLOTS];

static size_t mal_size(uint64_t *seed)
{
	uint64_t r = libc_rand(seed);

	return 1 + (size_t)((r >> 8) % (r % 16 == 0 ? MAL_BIG : MAL_SMALL));
}

static unsigned char mal_byte(uint32_t tag, size_t i)
{
	return (unsigned char)(tag * 131u + i * 7u + (i >> 8));
}

static void mal_fill(struct mal_block *b)
{
	for (size_t i = 0; i < b->size; i++)
		b->p[i] = mal_byte(b->tag, i);
}

/* How many of the first n bytes lost their pattern. */
static size_t mal_bad(const struct mal_block *b, size_t n)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += b->p[i] != mal_byte(b->tag, i);
	return bad;
}

static bool mal_aligned(const void *p)
{
	return ((uintptr_t)p & (alignof(max_align_t) - 1)) == 0;
}

static void mal_note(struct mal_stats *st, unsigned int *count, const char *what,
		     const struct mal_block *b, size_t n)
{
	if (!(*count)++ && !st->first[0])
		snprintf(st->first, sizeof(st->first), "%s: block %u (%zu bytes at %p): %zu",
			 what, b->tag, b->size, (void *)b->p, n);
}

static void mal_new(struct mal_stats *st, struct mal_block *b, uint32_t tag, size_t size)
{
	b->p = malloc(size);
	b->size = size;
	b->tag = tag;
	if (!b->p) {
		mal_note(st, &st->nulls, "malloc returned NULL", b, size);
		return;
	}
	if (!mal_aligned(b->p))
		mal_note(st, &st->misaligned, "malloc misaligned", b, (uintptr_t)b->p % 64);
	mal_fill(b);
}

static void mal_realloc(struct mal_stats *st, struct mal_block *b, uint32_t tag, size_t size)
{
	size_t keep = size < b->size ? size : b->size, bad;
	unsigned char *q = realloc(b->p, size);

	if (!q) {
		mal_note(st, &st->nulls, "realloc returned NULL", b, size);
		free(b->p);
		b->p = NULL;
		return;
	}
	b->p = q;
	bad = mal_bad(b, keep);
	if (bad)
		mal_note(st, &st->lost, "realloc lost bytes", b, bad);
	if (!mal_aligned(q))
		mal_note(st, &st->misaligned, "realloc misaligned", b, (uintptr_t)q % 64);
	b->size = size;
	b->tag = tag;
	mal_fill(b);
}

/* One random operation on one random slot: malloc, or check then free/realloc. */
static void mal_op(struct mal_stats *st, uint64_t *seed, uint32_t tag)
{
	struct mal_block *b = &mal_blocks[libc_rand(seed) % MAL_SLOTS];
	size_t bad;

	if (!b->p) {
		mal_new(st, b, tag, mal_size(seed));
		return;
	}
	bad = mal_bad(b, b->size);
	if (bad)
		mal_note(st, &st->corrupt, "block changed while live", b, bad);
	if (libc_rand(seed) % 4 == 0) {
		mal_realloc(st, b, tag, mal_size(seed));
	} else {
		free(b->p);
		b->p = NULL;
	}
}

static void mal_random(struct libc_group *g)
{
	static struct mal_stats st;
	uint64_t seed = MAL_SEED;

	for (uint32_t tag = 1; tag <= MAL_OPS; tag++)
		mal_op(&st, &seed, tag);
	for (size_t i = 0; i < MAL_SLOTS; i++) {
		struct mal_block *b = &mal_blocks[i];
		size_t bad = b->p ? mal_bad(b, b->size) : 0;

		if (bad)
			mal_note(&st, &st.corrupt, "block changed while live", b, bad);
		free(b->p);
		b->p = NULL;
	}
	libc_check(g, !st.nulls && !st.misaligned && !st.corrupt && !st.lost,
		   "%u NULL, %u misaligned (alignof(max_align_t) %zu), %u corrupt, %u realloc lost; first: %s",
		   st.nulls, st.misaligned, alignof(max_align_t), st.corrupt, st.lost, st.first);
}

/* calloc zeroes memory that malloc handed out (and dirtied) before. */
static void mal_calloc(struct libc_group *g)
{
	unsigned char *p = malloc(MAL_CALLOC);
	unsigned char *volatile dirty = p; /* or the store before free() is dropped */
	size_t nonzero = 0;

	if (p)
		memset(dirty, 0xaa, MAL_CALLOC);
	free(p);
	p = calloc(MAL_CALLOC / 4, 4);
	if (!libc_check(g, p != NULL, "calloc(%u, 4) returned NULL", MAL_CALLOC / 4))
		return;
	for (size_t i = 0; i < MAL_CALLOC; i++)
		nonzero += p[i] != 0;
	libc_check(g, nonzero == 0, "calloc: %zu of %u bytes not zero", nonzero, MAL_CALLOC);
	libc_check(g, mal_aligned(p), "calloc misaligned: %p", (void *)p);
	free(p);
}

/* Requests that cannot be met: NULL and ENOMEM, never a small block. */
static void mal_limits(struct libc_group *g)
{
	static volatile size_t huge = SIZE_MAX, half = SIZE_MAX / 2 + 2;
	void *p;

	errno = 0;
	p = malloc(huge);
	libc_check(g, p == NULL && errno == ENOMEM,
		   "malloc(SIZE_MAX): expected NULL ENOMEM, got %p errno %d", p, errno);
	free(p);
	p = calloc(half, 2); /* the product wraps to 2 */
	libc_check(g, p == NULL, "calloc(SIZE_MAX / 2 + 2, 2) must fail, got %p", p);
	free(p);
	p = realloc(NULL, 100);
	libc_check(g, p != NULL, "realloc(NULL, 100) returned NULL");
	free(p);
	free(NULL);
}

/*
 * Aligned allocation (C11 7.22.3.1 aligned_alloc, POSIX posix_memalign):
 * page-aligned blocks that do not overlap, POSIX's EINVAL for an alignment
 * that is not a power of two multiple of sizeof(void *), ENOMEM unmet.
 */
static void mal_aligned_alloc(struct libc_group *g)
{
	static volatile size_t huge = SIZE_MAX - 8192;
	unsigned char *a = aligned_alloc(4096, 8192), *b = aligned_alloc(64, 64);
	void *p = (void *)1;
	int rc;

	libc_check(g, a && ((uintptr_t)a & 4095) == 0, "aligned_alloc(4096, 8192) = %p", (void *)a);
	libc_check(g, b && ((uintptr_t)b & 63) == 0, "aligned_alloc(64, 64) = %p", (void *)b);
	if (a && b) {
		memset(a, 0xa5, 8192);
		memset(b, 0x5a, 64);
		libc_check(g, a[0] == 0xa5 && a[8191] == 0xa5, "aligned_alloc blocks overlap");
	}
	free(a);
	free(b);
	rc = posix_memalign(&p, 24, 8);
	libc_check(g, rc == EINVAL && p == (void *)1, "posix_memalign(align 24) = %d", rc);
	rc = posix_memalign(&p, 2, 8);
	libc_check(g, rc == EINVAL, "posix_memalign(align 2) = %d", rc);
	rc = posix_memalign(&p, 256, 100);
	libc_check(g, rc == 0 && ((uintptr_t)p & 255) == 0, "posix_memalign(256, 100) = %d, %p", rc,
		   p);
	if (rc == 0)
		free(p);
	p = NULL;
	rc = posix_memalign(&p, 16, huge);
	libc_check(g, rc == ENOMEM && p == NULL, "posix_memalign(16, SIZE_MAX - 8192) = %d", rc);
}

void libc_malloc(struct libc_group *g)
{
	mal_random(g);
	mal_calloc(g);
	mal_limits(g);
	mal_aligned_alloc(g);
}
