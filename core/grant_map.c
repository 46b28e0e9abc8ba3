/* SPDX-License-Identifier: MIT */
/*
 * Grant mappings between guests (docs/abi.md, "Grant tables"): a mapper's
 * GNTTABOP_map_grant_ref puts the granter's RAM page into the mapper's EPT
 * at host_addr (in its RAM or above it, core/physmap.h); unmap puts back
 * what was there (its RAM, a ballooned hole, or above RAM a hole). One lock, gnt_lock, covers every table, pin and maptrack entry:
 * grant operations are rare next to event sends.
 *
 * A mapper's EPT is only ever changed on the mapper's own CPU, so EPT
 * walks and INVEPT need no cross-CPU care there. Revocation is the one
 * place another CPU is involved: a granter that stops or restarts (on its
 * CPU) marks the mappings others hold of its frames revoked, under the
 * lock, then raises the mapper CPU's gnt_req ticket and kicks it. That CPU
 * tears the mappings down and flushes them (gnt_cpu_work) in
 * prepare_entry, before any VM entry, and then publishes gnt_done. The
 * granter waits for gnt_done, or for the CPU to be idle (current == NULL:
 * no guest state is live there and its next entry passes prepare_entry
 * first), and only then lets its RAM be reused. The ticket store and the
 * mapper CPU's in_guest store are each followed by a seq_cst load of the
 * other's word (the Dekker pair of sched_kick), so either the kick IPI
 * reaches a CPU in the guest or the CPU sees the ticket before entering.
 * While it waits the granter's CPU does its own CPU's pending work, so two
 * guests restarting at once, each a mapper of the other, cannot deadlock.
 */
#include "arch/cpu.h"
#include "bolt/bolt.h"
#include "core/grant.h"
#include "core/grant_table.h"
#include "core/guest.h"
#include "core/heap.h"
#include "core/pcpu.h"
#include "core/physmap_guest.h"
#include "lib/errno.h"
#include "lib/lib.h"
#include "sched/sched.h"

struct spinlock gnt_lock = SPINLOCK_INIT;
static uint64_t maps_total;

struct guest *gnt_domain(struct guest *g, unsigned domid)
{
	if (domid == DOMID_SELF)
		return g;
	return domid >= 1 && domid <= nr_guests ? &guests[domid - 1] : NULL;
}

bool gnt_may_access(const struct guest *g, const struct guest *peer)
{
	return g == peer || ((g->gnt_peers >> (peer->domid - 1)) & 1);
}

int gnt_guest_create(struct guest *g)
{
	g->gnt.shared = heap_alloc_pages(GNT_NR_FRAMES, 1);
	g->gnt.active = heap_zalloc(GNT_NR_ENTRIES * sizeof(struct gnt_active));
	if (!g->gnt.shared || !g->gnt.active)
		return -XEN_ENOMEM;
	gnt_table_reset(&g->gnt);
	return 0;
}

void *gnt_granter_page(struct guest *g, uint64_t frame)
{
	/*
	 * Its own populated RAM only. Read without its lock: a racing balloon
	 * change at worst lets a peer see one of the granter's own pages.
	 */
	if (!balloon_frame_is_ram(&g->balloon, frame) || balloon_is_hole(&g->balloon, frame))
		return NULL;
	return g->ram + (frame << 12);
}

/* Caller holds gnt_lock. */
static bool range_busy(const struct guest *g, uint64_t gfn, uint64_t n)
{
	for (unsigned i = 0; i < GNT_NR_FRAMES; i++)
		if (g->gnt.frame_gfn[i] != ~0ULL && g->gnt.frame_gfn[i] - gfn < n)
			return true;
	for (unsigned h = 0; h < GNT_MAPTRACK_MAX; h++)
		if (g->gnt_maps.m[h].granter && g->gnt_maps.m[h].gfn - gfn < n)
			return true;
	return false;
}

bool gnt_range_busy(const struct guest *g, uint64_t gfn, uint64_t n)
{
	bool busy;

	spin_lock(&gnt_lock);
	busy = range_busy(g, gfn, n);
	spin_unlock(&gnt_lock);
	return busy;
}

uint64_t gnt_frame_gfn(const struct guest *g, unsigned i)
{
	return i < GNT_NR_FRAMES ? g->gnt.frame_gfn[i] : ~0ULL;
}

long gnt_add_to_physmap(struct guest *g, uint64_t idx, uint64_t gfn)
{
	long rc = 0;

	/* Xen: the status bit names a v2 status frame, which a v1 table has not. */
	if (idx >= GNT_NR_FRAMES)
		return -XEN_EINVAL;
	/* Over its RAM, or unpopulated space above it, as Linux PVH asks (core/physmap.h). */
	if (physmap_guest_place(g, gfn) < 0 || gfn == g->shinfo_gfn ||
	    (g->trace_acks_gfn && gfn == g->trace_acks_gfn))
		return -XEN_EINVAL;
	spin_lock(&gnt_lock);
	if (g->gnt.frame_gfn[idx] == gfn)
		goto out; /* already there */
	if (range_busy(g, gfn, 1)) {
		rc = -XEN_EINVAL; /* another frame or a grant mapping is there */
		goto out;
	}
	if (g->gnt.frame_moves >= GNT_FRAME_MOVES_MAX) {
		rc = -XEN_EBUSY;
		goto out;
	}
	g->gnt.frame_moves++;
	rc = guest_arch_map_page(g, gfn << 12, (uint8_t *)g->gnt.shared + idx * PAGE_SIZE);
	if (rc) {
		physmap_guest_restore(g, gfn);
		goto out;
	}
	if (g->gnt.frame_gfn[idx] != ~0ULL)
		physmap_guest_restore(g, g->gnt.frame_gfn[idx]); /* moved: the old place as it was */
	g->gnt.frame_gfn[idx] = gfn;
out:
	spin_unlock(&gnt_lock);
	return rc;
}

void gnt_map(struct guest *g, struct gnttab_map_grant_ref *op)
{
	bool ro = op->flags & GNTMAP_readonly;
	uint64_t gfn = op->host_addr >> 12;
	struct guest *rd;
	uint32_t frame;
	void *page;
	int h, rc;

	/* The checks in Xen's order (map_grant_ref, create_grant_p2m_mapping). */
	if (!(op->flags & (GNTMAP_device_map | GNTMAP_host_map))) {
		op->status = GNTST_bad_gntref;
		return;
	}
	if (op->flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)) {
		op->status = GNTST_general_error; /* no device or PTE mappings for HVM */
		return;
	}
	rd = op->dom == DOMID_SELF ? NULL : gnt_domain(g, op->dom); /* by id, as Xen */
	if (!rd) {
		op->status = GNTST_bad_domain;
		return;
	}
	if (!gnt_may_access(g, rd)) {
		op->status = GNTST_permission_denied;
		return;
	}
	spin_lock(&gnt_lock);
	h = gnt_maptrack_alloc(&g->gnt_maps);
	if (h < 0) {
		rc = GNTST_no_space;
		goto out;
	}
	rc = gnt_pin(&rd->gnt, op->ref, (uint16_t)g->domid, ro, true, &frame);
	if (rc)
		goto free_handle;
	page = gnt_granter_page(rd, frame);
	if (!page) {
		rc = GNTST_bad_page;
		goto unpin;
	}
	/* host_addr: a gpa in its RAM, or above it (Linux gntdev's unpopulated pages). */
	if (physmap_guest_place(g, gfn) < 0 || gfn == g->shinfo_gfn ||
	    (g->trace_acks_gfn && gfn == g->trace_acks_gfn) || range_busy(g, gfn, 1)) {
		rc = GNTST_general_error;
		goto unpin;
	}
	if (guest_arch_map_grant(g, gfn << 12, page, !ro)) {
		physmap_guest_restore(g, gfn);
		rc = GNTST_general_error;
		goto unpin;
	}
	g->gnt_maps.m[h] = (struct gnt_map){
		.granter = (uint16_t)rd->domid, .readonly = ro, .ref = op->ref, .gfn = gfn,
	};
	maps_total++;
	op->handle = (grant_handle_t)h;
	op->dev_bus_addr = 0; /* no device mappings; never a host address */
	goto out;
unpin:
	gnt_unpin(&rd->gnt, op->ref, ro);
free_handle:
	gnt_maptrack_free(&g->gnt_maps, (unsigned)h);
out:
	spin_unlock(&gnt_lock);
	op->status = (int16_t)rc;
}

/* Caller holds gnt_lock, on g's CPU: drop mapping h, unpinning it unless already revoked. */
static void drop_map(struct guest *g, unsigned h)
{
	struct gnt_map *m = &g->gnt_maps.m[h];

	if (!m->revoked)
		gnt_unpin(&guests[m->granter - 1].gnt, m->ref, m->readonly);
	physmap_guest_restore(g, m->gfn);
	gnt_maptrack_free(&g->gnt_maps, h);
}

void gnt_unmap(struct guest *g, struct gnttab_unmap_grant_ref *op)
{
	int rc = GNTST_okay;

	spin_lock(&gnt_lock);
	if (op->handle >= GNT_MAPTRACK_MAX || !g->gnt_maps.m[op->handle].granter) {
		rc = GNTST_bad_handle;
	} else if (g->gnt_maps.m[op->handle].revoked) {
		/*
		 * The granter went away and this CPU has not torn the mapping down
		 * yet (we are in a hypercall): do it now; the handle is gone either way.
		 */
		drop_map(g, op->handle);
		rc = GNTST_bad_handle;
	} else if (op->dev_bus_addr) {
		rc = GNTST_general_error; /* map reported 0: any other address does not match */
	} else if (!op->host_addr) {
		/* Xen: no host address, nothing to undo: the mapping stays. */
	} else if ((op->host_addr >> 12) != g->gnt_maps.m[op->handle].gfn) {
		rc = GNTST_general_error;
	} else {
		drop_map(g, op->handle);
	}
	spin_unlock(&gnt_lock);
	op->status = (int16_t)rc;
}

void gnt_cpu_work(struct pcpu *p)
{
	uint64_t req = __atomic_load_n(&p->gnt_req, __ATOMIC_SEQ_CST);

	spin_lock(&gnt_lock);
	for (unsigned i = 0; i < nr_guests; i++) {
		struct guest *g = &guests[i];

		if (!guest_runs_on(g, p))
			continue;
		for (unsigned h = 0; h < GNT_MAPTRACK_MAX; h++)
			if (g->gnt_maps.m[h].granter && g->gnt_maps.m[h].revoked)
				drop_map(g, h);
		/* A sibling vCPU's CPU may have dropped them first: flush here too. */
		guest_arch_flush_ept(g);
	}
	spin_unlock(&gnt_lock);
	__atomic_store_n(&p->gnt_done, req, __ATOMIC_SEQ_CST);
}

bool gnt_work_pending(const struct pcpu *p)
{
	return __atomic_load_n(&p->gnt_req, __ATOMIC_SEQ_CST) !=
	       __atomic_load_n(&p->gnt_done, __ATOMIC_SEQ_CST);
}

/* Caller holds gnt_lock: revoke every mapping others hold of g's frames; the CPUs to wait for. */
static uint64_t revoke_peers(struct guest *g, struct pcpu *me)
{
	uint64_t cpus = 0;

	for (unsigned i = 0; i < nr_guests; i++) {
		struct guest *m = &guests[i];

		if (m == g)
			continue;
		for (unsigned h = 0; h < GNT_MAPTRACK_MAX; h++) {
			struct gnt_map *map = &m->gnt_maps.m[h];

			if (map->granter != g->domid || map->revoked)
				continue;
			gnt_unpin(&g->gnt, map->ref, map->readonly);
			map->revoked = true;
			if (m->nr_vcpus == 1 && m->vcpus[0].pcpu == me)
				drop_map(m, h); /* its EPT is used on this CPU only, and not now */
			else /* by each of its vCPUs' CPUs (this one too), before their next entry */
				cpus |= guest_cpu_mask(m);
		}
	}
	return cpus;
}

void gnt_guest_release(struct guest *g)
{
	struct pcpu *me = this_pcpu();
	uint64_t ticket[MAX_CPUS], cpus;

	spin_lock(&gnt_lock);
	/* Its own mappings of others (and of itself). */
	for (unsigned h = 0; h < GNT_MAPTRACK_MAX; h++)
		if (g->gnt_maps.m[h].granter)
			drop_map(g, h);
	cpus = revoke_peers(g, me);
	/* A fresh table for the next boot, its frames RAM again. */
	for (unsigned i = 0; i < GNT_NR_FRAMES; i++)
		if (g->gnt.frame_gfn[i] != ~0ULL)
			physmap_guest_restore(g, g->gnt.frame_gfn[i]);
	gnt_table_reset(&g->gnt);
	spin_unlock(&gnt_lock);

	for (unsigned c = 0; c < nr_pcpus; c++) {
		if (!((cpus >> c) & 1))
			continue;
		ticket[c] = __atomic_add_fetch(&pcpus[c].gnt_req, 1, __ATOMIC_SEQ_CST);
		sched_kick(&pcpus[c]);
	}
	for (unsigned c = 0; c < nr_pcpus; c++) {
		if (!((cpus >> c) & 1))
			continue;
		while (__atomic_load_n(&pcpus[c].gnt_done, __ATOMIC_SEQ_CST) < ticket[c] &&
		       __atomic_load_n(&pcpus[c].current, __ATOMIC_SEQ_CST)) {
			if (gnt_work_pending(me))
				gnt_cpu_work(me);
			__builtin_ia32_pause();
		}
	}
}

void gnt_totals(uint64_t *maps, unsigned *held, unsigned *pinned)
{
	*held = *pinned = 0;
	spin_lock(&gnt_lock);
	*maps = maps_total;
	for (unsigned i = 0; i < nr_guests; i++) {
		*held += guests[i].gnt_maps.used;
		for (uint32_t r = 0; r < GNT_NR_ENTRIES; r++)
			*pinned += gnt_pins(&guests[i].gnt, r);
	}
	spin_unlock(&gnt_lock);
}
