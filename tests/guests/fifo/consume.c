/* SPDX-License-Identifier: MIT */
/*
 * A guest-side FIFO consumer (xen/event_channel.h's protocol, as Linux's
 * drivers/xen/events/events_fifo.c): the control block and array pages
 * are static, page-aligned arrays (identity-mapped: gfn = address >> 12);
 * consuming takes the highest-priority READY queue (lowest bit) and walks
 * it from HEAD along LINK, clearing LINKED with a cmpxchg.
 */
#include "fifo.h"

#define PEND ((event_word_t)1 << EVTCHN_FIFO_PENDING)
#define MASKED ((event_word_t)1 << EVTCHN_FIFO_MASKED)
#define LINKED ((event_word_t)1 << EVTCHN_FIFO_LINKED)

static uint8_t fg_cb_mem[4096] __attribute__((aligned(4096)));
static event_word_t fg_words[FG_PAGES * 1024] __attribute__((aligned(4096)));
static unsigned fg_pages;
static uint32_t fg_head[EVTCHN_FIFO_MAX_QUEUES];
static uint32_t fg_ready;

long fg_evtchn_op(unsigned int cmd, void *arg)
{
	return bolt_hypercall5(__HYPERVISOR_event_channel_op, cmd, (unsigned long)(uintptr_t)arg,
			       0, 0, 0);
}

struct evtchn_fifo_control_block *fg_cb(void)
{
	return (struct evtchn_fifo_control_block *)(void *)fg_cb_mem;
}

uint8_t *fg_cb_page(void)
{
	return fg_cb_mem;
}

uint8_t *fg_array_bytes(void)
{
	return (uint8_t *)fg_words;
}

event_word_t *fg_word(evtchn_port_t port)
{
	return &fg_words[port];
}

long fg_expand(void)
{
	struct evtchn_expand_array ea;
	long ret;

	if (fg_pages >= FG_PAGES)
		return -XEN_ENOSPC;
	ea.array_gfn = ((uintptr_t)fg_words >> 12) + fg_pages;
	ret = fg_evtchn_op(EVTCHNOP_expand_array, &ea);
	if (ret == 0)
		fg_pages++;
	return ret;
}

long fg_init(unsigned pages)
{
	struct evtchn_init_control ic = { .control_gfn = (uintptr_t)fg_cb_mem >> 12 };
	long ret = fg_evtchn_op(EVTCHNOP_init_control, &ic);

	fg_pages = 0;
	fg_ready = 0;
	memset(fg_head, 0, sizeof(fg_head));
	for (unsigned i = 0; ret == 0 && i < pages; i++)
		ret = fg_expand();
	return ret;
}

long fg_set_priority(evtchn_port_t port, uint32_t prio)
{
	struct evtchn_set_priority sp = { .port = port, .priority = prio };

	return fg_evtchn_op(EVTCHNOP_set_priority, &sp);
}

static uint32_t fg_clear_linked(event_word_t *w)
{
	event_word_t old = __atomic_load_n(w, __ATOMIC_SEQ_CST), nw;

	do
		nw = old & ~(LINKED | EVTCHN_FIFO_LINK_MASK);
	while (!__atomic_compare_exchange_n(w, &old, nw, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST));
	return old & EVTCHN_FIFO_LINK_MASK;
}

evtchn_port_t fg_consume(void)
{
	for (;;) {
		uint32_t port, next;
		unsigned q;

		fg_ready |= __atomic_exchange_n(&fg_cb()->ready, 0, __ATOMIC_SEQ_CST);
		if (!fg_ready)
			return 0;
		q = (unsigned)__builtin_ctz(fg_ready);
		port = fg_head[q];
		if (!port)
			port = __atomic_load_n(&fg_cb()->head[q], __ATOMIC_SEQ_CST);
		if (port == 0 || port >= fg_pages * 1024u) { /* never from a sane Bolt */
			fg_ready &= ~(1u << q);
			fg_head[q] = 0;
			continue;
		}
		next = fg_clear_linked(fg_word(port));
		if (!next)
			fg_ready &= ~(1u << q);
		fg_head[q] = next;
		if ((*fg_word(port) & PEND) && !(*fg_word(port) & MASKED)) {
			__atomic_fetch_and(fg_word(port), ~PEND, __ATOMIC_SEQ_CST);
			return port;
		}
	}
}

void fg_upcalls_off(void)
{
	__asm__ volatile("cli" : : : "memory");
	__atomic_store_n(&bolt_shared_info()->vcpu_info[0].evtchn_upcall_mask, 1,
			 __ATOMIC_SEQ_CST);
}
