/* SPDX-License-Identifier: MIT */
/*
 * hostile catalogue: hypercalls from user mode. Only CPL 0 may call Bolt;
 * from CPL 3 every number must return -EPERM and do nothing, whether it
 * comes as a plain VMCALL or through the hypercall page. We build a GDT
 * with user segments and a TSS (so a fault at CPL 3 lands on a known
 * stack), open our RAM to user mode and enter CPL 3 with IRETQ (user.S).
 */
#include "tests/guests/hostile/hostile.h"

#define HOSTILE_MSR_SYSENTER_CS	 0x174u
#define HOSTILE_MSR_SYSENTER_ESP 0x175u
#define HOSTILE_MSR_SYSENTER_EIP 0x176u
#define HOSTILE_SEL_TSS		 0x28u
#define HOSTILE_USER_FAULTED	 0x7fffdeadL /* user.S: the stub faulted */

struct hostile_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct hostile_tss) == 104, "64-bit TSS is 104 bytes");

static uint64_t hostile_gdt[7] __attribute__((aligned(16))) = {
	0,
	0x00af9a000000ffffull, /* 0x08 kernel code, 64-bit (as the SDK's) */
	0x00cf92000000ffffull, /* 0x10 kernel data */
	0x00cff2000000ffffull, /* 0x18 user data, DPL 3 */
	0x00affa000000ffffull, /* 0x20 user code, 64-bit, DPL 3 */
	0,
	0, /* 0x28 TSS (16 bytes) */
};
static struct hostile_tss hostile_tss __attribute__((aligned(16)));
static uint8_t hostile_ring0_stack[8192] __attribute__((aligned(16)));
static uint8_t hostile_user_stack[8192] __attribute__((aligned(16)));

extern void hostile_user_hlt(void);

static void hostile_wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
}

void hostile_user_setup(const struct hostile_args *a)
{
	uint64_t base = (uint64_t)(uintptr_t)&hostile_tss;
	uint64_t limit = sizeof(hostile_tss) - 1;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed))
	gdtr = {sizeof(hostile_gdt) - 1, (uint64_t)(uintptr_t)hostile_gdt};

	hostile_tss.rsp[0] =
		(uint64_t)(uintptr_t)(hostile_ring0_stack + sizeof(hostile_ring0_stack));
	hostile_tss.iomap_base = sizeof(hostile_tss); /* no I/O bitmap */
	hostile_gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
			 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	hostile_gdt[6] = base >> 32;
	/* Same selectors 0x08/0x10 as the SDK's GDT: CS and SS stay valid. */
	__asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)HOSTILE_SEL_TSS) : "memory");
	hostile_user_pages(a->ram_top);
	hostile_wrmsr(HOSTILE_MSR_SYSENTER_CS, 0x08);
	hostile_wrmsr(HOSTILE_MSR_SYSENTER_ESP,
		      (uint64_t)(uintptr_t)(hostile_ring0_stack + sizeof(hostile_ring0_stack)));
	hostile_wrmsr(HOSTILE_MSR_SYSENTER_EIP, (uint64_t)(uintptr_t)hostile_sysenter_target);
}

long hostile_user_stub(uint64_t rax, void (*stub)(void), int *fault)
{
	long ret;

	hostile_fault_arm();
	ret = hostile_user_call(
		rax, 0, 0, 0, (uint64_t)(uintptr_t)(hostile_user_stack + sizeof(hostile_user_stack)),
		(uint64_t)(uintptr_t)stub);
	*fault = hostile_fault_take();
	return ret;
}

static long hostile_user(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, bool page)
{
	uint64_t stub = 0;
	long ret;
	int fault;

	if (page && bolt_hypercall_page)
		stub = bolt_hypercall_page + nr * BOLT_HYPERCALL_STUB_SIZE;
	hostile_fault_arm();
	ret = hostile_user_call(
		nr, a1, a2, a3,
		(uint64_t)(uintptr_t)(hostile_user_stack + sizeof(hostile_user_stack)), stub);
	fault = hostile_fault_take();
	/* A VMCALL exits at any CPL: a fault here means our setup broke. */
	if (fault >= 0)
		hostile_expect_fault("user mode: the call itself", fault, -1);
	return ret;
}

void hostile_cat_user(const struct hostile_args *a)
{
	static const char leak[] = "hostile: USER-MODE-LEAK: a CPL 3 console write got through\n";
	struct sched_shutdown sd = {.reason = SHUTDOWN_poweroff};
	struct evtchn_bind_ipi ipi = {.vcpu = 0};
	int fault;
	long ret;

	hostile_user_setup(a);

	/* The setup works: a privileged instruction at CPL 3 is #GP. */
	hostile_fault_arm();
	ret = hostile_user_call(
		0, 0, 0, 0, (uint64_t)(uintptr_t)(hostile_user_stack + sizeof(hostile_user_stack)),
		(uint64_t)(uintptr_t)hostile_user_hlt);
	fault = hostile_fault_take();
	hostile_expect_fault("user mode: HLT at CPL 3 (proves we reach CPL 3)", fault, 13);

	ret = hostile_user(__HYPERVISOR_xen_version, XENVER_version, 0, 0, false);
	hostile_expect_rc("user mode: vmcall xen_version(version)", ret, -XEN_EPERM);
	ret = hostile_user(__HYPERVISOR_xen_version, XENVER_version, 0, 0, true);
	hostile_expect_rc("user mode: hypercall page xen_version(version)", ret, -XEN_EPERM);
	ret = hostile_user(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(leak) - 1,
			   (uint64_t)(uintptr_t)leak, false);
	hostile_expect_rc("user mode: console_io(write)", ret, -XEN_EPERM);
	ret = hostile_user(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(leak) - 1,
			   (uint64_t)(uintptr_t)leak, true);
	hostile_expect_rc("user mode: hypercall page console_io(write)", ret, -XEN_EPERM);
	ret = hostile_user(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uint64_t)(uintptr_t)&sd, 0,
			   false);
	hostile_expect_rc("user mode: sched_op(shutdown, poweroff): guest must live on", ret,
			  -XEN_EPERM);
	ret = hostile_user(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uint64_t)(uintptr_t)&sd, 0,
			   true);
	hostile_expect_rc("user mode: hypercall page sched_op(shutdown, poweroff)", ret,
			  -XEN_EPERM);
	ret = hostile_user(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi,
			   (uint64_t)(uintptr_t)&ipi, 0, false);
	hostile_expect_rc("user mode: event_channel_op(bind_ipi)", ret, -XEN_EPERM);
	ret = hostile_user(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, 0, 0, true);
	hostile_expect_rc("user mode: memory_op(add_to_physmap)", ret, -XEN_EPERM);
	ret = hostile_user(BOLT_HYPERCALL_bolt_op, BOLT_OP_stats_reset, 0, 0, false);
	hostile_expect_rc("user mode: bolt_op(stats_reset)", ret, -XEN_EPERM);
	ret = hostile_user(63, 0, 0, 0, false);
	hostile_expect_rc("user mode: unknown hypercall 63", ret, -XEN_EPERM);
	ret = hostile_user(__HYPERVISOR_set_timer_op, 1, 0, 0, false);
	hostile_expect_rc("user mode: set_timer_op", ret, -XEN_EPERM);
	/* Still here, still CPL 0: a kernel-mode call works as before. */
	ret = bolt_hypercall5(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
	hostile_expect_rc("user mode: kernel-mode xen_version afterwards", ret, 4 << 16 | 14);
}
