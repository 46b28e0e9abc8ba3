/* SPDX-License-Identifier: MIT */
/*
 * VMCALL: the Xen HVM hypercall ABI. Number in RAX; arguments in RDI, RSI,
 * RDX, R10, R8 for 64-bit code, EBX, ECX, EDX, ESI, EDI for 32-bit code;
 * the result in RAX. Calls from guest user mode (CPL > 0) get -EPERM.
 * A 32-bit caller's structs are read in their compat layouts (core/compat.h).
 */
#include "arch/exits.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "lib/errno.h"

/* 64-bit mode: IA-32e mode and a 64-bit CS (SDM Vol. 3A 5.2.1); Xen's hvm_guest_x86_mode() == 8. */
bool vmx_guest_64bit_mode(void)
{
	return (vmcs_read32(GUEST_CS_AR_BYTES) & VMX_AR_L) &&
	       (vmcs_read64(GUEST_IA32_EFER) & X86_EFER_LMA);
}

void vmx_hypercall(struct vcpu *v, struct guest_regs *regs)
{
	bool long_mode = vmx_guest_64bit_mode();
	unsigned cpl = (vmcs_read32(GUEST_SS_AR_BYTES) >> 5) & 3;
	struct hypercall_args a;
	uint64_t *r64[5] = { &regs->rdi, &regs->rsi, &regs->rdx, &regs->r10, &regs->r8 };
	uint64_t *r32[5] = { &regs->rbx, &regs->rcx, &regs->rdx, &regs->rsi, &regs->rdi };
	uint64_t **argr = long_mode ? r64 : r32;
	unsigned nr = long_mode ? (unsigned)regs->rax : (uint32_t)regs->rax;
	long ret;

	if (long_mode && regs->rax > 0xffffffffULL)
		nr = ~0u; /* a huge number is unknown, not truncated into a valid one */
	if (cpl != 0) {
		ret = -XEN_EPERM;
	} else {
		for (int i = 0; i < 5; i++)
			a.a[i] = long_mode ? *argr[i] : (uint32_t)*argr[i];
		a.compat = !long_mode;
		ret = hypercall_dispatch(v, nr, &a);
		if (a.continuation) {
			/* Re-execute the VMCALL with the remaining work (RIP stays). */
			for (int i = 0; i < 5; i++)
				*argr[i] = a.a[i];
			return;
		}
	}
	regs->rax = long_mode ? (uint64_t)ret : (uint32_t)ret;
	/* A shutdown may have stopped or reset the vCPU: its RIP is not ours to move. */
	if (v->state == VCPU_STOPPED || v->arch.reload_regs)
		return;
	vmx_advance_rip();
}
