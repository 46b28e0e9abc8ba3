/* SPDX-License-Identifier: MIT */
/*
 * The FIFO ABI's commands (EVTCHNOP_init_control, expand_array,
 * set_priority) and the way back to 2-level (EVTCHNOP_reset, a guest
 * restart), with Xen's checks and error codes (xen/common/event_fifo.c).
 * A domain starts in 2-level; its first init_control (on any vCPU)
 * switches it, keeping the ports it has bound and their pending state;
 * each other vCPU then gets its own control block and queues with its own
 * init_control (Linux issues one per CPU it brings up). The words and
 * queues themselves are evtchn/abi_fifo.c.
 *
 * Port storage: ports below EVTCHN_NR_PORTS are the caller's table; above
 * it, a bucket of EVTCHN_BUCKET_PORTS comes from the embedder as the event
 * array grows. Ports exist up to one page's worth beyond the words the
 * array covers (at least EVTCHN_NR_PORTS), so a guest can bind a port
 * first and then add the page for it, as Linux does; until then its
 * pending state is kept in the port (fifo_pending). Buckets are never
 * freed: a reset keeps them for the next FIFO life of the domain.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "evtchn/evtchn.h"
#include "evtchn/internal.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define PAGE_BYTES 4096u

static bool is_fifo(const struct evtchn_domain *d)
{
	return d->abi == &evtchn_abi_fifo;
}

static void *map_frame(struct evtchn_domain *d, uint64_t gfn)
{
	return d->host && d->host->map_frame ? d->host->map_frame(d->host_ctx, gfn) : NULL;
}

/*
 * Switch d to FIFO with cb as vCPU v's control block; d's lock held.
 * Bound ports get the default priority and keep their 2-level pending
 * bit as fifo_pending (Xen's setup_ports), to be linked once an array
 * page covers them.
 *
 * A sender holds its own lock, not d's, so it may be setting a 2-level
 * bit right now: the abi store and the bitmap scan below (after a seq_cst
 * fence) are ordered as seq_cst,
 * against the seq_cst bit fetch-or and abi re-load in abi_2l.c (a Dekker
 * pair): either the scan sees the bit, or the sender sees FIFO and raises
 * the port again through evtchn_fifo_raise, which waits for the fifo lock
 * held here. A port raised both ways is pending once.
 */
static void switch_to_fifo_locked(struct evtchn_domain *d, unsigned v,
				  struct evtchn_fifo_control_block *cb)
{
	struct evtchn_fifo *f = &d->fifo;
	const struct evtchn_abi_ops *prev = d->abi; /* native or compat 2-level */

	spin_lock(&f->lock);
	memset(f->vcpu, 0, sizeof(f->vcpu));
	f->vcpu[v].cb = cb;
	memset(f->array, 0, sizeof(f->array));
	__atomic_store_n(&f->nr_words, 0, __ATOMIC_RELEASE);
	for (uint32_t port = 1; port < EVTCHN_NR_PORTS; port++) {
		d->ports[port].priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		d->ports[port].fifo_pending = false;
	}
	__atomic_store_n(&d->abi, &evtchn_abi_fifo, __ATOMIC_SEQ_CST);
	/* Full fence: the 2-level is_pending loads below are only acquire. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (uint32_t port = 1; port < EVTCHN_NR_PORTS; port++)
		if (prev->is_pending(d, port))
			d->ports[port].fifo_pending = true;
	spin_unlock(&f->lock);
}

int evtchn_op_init_control(struct evtchn_domain *d, struct evtchn_init_control *op)
{
	struct evtchn_fifo_control_block *cb;
	uint8_t *page;
	int rc = 0;

	op->link_bits = EVTCHN_FIFO_LINK_BITS; /* as Xen: set whatever the outcome */
	if (op->vcpu >= d->nr_vcpus)
		return -XEN_ENOENT;
	/* Xen's order: the block must fit in the page, then be 8-byte aligned. */
	if (op->offset > PAGE_BYTES - sizeof(struct evtchn_fifo_control_block))
		return -XEN_EINVAL;
	if (op->offset & 7)
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	if (d->fifo.vcpu[op->vcpu].cb) { /* Xen: the vCPU's control block is already mapped */
		rc = -XEN_EINVAL;
		goto out;
	}
	page = map_frame(d, op->control_gfn);
	if (!page) {
		rc = -XEN_EINVAL;
		goto out;
	}
	cb = (struct evtchn_fifo_control_block *)(page + op->offset);
	if (!is_fifo(d)) {
		switch_to_fifo_locked(d, op->vcpu, cb);
	} else {
		/*
		 * Another vCPU's block (Xen's map_control_block): under the
		 * fifo lock, where senders look for it. Its queues start
		 * empty; an event raised for it before this stayed PENDING
		 * and unlinked, as in Xen, until its next raise or unmask.
		 */
		spin_lock(&d->fifo.lock);
		memset(d->fifo.vcpu[op->vcpu].tail, 0, sizeof(d->fifo.vcpu[op->vcpu].tail));
		d->fifo.vcpu[op->vcpu].cb = cb;
		spin_unlock(&d->fifo.lock);
	}
out:
	spin_unlock(&d->lock);
	return rc;
}

/*
 * Ports that exist once the array covers nr_words words (see the top),
 * never more than d's max_event_channels cap.
 */
static uint32_t ports_for(const struct evtchn_domain *d, uint32_t nr_words)
{
	return MIN(d->max_ports,
		   MAX((uint32_t)EVTCHN_NR_PORTS, nr_words + (uint32_t)EVTCHN_BUCKET_PORTS));
}

/* Make sure ports [EVTCHN_NR_PORTS, nr) have storage; -XEN_ENOMEM if not. */
static int buckets_ensure(struct evtchn_domain *d, uint32_t nr)
{
	for (uint32_t b = 0; EVTCHN_NR_PORTS + b * EVTCHN_BUCKET_PORTS < nr; b++) {
		if (d->bucket[b])
			continue;
		if (!d->host || !d->host->zalloc)
			return -XEN_ENOMEM;
		d->bucket[b] = d->host->zalloc(d->host_ctx,
					       EVTCHN_BUCKET_PORTS * sizeof(struct evtchn_port));
		if (!d->bucket[b])
			return -XEN_ENOMEM;
	}
	return 0;
}

/*
 * Publish the page at slot and re-raise the ports it covers that became
 * pending while it was missing (Xen's add_page_to_event_array). d's lock
 * held. Release on nr_words: the page pointer is stored before it (pairs
 * with the acquire in abi_fifo.c's fifo_word). Records the strongest
 * raise per vCPU in best[] (and its delivery in how[]).
 */
static void publish_page(struct evtchn_domain *d, uint32_t slot, event_word_t *page,
			 enum evtchn_raise best[EVTCHN_MAX_VCPUS],
			 enum evtchn_delivery how[EVTCHN_MAX_VCPUS])
{
	struct evtchn_fifo *f = &d->fifo;
	uint32_t first = slot * EVTCHN_FIFO_WORDS_PER_PAGE;
	/* Under a max_event_channels cap the page may cover words of no port. */
	uint32_t end = MIN(first + (uint32_t)EVTCHN_FIFO_WORDS_PER_PAGE, d->nr_ports);

	spin_lock(&f->lock);
	f->array[slot] = page;
	__atomic_store_n(&f->nr_words, first + EVTCHN_FIFO_WORDS_PER_PAGE, __ATOMIC_RELEASE);
	for (uint32_t port = first; port < end; port++) {
		struct evtchn_port *p = evtchn_port_of(d, port);
		enum evtchn_raise r;
		unsigned v = 0;

		if (!p->fifo_pending)
			continue;
		__atomic_store_n(&p->fifo_pending, false, __ATOMIC_RELAXED);
		r = evtchn_fifo_raise_locked(d, port, &v);
		if (r > best[v]) {
			best[v] = r;
			how[v] = (enum evtchn_delivery)p->delivery;
		}
	}
	spin_unlock(&f->lock);
}

int evtchn_op_expand_array(struct evtchn_domain *d, struct evtchn_expand_array *op)
{
	enum evtchn_delivery how[EVTCHN_MAX_VCPUS];
	enum evtchn_raise raised[EVTCHN_MAX_VCPUS];
	uint32_t slot, nr;
	void *page;
	int rc = 0;

	for (unsigned v = 0; v < EVTCHN_MAX_VCPUS; v++) {
		how[v] = d->delivery;
		raised[v] = EVTCHN_RAISED_NONE;
	}
	spin_lock(&d->lock);
	if (!is_fifo(d)) {
		rc = -XEN_EOPNOTSUPP; /* Xen: no init_control yet */
		goto out;
	}
	slot = d->fifo.nr_words / EVTCHN_FIFO_WORDS_PER_PAGE;
	/*
	 * Xen: no more than 128 pages. Bolt also refuses a page whose words
	 * are all at or past max_event_channels (no port there may exist;
	 * Xen would take the page and refuse at allocation), so a guest
	 * never grows past its cap, in pages or in port buckets.
	 */
	if (slot >= EVTCHN_FIFO_ARRAY_PAGES_MAX ||
	    slot * (uint32_t)EVTCHN_FIFO_WORDS_PER_PAGE >= d->max_ports) {
		rc = -XEN_ENOSPC;
		goto out;
	}
	page = map_frame(d, op->array_gfn);
	if (!page) {
		rc = -XEN_EINVAL;
		goto out;
	}
	nr = ports_for(d, (slot + 1) * (uint32_t)EVTCHN_FIFO_WORDS_PER_PAGE);
	rc = buckets_ensure(d, nr);
	if (rc)
		goto out;
	/* New ports first: the re-raise below walks ports of the new page. */
	__atomic_store_n(&d->nr_ports, MAX(d->nr_ports, nr), __ATOMIC_RELAXED);
	publish_page(d, slot, page, raised, how);
out:
	spin_unlock(&d->lock);
	for (unsigned v = 0; v < d->nr_vcpus; v++)
		evtchn_notify(d, v, how[v], raised[v]);
	return rc;
}

/* Xen's order: a bad port -EINVAL, 2-level -ENOSYS, then the priority. */
int evtchn_op_set_priority(struct evtchn_domain *d, struct evtchn_set_priority *op)
{
	int rc = 0;

	if (!evtchn_port_in_range(d, op->port))
		return -XEN_EINVAL;
	spin_lock(&d->lock);
	if (!is_fifo(d)) {
		rc = -XEN_ENOSYS;
	} else if (op->priority > EVTCHN_FIFO_PRIORITY_MIN) {
		rc = -XEN_EINVAL;
	} else {
		/*
		 * Future events go to the new queue; one already linked stays
		 * in the old one, as in Xen. Under the fifo lock: senders read
		 * it there.
		 */
		spin_lock(&d->fifo.lock);
		evtchn_port_of(d, op->port)->priority = (uint8_t)op->priority;
		spin_unlock(&d->fifo.lock);
	}
	spin_unlock(&d->lock);
	return rc;
}

/*
 * Back to 2-level: only with every port closed (so no sender can be inside
 * the FIFO code for d: a send holds the sender's lock, which each close
 * also took) and d's lock held.
 */
void evtchn_fifo_teardown_locked(struct evtchn_domain *d)
{
	struct evtchn_fifo *f = &d->fifo;

	spin_lock(&f->lock);
	__atomic_store_n(&d->abi, evtchn_abi_2l_of(d), __ATOMIC_RELEASE);
	memset(f->vcpu, 0, sizeof(f->vcpu)); /* every control block and tail */
	__atomic_store_n(&f->nr_words, 0, __ATOMIC_RELEASE);
	memset(f->array, 0, sizeof(f->array));
	__atomic_store_n(&d->nr_ports, MIN((uint32_t)EVTCHN_NR_PORTS, d->max_ports),
			 __ATOMIC_RELAXED);
	spin_unlock(&f->lock);
}
