/* SPDX-License-Identifier: MIT */
/*
 * Bolt's VMCS as data: which VMX controls it runs with on a given CPU, and
 * the control, host-state and guest-state fields of a vCPU. Nothing here
 * touches the hardware (vmx.c reads the capability MSRs and VMWRITEs the
 * image), so the host unit tests run this very code over the capability
 * sets of other CPUs (tests/data/vmxcaps/).
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/hvm/hvm_vcpu.h>

#include "arch/cpu_policy.h"
#include "arch/msr.h"
#include "arch/vmcs_build.h"
#include "arch/vmx_bits.h"
#include "arch/x86.h"
#include "lib/fmt.h"
#include "lib/lib.h"
#include "lib/macros.h"

/*
 * Combine wanted controls with a capability MSR (SDM Vol. 3D, A.3-A.5):
 * bits 31:0 are the allowed 0-settings (1 = must be 1), bits 63:32 the
 * allowed 1-settings. False if a required bit may not be 1.
 */
static bool adjust(uint64_t cap, uint32_t required, uint32_t optional, uint32_t *out)
{
	uint32_t must1 = vmx_ctl_must1(cap), may1 = vmx_ctl_may1(cap);

	*out = (required | (optional & may1) | must1) & may1;
	return (*out & required) == required;
}

static void append(char *why, size_t len, const char *what)
{
	size_t n = strnlen(why, len);

	bolt_snprintf(why + n, len - n, "%s%s", n ? ", " : "", what);
}

static void choose_proc(const struct vmx_caps *caps, struct vmx_ctls *c, char *why, size_t len)
{
	uint64_t cap = vmx_caps_proc(caps);

	/*
	 * MONITOR/MWAIT exiting only where the CPU has the instructions: a
	 * CPU without them (or with MWAIT disabled, CPUID.1:ECX[3] clear)
	 * raises #UD for a guest's MONITOR/MWAIT before any exit, and may
	 * offer no such controls then (docs/running.md, "Real machines").
	 */
	uint32_t mon = CPU_MWAIT_EXITING | CPU_MONITOR_EXITING;
	uint32_t mon_req = cpu_idle_mwait_usable(caps->cpuid1_ecx) ? mon : 0;

	if (!adjust(cap, CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING | CPU_USE_MSR_BITMAPS |
			    CPU_SECONDARY_CONTROLS | mon_req,
		    CPU_RDPMC_EXITING | (mon & ~mon_req), &c->proc))
		append(why, len, "secondary controls/HLT/IO/MSR-bitmap exiting");
	/*
	 * We never want CR3 exits: unrestricted guests manage their own paging.
	 * Only the non-TRUE MSR forces them (A.3.2); every CPU with EPT has the
	 * TRUE ones, so a CPU that forces them is one Bolt does not run on.
	 */
	if (vmx_ctl_must1(cap) & (CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING))
		append(why, len, "a way to run without CR3-load/store exiting (IA32_VMX_TRUE_PROCBASED_CTLS)");
	c->proc &= ~(CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING);
	/*
	 * CR8 is the local APIC's TPR: a guest must never reach the real one
	 * (it would leak to the next guest on the CPU, and TPR = 15 would hold
	 * off Bolt's kick IPI). Give each vCPU its own: the TPR shadow keeps it
	 * in the virtual-APIC page without exits (SDM Vol. 3C, "Virtualizing
	 * CR8-Based TPR Accesses"); without one, CR8 loads and stores exit.
	 */
	if (!adjust(cap, c->proc, CPU_TPR_SHADOW, &c->proc) || !(c->proc & CPU_TPR_SHADOW)) {
		if (!adjust(cap, c->proc | CPU_CR8_LOAD_EXITING | CPU_CR8_STORE_EXITING, 0, &c->proc))
			append(why, len, "TPR shadow or CR8 exiting");
	}
	c->have_tpr_shadow = c->proc & CPU_TPR_SHADOW;
	if (c->have_tpr_shadow)
		c->proc &= ~(CPU_CR8_LOAD_EXITING | CPU_CR8_STORE_EXITING);
}

static void choose_proc2(const struct vmx_caps *caps, struct vmx_ctls *c, char *why, size_t len)
{
	uint64_t cap = caps->procbased_ctls2;

	c->proc2 = 0;
	if (!(c->proc & CPU_SECONDARY_CONTROLS))
		return;
	if (!adjust(cap, CPU2_ENABLE_EPT, 0, &c->proc2))
		append(why, len, "EPT");
	if (!adjust(cap, CPU2_UNRESTRICTED_GUEST, 0, &c->proc2))
		append(why, len, "unrestricted guest");
	adjust(cap, CPU2_ENABLE_EPT | CPU2_UNRESTRICTED_GUEST,
	       CPU2_ENABLE_VPID | CPU2_ENABLE_RDTSCP | CPU2_ENABLE_INVPCID | CPU2_ENABLE_XSAVES |
		       CPU2_WBINVD_EXITING,
	       &c->proc2);
	c->proc2 &= vmx_ctl_may1(cap);
	c->have_vpid = c->proc2 & CPU2_ENABLE_VPID;
	/* INVVPID single-context is how a restart drops the old translations. */
	if (c->have_vpid && (!(caps->ept_vpid_cap & VPID_CAP_INVVPID) ||
			     !(caps->ept_vpid_cap & VPID_CAP_INVVPID_SINGLE))) {
		c->proc2 &= ~CPU2_ENABLE_VPID;
		c->have_vpid = false;
	}
	if ((c->proc2 & CPU2_ENABLE_EPT) &&
	    (!(caps->ept_vpid_cap & EPT_CAP_PWL4) || !(caps->ept_vpid_cap & EPT_CAP_MT_WB) ||
	     !(caps->ept_vpid_cap & EPT_CAP_INVEPT) || !(caps->ept_vpid_cap & EPT_CAP_INVEPT_SINGLE)))
		append(why, len, "EPT 4-level walk with write-back tables and single-context INVEPT");
}

int vmx_choose_ctls(const struct vmx_caps *caps, struct vmx_ctls *c, char *why, size_t len)
{
	memset(c, 0, sizeof(*c));
	why[0] = '\0';
	if (!(caps->cpuid1_ecx & (1u << 5))) {
		append(why, len, "VT-x (VMX; CPUID.1:ECX[5] is clear)");
		return -1;
	}
	/* SDM Vol. 3C, 24.7: VMXON #GPs unless locked with "VMX outside SMX" set. */
	if ((caps->feature_control & FEATURE_CONTROL_LOCK) &&
	    !(caps->feature_control & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		append(why, len, "VT-x, which the firmware disabled and locked in IA32_FEATURE_CONTROL "
				 "(enable it in the firmware setup)");
		return -1;
	}
	c->revision = (uint32_t)caps->basic & 0x7fffffff;
	/* A.1: the VMXON region and VMCSs are ordinary write-back memory. */
	if (VMX_BASIC_MEMTYPE(caps->basic) != 6)
		append(why, len, "write-back VMCS memory (IA32_VMX_BASIC[53:50] is not 6)");

	if (!adjust(vmx_caps_pin(caps), PIN_EXTINT_EXITING | PIN_NMI_EXITING, PIN_PREEMPTION_TIMER,
		    &c->pin))
		append(why, len, "external-interrupt/NMI exiting");
	/* Armed per entry only when a time event is due (sched/timer.c). */
	c->have_preemption_timer = c->pin & PIN_PREEMPTION_TIMER;
	c->pin &= ~PIN_PREEMPTION_TIMER;
	c->preemption_timer_shift = caps->misc & 0x1f;

	choose_proc(caps, c, why, len);
	choose_proc2(caps, c, why, len);

	/*
	 * Debug controls: DR7 and IA32_DEBUGCTL are guest state in the VMCS
	 * only with these (SDM 28.3.1, 27.3.2.1); without them a VM exit sets
	 * DR7 to 400H (SDM 28.5.1) and the next entry keeps it.
	 */
	if (!adjust(vmx_caps_exit(caps),
		    EXIT_SAVE_DEBUG_CONTROLS | EXIT_HOST_ADDR_SPACE_SIZE | EXIT_ACK_INTR_ON_EXIT |
			    EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER,
		    EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT, &c->exit))
		append(why, len, "VM-exit debug-control and EFER save/load");
	if (!adjust(vmx_caps_entry(caps), ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_LOAD_IA32_EFER,
		    ENTRY_LOAD_IA32_PAT, &c->entry))
		append(why, len, "VM-entry debug-control and EFER load");
	c->entry &= ~ENTRY_IA32E_MODE; /* PVH guests start in 32-bit mode */
	/* CR fixed bits (A.7, A.8); PE/PG are free with unrestricted guest. */
	c->cr0_must1 = caps->cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
	c->cr0_must0 = ~caps->cr0_fixed1 & 0xffffffffULL;
	c->cr4_must1 = caps->cr4_fixed0;
	c->cr4_must0 = ~caps->cr4_fixed1 & 0xffffffffULL;
	c->maxphyaddr = caps->maxphyaddr ? caps->maxphyaddr : 36;
	c->linaddr_bits = caps->linaddr_bits ? caps->linaddr_bits : 48;
	c->xcr0_supported = caps->xcr0_supported;
	return why[0] ? -1 : 0;
}

uint64_t vmx_root_cr0(const struct vmx_caps *caps, uint64_t cr0)
{
	return (cr0 | caps->cr0_fixed0) & caps->cr0_fixed1;
}

uint64_t vmx_root_cr4(const struct vmx_caps *caps, uint64_t cr4)
{
	cr4 |= X86_CR4_VMXE | caps->cr4_fixed0;
	if (caps->cpuid1_ecx & (1u << 26))
		cr4 |= X86_CR4_OSXSAVE; /* so XSETBV can be emulated for guests */
	return cr4 & caps->cr4_fixed1;
}

void vmcs_build_controls(struct vmcs_image *img, const struct vmx_ctls *c, const struct vmcs_vcpu_addrs *a)
{
	vmcs_image_set(img, PIN_BASED_VM_EXEC_CONTROL, c->pin);
	vmcs_image_set(img, CPU_BASED_VM_EXEC_CONTROL, c->proc);
	if (c->proc & CPU_SECONDARY_CONTROLS)
		vmcs_image_set(img, SECONDARY_VM_EXEC_CONTROL, c->proc2);
	vmcs_image_set(img, VM_EXIT_CONTROLS, c->exit);
	vmcs_image_set(img, VM_ENTRY_CONTROLS, c->entry);
	vmcs_image_set(img, EXCEPTION_BITMAP, 0);
	vmcs_image_set(img, PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_image_set(img, PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_image_set(img, CR3_TARGET_COUNT, 0);
	vmcs_image_set(img, VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_image_set(img, VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_image_set(img, VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_image_set(img, VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_image_set(img, MSR_BITMAP, a->msr_bitmap);
	if (c->have_tpr_shadow) {
		/* Threshold 0: no TPR-below-threshold exits (SDM 27.2.1.1: VTPR[7:4] must not be below it). */
		vmcs_image_set(img, VIRTUAL_APIC_PAGE_ADDR, a->vapic);
		vmcs_image_set(img, TPR_THRESHOLD, 0);
	}
	if (c->proc2 & CPU2_ENABLE_EPT)
		vmcs_image_set(img, EPT_POINTER, a->eptp);
	if (c->have_vpid)
		vmcs_image_set(img, VIRTUAL_PROCESSOR_ID, a->vpid);
	vmcs_image_set(img, VMCS_LINK_POINTER, ~0ULL);
	/* The guest owns every CR0/CR4 bit except those VMX fixes (SDM 25.6.6). */
	vmcs_image_set(img, CR0_GUEST_HOST_MASK, c->cr0_must1 | c->cr0_must0);
	vmcs_image_set(img, CR4_GUEST_HOST_MASK, c->cr4_must1 | c->cr4_must0);
}

void vmcs_build_host(struct vmcs_image *img, const struct vmx_ctls *c, const struct vmcs_host_state *h)
{
	vmcs_image_set(img, HOST_CR0, h->cr0);
	vmcs_image_set(img, HOST_CR3, h->cr3);
	vmcs_image_set(img, HOST_CR4, h->cr4);
	vmcs_image_set(img, HOST_CS_SELECTOR, h->cs);
	vmcs_image_set(img, HOST_SS_SELECTOR, h->ss);
	vmcs_image_set(img, HOST_DS_SELECTOR, h->ds);
	vmcs_image_set(img, HOST_ES_SELECTOR, h->es);
	vmcs_image_set(img, HOST_FS_SELECTOR, h->fs);
	vmcs_image_set(img, HOST_GS_SELECTOR, h->gs);
	vmcs_image_set(img, HOST_TR_SELECTOR, h->tr);
	vmcs_image_set(img, HOST_FS_BASE, h->fs_base);
	vmcs_image_set(img, HOST_GS_BASE, h->gs_base);
	vmcs_image_set(img, HOST_TR_BASE, h->tr_base);
	vmcs_image_set(img, HOST_GDTR_BASE, h->gdtr_base);
	vmcs_image_set(img, HOST_IDTR_BASE, h->idtr_base);
	vmcs_image_set(img, HOST_IA32_SYSENTER_CS, 0);
	vmcs_image_set(img, HOST_IA32_SYSENTER_ESP, 0);
	vmcs_image_set(img, HOST_IA32_SYSENTER_EIP, 0);
	vmcs_image_set(img, HOST_IA32_EFER, h->efer);
	if (c->exit & EXIT_LOAD_IA32_PAT)
		vmcs_image_set(img, HOST_IA32_PAT, h->pat);
	/* Exits land at the top of this CPU's stack; vmexit.S builds the frame there. */
	vmcs_image_set(img, HOST_RSP, h->rsp);
	vmcs_image_set(img, HOST_RIP, h->rip);
}

static void set_segment(struct vmcs_image *img, enum vmcs_field sel, uint16_t s, uint64_t base,
			uint32_t limit, uint32_t ar)
{
	/* Selector, base, limit and access rights are laid out in parallel (B.1.2-B.4.3). */
	vmcs_image_set(img, sel, s);
	vmcs_image_set(img, (enum vmcs_field)(GUEST_ES_BASE + (sel - GUEST_ES_SELECTOR)), base);
	vmcs_image_set(img, (enum vmcs_field)(GUEST_ES_LIMIT + (sel - GUEST_ES_SELECTOR)), limit);
	vmcs_image_set(img, (enum vmcs_field)(GUEST_ES_AR_BYTES + (sel - GUEST_ES_SELECTOR)), ar);
}

/*
 * The Xen PVH entry state (docs/pvh.pandoc in Xen): 32-bit protected mode,
 * paging off, flat 4 GiB CS (execute/read) and DS/ES/SS (read/write), a
 * valid TR, EBX = start info (a register, not VMCS state), all else zero.
 */
void vmcs_build_pvh_entry(struct vmcs_image *img, const struct vmx_ctls *c, uint32_t entry)
{
	set_segment(img, GUEST_CS_SELECTOR, 0x10, 0, 0xffffffff, 0xc09b);
	set_segment(img, GUEST_DS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(img, GUEST_ES_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(img, GUEST_SS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(img, GUEST_FS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(img, GUEST_GS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(img, GUEST_TR_SELECTOR, 0x20, 0, 0x67, 0x008b);
	set_segment(img, GUEST_LDTR_SELECTOR, 0, 0, 0, 0x10000); /* unusable */
	vmcs_image_set(img, GUEST_GDTR_BASE, 0);
	vmcs_image_set(img, GUEST_GDTR_LIMIT, 0);
	vmcs_image_set(img, GUEST_IDTR_BASE, 0);
	vmcs_image_set(img, GUEST_IDTR_LIMIT, 0);
	vmcs_image_set(img, CR0_READ_SHADOW, X86_CR0_PE | X86_CR0_ET);
	vmcs_image_set(img, GUEST_CR0, (X86_CR0_PE | X86_CR0_ET | c->cr0_must1) & ~c->cr0_must0);
	vmcs_image_set(img, CR4_READ_SHADOW, 0);
	vmcs_image_set(img, GUEST_CR4, c->cr4_must1);
	vmcs_image_set(img, GUEST_CR3, 0);
	vmcs_image_set(img, GUEST_IA32_EFER, 0);
	vmcs_image_set(img, GUEST_IA32_PAT, 0x0007040600070406ULL);
	vmcs_image_set(img, VM_ENTRY_CONTROLS, c->entry);
	vmcs_image_set(img, GUEST_DR7, 0x400);
	vmcs_image_set(img, GUEST_IA32_DEBUGCTL, 0);
	vmcs_image_set(img, GUEST_RSP, 0);
	vmcs_image_set(img, GUEST_RIP, entry);
	vmcs_image_set(img, GUEST_RFLAGS, X86_RFLAGS_RESERVED1);
	vmcs_image_set(img, GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_image_set(img, GUEST_SYSENTER_CS, 0);
	vmcs_image_set(img, GUEST_SYSENTER_ESP, 0);
	vmcs_image_set(img, GUEST_SYSENTER_EIP, 0);
	vmcs_image_set(img, GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_image_set(img, GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmcs_image_set(img, VM_ENTRY_INTR_INFO_FIELD, 0);
}

/*
 * After INIT and a STARTUP IPI with this vector (SDM Vol. 3A, 9.1.1 and
 * 8.4.4.1): real mode at vector:0000, CS base vector << 12, every other
 * segment base 0 with a 64 KiB limit, CR0 = 60000010H, paging off. Runs
 * as an unrestricted guest (SDM Vol. 3C, 26.3.1.1), which Bolt requires.
 */
static const enum vmcs_field real_data_segs[] = {
	GUEST_DS_SELECTOR, GUEST_ES_SELECTOR, GUEST_SS_SELECTOR, GUEST_FS_SELECTOR, GUEST_GS_SELECTOR,
};

void vmcs_build_sipi_entry(struct vmcs_image *img, const struct vmx_ctls *c, uint8_t vector)
{
	uint64_t cr0 = X86_CR0_CD | X86_CR0_NW | X86_CR0_ET;

	vmcs_build_pvh_entry(img, c, 0); /* the common fields, then real mode over them */
	set_segment(img, GUEST_CS_SELECTOR, (uint16_t)(vector << 8), (uint64_t)vector << 12, 0xffff,
		    0x9b);
	for (unsigned i = 0; i < ARRAY_SIZE(real_data_segs); i++)
		set_segment(img, real_data_segs[i], 0, 0, 0xffff, 0x93);
	set_segment(img, GUEST_TR_SELECTOR, 0, 0, 0xffff, 0x8b);
	vmcs_image_set(img, GUEST_GDTR_LIMIT, 0xffff);
	vmcs_image_set(img, GUEST_IDTR_LIMIT, 0xffff);
	vmcs_image_set(img, CR0_READ_SHADOW, cr0);
	vmcs_image_set(img, GUEST_CR0, (cr0 | c->cr0_must1) & ~c->cr0_must0);
	vmcs_image_set(img, GUEST_RIP, 0);
}

/* Xen's packed segment attributes (type..P in 7:0, AVL/L/DB/G in 11:8) as VMX AR bytes. */
static uint32_t xen_ar(uint16_t ar)
{
	uint32_t vmx = (ar & 0xffu) | ((uint32_t)(ar & 0xf00u) << 4);

	return (ar & 0x80u) ? vmx : 0x10000; /* not present: unusable */
}

/*
 * VCPUOP_initialise's vcpu_hvm_context (xen/hvm/hvm_vcpu.h), as Xen's
 * arch_set_info_hvm_guest reads it: 32-bit mode takes the segments as
 * given, 64-bit mode flat long-mode segments; CR0/CR3/CR4/EFER and the
 * GPRs from the context (the GPRs go in by the caller). EFER.LMA follows
 * LME and CR0.PG, and IA-32e mode with it. Whatever VM entry would
 * refuse is caught by the vmentry_check() that follows.
 */
void vmcs_build_hvm_context(struct vmcs_image *img, const struct vmx_ctls *c,
			    const struct vcpu_hvm_context *ctx)
{
	uint64_t cr0, cr3, cr4, efer, rip, rflags;

	vmcs_build_pvh_entry(img, c, 0);
	if (ctx->mode == VCPU_HVM_MODE_64B) {
		const struct vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;

		cr0 = r->cr0, cr3 = r->cr3, cr4 = r->cr4, efer = r->efer;
		rip = r->rip, rflags = r->rflags;
		set_segment(img, GUEST_CS_SELECTOR, 0, 0, 0xffffffff, 0xa09b);
		set_segment(img, GUEST_TR_SELECTOR, 0, 0, 0x67, 0x008b);
	} else {
		const struct vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;

		cr0 = r->cr0, cr3 = r->cr3, cr4 = r->cr4, efer = r->efer;
		rip = r->eip, rflags = r->eflags;
		set_segment(img, GUEST_CS_SELECTOR, 0, r->cs_base, r->cs_limit, xen_ar(r->cs_ar));
		set_segment(img, GUEST_DS_SELECTOR, 0, r->ds_base, r->ds_limit, xen_ar(r->ds_ar));
		set_segment(img, GUEST_ES_SELECTOR, 0, r->es_base, r->es_limit, xen_ar(r->es_ar));
		set_segment(img, GUEST_SS_SELECTOR, 0, r->ss_base, r->ss_limit, xen_ar(r->ss_ar));
		set_segment(img, GUEST_FS_SELECTOR, 0, r->ds_base, r->ds_limit, xen_ar(r->ds_ar));
		set_segment(img, GUEST_GS_SELECTOR, 0, r->ds_base, r->ds_limit, xen_ar(r->ds_ar));
		/* Xen: a TR the context leaves empty is a minimal 32-bit busy TSS. */
		if (r->tr_ar & 0x80)
			set_segment(img, GUEST_TR_SELECTOR, 0, r->tr_base, r->tr_limit,
				    xen_ar(r->tr_ar));
	}
	if ((efer & X86_EFER_LME) && (cr0 & X86_CR0_PG))
		efer |= X86_EFER_LMA;
	vmcs_image_set(img, CR0_READ_SHADOW, cr0);
	vmcs_image_set(img, GUEST_CR0, (cr0 | c->cr0_must1) & ~c->cr0_must0);
	vmcs_image_set(img, CR4_READ_SHADOW, cr4);
	vmcs_image_set(img, GUEST_CR4, cr4 | c->cr4_must1);
	vmcs_image_set(img, GUEST_CR3, cr3);
	vmcs_image_set(img, GUEST_IA32_EFER, efer);
	vmcs_image_set(img, VM_ENTRY_CONTROLS,
		       (efer & X86_EFER_LMA) ? c->entry | ENTRY_IA32E_MODE : c->entry);
	vmcs_image_set(img, GUEST_RIP, rip);
	vmcs_image_set(img, GUEST_RFLAGS, rflags | X86_RFLAGS_RESERVED1);
}

/*
 * RDTSCP, INVPCID and XSAVES/XRSTORS raise #UD in a guest unless their
 * "enable" control is 1 (SDM Vol. 3C, 26.3 and Table 25-7). Real CPUs
 * with the instruction have the control, but a nested hypervisor may show
 * one without the other (a QEMU CPU model whose vmx-* list leaves it out,
 * such as Skylake-Server's vmx-xsaves): then the guest must not see the
 * instruction in its CPUID either.
 */
void vmx_guest_cpuid_hide(const struct vmx_ctls *c, uint32_t leaf, uint32_t sub, uint32_t regs[4])
{
	enum { EAX, EBX, ECX, EDX };

	if (leaf == 7 && sub == 0 && !(c->proc2 & CPU2_ENABLE_INVPCID))
		regs[EBX] &= ~(1u << 10); /* CPUID.(7,0):EBX[10] INVPCID */
	if (leaf == 0xd && sub == 1 && !(c->proc2 & CPU2_ENABLE_XSAVES))
		regs[EAX] &= ~(1u << 3); /* CPUID.(0DH,1):EAX[3] XSAVES/XRSTORS */
	if (leaf == 0x80000001 && !(c->proc2 & CPU2_ENABLE_RDTSCP))
		regs[EDX] &= ~(1u << 27); /* CPUID.80000001H:EDX[27] RDTSCP */
}
