/* SPDX-License-Identifier: MIT */
/*
 * Freestanding string/memory helpers. The hypervisor links lib/lib.c;
 * host unit tests use the C library's versions of the same functions.
 */
#ifndef LIB_LIB_H
#define LIB_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef BOLT_HOST
#include <string.h>
#else
/*
 * gnu-efi's libefi.a already defines memcpy and memset (byte loops, used
 * for compiler-generated copies); Bolt's own calls use the REP MOVSQ/STOSQ
 * versions in lib/lib.c under these names.
 */
#define memcpy bolt_memcpy
#define memset bolt_memset
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#define PAGE_SIZE 4096ULL

/* Copy a string into a fixed buffer, always NUL-terminated; returns false if truncated. */
bool strlcpy_ok(char *dst, const char *src, size_t size);

#endif
