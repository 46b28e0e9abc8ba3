/* SPDX-License-Identifier: MIT */
/* VMX bring-up and the VM entry path shared by the arch/x86 files. */
#ifndef ARCH_VMX_SETUP_H
#define ARCH_VMX_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "arch/regs.h"

struct pcpu;
struct vcpu;

/* Boot CPU, before ExitBootServices: 0, or -1 with what is missing in why. */
int vmx_check_support(char *why, size_t len);
/* Every CPU: IA32_FEATURE_CONTROL, CR0/CR4 fixed bits, VMXON. Panics on failure. */
void vmx_cpu_enable(struct pcpu *p);
/* Enter the scheduler's first vCPU on this CPU; never returns. */
__attribute__((noreturn)) void vmx_run(struct pcpu *p);

/* Exit handling (arch/x86/exit*.c). */
void vmx_dispatch_exit(struct vcpu *v, struct guest_regs *regs, uint32_t reason);
void vmx_advance_rip(void);
void vmx_inject_exception(unsigned vector, int error_code);
/*
 * upcall.c: inject the event-channel upcall, or ask for an interrupt
 * window. True if an upcall was pending (and is now taken care of).
 */
bool vmx_deliver_upcall(struct vcpu *v);

/* Capabilities other files need. */
extern unsigned vmx_maxphyaddr;
extern uint64_t vmx_cr0_must1, vmx_cr0_must0, vmx_cr4_must1, vmx_cr4_must0;
extern uint64_t host_xcr0_supported;

#endif
