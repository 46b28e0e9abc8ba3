/* SPDX-License-Identifier: MIT */
/*
 * Guest SDK: Xen grant tables v1 (docs/abi.md, grant_table_op), the small
 * set of calls a guest needs to share pages with another guest at run
 * time, and to map pages another guest shares with it. Not included by
 * <bolt/sdk.h>: include <bolt/sdk/grant.h> (and <bolt/sdk/vchan.h> for a
 * ring over granted pages).
 *
 * Granting: bolt_gnttab_setup maps the guest's own grant-table frames into
 * its RAM (XENMEM_add_to_physmap, XENMAPSPACE_grant_table); bolt_grant_access
 * fills one grant_entry_v1 for a page and a domid, bolt_grant_end_access
 * takes it back once no mapping of it is left. Mapping: bolt_grant_map puts
 * another guest's granted page at a page of the caller's RAM, bolt_grant_unmap
 * puts the RAM page back. Bolt lets two guests map each other's grants only
 * when bolt.cfg has a `grant = A, B` line for the pair (docs/config.md).
 *
 * Not locked: one thread per guest, as the rest of the SDK.
 */
#ifndef BOLT_GUEST_SDK_GRANT_H
#define BOLT_GUEST_SDK_GRANT_H

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif

#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

/* Grant-table frames Bolt gives each guest (docs/abi.md): 512 entries each. */
#define BOLT_GNTTAB_FRAMES 4u
#define BOLT_GNTTAB_PER_FRAME (4096u / sizeof(grant_entry_v1_t))
/*
 * Refs below this one are Xen's reserved entries (GNTTAB_NR_RESERVED_ENTRIES:
 * the toolstack's console and xenstore pages); the SDK never hands them out,
 * so a guest that also runs on Xen keeps the same numbering.
 */
#define BOLT_GNTTAB_FIRST_REF 8u

/*
 * Map the first nr_frames (1..BOLT_GNTTAB_FRAMES) of this guest's grant
 * table into a page-aligned array of the SDK's, after GNTTABOP_set_version
 * 1. Again with more frames maps the rest; with fewer or as many changes
 * nothing. Refs [0, 512 * nr_frames) are then usable. Returns 0, -XEN_EINVAL
 * (nr_frames out of range) or the hypercall's error.
 */
int bolt_gnttab_setup(unsigned int nr_frames);

/* Entries mapped by bolt_gnttab_setup (0 before it). */
unsigned int bolt_gnttab_entries(void);

/*
 * Grant domain dom access to the page at `page` (page-aligned, in this
 * guest's RAM), read-only if readonly. The frame and the domid are written
 * before the flags, with a release store between, as Xen's grant_table.h
 * requires: Bolt (or Xen) reads the entry as soon as GTF_permit_access is
 * in it. Returns 0, -XEN_EINVAL (bad page, ref at or beyond
 * bolt_gnttab_entries()) or -XEN_EBUSY (the entry is in use).
 */
int bolt_grant_access(grant_ref_t ref, domid_t dom, const void *page, bool readonly);

/*
 * End a grant: clear the entry's flags, but only while the peer neither
 * maps it nor copies through it (GTF_reading / GTF_writing clear; one
 * compare-and-exchange, as Linux's gnttab_end_foreign_access_ref does for
 * v1). Returns 0 (the page is ours alone again, the entry free),
 * -XEN_EBUSY (still mapped: try again later) or -XEN_EINVAL (bad ref).
 */
int bolt_grant_end_access(grant_ref_t ref);

/*
 * Map grant ref of domain dom at `where` (a page-aligned page of this
 * guest's RAM, which the mapping hides until bolt_grant_unmap), read-only
 * if readonly. Returns 0 and *handle, the hypercall's error (a negative
 * Xen errno), or the operation's GNTST_* status (also negative; see
 * xen/grant_table.h: GNTST_general_error -1 when the ref is not granted to
 * us, GNTST_permission_denied -6 without a `grant` line, ...).
 */
int bolt_grant_map(domid_t dom, grant_ref_t ref, void *where, bool readonly,
		   grant_handle_t *handle);

/* Undo bolt_grant_map(..., where, ..., &handle). 0, an errno or a GNTST_* status. */
int bolt_grant_unmap(grant_handle_t handle, void *where);

#endif
