/* SPDX-License-Identifier: MIT */
/*
 * Arithmetic and size macros, nothing else: no declarations that could
 * clash with a C library, so the hypervisor (through lib/lib.h), the
 * guest SDK's sources and the test guests (on newlib) share one copy.
 */
#ifndef LIB_MACROS_H
#define LIB_MACROS_H

#include <stdint.h>

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

#endif
