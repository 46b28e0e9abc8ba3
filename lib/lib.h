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

#include "lib/macros.h"

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

/* Copy a string into a fixed buffer, always NUL-terminated; returns false if truncated. */
bool strlcpy_ok(char *dst, const char *src, size_t size);

#endif
