/* SPDX-License-Identifier: MIT */
/*
 * Event-channel upcall dispatch (2-level ABI): entry.S's sdk_upcall_entry
 * calls sdk_upcall() with interrupts off whenever Bolt injects
 * BOLT_UPCALL_VECTOR. Ports with a handler are cleared and dispatched;
 * ports without one stay pending so that bolt_evtchn_wait and friends,
 * which test the pending bit themselves, see them. Also the per-port
 * consumed-event counters and upcall timestamps.
 */
#include "guests/sdk/sdk-internal.h"
#include <bolt/sdk/evtchn.h>

#define SDK_BITS_PER_WORD (sizeof(xen_ulong_t) * 8)
/*
 * Rescans of one upcall when events keep arriving. Past it we return with
 * evtchn_upcall_pending still 1, so Bolt re-injects right away and the
 * interrupted code gets one instruction in between: no livelock inside here.
 */
#define SDK_UPCALL_MAX_SCANS 8

struct sdk_port_handler {
	bolt_evtchn_handler_t fn;
	void *arg;
};

static struct sdk_port_handler sdk_handlers[BOLT_EVTCHN_PORTS];
static uint64_t sdk_counts[BOLT_EVTCHN_PORTS];

/*
 * Interrupts off around a multi-word update the upcall reads; returns
 * whether they were on. The host unit tests run in user mode, where CLI
 * faults and no upcall can interrupt anyway.
 */
static bool sdk_irq_save(void)
{
#ifdef BOLT_HOST
	return false;
#else
	uint64_t flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags & (1u << 9); /* RFLAGS.IF */
#endif
}

static void sdk_irq_restore(bool on)
{
	if (on)
		__asm__ volatile("sti" : : : "memory");
}

int bolt_evtchn_set_handler(evtchn_port_t port, bolt_evtchn_handler_t fn, void *arg)
{
	bool irq;

	if (port >= BOLT_EVTCHN_PORTS)
		return -XEN_EINVAL;
	/* fn and arg must change together as far as the upcall can tell. */
	irq = sdk_irq_save();
	sdk_handlers[port].fn = fn;
	sdk_handlers[port].arg = arg;
	sdk_irq_restore(irq);
	return 0;
}

void sdk_evtchn_counted(evtchn_port_t port)
{
	if (port < BOLT_EVTCHN_PORTS)
		__atomic_fetch_add(&sdk_counts[port], 1, __ATOMIC_RELAXED);
}

uint64_t bolt_evtchn_count(evtchn_port_t port)
{
	if (port >= BOLT_EVTCHN_PORTS)
		return 0;
	return __atomic_load_n(&sdk_counts[port], __ATOMIC_RELAXED);
}

/* Set by bolt_trace_map(): Bolt's trace-ack page, or NULL. */
struct bolt_trace_acks *sdk_trace_acks;

/* Tracing (docs/tracing.md): the upcall handler's "ack" for each port it sees. */
static void sdk_trace_ack(evtchn_port_t port, uint64_t tsc)
{
	struct bolt_trace_acks *a = sdk_trace_acks;

	if (!a)
		return;
	uint32_t h = a->head;
	a->rec[h % BOLT_TRACE_ACKS].tsc = tsc;
	a->rec[h % BOLT_TRACE_ACKS].port = port;
	/* Release: Bolt reads the record only after it sees the new head. */
	__atomic_store_n(&a->head, h + 1, __ATOMIC_RELEASE);
}

/* Handle the pending, unmasked ports of one selector word. */
static void sdk_upcall_word(struct shared_info *sh, unsigned int word, uint64_t tsc)
{
	xen_ulong_t pend = __atomic_load_n(&sh->evtchn_pending[word], __ATOMIC_ACQUIRE) &
			   ~__atomic_load_n(&sh->evtchn_mask[word], __ATOMIC_ACQUIRE);

	while (pend) {
		unsigned int b = (unsigned int)__builtin_ctzl(pend);
		evtchn_port_t port = word * SDK_BITS_PER_WORD + b;
		xen_ulong_t bit = (xen_ulong_t)1 << b;
		struct sdk_port_handler h = sdk_handlers[port];

		pend &= pend - 1;
		sdk_trace_ack(port, tsc);
		if (!h.fn)
			continue; /* left pending for the waiters */
		if (!(__atomic_fetch_and(&sh->evtchn_pending[word], ~bit, __ATOMIC_SEQ_CST) & bit))
			continue;
		sdk_evtchn_counted(port);
		h.fn(port, h.arg);
	}
}

void sdk_upcall(void)
{
	struct shared_info *sh = bolt_shared_info();
	struct vcpu_info *vi;
	uint64_t tsc = bolt_rdtsc();
	unsigned int scan;

	if (!sh)
		return;
	vi = &sh->vcpu_info[0];
	for (scan = 0; scan < SDK_UPCALL_MAX_SCANS; scan++) {
		xen_ulong_t sel;

		/*
		 * Clear the flag before reading the selector: an event that
		 * arrives after the xchg sets it again and we rescan (or get
		 * re-injected), so none is missed. The xchg is a full barrier.
		 */
		__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_RELAXED);
		sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned int word = (unsigned int)__builtin_ctzl(sel);

			sel &= sel - 1;
			sdk_upcall_word(sh, word, tsc);
		}
		if (!__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE))
			break;
	}
}
