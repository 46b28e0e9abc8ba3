/* SPDX-License-Identifier: MIT */
/*
 * Grant tables between guests (core/grant_map.c, core/grant_copy.c): the
 * operations behind GNTTABOP_map_grant_ref, unmap_grant_ref and copy, the
 * grant-table frames of XENMEM_add_to_physmap, and revocation when a guest
 * stops or restarts. core/grant_table.h has the bookkeeping;
 * docs/abi.md, "Grant tables", the rules.
 */
#ifndef CORE_GRANT_H
#define CORE_GRANT_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#include "core/spinlock.h"

struct guest;
struct pcpu;

/* Allocate a guest's grant-table frames and active entries (at boot). */
int gnt_guest_create(struct guest *g);
/*
 * A guest stops or restarts (from its own CPU, before its RAM is reused):
 * every mapping others hold of its frames is torn down in their EPTs and
 * flushed on their CPUs before this returns, its own mappings of others
 * are released, and its table is empty and unmapped again.
 */
void gnt_guest_release(struct guest *g);
/*
 * On CPU p, in VMX root with no guest running: tear down the mappings of
 * p's guests that a granter revoked (gnt_guest_release) and drop p's
 * cached EPT translations of its guests (also what core/vcpu_up.c's syncs
 * wait for). The arch code calls it before every VM entry while
 * gnt_work_pending(p), and every CPU waiting for another serves it.
 */
void gnt_cpu_work(struct pcpu *p);
bool gnt_work_pending(const struct pcpu *p);

/* Is any frame of [gfn, gfn + n) a grant-table frame or a grant mapping of g's? */
bool gnt_range_busy(const struct guest *g, uint64_t gfn, uint64_t n);
/* XENMEM_add_to_physmap, XENMAPSPACE_grant_table: 0 or -XEN_E*. */
long gnt_add_to_physmap(struct guest *g, uint64_t idx, uint64_t gfn);
/* The gfn grant-table frame i is mapped at, or ~0 (setup_table's frame list). */
uint64_t gnt_frame_gfn(const struct guest *g, unsigned i);

/* One operation each, status in op->status (GNTST_*), for the calling guest g. */
void gnt_map(struct guest *g, struct gnttab_map_grant_ref *op);
void gnt_unmap(struct guest *g, struct gnttab_unmap_grant_ref *op);
void gnt_copy(struct guest *g, struct gnttab_copy *op);

/* The guest that domid (DOMID_SELF: g itself) names, or NULL. */
struct guest *gnt_domain(struct guest *g, unsigned domid);
/* May g map or copy peer's grants (bolt.cfg `grant`, or peer == g)? */
bool gnt_may_access(const struct guest *g, const struct guest *peer);

/* Held around every grant-table change (core/grant_map.c says why one lock). */
extern struct spinlock gnt_lock;
/* The host page of granter frame @frame: its populated RAM, else NULL (GNTST_bad_page). */
void *gnt_granter_page(struct guest *g, uint64_t frame);

/* Summary: mappings made since boot, and mappings / pins still held now. */
void gnt_totals(uint64_t *maps, unsigned *held, unsigned *pinned);

#endif
