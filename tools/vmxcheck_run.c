/* SPDX-License-Identifier: MIT */
/* Bolt's VMCS for a capability set, in every situation it enters a guest in (vmxcheck_run.h). */
#include <stdio.h>
#include <string.h>

#include "arch/vmx_bits.h"
#include "arch/x86.h"
#include "tools/vmxcheck_run.h"

/* The host state of a CPU as UEFI firmware (OVMF) leaves it, after vmx_cpu_enable(). */
static void host_state(const struct vmx_caps *caps, struct vmcs_host_state *h)
{
	*h = (struct vmcs_host_state){
		.cr0 = vmx_root_cr0(caps, 0x80010033), /* PG WP NE ET MP PE */
		.cr3 = 0x7fc01000,
		.cr4 = vmx_root_cr4(caps, 0x6a0), /* PAE PGE OSFXSR OSXMMEXCPT */
		.cs = 0x08, .ss = 0x10, .ds = 0x10, .es = 0x10, .fs = 0x10, .gs = 0x10, .tr = 0x18,
		.gs_base = 0x7e5a3000, .tr_base = 0x7e5a3100,
		.gdtr_base = 0x7e5a2000, .idtr_base = 0x7e5a2800,
		.efer = 0xd01, /* SCE LME LMA NXE */
		.pat = 0x0007040600070406ULL,
		.rsp = 0x7e5b8000, .rip = 0x7e4c1234,
	};
}

/* Heap pages below 4 GiB, as Bolt's; EPTP as ept_eptp() makes it (WB, 4-level walk). */
static const struct vmcs_vcpu_addrs vcpu0 = {
	.msr_bitmap = 0x7e590000,
	.vapic = 0x7e591000,
	.eptp = 0x7e592000 | 6 | (3 << 3),
	.vpid = 1,
};
static const struct vmcs_vcpu_addrs vcpu1 = {
	.msr_bitmap = 0x7e590000,
	.vapic = 0x7e593000,
	.eptp = 0x7e5a0000 | 6 | (3 << 3),
	.vpid = 2,
};

static void build(struct vmcs_image *img, const struct vmx_ctls *c, const struct vmcs_host_state *h,
		  const struct vmcs_vcpu_addrs *a, uint32_t entry)
{
	vmcs_build_controls(img, c, a);
	vmcs_build_host(img, c, h);
	vmcs_build_pvh_entry(img, c, entry);
}

/* The guest's own way to 64-bit mode, as the CPU saves it at its VM exits (SDM 28.3). */
static void guest_goes_long(struct vmcs_image *img, const struct vmx_ctls *c)
{
	vmcs_image_set(img, GUEST_CR0, (0x80050033ULL | c->cr0_must1) & ~c->cr0_must0);
	vmcs_image_set(img, GUEST_CR4, 0x6a0 | c->cr4_must1);
	vmcs_image_set(img, GUEST_CR3, 0x1000);
	vmcs_image_set(img, GUEST_IA32_EFER, 0xd01);
	vmcs_image_set(img, VM_ENTRY_CONTROLS, c->entry | ENTRY_IA32E_MODE);
	vmcs_image_set(img, GUEST_CS_SELECTOR, 0x08);
	vmcs_image_set(img, GUEST_CS_AR_BYTES, 0xa09b); /* L = 1, D = 0 */
	vmcs_image_set(img, GUEST_RIP, 0xffffffff81000000ULL);
	vmcs_image_set(img, GUEST_RFLAGS, X86_RFLAGS_RESERVED1 | X86_RFLAGS_IF);
	vmcs_image_set(img, GUEST_GDTR_BASE, 0x2000);
	vmcs_image_set(img, GUEST_GDTR_LIMIT, 0x7f);
	vmcs_image_set(img, GUEST_IDTR_BASE, 0x3000);
	vmcs_image_set(img, GUEST_IDTR_LIMIT, 0xfff);
	vmcs_image_set(img, GUEST_ACTIVITY_STATE, ACTIVITY_HLT);
}

/* Bolt's writes at an entry that delivers the upcall (vmx.c arm_preemption_timer, upcall.c). */
static void upcall_entry(struct vmcs_image *img, const struct vmx_ctls *c)
{
	if (c->have_preemption_timer) {
		vmcs_image_set(img, PIN_BASED_VM_EXEC_CONTROL, c->pin | PIN_PREEMPTION_TIMER);
		vmcs_image_set(img, VMX_PREEMPTION_TIMER_VALUE, 123456);
	}
	vmcs_image_set(img, GUEST_RFLAGS, X86_RFLAGS_RESERVED1 | X86_RFLAGS_IF);
	vmcs_image_set(img, GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_image_set(img, GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmcs_image_set(img, VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_EXT_INTR | 0xf3);
}

/* The guest had IF = 0: an interrupt window instead of the injection (upcall.c). */
static void window_entry(struct vmcs_image *img, const struct vmx_ctls *c)
{
	vmcs_image_set(img, GUEST_RFLAGS, X86_RFLAGS_RESERVED1);
	vmcs_image_set(img, VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_image_set(img, CPU_BASED_VM_EXEC_CONTROL, c->proc | CPU_INTR_WINDOW_EXITING);
}

static bool passes(struct vmxcheck_result *r, const char *situation, const struct vmcs_image *img,
		   const struct vmx_caps *caps)
{
	r->situations++;
	if (vmentry_check(img, caps, &r->err) == 0)
		return true;
	r->outcome = VMXCHECK_BAD_VMCS;
	r->situation = situation;
	return false;
}

void vmxcheck_run(const struct vmx_caps *caps, struct vmxcheck_result *r)
{
	struct vmcs_host_state h;
	struct vmcs_image img;

	memset(r, 0, sizeof(*r));
	if (vmx_choose_ctls(caps, &r->ctls, r->why, sizeof(r->why))) {
		r->outcome = VMXCHECK_CANNOT_RUN;
		return;
	}
	r->outcome = VMXCHECK_RUNS;
	host_state(caps, &h);
	vmcs_image_init(&r->first);
	build(&r->first, &r->ctls, &h, &vcpu0, 0x100000);
	if (!passes(r, "first entry (PVH start state)", &r->first, caps))
		return;
	img = r->first;
	upcall_entry(&img, &r->ctls);
	if (!passes(r, "upcall injection after HLT, preemption timer armed", &img, caps))
		return;
	window_entry(&img, &r->ctls);
	if (!passes(r, "interrupt-window exiting", &img, caps))
		return;
	img = r->first;
	guest_goes_long(&img, &r->ctls);
	if (!passes(r, "guest in 64-bit mode with paging", &img, caps))
		return;
	build(&img, &r->ctls, &h, &vcpu0, 0x200000);
	r->restarted = img;
	if (!passes(r, "restart of a 64-bit guest", &img, caps))
		return;
	vmcs_image_init(&img);
	build(&img, &r->ctls, &h, &vcpu1, 0x100000);
	passes(r, "second vCPU on the same CPU", &img, caps);
}
