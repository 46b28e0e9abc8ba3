/* SPDX-License-Identifier: MIT */
/*
 * smp: a guest with two vCPUs (`cpu = 0, 1`) brings up vCPU 1 the Xen way,
 * VCPUOP_initialise with a 64-bit vcpu_hvm_context and VCPUOP_up
 * (docs/abi.md, "vcpu_op"), and checks what each step does.
 *
 * Boot 1, on vCPU 0:
 *   - is_up: vCPU 0 up, vCPU 1 not, vCPU 2 does not exist (-ENOENT);
 *   - up(1) before initialise: -EINVAL; initialise with mode 7: -EINVAL;
 *     with CR0.PG but not PE (VM entry would refuse it): -EINVAL;
 *     initialise(0): -EEXIST;
 *   - initialise(1) in long mode on this vCPU's page tables, a stack of
 *     its own and ap_main as RIP: 0; again: -EEXIST; up(1): 0;
 *   - vCPU 1 sends on an IPI port bound to vCPU 0 (an event between the
 *     guest's own vCPUs, on another CPU): vCPU 0 wakes from SCHEDOP_poll;
 *   - vCPU 1 counts; down(1) from vCPU 0 stops it (the count stands
 *     still, is_up 0), up(1) resumes it (the count moves on);
 *   - vCPU 1 does HLT with interrupts off: only it stops (is_up 0), the
 *     guest runs on;
 *   - up(1) starts it again from its context; it asks for a reboot itself:
 *     both vCPUs stop and the guest restarts.
 * Boot 2: vCPU 1 is down again, initialise(1) is accepted again (a new
 * boot), it comes up and signals once more; then RESULT smp PASS.
 */
#include <bolt/sdk.h>
#include <bolt/sdk/evtchn.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

static unsigned failures;

#define EXPECT_EQ(a, b)                                                                    \
	do {                                                                               \
		long long a_ = (long long)(a), b_ = (long long)(b);                        \
		if (a_ != b_) {                                                            \
			failures++;                                                        \
			printf("smp: line %d: %s = %lld, expected %lld\n", __LINE__, #a, a_, b_); \
		}                                                                          \
	} while (0)

enum { CMD_COUNT, CMD_HALT, CMD_REBOOT };

/* Shared between the two vCPUs: plain words, read and written whole. */
static volatile uint64_t ap_counter;
static volatile unsigned ap_starts, ap_cmd;
static volatile evtchn_port_t ap_port;
static uint8_t ap_stack[16384] __attribute__((aligned(64)));

static long vcpu_op(unsigned cmd, unsigned vcpu, void *arg)
{
	return bolt_hypercall5(__HYPERVISOR_vcpu_op, cmd, vcpu, (unsigned long)arg, 0, 0);
}

/* vCPU 1: interrupts off throughout; no console (vCPU 0 prints). */
static __attribute__((noreturn, used)) void ap_main(void)
{
	struct evtchn_send send = { .port = ap_port };

	ap_starts++;
	if (ap_cmd == CMD_REBOOT) {
		struct sched_shutdown sd = { .reason = SHUTDOWN_reboot };

		bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&sd, 0, 0, 0);
	}
	bolt_hypercall5(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send, 0, 0, 0);
	while (ap_cmd == CMD_COUNT)
		ap_counter++;
	for (;;)
		__asm__ volatile("cli; hlt");
}

static uint64_t read_cr(int n)
{
	uint64_t v = 0;

	if (n == 0)
		__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	else if (n == 3)
		__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	else
		__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* Long mode on vCPU 0's own page tables, at ap_main with its own stack. */
static void ap_context(struct vcpu_hvm_context *c)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080u));
	memset(c, 0, sizeof(*c));
	c->mode = VCPU_HVM_MODE_64B;
	c->cpu_regs.x86_64.cr0 = read_cr(0);
	c->cpu_regs.x86_64.cr3 = read_cr(3);
	c->cpu_regs.x86_64.cr4 = read_cr(4);
	c->cpu_regs.x86_64.efer = (uint64_t)hi << 32 | lo;
	c->cpu_regs.x86_64.rip = (uint64_t)(uintptr_t)ap_main;
	/* As after a call: RSP + 8 16-byte aligned at the first instruction. */
	c->cpu_regs.x86_64.rsp = (uint64_t)(uintptr_t)(ap_stack + sizeof(ap_stack) - 8);
	c->cpu_regs.x86_64.rflags = 2;
}

/* Wait (bounded) until vCPU 1 is up or down as wanted; returns is_up. */
static long wait_up(long want)
{
	uint64_t end = bolt_now_ns() + 1000000000ull;
	long up;

	while ((up = vcpu_op(VCPUOP_is_up, 1, NULL)) != want && bolt_now_ns() < end)
		bolt_yield();
	return up;
}

/* vCPU 1 starts and signals on the IPI port within a second. */
static void start_and_signal(evtchn_port_t port)
{
	unsigned starts = ap_starts;

	EXPECT_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
	EXPECT_EQ(bolt_evtchn_poll(&port, 1, 1000000000ull), 0);
	EXPECT_EQ(ap_starts, starts + 1);
	EXPECT_EQ(wait_up(1), 1);
}

int main(void)
{
	struct vcpu_hvm_context ctx, bad;
	struct bolt_info info;
	evtchn_port_t port;
	uint64_t c1, c2, end;

	bolt_info(&info);
	EXPECT_EQ(bolt_evtchn_bind_ipi(&port), 0);
	ap_port = port;
	EXPECT_EQ(vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	EXPECT_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	EXPECT_EQ(vcpu_op(VCPUOP_is_up, 2, NULL), -XEN_ENOENT);
	EXPECT_EQ(vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL);
	ap_context(&ctx);
	bad = ctx;
	bad.mode = 7;
	EXPECT_EQ(vcpu_op(VCPUOP_initialise, 1, &bad), -XEN_EINVAL);
	bad = ctx;
	bad.cpu_regs.x86_64.cr0 &= ~1ull; /* PG without PE: VM entry refuses it */
	EXPECT_EQ(vcpu_op(VCPUOP_initialise, 1, &bad), -XEN_EINVAL);
	EXPECT_EQ(vcpu_op(VCPUOP_initialise, 0, &ctx), -XEN_EEXIST);
	EXPECT_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), 0);

	if (info.boot_count == 1) {
		/* The restart stopped vCPU 1; this boot initialised it afresh. */
		start_and_signal(port);
		printf("smp: boot 2: vCPU 1 up again after the restart\n");
		printf("RESULT smp %s (boot 2, %u failures)\n", failures ? "FAIL" : "PASS",
		       failures);
		return failures ? 1 : 0;
	}
	EXPECT_EQ(vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_EEXIST);
	start_and_signal(port);
	printf("smp: vCPU 1 up; its event reached vCPU 0\n");

	/* down(1) from here: it stops counting; up(1) resumes it. */
	EXPECT_EQ(vcpu_op(VCPUOP_down, 1, NULL), 0);
	EXPECT_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	c1 = ap_counter;
	end = bolt_now_ns() + 2000000ull;
	while (bolt_now_ns() < end)
		;
	c2 = ap_counter;
	EXPECT_EQ(c2, c1);
	EXPECT_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
	end = bolt_now_ns() + 1000000000ull;
	while (ap_counter == c2 && bolt_now_ns() < end)
		;
	EXPECT_EQ(ap_counter != c2, 1);
	EXPECT_EQ(ap_starts, 1); /* resumed, not started again */
	printf("smp: down/up: stopped at %llu, counting again\n", (unsigned long long)c2);

	/* HLT with interrupts off parks vCPU 1 alone. */
	ap_cmd = CMD_HALT;
	EXPECT_EQ(wait_up(0), 0);
	printf("smp: vCPU 1 parked by HLT with IF=0; vCPU 0 runs on\n");

	if (failures) {
		printf("RESULT smp FAIL (boot 1, %u failures)\n", failures);
		return 1;
	}
	/* Started again from its context, vCPU 1 asks for the reboot. */
	ap_cmd = CMD_REBOOT;
	printf("smp: boot 1 done (%u failures); vCPU 1 reboots the guest\n", failures);
	EXPECT_EQ(vcpu_op(VCPUOP_up, 1, NULL), 0);
	for (;;)
		bolt_yield();
}
