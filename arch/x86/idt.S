/* SPDX-License-Identifier: MIT */
/*
 * Host exception entry points. The hypervisor runs with interrupts off
 * (except in the HLT idle wait, arch/x86/idle.c), so only CPU exceptions,
 * NMIs and, while idling in HLT, interrupts arrive here. An exception
 * raised by one of the fault-safe instructions (safe_insn.S) resumes at
 * its fix-up; any other is a hypervisor bug (host_exception() prints the
 * state and panics). An NMI is counted (host_nmi(), arch/x86/nmi.c) and
 * returns: its IRET also ends the NMI blocking the CPU entered with it
 * (SDM Vol. 3A, 6.7.1). An interrupt is acknowledged and returns.
 */
	.text
.macro EXC_NOERR vec
	.balign 16
	pushq	$0
	pushq	$\vec
	jmp	exc_common
.endm
.macro EXC_ERR vec
	.balign 16
	pushq	$\vec
	jmp	exc_common
.endm

	.balign	16
	.globl	host_exc_stubs
host_exc_stubs:				/* 32 stubs, 16 bytes apart */
	EXC_NOERR 0
	EXC_NOERR 1
	.balign 16
	jmp	host_nmi_stub		/* vector 2: NMI */
	EXC_NOERR 3
	EXC_NOERR 4
	EXC_NOERR 5
	EXC_NOERR 6
	EXC_NOERR 7
	EXC_ERR 8
	EXC_NOERR 9
	EXC_ERR 10
	EXC_ERR 11
	EXC_ERR 12
	EXC_ERR 13
	EXC_ERR 14
	EXC_NOERR 15
	EXC_NOERR 16
	EXC_ERR 17
	EXC_NOERR 18
	EXC_NOERR 19
	EXC_NOERR 20
	EXC_ERR 21
	EXC_NOERR 22
	EXC_NOERR 23
	EXC_NOERR 24
	EXC_NOERR 25
	EXC_NOERR 26
	EXC_NOERR 27
	EXC_NOERR 28
	EXC_ERR 29
	EXC_ERR 30
	EXC_NOERR 31

/* The caller-saved registers, and RBP holding the stack pointer across an aligned call. */
.macro PUSH_CALLER_SAVED
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbp
	mov	%rsp, %rbp
.endm

.macro POP_CALLER_SAVED
	mov	%rbp, %rsp
	popq	%rbp
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
.endm

/* Save the caller-saved registers around a C call: the interrupted code may be anywhere. */
.macro CALL_SAVED fn
	PUSH_CALLER_SAVED
	and	$~15, %rsp
	cld
	call	\fn
	POP_CALLER_SAVED
.endm

host_nmi_stub:				/* no error code; stack: RIP, CS, RFLAGS, RSP, SS */
	CALL_SAVED host_nmi
	iretq

	.balign	16
	.globl	host_irq_stub
host_irq_stub:				/* every vector 32-255 (host_cpu.c) */
	CALL_SAVED apic_eoi
	iretq

exc_common:				/* stack: vector, error code, RIP, CS, RFLAGS, RSP, SS */
	/* The caller-saved registers: a fixed-up fault returns to C code. */
	PUSH_CALLER_SAVED
	lea	80(%rsp), %rdi		/* the frame; the saved RAX is just below it */
	and	$~15, %rsp
	call	host_exception_fixup	/* true: the frame now resumes at a fix-up */
	test	%al, %al
	jz	2f
	POP_CALLER_SAVED
	add	$16, %rsp		/* vector and error code */
	iretq
2:	lea	80(%rbp), %rdi
	and	$~15, %rsp
	call	host_exception		/* does not return */
1:	cli
	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
