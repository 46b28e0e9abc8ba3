/* SPDX-License-Identifier: MIT */
/*
 * Small arithmetic helpers for the SDK's own files (not guest API). The SDK
 * no longer links Bolt's lib/, so it carries its own; the names are
 * prefixed so they cannot clash with a guest's or newlib's <sys/param.h>.
 */
#ifndef BOLT_GUEST_SDK_UTIL_H
#define BOLT_GUEST_SDK_UTIL_H

#define SDK_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SDK_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SDK_ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define SDK_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define SDK_IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)

#endif
