/* SPDX-License-Identifier: MIT */
/*
 * Small helpers the test guests share. The SDK has none of these on
 * purpose (a guest has newlib), and test guests must not reach into
 * Bolt's own lib/.
 */
#ifndef BOLT_TEST_GUESTS_UTIL_H
#define BOLT_TEST_GUESTS_UTIL_H

#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#endif
