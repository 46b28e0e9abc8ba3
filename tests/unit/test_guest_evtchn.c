/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the guest SDK's event-channel bit operations
 * (guests/sdk/evtchn.c) and upcall dispatch (guests/sdk/upcall.c) against
 * a shared_info in host memory. This file stands in for guests/sdk/xen.c
 * (bolt_shared_info, bolt_xen): with no Xen CPUID base, the hypercall
 * wrappers must refuse with -XEN_ENOSYS instead of issuing a VMCALL.
 */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"

/*
 * The SDK is guest code, not one of the Makefile's HOST_SRCS: compile the
 * two files under test into this test directly.
 */
#include "guests/sdk/evtchn.c"
#include "guests/sdk/upcall.c"

/* --- Stand-ins for xen.c ---------------------------------------------------- */

static struct shared_info test_shinfo;
static bool test_have_shinfo = true;
static struct bolt_xen_state test_xen; /* cpuid_base 0: no hypercalls */
uintptr_t bolt_hypercall_page;

/* Not on Bolt here: the SDK's sends take the plain EVTCHNOP_send path. */
int bolt_info(struct bolt_info *info)
{
	(void)info;
	return -XEN_ENODEV;
}

struct shared_info *bolt_shared_info(void)
{
	return test_have_shinfo ? &test_shinfo : NULL;
}

const struct bolt_xen_state *bolt_xen(void)
{
	return &test_xen;
}

/* --- Helpers ------------------------------------------------------------------ */

#define BITS 64u

/* What Bolt does to deliver an event on port (2-level, unmasked or not). */
static void raise_event(evtchn_port_t port)
{
	xen_ulong_t bit = (xen_ulong_t)1 << (port % BITS);

	if (test_shinfo.evtchn_pending[port / BITS] & bit)
		return;
	test_shinfo.evtchn_pending[port / BITS] |= bit;
	if (test_shinfo.evtchn_mask[port / BITS] & bit)
		return;
	test_shinfo.vcpu_info[0].evtchn_pending_sel |= (xen_ulong_t)1 << (port / BITS);
	test_shinfo.vcpu_info[0].evtchn_upcall_pending = 1;
}

static bool pending(evtchn_port_t port)
{
	return test_shinfo.evtchn_pending[port / BITS] & ((xen_ulong_t)1 << (port % BITS));
}

static void reset(void)
{
	evtchn_port_t p;

	memset(&test_shinfo, 0, sizeof(test_shinfo));
	test_have_shinfo = true;
	for (p = 0; p < BOLT_EVTCHN_PORTS; p++)
		bolt_evtchn_set_handler(p, NULL, NULL);
}

struct calls {
	unsigned int n;
	evtchn_port_t last_port;
	bool pending_in_handler; /* the SDK must clear the bit before the call */
	unsigned int reraise;	 /* raise the port again this many times */
};

static void count_handler(evtchn_port_t port, void *arg)
{
	struct calls *c = arg;

	c->n++;
	c->last_port = port;
	c->pending_in_handler = pending(port);
	if (c->reraise) {
		c->reraise--;
		raise_event(port);
	}
}

/* --- Tests ---------------------------------------------------------------------- */

static void test_bits(void)
{
	uint64_t before;

	reset();
	CHECK(!bolt_evtchn_is_pending(3));
	CHECK(!bolt_evtchn_test_and_clear(3));
	raise_event(3);
	CHECK(bolt_evtchn_is_pending(3));
	before = bolt_evtchn_count(3);
	CHECK(bolt_evtchn_test_and_clear(3));
	CHECK(!pending(3));
	CHECK_EQ(bolt_evtchn_count(3), before + 1);
	CHECK(!bolt_evtchn_test_and_clear(3));
	CHECK_EQ(bolt_evtchn_count(3), before + 1);

	/* Last port of the last word, and out-of-range ports. */
	raise_event(BOLT_EVTCHN_PORTS - 1);
	CHECK(bolt_evtchn_is_pending(BOLT_EVTCHN_PORTS - 1));
	CHECK(bolt_evtchn_test_and_clear(BOLT_EVTCHN_PORTS - 1));
	CHECK(!bolt_evtchn_is_pending(BOLT_EVTCHN_PORTS));
	CHECK(!bolt_evtchn_test_and_clear(BOLT_EVTCHN_PORTS));
	bolt_evtchn_mask(BOLT_EVTCHN_PORTS); /* ignored, must not write past the map */
	CHECK_EQ(bolt_evtchn_count(BOLT_EVTCHN_PORTS), 0);

	bolt_evtchn_mask(65);
	CHECK(test_shinfo.evtchn_mask[1] == 2);
	bolt_evtchn_mask(65);
	CHECK(test_shinfo.evtchn_mask[1] == 2);

	/* Without shared_info nothing is ever pending. */
	raise_event(4);
	test_have_shinfo = false;
	CHECK(!bolt_evtchn_is_pending(4));
	CHECK(!bolt_evtchn_test_and_clear(4));
	bolt_evtchn_mask(4);
	sdk_upcall();
}

static void test_upcall_leaves_unhandled(void)
{
	static struct bolt_trace_acks acks;
	uint64_t count;

	reset();
	raise_event(5);
	count = bolt_evtchn_count(5);
	sdk_trace_acks = &acks; /* as if bolt_trace_map() had succeeded */
	sdk_upcall();
	sdk_trace_acks = NULL;
	CHECK_EQ(test_shinfo.vcpu_info[0].evtchn_upcall_pending, 0);
	CHECK(test_shinfo.vcpu_info[0].evtchn_pending_sel == 0);
	/* No handler: still pending for the waiters, not counted yet... */
	CHECK(pending(5));
	/* ... but the upcall saw it: one trace ack for Bolt's dump. */
	CHECK_EQ(acks.head, 1);
	CHECK_EQ(acks.rec[0].port, 5);
	CHECK(acks.rec[0].tsc != 0);
	CHECK_EQ(bolt_evtchn_count(5), count);
	CHECK(bolt_evtchn_test_and_clear(5));
	CHECK_EQ(bolt_evtchn_count(5), count + 1);
}

static void test_upcall_dispatch(void)
{
	struct calls a = { 0 }, b = { 0 };
	uint64_t count70;

	reset();
	CHECK_EQ(bolt_evtchn_set_handler(70, count_handler, &a), 0);
	CHECK_EQ(bolt_evtchn_set_handler(200, count_handler, &b), 0);
	count70 = bolt_evtchn_count(70);
	raise_event(70);
	raise_event(200);
	raise_event(7); /* no handler */
	sdk_upcall();
	CHECK_EQ(a.n, 1);
	CHECK_EQ(a.last_port, 70);
	CHECK(!a.pending_in_handler);
	CHECK_EQ(b.n, 1);
	CHECK_EQ(b.last_port, 200);
	CHECK(!pending(70));
	CHECK(!pending(200));
	CHECK(pending(7));
	CHECK_EQ(bolt_evtchn_count(70), count70 + 1);

	/* A second upcall with nothing new calls nobody. */
	sdk_upcall();
	CHECK_EQ(a.n, 1);
	CHECK_EQ(b.n, 1);

	/* Removing the handler leaves the port pending. */
	CHECK_EQ(bolt_evtchn_set_handler(70, NULL, NULL), 0);
	raise_event(70);
	sdk_upcall();
	CHECK_EQ(a.n, 1);
	CHECK(pending(70));
}

static void test_upcall_masked_and_unselected(void)
{
	struct calls a = { 0 };

	reset();
	CHECK_EQ(bolt_evtchn_set_handler(9, count_handler, &a), 0);
	bolt_evtchn_mask(9);
	raise_event(9); /* masked: Bolt sets pending only */
	sdk_upcall();
	CHECK_EQ(a.n, 0);
	CHECK(pending(9));
	/* Its word scanned for another port: the masked one is still skipped. */
	raise_event(8);
	sdk_upcall();
	CHECK_EQ(a.n, 0);
	CHECK(pending(9));
	CHECK(pending(8));

	/* Unmasked but its word not in the selector: not scanned. */
	test_shinfo.evtchn_mask[0] = 0;
	test_shinfo.vcpu_info[0].evtchn_upcall_pending = 1;
	sdk_upcall();
	CHECK_EQ(a.n, 0);
	/* Once the selector names the word, it is dispatched. */
	test_shinfo.vcpu_info[0].evtchn_pending_sel = 1;
	test_shinfo.vcpu_info[0].evtchn_upcall_pending = 1;
	sdk_upcall();
	CHECK_EQ(a.n, 1);
	CHECK(!pending(9));
}

static void test_upcall_rescan(void)
{
	struct calls a = { .reraise = 2 }, b = { .reraise = 1000 };

	reset();
	/* An event raised during the upcall is handled in the same upcall. */
	CHECK_EQ(bolt_evtchn_set_handler(11, count_handler, &a), 0);
	raise_event(11);
	sdk_upcall();
	CHECK_EQ(a.n, 3);
	CHECK_EQ(test_shinfo.vcpu_info[0].evtchn_upcall_pending, 0);

	/* A port that re-raises itself forever: bounded, and left flagged. */
	CHECK_EQ(bolt_evtchn_set_handler(12, count_handler, &b), 0);
	raise_event(12);
	sdk_upcall();
	CHECK(b.n >= 2 && b.n <= 16);
	CHECK_EQ(test_shinfo.vcpu_info[0].evtchn_upcall_pending, 1);
}

static void test_handler_args(void)
{
	CHECK_EQ(bolt_evtchn_set_handler(BOLT_EVTCHN_PORTS, count_handler, NULL), -XEN_EINVAL);
	CHECK_EQ(bolt_evtchn_set_handler(0xffffffffu, NULL, NULL), -XEN_EINVAL);
}

static void test_no_xen(void)
{
	struct evtchn_status st;
	evtchn_port_t port = 99;

	CHECK_EQ(bolt_evtchn_send(1), -XEN_ENOSYS);
	CHECK_EQ(bolt_evtchn_close(1), -XEN_ENOSYS);
	CHECK_EQ(bolt_evtchn_unmask(1), -XEN_ENOSYS);
	CHECK_EQ(bolt_evtchn_alloc_unbound(2, &port), -XEN_ENOSYS);
	CHECK_EQ(bolt_evtchn_bind_interdomain(2, 1, &port), -XEN_ENOSYS);
	CHECK_EQ(bolt_evtchn_bind_virq(VIRQ_TIMER, &port), -XEN_ENOSYS);
	CHECK_EQ(bolt_evtchn_bind_ipi(&port), -XEN_ENOSYS);
	CHECK_EQ(port, 99);
	CHECK_EQ(bolt_evtchn_status(5, &st), -XEN_ENOSYS);
	CHECK_EQ(st.port, 5);
	CHECK_EQ(st.dom, DOMID_SELF);
}

void unit_main(void)
{
	TEST(test_bits);
	TEST(test_upcall_leaves_unhandled);
	TEST(test_upcall_dispatch);
	TEST(test_upcall_masked_and_unselected);
	TEST(test_upcall_rescan);
	TEST(test_handler_args);
	TEST(test_no_xen);
}
