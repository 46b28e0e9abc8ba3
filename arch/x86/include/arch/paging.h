/* SPDX-License-Identifier: MIT */
/* Bolt's own host page tables: an identity map of all physical memory. */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdint.h>

/*
 * Identity-map [0, top) with 2 MiB pages (top rounded up to 1 GiB, at most
 * 512 GiB) in tables taken from the heap; returns the CR3 value, 0 if out
 * of memory. The tables must lie below 4 GiB: APs load CR3 in 32-bit mode.
 */
uint64_t paging_build_identity(uint64_t top);

#endif
