/* SPDX-License-Identifier: MIT */
/* VMX bring-up and the VM entry path shared by the arch/x86 files. */
#ifndef ARCH_VMX_SETUP_H
#define ARCH_VMX_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/regs.h"
#include "arch/vmcs.h"

struct pcpu;
struct vcpu;

/* Boot CPU, before ExitBootServices: 0, or -1 with what is missing in why. */
int vmx_check_support(char *why, size_t len);
/* Hide from a guest's CPUID what the chosen VMX controls leave at #UD (vmcs_build.c). */
struct cpuid_regs;
void vmx_cpuid_adjust(uint32_t leaf, uint32_t sub, struct cpuid_regs *r);
/* `debug = vmx`: log the capability set and the chosen controls. */
void vmx_log_caps(void);
/* Every CPU: IA32_FEATURE_CONTROL, CR0/CR4 fixed bits, VMXON. Panics on failure. */
void vmx_cpu_enable(struct pcpu *p);
/* Enter the scheduler's first vCPU on this CPU; never returns. */
__attribute__((noreturn)) void vmx_run(struct pcpu *p);

/* Exit handling (arch/x86/exit*.c). */
void vmx_dispatch_exit(struct vcpu *v, struct guest_regs *regs, uint32_t reason);
/* The register-only send and doorbell shortcut (fastpath.c): true if it handled the exit. */
bool vmx_fast_exit(struct vcpu *v, struct guest_regs *regs, uint32_t reason);
void vmx_advance_rip(void);
/* Past an instruction of len bytes Bolt decoded itself (no VM_EXIT_INSTRUCTION_LEN). */
void vmx_skip_insn(unsigned len);
void vmx_inject_exception(unsigned vector, int error_code);
/*
 * upcall.c: inject the event-channel upcall, or ask for an interrupt
 * window; pending is upcall_is_pending(v), which the caller has read.
 * True if an upcall was pending (and is now taken care of).
 */
bool vmx_deliver_upcall(struct vcpu *v, bool pending);

/* Capabilities other files need. */
extern unsigned vmx_maxphyaddr;
/* Linear-address width (CPUID.80000008H:EAX[15:8]): 48, or 57 with LA57. */
extern unsigned vmx_linaddr_bits;

/* True if addr is canonical for this CPU's linear-address width (SDM Vol. 1, 3.3.7.1). */
static inline bool vmx_canonical(uint64_t addr)
{
	unsigned shift = 64 - vmx_linaddr_bits;

	return (uint64_t)((int64_t)(addr << shift) >> shift) == addr;
}
extern uint64_t vmx_cr0_must1, vmx_cr0_must0, vmx_cr4_must1, vmx_cr4_must0;
extern uint64_t host_xcr0_supported;

/*
 * The guest's own CR0/CR4 as it would read them: the bits it owns from the
 * real register (GUEST_CRn, which its MOVs change without exiting), the
 * bits Bolt owns (the guest/host mask) from the read shadow (SDM 25.6.6).
 * The read shadow alone goes stale as soon as the guest sets PAE or
 * OSXSAVE; GUEST_CR4 alone shows VMXE, which the guest never set.
 *
 * Inline, with the masks from the globals vmx_setup_controls() writes into
 * CR0/CR4_GUEST_HOST_MASK: the page walker calls this on every guest copy,
 * so two VMREADs, not three and a call.
 */
static inline uint64_t vmx_guest_cr0(void)
{
	uint64_t mask = vmx_cr0_must1 | vmx_cr0_must0;

	return (vmcs_readnat(GUEST_CR0) & ~mask) | (vmcs_readnat(CR0_READ_SHADOW) & mask);
}

static inline uint64_t vmx_guest_cr4(void)
{
	uint64_t mask = vmx_cr4_must1 | vmx_cr4_must0;

	return (vmcs_readnat(GUEST_CR4) & ~mask) | (vmcs_readnat(CR4_READ_SHADOW) & mask);
}

#endif
