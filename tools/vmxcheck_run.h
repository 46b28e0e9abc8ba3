/* SPDX-License-Identifier: MIT */
/*
 * Bolt's VMCS for a capability set, checked off the machine: the control
 * choice, the construction and the VM-entry checks of the hypervisor
 * (arch/x86/vmcs_build.c, vmentry_check*.c), run over the VMCS of each
 * situation Bolt enters a guest in. Used by `bolt-vmxcheck FILE.caps` and
 * by tests/unit/test_vmcs_caps.c over tests/data/vmxcaps/.
 */
#ifndef TOOLS_VMXCHECK_RUN_H
#define TOOLS_VMXCHECK_RUN_H

#include "arch/vmcs_build.h"
#include "arch/vmentry_check.h"

enum vmxcheck_outcome {
	VMXCHECK_RUNS,        /* every situation's VMCS passes */
	VMXCHECK_CANNOT_RUN,  /* the CPU lacks a feature Bolt needs: why */
	VMXCHECK_BAD_VMCS,    /* Bolt would build a VMCS the CPU refuses: situation, err */
};

struct vmxcheck_result {
	enum vmxcheck_outcome outcome;
	struct vmx_ctls ctls;
	char why[512];
	const char *situation;  /* the one that failed */
	struct vmentry_error err;
	unsigned situations;    /* how many were checked */
	struct vmcs_image first; /* the first entry's VMCS */
	struct vmcs_image restarted; /* after a 64-bit guest's restart */
};

/*
 * The situations: a vCPU's first entry (PVH state); the entry that injects
 * an event-channel upcall into a vCPU woken from HLT, with the preemption
 * timer armed; the entry with interrupt-window exiting instead; a guest
 * that went to 64-bit mode with paging; its restart; a second vCPU on the
 * same CPU. Host state is a UEFI CPU's after vmx_root_cr0/cr4.
 */
void vmxcheck_run(const struct vmx_caps *caps, struct vmxcheck_result *r);

#endif
