/* SPDX-License-Identifier: MIT */
/*
 * Interrupt stubs for the lapic test guest: one per vector in
 * lapic_vectors (main.c), each pushing its vector and calling
 * lapic_isr(vector) with the caller-saved registers and the FPU/SSE
 * state saved, as the SDK's upcall entry does.
 */
	.text
	.macro STUB v
	.balign 16
lapic_stub_\v:
	pushq	$\v
	jmp	lapic_common
	.endm

	.irp v, 0x30,0x31,0x32,0x33,0x41,0x44,0x45,0x55,0x81
	STUB \v
	.endr

lapic_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	movq	80(%rsp), %rdi		/* the vector the stub pushed */
	movq	%rsp, %rbx
	subq	$512, %rsp
	andq	$~15, %rsp
	fxsave64 (%rsp)
	cld
	call	lapic_isr
	fxrstor64 (%rsp)
	movq	%rbx, %rsp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$8, %rsp		/* the vector */
	iretq

	.section .rodata
	.balign 8
	.globl lapic_stubs
lapic_stubs:
	.irp v, 0x30,0x31,0x32,0x33,0x41,0x44,0x45,0x55,0x81
	.quad \v, lapic_stub_\v
	.endr
	.globl lapic_nr_stubs
lapic_nr_stubs:
	.quad 9
	.section .note.GNU-stack,"",@progbits
