/* SPDX-License-Identifier: MIT */
/*
 * GNTTABOP_copy: copy bytes between grants and/or the caller's own frames
 * without mapping anything. Each grant end is pinned for the copy only
 * (GTF_reading, and GTF_writing for the destination, as Xen sets them) and
 * the whole copy runs under gnt_lock, so a granter's restart, which takes
 * the lock before its RAM is reused, never overlaps one. The status codes
 * and their order follow Xen's gnttab_copy_lock_domain, acquire_grant_for_copy
 * and gnttab_copy_buf (xen/common/grant_table.c).
 */
#include "bolt/bolt.h"
#include "core/grant.h"
#include "core/grant_table.h"
#include "core/guest.h"
#include "lib/lib.h"

struct copy_end {
	struct guest *d;
	bool gref, pinned, readonly;
	uint8_t *page;
};

/* Only DOMID_SELF may name a frame; a grant may be any guest's. */
static int lock_domain(struct guest *g, const struct gnttab_copy_ptr *p, bool gref,
		       struct copy_end *e)
{
	if (p->domid != DOMID_SELF && !gref)
		return GNTST_permission_denied;
	e->d = gnt_domain(g, p->domid);
	e->gref = gref;
	return e->d ? GNTST_okay : GNTST_bad_domain;
}

/* Caller holds gnt_lock. */
static int claim(struct guest *g, const struct gnttab_copy_ptr *p, struct copy_end *e)
{
	uint32_t frame;
	int rc;

	if (!e->gref) {
		e->page = gnt_granter_page(e->d, p->u.gmfn);
		return e->page ? GNTST_okay : GNTST_bad_page;
	}
	rc = gnt_pin(&e->d->gnt, p->u.ref, (uint16_t)g->domid, e->readonly, false, &frame);
	if (rc)
		return rc;
	e->pinned = true;
	e->page = gnt_granter_page(e->d, frame);
	return e->page ? GNTST_okay : GNTST_bad_page;
}

static void release(const struct gnttab_copy_ptr *p, struct copy_end *e)
{
	if (e->pinned)
		gnt_unpin(&e->d->gnt, p->u.ref, e->readonly);
}

void gnt_copy(struct guest *g, struct gnttab_copy *op)
{
	struct copy_end src = { .readonly = true }, dst = { .readonly = false };
	int rc;

	rc = lock_domain(g, &op->source, op->flags & GNTCOPY_source_gref, &src);
	if (!rc)
		rc = lock_domain(g, &op->dest, op->flags & GNTCOPY_dest_gref, &dst);
	if (!rc && (!gnt_may_access(g, src.d) || !gnt_may_access(g, dst.d)))
		rc = GNTST_permission_denied; /* bolt.cfg has no `grant` line for the pair */
	if (rc) {
		op->status = (int16_t)rc;
		return;
	}
	spin_lock(&gnt_lock);
	rc = claim(g, &op->source, &src);
	if (!rc)
		rc = claim(g, &op->dest, &dst);
	if (!rc && ((unsigned)op->source.offset + op->len > PAGE_SIZE ||
		    (unsigned)op->dest.offset + op->len > PAGE_SIZE))
		rc = GNTST_bad_copy_arg;
	if (!rc)
		memmove(dst.page + op->dest.offset, src.page + op->source.offset, op->len);
	release(&op->dest, &dst);
	release(&op->source, &src);
	spin_unlock(&gnt_lock);
	op->status = (int16_t)rc;
}
