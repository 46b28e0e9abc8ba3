/* SPDX-License-Identifier: MIT */
/*
 * sbrk for newlib's malloc: the heap is the guest's free RAM after its
 * image (sdk_heap_range in startinfo.c reads the PVH memory map). Running
 * out is an ordinary error: sbrk returns (void *)-1 with errno ENOMEM, so
 * malloc returns NULL with ENOMEM, and the first time the SDK says so on
 * the console, since a guest author will want to know why.
 *
 * calloc is here too: newlib 3.3's multiplies count by size without an
 * overflow check, so calloc(SIZE_MAX / 2 + 2, 2) would hand out 2 bytes.
 * Defining calloc keeps newlib's calloc.o out of the link; its _calloc_r,
 * which newlib itself uses, stays.
 *
 * posix_memalign too: newlib 3.3 declares it, and its C11 aligned_alloc
 * calls it, but has no implementation for a bare target, so a guest using
 * aligned_alloc did not link. It is memalign with POSIX's argument checks.
 */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdlib.h>
#include <unistd.h>

#include "guests/sdk/sdk-internal.h"


extern char __image_end[];

#define SDK_HEAP_MAPPED_END ((uintptr_t)4 << 30)

static uintptr_t sdk_heap_start, sdk_heap_end, sdk_heap_brk;
static bool sdk_heap_told;

void sdk_heap_init(const struct hvm_start_info *si)
{
	sdk_heap_range(si, (uintptr_t)__image_end, &sdk_heap_start, &sdk_heap_end);
	/* entry.S maps only the first 4 GiB. */
	sdk_heap_end = MIN(sdk_heap_end, SDK_HEAP_MAPPED_END);
	sdk_heap_start = MIN(sdk_heap_start, sdk_heap_end);
	sdk_heap_brk = sdk_heap_start;
}

void bolt_heap_get(struct bolt_heap *h)
{
	h->start = sdk_heap_start;
	h->end = sdk_heap_end;
	h->brk = sdk_heap_brk;
}

void *sbrk(ptrdiff_t incr)
{
	uintptr_t old = sdk_heap_brk;

	if (incr > 0 && (uintptr_t)incr > sdk_heap_end - sdk_heap_brk) {
		if (!sdk_heap_told) {
			sdk_heap_told = true;
			sdk_log("sdk: out of heap: sbrk(%ld) with %lu of %lu bytes in use "
				"(heap 0x%lx-0x%lx, the RAM bolt.cfg gives this guest); "
				"malloc returns NULL",
				(long)incr, (unsigned long)(sdk_heap_brk - sdk_heap_start),
				(unsigned long)(sdk_heap_end - sdk_heap_start),
				(unsigned long)sdk_heap_start, (unsigned long)sdk_heap_end);
		}
		errno = ENOMEM;
		return (void *)-1;
	}
	if (incr < 0 && (uintptr_t)-(incr + 1) >= sdk_heap_brk - sdk_heap_start) {
		errno = EINVAL;
		return (void *)-1;
	}
	sdk_heap_brk += (uintptr_t)incr;
	return (void *)old;
}

void *calloc(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	return _calloc_r(_REENT, n, size);
}

/* POSIX.1-2008: EINVAL unless align is a power of two multiple of sizeof(void *). */
int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = memalign(align, size ? size : 1);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
