/* SPDX-License-Identifier: MIT */
/*
 * VM-exit entry and VM-entry exit path (Jailhouse style): save the guest
 * GPRs in a struct guest_regs at the top of the host stack, call C, restore,
 * VMRESUME (or VMLAUNCH when C returns non-zero). HOST_RSP in every VMCS is
 * the top of the CPU's host stack, so the frame is always at the same place.
 */
#include "asm-offsets.h"
#include "arch/vmexit.h"

/* Make room for the frame and store RAX and RDX, which RDTSC needs. */
.macro SAVE_AX_DX
	lea	-GUEST_REGS_SIZE(%rsp), %rsp
	mov	%rax, REGS_RAX(%rsp)
	mov	%rdx, REGS_RDX(%rsp)
.endm

/* The other GPRs, into the frame SAVE_AX_DX made. */
.macro SAVE_GPRS_BUT_AX_DX
	mov	%rcx, REGS_RCX(%rsp)
	mov	%rbx, REGS_RBX(%rsp)
	mov	%rbp, REGS_RBP(%rsp)
	mov	%rsi, REGS_RSI(%rsp)
	mov	%rdi, REGS_RDI(%rsp)
	mov	%r8, REGS_R8(%rsp)
	mov	%r9, REGS_R9(%rsp)
	mov	%r10, REGS_R10(%rsp)
	mov	%r11, REGS_R11(%rsp)
	mov	%r12, REGS_R12(%rsp)
	mov	%r13, REGS_R13(%rsp)
	mov	%r14, REGS_R14(%rsp)
	mov	%r15, REGS_R15(%rsp)
.endm

	.text
	.globl	vmx_exit_entry
vmx_exit_entry:				/* HOST_RIP: RFLAGS = 0x2, IF = 0 */
	/*
	 * hv_send/hv_wake start here: the TSC goes to pcpu.exit_tsc (GS is
	 * the pcpu, HOST_GS_BASE) after VMEXIT_INSNS_BEFORE_TSC instructions.
	 * Two 32-bit stores keep the window short (no shift/or). Nothing is
	 * stored below RSP: an NMI in root mode would push its frame there.
	 */
	SAVE_AX_DX
	rdtsc
	mov	%eax, %gs:PCPU_EXIT_TSC
	mov	%edx, %gs:PCPU_EXIT_TSC+4
	SAVE_GPRS_BUT_AX_DX
	mov	%rsp, %rdi
	call	vmx_handle_exit		/* returns 1 to VMLAUNCH, 0 to VMRESUME */
	jmp	vmx_restore

	/* void vmx_start(uint64_t stack_top): first entry on this CPU. */
	.globl	vmx_start
vmx_start:
	mov	%rdi, %rsp
	lea	-GUEST_REGS_SIZE(%rsp), %rsp
	mov	%rsp, %rdi
	call	vmx_first_entry

vmx_restore:
	/* Neither mov, lea nor rdtsc changes RFLAGS: ZF still reflects the C result. */
	test	%eax, %eax
	mov	REGS_RCX(%rsp), %rcx
	mov	REGS_RBX(%rsp), %rbx
	mov	REGS_RBP(%rsp), %rbp
	mov	REGS_RSI(%rsp), %rsi
	mov	REGS_RDI(%rsp), %rdi
	mov	REGS_R8(%rsp), %r8
	mov	REGS_R9(%rsp), %r9
	mov	REGS_R10(%rsp), %r10
	mov	REGS_R11(%rsp), %r11
	mov	REGS_R12(%rsp), %r12
	mov	REGS_R13(%rsp), %r13
	mov	REGS_R14(%rsp), %r14
	mov	REGS_R15(%rsp), %r15
	/*
	 * hv_send/hv_wake end at VMRESUME/VMLAUNCH: VMENTRY_INSNS_FROM_TSC
	 * instructions from this RDTSC (itself included) on either path. C
	 * accounts the sample at the next exit (vmx.c, account_entry).
	 */
	rdtsc
	mov	%eax, %gs:PCPU_ENTRY_TSC
	mov	%edx, %gs:PCPU_ENTRY_TSC+4
	mov	REGS_RDX(%rsp), %rdx
	mov	REGS_RAX(%rsp), %rax
	lea	GUEST_REGS_SIZE(%rsp), %rsp
	jnz	1f
	vmresume
	jmp	2f
1:	vmlaunch
2:	/* VM entry failed (VMfailValid/VMfailInvalid): report it in C. */
	SAVE_AX_DX
	SAVE_GPRS_BUT_AX_DX
	mov	%rsp, %rdi
	call	vmx_entry_failed
	jmp	vmx_restore

	.section .note.GNU-stack, "", @progbits
