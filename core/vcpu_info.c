/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_register_vcpu_info (xen/vcpu.h): the guest moves a vCPU's
 * vcpu_info (upcall flag, selector word, pvclock) out of shared_info into
 * a page of its own RAM. The answers are Xen 4.14's (map_vcpu_info in
 * xen/common/domain.c; Bolt reports 4.14): -EFAULT for an unreadable
 * argument, -EINVAL for an offset that leaves no room for the 64-byte
 * struct or is misaligned, for a second registration, and for a frame
 * that is not the guest's RAM. docs/abi.md, vcpu_op.
 *
 * The area stays Bolt's to write until the guest restarts. It is the
 * guest's own RAM (g->ram + gpa), which Bolt owns for the guest's whole
 * life and never gives to anyone else, so nothing the guest does later can
 * turn those writes into writes of someone else's memory: ballooning the
 * frame out (XENMEM_decrease_reservation) only removes it from the guest's
 * EPT, as Xen only drops its p2m entry and keeps writing to the page it
 * holds a reference to; shared_info or the trace-ack page mapped over it
 * later hide it the same way. Unlike Xen, repopulating the frame gives the
 * guest that same page back, zeroed, instead of a new one.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/vcpu.h>

#include "arch/cpu.h"
#include "core/compat.h"
#include "core/guest.h"
#include "core/vcpu_info.h"
#include "lib/errno.h"
#include "lib/lib.h"

_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16,
	       "the same 16 bytes in the 32- and 64-bit ABIs (mfn is a uint64_t)");

/* A frame that is RAM the guest can see, not one Bolt shows its own page at. */
static bool frame_ok(const struct guest *g, uint64_t gfn)
{
	if (!balloon_frame_is_ram(&g->balloon, gfn) || balloon_is_hole(&g->balloon, gfn))
		return false;
	if (g->shinfo_gfn != ~0ULL && gfn == g->shinfo_gfn)
		return false;
	return !(g->trace_acks_gfn && gfn == g->trace_acks_gfn);
}

long vcpu_info_register(struct vcpu *v, struct vcpu *t, bool compat, uint64_t arg)
{
	struct guest *g = v->guest;
	struct vcpu_register_vcpu_info r;
	struct vcpu_info *old, *new;
	/* Xen: the alignment of the guest's own vcpu_info layout (xen_ulong_t). */
	unsigned align = compat ? 4 : 8;

	if (vcpu_copy_from_guest(v, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (r.offset & (align - 1)))
		return -XEN_EINVAL;
	if (t->vcpu_info_gpa != ~0ULL)
		return -XEN_EINVAL; /* once per boot, as in Xen 4.14 */
	if (!frame_ok(g, r.mfn))
		return -XEN_EINVAL;

	old = g->evtchn.vcpu_info[t->vcpu_id];
	new = (struct vcpu_info *)(g->ram + (r.mfn << 12) + r.offset);
	memcpy(new, old, sizeof(*new));
	t->vcpu_info_gpa = (r.mfn << 12) + r.offset;
	/*
	 * Publish the new place, then mark every selector bit and the upcall
	 * pending there, as Xen does: a sender on another CPU that still used
	 * the old place after the copy set bits the guest no longer looks at,
	 * so the guest scans every pending word once (a spurious upcall at
	 * worst; the pending bits themselves are in shared_info). The entry
	 * path sees the upcall when this hypercall returns.
	 */
	evtchn_set_vcpu_info(&g->evtchn, t->vcpu_id, new);
	if (g->shinfo_compat) /* the selector of the 32-bit layout (core/compat.h) */
		__atomic_store_n(&((struct compat_vcpu_info *)(void *)new)->evtchn_pending_sel,
				 ~(uint32_t)0, __ATOMIC_SEQ_CST);
	else
		__atomic_store_n(&new->evtchn_pending_sel, ~(xen_ulong_t)0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&new->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	return 0;
}

void vcpu_info_reset(struct guest *g)
{
	for (unsigned i = 0; i < g->nr_vcpus; i++) {
		evtchn_set_vcpu_info(&g->evtchn, i, NULL); /* back to shared_info's slot */
		g->vcpus[i].vcpu_info_gpa = ~0ULL;
	}
}
