/* SPDX-License-Identifier: MIT */
/*
 * Bolt's VMCS, built as data (vmcs_build.c): the choice of VMX controls
 * for a capability set, and the control, host-state and guest-state
 * fields of a vCPU. Pure functions of their inputs, so the host unit tests
 * run exactly this over the capability sets of other CPUs.
 */
#ifndef ARCH_VMCS_BUILD_H
#define ARCH_VMCS_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/vmcs_image.h"
#include "arch/vmx_caps.h"

/* The controls chosen for a capability set, and what follows from them. */
struct vmx_ctls {
	uint32_t revision; /* IA32_VMX_BASIC[30:0] */
	uint32_t pin, proc, proc2, exit, entry;
	bool have_vpid;
	bool have_preemption_timer; /* pin bit 6 may be 1: armed per entry (sched/timer.c) */
	bool have_tpr_shadow;
	unsigned preemption_timer_shift; /* IA32_VMX_MISC[4:0] */
	/* CR0/CR4 bits VMX fixes (A.7, A.8); PE and PG are free with unrestricted guest. */
	uint64_t cr0_must1, cr0_must0, cr4_must1, cr4_must0;
	unsigned maxphyaddr, linaddr_bits;
	uint64_t xcr0_supported;
};

/*
 * Choose the controls Bolt runs with: 0, or -1 with every missing feature,
 * comma-separated, in why ("cannot run on this CPU: missing <why>").
 */
int vmx_choose_ctls(const struct vmx_caps *caps, struct vmx_ctls *out, char *why, size_t len);

/*
 * The CR0/CR4 a CPU runs VMX root with, from what the firmware left:
 * the VMX fixed bits honoured (SDM Vol. 3C, 24.8), CR4.VMXE set, and
 * CR4.OSXSAVE where XSAVE exists, so XSETBV can be emulated for guests.
 */
uint64_t vmx_root_cr0(const struct vmx_caps *caps, uint64_t cr0);
uint64_t vmx_root_cr4(const struct vmx_caps *caps, uint64_t cr4);

/* Per-vCPU addresses the control fields point at. */
struct vmcs_vcpu_addrs {
	uint64_t msr_bitmap;
	uint64_t vapic; /* the virtual-APIC page (with the TPR shadow) */
	uint64_t eptp;
	uint16_t vpid;
};

/* The host state a VM exit loads (SDM 28.5), as the CPU has it. */
struct vmcs_host_state {
	uint64_t cr0, cr3, cr4;
	uint16_t cs, ss, ds, es, fs, gs, tr;
	uint64_t fs_base, gs_base, tr_base, gdtr_base, idtr_base;
	uint64_t efer, pat;
	uint64_t rsp, rip;
};

/*
 * Hide from a guest's CPUID (regs: EAX, EBX, ECX, EDX) the instructions
 * the chosen controls leave at #UD: RDTSCP, INVPCID, XSAVES/XRSTORS.
 */
void vmx_guest_cpuid_hide(const struct vmx_ctls *c, uint32_t leaf, uint32_t sub, uint32_t regs[4]);

void vmcs_build_controls(struct vmcs_image *img, const struct vmx_ctls *c, const struct vmcs_vcpu_addrs *a);
void vmcs_build_host(struct vmcs_image *img, const struct vmx_ctls *c, const struct vmcs_host_state *h);
/*
 * The Xen PVH entry state (32-bit protected mode, paging off, flat
 * segments): a vCPU's first start and every restart.
 */
void vmcs_build_pvh_entry(struct vmcs_image *img, const struct vmx_ctls *c, uint32_t entry);
/* The state a STARTUP IPI with this vector leaves (real mode at vector << 12). */
void vmcs_build_sipi_entry(struct vmcs_image *img, const struct vmx_ctls *c, uint8_t vector);
/* VCPUOP_initialise's context (the GPRs are the caller's to load). */
struct vcpu_hvm_context;
void vmcs_build_hvm_context(struct vmcs_image *img, const struct vmx_ctls *c,
			    const struct vcpu_hvm_context *ctx);

#endif
