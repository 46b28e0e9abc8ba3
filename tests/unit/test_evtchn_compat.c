/* SPDX-License-Identifier: MIT */
/*
 * Host tests for the 2-level ABI over a 32-bit guest's shared_info
 * (evtchn/abi_2l_compat.c, struct compat_shared_info in core/compat.h):
 * selector bit w is 32-bit pending word w at offset 4 of vcpu_info, the
 * mask is read after 32 pending words, ports stop at 1024, and the latch
 * (evtchn_set_compat_layout) switches between the two tables only.
 * Links the event-channel core alone with its own sched_notify seam.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#include "core/compat.h"
#include "evtchn/evtchn.h"
#include "lib/errno.h"
#include "lib/lib.h"
#include "sched/notify.h"
#include "unit.h"

static struct evtchn_domain dom;
static struct compat_shared_info *cs;
static struct evtchn_port *ports;
static char vcpu_tag;
static int notifies;

void sched_notify(struct vcpu *v, enum sched_event ev, bool lazy)
{
	(void)lazy;
	if ((char *)(void *)v != &vcpu_tag)
		abort();
	if (ev == SCHED_EVENT_UPCALL)
		notifies++;
}

static void world_init(void)
{
	free(cs);
	free(ports);
	/* The page as Bolt allocates it: a whole native shared_info. */
	cs = calloc(1, sizeof(struct shared_info));
	ports = malloc(EVTCHN_NR_PORTS * sizeof(*ports));
	if (!cs || !ports)
		abort();
	if (evtchn_domain_init(&dom, 1, (struct shared_info *)(void *)cs, ports,
			       EVTCHN_DELIVERY_IMMEDIATE,
			       (struct vcpu *[1]){ (struct vcpu *)(void *)&vcpu_tag }, 1))
		abort();
	notifies = 0;
}

static uint32_t bind_ipi(void)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };

	if (evtchn_op_bind_ipi(&dom, &ipi))
		return 0;
	return ipi.port;
}

static void test_latch(void)
{
	world_init();
	CHECK(dom.abi == &evtchn_abi_2l);
	evtchn_set_compat_layout(&dom, true);
	CHECK(dom.abi == &evtchn_abi_2l_compat);
	evtchn_set_compat_layout(&dom, true);
	CHECK(dom.abi == &evtchn_abi_2l_compat);
	evtchn_set_compat_layout(&dom, false);
	CHECK(dom.abi == &evtchn_abi_2l);
	/* A domain on another ABI (FIFO) keeps it. */
	{
		static const struct evtchn_abi_ops other;

		dom.abi = &other;
		evtchn_set_compat_layout(&dom, true);
		CHECK(dom.abi == &other);
		dom.abi = &evtchn_abi_2l;
	}
}

static void test_selector_and_mask(void)
{
	uint32_t p = 0;

	world_init();
	evtchn_set_compat_layout(&dom, true);
	for (unsigned i = 0; i < 40; i++)
		p = bind_ipi();
	CHECK_EQ(p, 40);
	/* Port 40: 32-bit word 1, bit 8; selector bit 1 at offset 4. */
	CHECK_EQ(evtchn_op_send(&dom, p), 0);
	CHECK_EQ(cs->evtchn_pending[1], 1u << 8);
	CHECK_EQ(cs->vcpu_info[0].evtchn_pending_sel, 2);
	CHECK_EQ(cs->vcpu_info[0].evtchn_upcall_pending, 1);
	CHECK_EQ(notifies, 1);
	/* Nothing at the native selector's place (offset 8: the compat cr2). */
	CHECK_EQ(cs->vcpu_info[0].cr2, 0);
	CHECK_EQ(evtchn_port_pending(&dom, p), 1);

	/* The guest's mask, at offset 2176, holds a send back. */
	cs->evtchn_pending[1] = 0;
	cs->vcpu_info[0].evtchn_pending_sel = 0;
	cs->vcpu_info[0].evtchn_upcall_pending = 0;
	cs->evtchn_mask[1] = 1u << 8;
	CHECK(evtchn_abi_2l_compat.is_masked(&dom, p));
	CHECK_EQ(evtchn_op_send(&dom, p), 0);
	CHECK_EQ(cs->evtchn_pending[1], 1u << 8);
	CHECK_EQ(cs->vcpu_info[0].evtchn_pending_sel, 0);
	CHECK_EQ(cs->vcpu_info[0].evtchn_upcall_pending, 0);
	CHECK_EQ(evtchn_op_unmask(&dom, p), 0);
	CHECK_EQ(cs->evtchn_mask[1], 0);
	CHECK_EQ(cs->vcpu_info[0].evtchn_pending_sel, 2);
	CHECK_EQ(cs->vcpu_info[0].evtchn_upcall_pending, 1);
	CHECK_EQ(notifies, 2);
	/* Close clears the pending bit where the guest sees it. */
	CHECK_EQ(evtchn_op_close(&dom, p), 0);
	CHECK_EQ(cs->evtchn_pending[1], 0);
}

static void test_port_limit(void)
{
	world_init();
	evtchn_set_compat_layout(&dom, true);
	for (uint32_t i = 1; i < COMPAT_EVTCHN_NR_PORTS; i++)
		if (bind_ipi() != i) {
			CHECK_EQ(i, 0);
			return;
		}
	/* 1024 ports in 32 words of 32 bits: the 1024th allocation has none left. */
	{
		struct evtchn_bind_ipi ipi = { .vcpu = 0 };

		CHECK_EQ(evtchn_op_bind_ipi(&dom, &ipi), -XEN_ENOSPC);
	}
	/* The last port works: word 31, bit 31, selector bit 31. */
	CHECK_EQ(evtchn_op_send(&dom, 1023), 0);
	CHECK_EQ(cs->evtchn_pending[31], 1u << 31);
	CHECK_EQ(cs->vcpu_info[0].evtchn_pending_sel, 1u << 31);
	/* A port the guest cannot see is never raised. */
	CHECK(evtchn_abi_2l_compat.set_pending(&dom, 1024, &(unsigned){ 0 }) == EVTCHN_RAISED_NONE);
	CHECK(!evtchn_abi_2l_compat.is_pending(&dom, 1024));
	CHECK_EQ(cs->evtchn_mask[0], 0); /* 1024 would be the first mask word */
}

void unit_main(void)
{
	TEST(test_latch);
	TEST(test_selector_and_mask);
	TEST(test_port_limit);
	free(cs);
	free(ports);
}
