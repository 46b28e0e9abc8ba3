/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit builds' paging modes (XC_PAGING, set by xen.mk per build) and
 * the page-table layout x86_32/entry.S builds, shared with the C cases;
 * safe to include from assembly.
 *
 * Every paged build identity-maps 0..4 GiB with large pages, except two
 * large pages at XC_ALIAS_VA, which map guest RAM crosswise:
 *   [XC_ALIAS_VA,             + XC_LARGE)     -> XC_ALIAS_PA + XC_LARGE
 *   [XC_ALIAS_VA + XC_LARGE,  + 2 * XC_LARGE) -> XC_ALIAS_PA
 * so that an address there is not the physical address of the byte, and
 * the virtual boundary at XC_ALIAS_VA + XC_LARGE joins two physical
 * regions that are not adjacent (in reverse order). A hypervisor that
 * reads a hypercall argument there without walking the guest's page tables,
 * or that walks only the first page of a straddling struct, reads the
 * wrong bytes. The configs give these builds 16 MiB of RAM, so
 * XC_ALIAS_PA + 2 * XC_LARGE (12 MiB with PSE) is RAM.
 */
#ifndef XC_PAGING_H
#define XC_PAGING_H

#define XC_PAGING_NONE 0 /* flat: CR0.PG = 0 */
#define XC_PAGING_PSE 1  /* 2-level, 4 MiB pages (CR4.PSE; SDM Vol. 3A 4.3) */
#define XC_PAGING_PAE 2  /* PAE, PDPT + 2 MiB pages (CR4.PAE; SDM Vol. 3A 4.4) */

#ifndef XC_PAGING
#define XC_PAGING XC_PAGING_NONE
#endif

#if XC_PAGING == XC_PAGING_PSE
#define XC_LARGE 0x400000
#elif XC_PAGING == XC_PAGING_PAE
#define XC_LARGE 0x200000
#endif

#define XC_ALIAS_VA 0xc0000000
#define XC_ALIAS_PA 0x400000

#endif
