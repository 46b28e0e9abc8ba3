/* SPDX-License-Identifier: MIT */
/*
 * Little-endian readers for untrusted, unaligned byte buffers (ELF images,
 * ACPI tables). Fields are assembled byte by byte: a cast to uint32_t *
 * would be an unaligned access and a strict-aliasing violation, and the
 * value would depend on the host's byte order.
 *
 * le16/le32/le64 do no bounds checking: the caller has already checked
 * that the bytes lie inside the buffer. le_get() is the checked form for
 * a field whose width comes from the data itself.
 */
#ifndef LIB_BYTES_H
#define LIB_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/*
 * Read an n-byte (n <= 8) little-endian value from p into *val, if all n
 * bytes lie within the avail bytes at p. Returns false (and leaves *val
 * alone) when they do not.
 */
static inline bool le_get(const uint8_t *p, size_t avail, size_t n, uint64_t *val)
{
	uint64_t v = 0;

	if (n > 8 || n > avail)
		return false;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	*val = v;
	return true;
}

#endif
