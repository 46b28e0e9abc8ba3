/* SPDX-License-Identifier: MIT */
/*
 * libc heap: sbrk exhaustion, run last. malloc(64 KiB) until it fails: it
 * must fail with ENOMEM (not crash, not hand out memory past the heap),
 * after at least half the heap bolt_heap_get() reports; the blocks must
 * lie inside the heap, above the image (__image_end) and apart from each
 * other, and hold what was written to their first and last bytes. After
 * freeing them all malloc must work again. A huge sbrk fails by itself
 * with ENOMEM and leaves the break alone.
 */
#include "tests/guests/libc/libc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAP_BLOCK (64u * 1024u)
#define HEAP_MAX_BLOCKS 1024 /* a 64 MiB heap; guests have a few MiB */
#define HEAP_HUGE ((intptr_t)1 << 40)

extern char __image_end[];

static unsigned char *heap_blocks[HEAP_MAX_BLOCKS];

static int heap_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(unsigned char *const *)a;
	uintptr_t y = (uintptr_t)*(unsigned char *const *)b;

	return (x > y) - (x < y);
}

static void heap_sbrk_huge(struct libc_group *g)
{
	void *before = sbrk(0), *p, *after;
	int err;

	errno = 0;
	p = sbrk(HEAP_HUGE);
	err = errno;
	after = sbrk(0);
	libc_check(g, p == (void *)-1 && err == ENOMEM && after == before,
		   "sbrk(1 TiB): expected (void *)-1 ENOMEM, got %p errno %d; break %p -> %p", p,
		   err, before, after);
}

/* malloc(64 KiB) until NULL; each block carries its address at both ends. */
static size_t heap_exhaust(struct libc_group *g)
{
	unsigned char *p = NULL;
	size_t n = 0;
	int err;

	errno = 0;
	while (n < HEAP_MAX_BLOCKS && (p = malloc(HEAP_BLOCK)) != NULL) {
		memcpy(p, &p, sizeof(p));
		p[HEAP_BLOCK - 1] = (unsigned char)((uintptr_t)p >> 16);
		heap_blocks[n++] = p;
	}
	err = errno;
	libc_check(g, p == NULL && err == ENOMEM,
		   "malloc(64 KiB) x %zu: expected NULL ENOMEM at the end, got %p errno %d", n,
		   (void *)p, err);
	return n;
}

static void heap_layout(struct libc_group *g, const struct bolt_heap *h, size_t n)
{
	size_t bad = 0, overlaps = 0;

	qsort(heap_blocks, n, sizeof(heap_blocks[0]), heap_cmp);
	for (size_t i = 0; i < n; i++) {
		unsigned char *p = heap_blocks[i], *q;

		memcpy(&q, p, sizeof(q));
		bad += q != p || p[HEAP_BLOCK - 1] != (unsigned char)((uintptr_t)p >> 16);
		if (i + 1 < n)
			overlaps += (uintptr_t)p + HEAP_BLOCK > (uintptr_t)heap_blocks[i + 1];
	}
	libc_check(g, bad == 0 && overlaps == 0, "%zu blocks lost their first/last bytes, %zu overlap",
		   bad, overlaps);
	if (n == 0)
		return;
	libc_check(g, (uintptr_t)heap_blocks[0] >= h->start &&
			      (uintptr_t)heap_blocks[0] >= (uintptr_t)__image_end &&
			      (uintptr_t)heap_blocks[n - 1] + HEAP_BLOCK <= h->end,
		   "blocks %p..%p outside the heap %#lx..%#lx (image end %p)",
		   (void *)heap_blocks[0], (void *)(heap_blocks[n - 1] + HEAP_BLOCK),
		   (unsigned long)h->start, (unsigned long)h->end, (void *)__image_end);
}

static void heap_bounds(struct libc_group *g, const struct bolt_heap *h)
{
	libc_check(g, h->start >= (uintptr_t)__image_end && h->start <= h->brk &&
			      h->brk <= h->end,
		   "bolt_heap_get: start %#lx brk %#lx end %#lx, image end %p",
		   (unsigned long)h->start, (unsigned long)h->brk, (unsigned long)h->end,
		   (void *)__image_end);
}

void libc_heap(struct libc_group *g)
{
	struct bolt_heap h;
	size_t n;
	unsigned char *p;

	heap_sbrk_huge(g);
	bolt_heap_get(&h);
	if (!libc_check(g, h.end > h.start, "bolt_heap_get reports an empty heap (%#lx..%#lx)",
			(unsigned long)h.start, (unsigned long)h.end))
		return;
	n = heap_exhaust(g);
	printf("libc: heap: %zu blocks of 64 KiB from a heap of %lu KiB\n", n,
	       (unsigned long)(h.end - h.start) / 1024);
	libc_check(g, n * HEAP_BLOCK >= (h.end - h.start) / 2,
		   "only %zu KiB of a %lu KiB heap", n * HEAP_BLOCK / 1024,
		   (unsigned long)(h.end - h.start) / 1024);
	heap_layout(g, &h, n);
	bolt_heap_get(&h);
	heap_bounds(g, &h);
	for (size_t i = 0; i < n; i++)
		free(heap_blocks[i]);
	p = malloc(HEAP_BLOCK);
	libc_check(g, p != NULL, "malloc(64 KiB) after freeing everything returned NULL");
	free(p);
}
