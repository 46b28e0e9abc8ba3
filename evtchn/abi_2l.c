/* SPDX-License-Identifier: MIT */
/*
 * The 2-level event ABI over shared_info: evtchn_pending[] / evtchn_mask[]
 * bitmaps (one bit per port, shared by all vCPUs), and in the vcpu_info of
 * the port's notify vCPU a selector word saying which pending words to
 * scan and evtchn_upcall_pending saying "scan at all" (Xen's event_2l.c).
 *
 * The guest updates the same words concurrently (it clears pending bits,
 * toggles masks, xchg's the selector, clears upcall_pending), so every
 * update here is a lock-free atomic on the guest-shared word; the domain
 * lock only keeps the hypervisor's own port state stable.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "evtchn/evtchn.h"
#include "evtchn/internal.h"

static inline xen_ulong_t bit_of(uint32_t port)
{
	return (xen_ulong_t)1 << (port % EVTCHN_WORD_BITS);
}

static inline uint32_t word_of(uint32_t port)
{
	return port / EVTCHN_WORD_BITS;
}

/*
 * Publish "word w has pending events" to vCPU v and raise its upcall.
 * Selector: fetch-or (acq_rel) so the pending bit set before it is visible
 * to a guest that finds the selector bit. Upcall flag: exchange to 1
 * (seq_cst: it orders the selector before it, and it is the store half of
 * the Dekker pair with prepare_entry's in_guest store and upcall re-check,
 * tests/model/wake.pml; x86 emits the same xchg); only the 0 -> 1 transition
 * notifies, as in Xen, so a burst of events costs one kick.
 */
static bool twol_mark_word(struct evtchn_domain *d, unsigned v, uint32_t w)
{
	/* Where the guest put it (VCPUOP_register_vcpu_info); acquire pairs with its move. */
	struct vcpu_info *vi = evtchn_vcpu_info(d, v);

	__atomic_fetch_or(&vi->evtchn_pending_sel, (xen_ulong_t)1 << w, __ATOMIC_ACQ_REL);
	return __atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) == 0;
}

/*
 * set_pending: fetch-or the pending bit; if it was already set the guest
 * has not consumed the previous event and was notified for it -> false.
 * Then read the mask; masked -> false (unmask re-delivers).
 *
 * Ordering: the pending fetch-or and the mask load are seq_cst, pairing
 * with the seq_cst mask-clear / pending-load in twol_unmask(). This is a
 * Dekker pattern (store A, load B vs store B, load A): acq_rel/acquire
 * alone would let both sides read the old value and lose the event. On
 * x86 this is the same code (lock or; mov), since a locked RMW is a full
 * barrier. The notify vCPU is read after the fetch-or (seq_cst), the
 * other Dekker pair, with bind_vcpu (evtchn_port_notify_vcpu).
 */
static enum evtchn_raise twol_set_pending(struct evtchn_domain *d, uint32_t port,
					  unsigned *vcpu)
{
	struct shared_info *s = d->shinfo;
	uint32_t w = word_of(port);
	xen_ulong_t bit = bit_of(port);

	if (__atomic_fetch_or(&s->evtchn_pending[w], bit, __ATOMIC_SEQ_CST) & bit)
		return EVTCHN_RAISED_NONE;
	*vcpu = evtchn_port_notify_vcpu(d, port);
	/*
	 * The receiver may have switched to FIFO since the caller chose these
	 * ops (it holds its own lock, not d's). seq_cst load after the seq_cst
	 * fetch-or: the Dekker pair with fifo_ctl.c's abi store and bitmap
	 * scan. If it switched, FIFO raises the port (the scan may also have
	 * carried the bit over: pending once either way). One plain load on
	 * x86, from a line the caller just read.
	 */
	if (__atomic_load_n(&d->abi, __ATOMIC_SEQ_CST) == &evtchn_abi_fifo)
		return evtchn_fifo_raise(d, port, vcpu);
	if (__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST) & bit)
		return EVTCHN_RAISED_QUIET;
	return twol_mark_word(d, *vcpu, w) ? EVTCHN_RAISED_UPCALL : EVTCHN_RAISED_QUIET;
}

/* Release: earlier hypervisor writes for this port happen before the clear. */
static void twol_clear_pending(struct evtchn_domain *d, uint32_t port)
{
	__atomic_fetch_and(&d->shinfo->evtchn_pending[word_of(port)], ~bit_of(port),
			   __ATOMIC_RELEASE);
}

/*
 * unmask: clear the mask bit (seq_cst fetch-and-not), then load pending
 * (seq_cst; see twol_set_pending for why both are seq_cst). If an event
 * arrived while masked, it is delivered now via the selector/upcall path
 * of the port's notify vCPU, as Xen's evtchn_2l_unmask.
 */
static bool twol_unmask(struct evtchn_domain *d, uint32_t port, unsigned *vcpu)
{
	struct shared_info *s = d->shinfo;
	uint32_t w = word_of(port);
	xen_ulong_t bit = bit_of(port);

	__atomic_fetch_and(&s->evtchn_mask[w], ~bit, __ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) & bit))
		return false;
	*vcpu = evtchn_port_notify_vcpu(d, port);
	return twol_mark_word(d, *vcpu, w);
}

/*
 * redeliver (bind_vcpu, after its seq_cst store of notify_vcpu): a pending,
 * unmasked port goes to the new vCPU's selector. Pending load seq_cst: the
 * other half of the Dekker pair with set_pending's fetch-or and
 * notify_vcpu load, so an event a sender marked on the old vCPU is seen
 * here. The old vCPU may scan the word too and find nothing of its own
 * (a spurious upcall at worst); a masked port waits for its unmask.
 */
static bool twol_redeliver(struct evtchn_domain *d, uint32_t port, unsigned *vcpu)
{
	struct shared_info *s = d->shinfo;
	uint32_t w = word_of(port);
	xen_ulong_t bit = bit_of(port);

	if (!(__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) & bit) ||
	    (__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST) & bit))
		return false;
	*vcpu = evtchn_port_notify_vcpu(d, port);
	return twol_mark_word(d, *vcpu, w);
}

/* Acquire loads: a caller acting on "pending" sees what the sender wrote. */
static bool twol_is_pending(const struct evtchn_domain *d, uint32_t port)
{
	return __atomic_load_n(&d->shinfo->evtchn_pending[word_of(port)], __ATOMIC_ACQUIRE) &
	       bit_of(port);
}

static bool twol_is_masked(const struct evtchn_domain *d, uint32_t port)
{
	return __atomic_load_n(&d->shinfo->evtchn_mask[word_of(port)], __ATOMIC_ACQUIRE) &
	       bit_of(port);
}

const struct evtchn_abi_ops evtchn_abi_2l = {
	.set_pending = twol_set_pending,
	.clear_pending = twol_clear_pending,
	.unmask = twol_unmask,
	.redeliver = twol_redeliver,
	.is_pending = twol_is_pending,
	.is_masked = twol_is_masked,
	.nr_ports = EVTCHN_NR_PORTS,
};

_Static_assert(sizeof(((struct shared_info *)0)->evtchn_pending) * 8 == EVTCHN_NR_PORTS,
	       "shared_info pending bitmap must cover EVTCHN_NR_PORTS");
_Static_assert(sizeof(((struct vcpu_info *)0)->evtchn_pending_sel) * 8 == EVTCHN_WORD_BITS,
	       "one selector bit per pending word");
