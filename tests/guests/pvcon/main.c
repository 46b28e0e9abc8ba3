/* SPDX-License-Identifier: MIT */
/*
 * pvcon: the Xen PV console and the xenstore params (docs/abi.md, "hvm_op"
 * and "PV console").
 *
 * Normal mode, boot 1: the params (STORE_* say "no xenstore", CONSOLE_*
 * give the ring and an unbound port waiting for domain 0; the PFNs cannot
 * be set, the EVTCHNs can), then lines through the ring: one line, a
 * batch that wraps past out[]'s 2048 bytes, a partial line finished by a
 * second notify; out_cons must reach out_prod at each notify. It reboots
 * after setting STORE_EVTCHN. Boot 2: a clean ring and params, one more
 * line, RESULT, and a line it never notifies (Bolt drains it at the stop).
 *
 * cmdline "hostile": out_prod far ahead and behind out_cons (over a ring
 * of 'Z's that must never reach the log), out_cons scribbled, then a line
 * that must still come through.
 */
#include <bolt/sdk.h>
#include <string.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

static unsigned failures;
static const char *me = "pvcon";

#define EXPECT_EQ(a, b)                                                                \
	do {                                                                           \
		long long a_ = (long long)(a), b_ = (long long)(b);                    \
		if (a_ != b_) {                                                        \
			failures++;                                                    \
			printf("%s: line %d: %s = %lld, expected %lld\n", me, __LINE__, #a, a_, b_); \
		}                                                                      \
	} while (0)

static long hvm_param(bool set, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index, .value = *value };
	long rc = bolt_hypercall5(__HYPERVISOR_hvm_op, set ? HVMOP_set_param : HVMOP_get_param,
				  (unsigned long)&p, 0, 0, 0);

	if (!set)
		*value = p.value;
	return rc;
}

static uint64_t get(uint32_t index)
{
	uint64_t v = ~0ULL;

	EXPECT_EQ(hvm_param(false, index, &v), 0);
	return v;
}

static long set(uint32_t index, uint64_t v)
{
	return hvm_param(true, index, &v);
}

static volatile struct xencons_interface *ring;
static evtchn_port_t port;

/* The guest side of the protocol, as Linux's hvc_xen: copy, wmb, out_prod, notify. */
static void produce(const char *s, size_t n)
{
	XENCONS_RING_IDX prod = ring->out_prod;

	for (size_t i = 0; i < n; i++)
		ring->out[MASK_XENCONS_IDX(prod + i, ring->out)] = s[i];
	__atomic_thread_fence(__ATOMIC_RELEASE);
	ring->out_prod = prod + (XENCONS_RING_IDX)n;
}

static void notify(void)
{
	EXPECT_EQ(bolt_evtchn_send(port), 0);
	/* Bolt drains inside the send: everything produced is consumed on return. */
	EXPECT_EQ(ring->out_cons, ring->out_prod);
}

static void setup(void)
{
	struct evtchn_status st = { 0 };

	EXPECT_EQ(get(HVM_PARAM_STORE_PFN), 0);
	EXPECT_EQ(get(HVM_PARAM_STORE_EVTCHN), 0);
	EXPECT_EQ(get(HVM_PARAM_CONSOLE_PFN), 2);
	port = (evtchn_port_t)get(HVM_PARAM_CONSOLE_EVTCHN);
	EXPECT_EQ(port != 0, 1);
	EXPECT_EQ(bolt_evtchn_status(port, &st), 0);
	EXPECT_EQ(st.status, EVTCHNSTAT_unbound);
	EXPECT_EQ(st.u.unbound.dom, 0);
	ring = (volatile struct xencons_interface *)(uintptr_t)(get(HVM_PARAM_CONSOLE_PFN) << 12);
	EXPECT_EQ(ring->out_prod, 0);
	EXPECT_EQ(ring->out_cons, 0);
	EXPECT_EQ(ring->in_prod, 0);
	EXPECT_EQ(ring->in_cons, 0);
	/* As Xen's hvm_allow_set_param(): the PFNs are the toolstack's. */
	EXPECT_EQ(set(HVM_PARAM_STORE_PFN, 5), -XEN_EPERM);
	EXPECT_EQ(set(HVM_PARAM_CONSOLE_PFN, 5), -XEN_EPERM);
	EXPECT_EQ(get(HVM_PARAM_CONSOLE_PFN), 2);
}

static void line(const char *fmt, unsigned n)
{
	char buf[80];
	int len = snprintf(buf, sizeof(buf), fmt, n);

	produce(buf, (size_t)len);
}

static void normal_boot1(void)
{
	line("ring line %u\n", 1);
	notify();
	/* 20 lines of 64 bytes, then 20 more: the second batch crosses out[]'s end. */
	for (unsigned batch = 0; batch < 2; batch++) {
		for (unsigned i = 0; i < 20; i++)
			line("wrap line %02u ..................................................\n",
			     batch * 20 + i);
		EXPECT_EQ(ring->out_prod, 12 + (batch + 1) * 20 * 64);
		notify();
	}
	produce("partial", 7);
	notify();
	produce(" line done\n", 11);
	notify();
	EXPECT_EQ(set(HVM_PARAM_STORE_EVTCHN, 7), 0);
	EXPECT_EQ(get(HVM_PARAM_STORE_EVTCHN), 7);
	EXPECT_EQ(set(HVM_PARAM_CONSOLE_EVTCHN, port), 0);
	printf("pvcon: boot 1 done (%u failures), rebooting\n", failures);
	if (failures) {
		printf("RESULT pvcon FAIL: %u failures\n", failures);
		bolt_shutdown(SHUTDOWN_poweroff);
	}
	bolt_shutdown(SHUTDOWN_reboot);
}

static void hostile(void)
{
	XENCONS_RING_IDX cons;

	memset((void *)ring->out, 'Z', sizeof(ring->out));
	ring->out_prod = 5000; /* far ahead */
	EXPECT_EQ(bolt_evtchn_send(port), 0);
	EXPECT_EQ(ring->out_cons, 5000);
	ring->out_prod = 4990; /* behind */
	EXPECT_EQ(bolt_evtchn_send(port), 0);
	EXPECT_EQ(ring->out_cons, 4990);
	ring->out_prod = 0x80000000u;
	for (unsigned i = 0; i < 100; i++)
		EXPECT_EQ(bolt_evtchn_send(port), 0);
	EXPECT_EQ(ring->out_cons, 0x80000000u);
	/* A scribbled out_cons is not believed: Bolt keeps its own. */
	cons = ring->out_cons;
	ring->out_cons = cons + 1234;
	produce("recovered\n", 10);
	EXPECT_EQ(bolt_evtchn_send(port), 0);
	EXPECT_EQ(ring->out_cons, cons + 10);
	printf("RESULT pvcon-hostile %s (%u failures)\n", failures ? "FAIL" : "PASS", failures);
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	struct bolt_info info;

	if (bolt_info(&info) < 0 || !si) {
		printf("RESULT pvcon FAIL: no Bolt info or start info\n");
		return 1;
	}
	if (strstr(bolt_cmdline(si), "hostile")) {
		me = "pvcon-hostile";
		setup();
		hostile();
		return failures ? 1 : 0;
	}
	setup();
	if (info.boot_count == 0)
		normal_boot1();
	/* Boot 2: the restart gave a clean ring and params (setup() checked them). */
	line("boot %u ring line\n", info.boot_count + 1);
	notify();
	printf("RESULT pvcon %s (boot %u, %u failures)\n", failures ? "FAIL" : "PASS",
	       info.boot_count + 1, failures);
	/* Never notified: Bolt drains it when the guest stops. */
	produce("written before poweroff\n", 24);
	return failures ? 1 : 0;
}
