/* SPDX-License-Identifier: MIT */
/*
 * The FIFO event ABI (Xen 4.4+, xen/event_channel.h): one 32-bit event
 * word per port in guest-provided array pages (PENDING, MASKED, LINKED,
 * BUSY and a 17-bit LINK), and per vCPU and priority a queue the
 * hypervisor links events into: HEAD in that vCPU's control block, the
 * tail kept here, the READY bit per queue in the control block. A port
 * links into the queues of its notify vCPU. The guest consumes a queue
 * from HEAD by following LINK and clearing LINKED. The commands that set
 * this up are in evtchn/fifo_ctl.c.
 *
 * Concurrency. The guest changes the words and the control blocks at any
 * time; the hypervisor's side of all of a domain's queues is serialised by
 * d->fifo.lock (Xen has a lock per vCPU and queue and takes the old and
 * the new queue's in address order when an event moves; one lock for the
 * domain needs no order, and a domain's vCPUs rarely link at once).
 * Senders reach here holding their own domain's lock, not the
 * receiver's, so the lock is the innermost one.
 * Every access to a guest-shared word is an atomic with the ordering
 * stated where it happens; on x86 all the RMWs are locked instructions.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "evtchn/evtchn.h"
#include "evtchn/internal.h"

#define W_PENDING ((event_word_t)1 << EVTCHN_FIFO_PENDING)
#define W_MASKED ((event_word_t)1 << EVTCHN_FIFO_MASKED)
#define W_LINKED ((event_word_t)1 << EVTCHN_FIFO_LINKED)
#define W_BUSY ((event_word_t)1 << EVTCHN_FIFO_BUSY)

/* Xen gives up linking after this many cmpxchg failures under BUSY. */
#define SET_LINK_TRIES 4

/*
 * The event word of port, NULL if no array page covers it. Acquire on
 * nr_words pairs with the release in fifo_ctl.c's expand_array: whoever
 * sees the new count sees the page pointer stored before it. A pointer
 * read just before a reset may be stale; it still points into the guest's
 * RAM, which is never freed (evtchn_host.map_frame), so it cannot fault.
 */
static event_word_t *fifo_word(const struct evtchn_domain *d, uint32_t port)
{
	const struct evtchn_fifo *f = &d->fifo;

	if (port >= __atomic_load_n(&f->nr_words, __ATOMIC_ACQUIRE))
		return NULL;
	return f->array[port / EVTCHN_FIFO_WORDS_PER_PAGE] + port % EVTCHN_FIFO_WORDS_PER_PAGE;
}

/*
 * Point the (linked) tail word at port, iff it is still LINKED. The guest
 * may meanwhile only set or clear MASKED, clear PENDING, or clear LINKED
 * and LINK (consuming it), so: cmpxchg (seq_cst) until it sticks or the
 * word is no longer LINKED. After one failure BUSY is set, which a guest
 * following Xen's protocol honours by not unmasking, so only the few
 * other changes can still race: give up after SET_LINK_TRIES as Xen does
 * (a guest that keeps rewriting its own word loses its own event, never
 * stalls the sender). The stored value clears BUSY; so does giving up.
 * Returns true if linked (or given up: the caller must not touch HEAD).
 */
static bool set_link(event_word_t *tail, uint32_t port)
{
	event_word_t w = __atomic_load_n(tail, __ATOMIC_SEQ_CST);
	bool busy = false;

	for (unsigned i = 0; i <= SET_LINK_TRIES; i++) {
		event_word_t nw;

		if (!(w & W_LINKED)) {
			if (busy)
				__atomic_fetch_and(tail, ~W_BUSY, __ATOMIC_SEQ_CST);
			return false;
		}
		nw = (w & ~(W_BUSY | EVTCHN_FIFO_LINK_MASK)) | port;
		if (__atomic_compare_exchange_n(tail, &w, nw, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
		if (!busy) {
			busy = true;
			w = __atomic_or_fetch(tail, W_BUSY, __ATOMIC_SEQ_CST);
		}
	}
	__atomic_fetch_and(tail, ~W_BUSY, __ATOMIC_SEQ_CST);
	return true;
}

/*
 * Link port (whose word w is PENDING, unmasked, just marked LINKED by us)
 * at the tail of queue q of vCPU v (which has a control block). Returns
 * true when the queue was empty and its READY bit went 0 -> 1 and with it
 * the vCPU's upcall flag.
 */
static bool link_port(struct evtchn_domain *d, uint32_t port, unsigned v, unsigned q)
{
	struct evtchn_fifo *f = &d->fifo;
	struct evtchn_fifo_vcpu *fv = &f->vcpu[v];
	struct evtchn_port *p = evtchn_port_of(d, port);
	/* Where the guest put it (VCPUOP_register_vcpu_info); acquire pairs with its move. */
	struct vcpu_info *vi = evtchn_vcpu_info(d, v);
	uint32_t *old_tail = &f->vcpu[(p->fifo_lastq >> 4) % EVTCHN_MAX_VCPUS]
				      .tail[p->fifo_lastq % EVTCHN_FIFO_MAX_QUEUES];
	bool linked = false;

	/*
	 * A port that was a queue's tail and is linked again (the guest
	 * consumed it, or moved it to another priority or vCPU) must stop
	 * being that queue's tail, or the next event of that queue would be
	 * linked after it into whatever queue it is in now. As Xen: only the
	 * queue it was last linked into can have it as tail (fifo_lastq).
	 */
	if (*old_tail == port)
		*old_tail = 0;
	p->fifo_lastq = (uint8_t)(v * EVTCHN_FIFO_MAX_QUEUES + q);
	if (fv->tail[q]) {
		event_word_t *tw = fifo_word(d, fv->tail[q]); /* covered: tails reset with the array */

		linked = tw && set_link(tw, port);
	}
	/*
	 * Empty (or its tail already consumed): port becomes HEAD. seq_cst
	 * store, ordered before the READY fetch-or, so a guest that finds
	 * READY (and reads HEAD after clearing it) finds this HEAD.
	 */
	if (!linked)
		__atomic_store_n(&fv->cb->head[q], port, __ATOMIC_SEQ_CST);
	fv->tail[q] = port;
	if (linked)
		return false;
	/*
	 * READY, then the upcall flag, both seq_cst RMWs: the flag's 0 -> 1
	 * exchange is the store half of the Dekker pair with prepare_entry's
	 * in_guest store (tests/model/wake.pml), as in abi_2l.c. Only a queue
	 * that became ready raises the upcall, as in Xen.
	 */
	if (__atomic_fetch_or(&fv->cb->ready, 1u << q, __ATOMIC_SEQ_CST) & (1u << q))
		return false;
	return __atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) == 0;
}

/*
 * Xen's evtchn_fifo_set_pending, fifo lock held: the port links into the
 * queue of its priority on its notify vCPU (*vcpu), read once here.
 */
enum evtchn_raise evtchn_fifo_raise_locked(struct evtchn_domain *d, uint32_t port,
					   unsigned *vcpu)
{
	event_word_t *w = fifo_word(d, port);
	struct evtchn_port *p = evtchn_port_of(d, port);
	bool was_pending;
	event_word_t v;

	/*
	 * Under the fifo lock, which bind_vcpu's redeliver also takes after
	 * storing the new vCPU: either this link uses the new one, or the
	 * word is LINKED (on the old vCPU, which consumes it, as in Xen) or
	 * PENDING by the time redeliver looks.
	 */
	*vcpu = evtchn_port_notify_vcpu(d, port);
	if (!w) {
		/* No array page yet: keep it here, expand_array re-raises it. */
		was_pending = p->fifo_pending;
		__atomic_store_n(&p->fifo_pending, true, __ATOMIC_RELAXED);
		return was_pending ? EVTCHN_RAISED_NONE : EVTCHN_RAISED_QUIET;
	}
	/*
	 * PENDING fetch-or, then the load of MASKED/LINKED: both seq_cst. The
	 * guest unmasks by clearing MASKED (cmpxchg) and then testing PENDING,
	 * calling EVTCHNOP_unmask if set: a Dekker pair, so one of the two
	 * sides sees the other and the event is linked once unmasked.
	 */
	was_pending = __atomic_fetch_or(w, W_PENDING, __ATOMIC_SEQ_CST) & W_PENDING;
	v = __atomic_load_n(w, __ATOMIC_SEQ_CST);
	/*
	 * As Xen: a vCPU without a control block gets nothing linked (the
	 * guest must not unmask before its init_control); PENDING stays set.
	 */
	if (!(v & (W_MASKED | W_LINKED)) && d->fifo.vcpu[*vcpu].cb &&
	    !(__atomic_fetch_or(w, W_LINKED, __ATOMIC_SEQ_CST) & W_LINKED) &&
	    link_port(d, port, *vcpu, p->priority))
		return EVTCHN_RAISED_UPCALL;
	return was_pending ? EVTCHN_RAISED_NONE : EVTCHN_RAISED_QUIET;
}

enum evtchn_raise evtchn_fifo_raise(struct evtchn_domain *d, uint32_t port, unsigned *vcpu)
{
	enum evtchn_raise r;

	spin_lock(&d->fifo.lock);
	r = evtchn_fifo_raise_locked(d, port, vcpu);
	spin_unlock(&d->fifo.lock);
	return r;
}

/*
 * Xen's evtchn_fifo_unmask: clear MASKED (seq_cst, the other half of the
 * pair in evtchn_fifo_raise_locked) and link the event if it is pending.
 * The guest normally clears MASKED itself and asks only when PENDING.
 */
static bool fifo_unmask(struct evtchn_domain *d, uint32_t port, unsigned *vcpu)
{
	enum evtchn_raise r = EVTCHN_RAISED_NONE;
	event_word_t *w;

	spin_lock(&d->fifo.lock);
	w = fifo_word(d, port);
	if (w) {
		__atomic_fetch_and(w, ~W_MASKED, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(w, __ATOMIC_SEQ_CST) & W_PENDING)
			r = evtchn_fifo_raise_locked(d, port, vcpu);
	}
	spin_unlock(&d->fifo.lock);
	return r == EVTCHN_RAISED_UPCALL;
}

/*
 * bind_vcpu moved the port: a PENDING event not yet LINKED (and not
 * MASKED, checked by the raise) links into the new vCPU's queue now. One
 * already LINKED stays in the old vCPU's queue, which consumes it, as in
 * Xen; the next one links into the new vCPU's (fifo_lastq drops the old
 * tail). seq_cst load under the fifo lock: see evtchn_fifo_raise_locked.
 */
static bool fifo_redeliver(struct evtchn_domain *d, uint32_t port, unsigned *vcpu)
{
	enum evtchn_raise r = EVTCHN_RAISED_NONE;
	event_word_t *w;

	spin_lock(&d->fifo.lock);
	w = fifo_word(d, port);
	if (w && (__atomic_load_n(w, __ATOMIC_SEQ_CST) & W_PENDING))
		r = evtchn_fifo_raise_locked(d, port, vcpu);
	spin_unlock(&d->fifo.lock);
	return r == EVTCHN_RAISED_UPCALL;
}

/*
 * A closed port stops being pending (Xen clears PENDING; a LINKED word
 * stays in its queue until the guest walks past it, see is_busy). Release:
 * the hypervisor's earlier writes for the port come before the clear.
 */
static void fifo_clear_pending(struct evtchn_domain *d, uint32_t port)
{
	event_word_t *w;

	spin_lock(&d->fifo.lock);
	w = fifo_word(d, port);
	if (w)
		__atomic_fetch_and(w, ~W_PENDING, __ATOMIC_RELEASE);
	__atomic_store_n(&evtchn_port_of(d, port)->fifo_pending, false, __ATOMIC_RELAXED);
	spin_unlock(&d->fifo.lock);
}

/* Acquire loads, as in abi_2l.c: who acts on a bit sees what set it. */
static bool fifo_is_pending(const struct evtchn_domain *d, uint32_t port)
{
	const event_word_t *w = fifo_word(d, port);

	return w && (__atomic_load_n(w, __ATOMIC_ACQUIRE) & W_PENDING);
}

static bool fifo_is_masked(const struct evtchn_domain *d, uint32_t port)
{
	const event_word_t *w = fifo_word(d, port);

	return !w || (__atomic_load_n(w, __ATOMIC_ACQUIRE) & W_MASKED);
}

/* As Xen: a port still LINKED into a queue is not reallocated. */
static bool fifo_is_busy(const struct evtchn_domain *d, uint32_t port)
{
	const event_word_t *w = fifo_word(d, port);

	return w && (__atomic_load_n(w, __ATOMIC_ACQUIRE) & W_LINKED);
}

const struct evtchn_abi_ops evtchn_abi_fifo = {
	.set_pending = evtchn_fifo_raise,
	.clear_pending = fifo_clear_pending,
	.unmask = fifo_unmask,
	.redeliver = fifo_redeliver,
	.is_pending = fifo_is_pending,
	.is_masked = fifo_is_masked,
	.is_busy = fifo_is_busy,
	.nr_ports = EVTCHN_FIFO_NR_CHANNELS,
};

_Static_assert(EVTCHN_FIFO_ARRAY_PAGES_MAX == 128, "Xen's EVTCHN_FIFO_MAX_EVENT_ARRAY_PAGES");
_Static_assert(EVTCHN_NR_PORTS % EVTCHN_BUCKET_PORTS == 0, "buckets start on a page of words");
