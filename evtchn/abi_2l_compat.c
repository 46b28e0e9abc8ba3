/* SPDX-License-Identifier: MIT */
/*
 * The 2-level event ABI over a 32-bit guest's shared_info (Xen's
 * has_32bit_shinfo domains; struct compat_shared_info in core/compat.h):
 * the same protocol as abi_2l.c with 32-bit words, so 1024 ports, the
 * mask bitmap right after 32 pending words, and a 4-byte selector at
 * offset 4 of vcpu_info whose bit w means 32-bit pending word w (Xen:
 * BITS_PER_EVTCHN_WORD(d) is 32 for such a domain). The memory-ordering
 * argument is abi_2l.c's, word for word. A port Bolt holds above 1023 (a
 * static channel bound before the guest switched) cannot be seen by the
 * guest: raising it does nothing, as for a port the guest never had.
 *
 * Which table a domain uses is latched by core/shinfo_layout.c through
 * evtchn_set_compat_layout(); a domain on another ABI (FIFO) keeps it.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "core/compat.h"
#include "evtchn/evtchn.h"
#include "evtchn/internal.h"

#define WORD_BITS COMPAT_EVTCHN_WORD_BITS

static inline struct compat_shared_info *cshinfo(const struct evtchn_domain *d)
{
	return (struct compat_shared_info *)(void *)d->shinfo;
}

static inline uint32_t bit_of(uint32_t port)
{
	return 1u << (port % WORD_BITS);
}

static inline uint32_t word_of(uint32_t port)
{
	return port / WORD_BITS;
}

/* vCPU v's selector and upcall flag, as abi_2l.c's twol_mark_word. */
static bool c2l_mark_word(struct evtchn_domain *d, unsigned v, uint32_t w)
{
	/*
	 * Where the guest put it (VCPUOP_register_vcpu_info; acquire pairs
	 * with its move), in the guest's 32-bit layout: the same 64 bytes,
	 * and vcpu_info[v] of shared_info at the same offset in both layouts.
	 */
	struct compat_vcpu_info *vi = (struct compat_vcpu_info *)(void *)evtchn_vcpu_info(d, v);

	__atomic_fetch_or(&vi->evtchn_pending_sel, 1u << w, __ATOMIC_ACQ_REL);
	return __atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST) == 0;
}

static enum evtchn_raise c2l_set_pending(struct evtchn_domain *d, uint32_t port, unsigned *vcpu)
{
	struct compat_shared_info *s = cshinfo(d);
	uint32_t w = word_of(port), bit = bit_of(port);

	if (port >= COMPAT_EVTCHN_NR_PORTS)
		return EVTCHN_RAISED_NONE;
	if (__atomic_fetch_or(&s->evtchn_pending[w], bit, __ATOMIC_SEQ_CST) & bit)
		return EVTCHN_RAISED_NONE;
	/* After the fetch-or: the Dekker pair with bind_vcpu, as in abi_2l.c. */
	*vcpu = evtchn_port_notify_vcpu(d, port);
	/* A switch to FIFO meanwhile: hand over, as abi_2l.c explains. */
	if (__atomic_load_n(&d->abi, __ATOMIC_SEQ_CST) == &evtchn_abi_fifo)
		return evtchn_fifo_raise(d, port, vcpu);
	if (__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST) & bit)
		return EVTCHN_RAISED_QUIET;
	return c2l_mark_word(d, *vcpu, w) ? EVTCHN_RAISED_UPCALL : EVTCHN_RAISED_QUIET;
}

static void c2l_clear_pending(struct evtchn_domain *d, uint32_t port)
{
	if (port < COMPAT_EVTCHN_NR_PORTS)
		__atomic_fetch_and(&cshinfo(d)->evtchn_pending[word_of(port)], ~bit_of(port),
				   __ATOMIC_RELEASE);
}

static bool c2l_unmask(struct evtchn_domain *d, uint32_t port, unsigned *vcpu)
{
	struct compat_shared_info *s = cshinfo(d);
	uint32_t w = word_of(port), bit = bit_of(port);

	if (port >= COMPAT_EVTCHN_NR_PORTS)
		return false;
	__atomic_fetch_and(&s->evtchn_mask[w], ~bit, __ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) & bit))
		return false;
	*vcpu = evtchn_port_notify_vcpu(d, port);
	return c2l_mark_word(d, *vcpu, w);
}

/* bind_vcpu's hand-over to the new vCPU; the ordering of abi_2l.c's twol_redeliver. */
static bool c2l_redeliver(struct evtchn_domain *d, uint32_t port, unsigned *vcpu)
{
	struct compat_shared_info *s = cshinfo(d);
	uint32_t w = word_of(port), bit = bit_of(port);

	if (port >= COMPAT_EVTCHN_NR_PORTS ||
	    !(__atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) & bit) ||
	    (__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST) & bit))
		return false;
	*vcpu = evtchn_port_notify_vcpu(d, port);
	return c2l_mark_word(d, *vcpu, w);
}

static bool c2l_is_pending(const struct evtchn_domain *d, uint32_t port)
{
	return port < COMPAT_EVTCHN_NR_PORTS &&
	       (__atomic_load_n(&cshinfo(d)->evtchn_pending[word_of(port)], __ATOMIC_ACQUIRE) &
		bit_of(port));
}

static bool c2l_is_masked(const struct evtchn_domain *d, uint32_t port)
{
	return port < COMPAT_EVTCHN_NR_PORTS &&
	       (__atomic_load_n(&cshinfo(d)->evtchn_mask[word_of(port)], __ATOMIC_ACQUIRE) &
		bit_of(port));
}

const struct evtchn_abi_ops evtchn_abi_2l_compat = {
	.set_pending = c2l_set_pending,
	.clear_pending = c2l_clear_pending,
	.unmask = c2l_unmask,
	.redeliver = c2l_redeliver,
	.is_pending = c2l_is_pending,
	.is_masked = c2l_is_masked,
	.nr_ports = COMPAT_EVTCHN_NR_PORTS,
};

void evtchn_set_compat_layout(struct evtchn_domain *d, bool compat)
{
	spin_lock(&d->lock);
	d->compat_layout = compat;
	if (compat && d->abi == &evtchn_abi_2l)
		d->abi = &evtchn_abi_2l_compat;
	else if (!compat && d->abi == &evtchn_abi_2l_compat)
		d->abi = &evtchn_abi_2l;
	spin_unlock(&d->lock);
}

const struct evtchn_abi_ops *evtchn_abi_2l_of(const struct evtchn_domain *d)
{
	return d->compat_layout ? &evtchn_abi_2l_compat : &evtchn_abi_2l;
}

_Static_assert(sizeof(((struct compat_shared_info *)0)->evtchn_pending) * 8 ==
		       COMPAT_EVTCHN_NR_PORTS,
	       "compat pending bitmap must cover COMPAT_EVTCHN_NR_PORTS");
_Static_assert(COMPAT_EVTCHN_NR_PORTS <= EVTCHN_NR_PORTS, "compat ports are a subset");
_Static_assert(sizeof(struct compat_vcpu_info) == sizeof(struct vcpu_info) &&
		       offsetof(struct compat_shared_info, vcpu_info) ==
			       offsetof(struct shared_info, vcpu_info),
	       "&shinfo->vcpu_info[v] is vCPU v's slot in both layouts");
