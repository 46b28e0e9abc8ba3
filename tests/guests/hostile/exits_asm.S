/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: the assembly the exit fuzzer needs.
 *  - A quiet exception path for vectors 0-31 (the SDK's prints a report line
 *    per exception, far too slow for 100,000 expected faults): with
 *    exits_resume armed, record vector and error code and resume there.
 *  - SYSCALL and SYSENTER targets that return to 64-bit ring 0 with IRETQ
 *    (the hostile STAR / SYSENTER_CS leave junk selectors in CS and SS).
 *  - Code in a 32-bit compatibility-mode segment and in a 16-bit segment,
 *    entered with LRETQ and left with a far jump back to selector 0x08,
 *    each stub running one exit-causing instruction (SDM 5.8.8: a far
 *    transfer to a code segment with L = 0 enters compatibility mode).
 */
#define EXITS_CS64 0x08
#define EXITS_DS   0x10

	.text
/* --- Exceptions ------------------------------------------------------------- */
	.macro EXC v, err
	.balign 16
exits_exc_\v:
	.if \err == 0
	pushq	$0
	.endif
	pushq	$\v
	jmp	exits_exc_common
	.endm

	EXC 0, 0
	EXC 1, 0
	EXC 2, 0
	EXC 3, 0
	EXC 4, 0
	EXC 5, 0
	EXC 6, 0
	EXC 7, 0
	EXC 8, 1
	EXC 9, 0
	EXC 10, 1
	EXC 11, 1
	EXC 12, 1
	EXC 13, 1
	EXC 14, 1
	EXC 15, 0
	EXC 16, 0
	EXC 17, 1
	EXC 18, 0
	EXC 19, 0
	EXC 20, 0
	EXC 21, 1
	EXC 22, 0
	EXC 23, 0
	EXC 24, 0
	EXC 25, 0
	EXC 26, 0
	EXC 27, 0
	EXC 28, 0
	EXC 29, 1
	EXC 30, 1
	EXC 31, 0

	/* Stack: rax, vector, error code, RIP, CS, RFLAGS, RSP, SS. */
exits_exc_common:
	pushq	%rax
	movq	exits_resume(%rip), %rax
	testq	%rax, %rax
	jz	2f
	movq	%rax, 24(%rsp)
	movq	$0, exits_resume(%rip)
	movq	8(%rsp), %rax
	movq	%rax, exits_vec(%rip)
	movq	16(%rsp), %rax
	movq	%rax, exits_err(%rip)
	popq	%rax
	addq	$16, %rsp
	iretq
2:	/* Not expected: report (C, 16-byte aligned stack) and crash. */
	popq	%rax
	movq	%rsp, %rdi
	andq	$~15, %rsp
	call	exits_fatal
3:	hlt
	jmp	3b

	.section .rodata
	.balign 8
	.globl exits_exc_stubs
exits_exc_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad exits_exc_\v
	.endr
	.text

/* --- INT n: one stub per vector, "int $n; jmp *%r11" in 8 bytes each -------- */
	.balign 8
	.globl exits_int_stubs
exits_int_stubs:
	.set vec, 0
	.rept 256
	.balign 8
	.byte 0xcd, vec
	jmp	*%r11
	.set vec, vec + 1
	.endr

/* --- SYSCALL / SYSENTER ------------------------------------------------------ */
	/* SYSCALL: RCX = return RIP, R11 = RFLAGS, RSP unchanged (SDM Vol. 2B). */
	.globl exits_syscall_target
exits_syscall_target:
	movq	%rsp, %rax
	pushq	$EXITS_DS
	pushq	%rax
	pushq	%r11
	pushq	$EXITS_CS64
	pushq	%rcx
	iretq

	/* SYSENTER: RSP from the MSR (a scratch stack); back to the saved place. */
	.globl exits_sysenter_target
exits_sysenter_target:
	movq	exits_sysenter_rsp(%rip), %rax
	pushq	$EXITS_DS
	pushq	%rax
	pushfq
	pushq	$EXITS_CS64
	pushq	exits_sysenter_rip(%rip)
	iretq

/* --- Mode switches ----------------------------------------------------------- */
/*
 * void exits_mode_call(struct exits_mode_regs *r, uint64_t cs, uint64_t ip)
 * Loads EAX, EBX, ECX, EDX, ESI, EDI from r, far-returns to cs:ip, and
 * stores the six registers back into r when the stub comes home.
 */
	.globl exits_mode_call
	.type exits_mode_call, @function
exits_mode_call:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rdi, exits_mode_regs(%rip)
	movq	%rsp, exits_mode_rsp(%rip)
	pushq	%rsi			/* CS */
	pushq	%rdx			/* IP */
	movl	0(%rdi), %eax
	movl	4(%rdi), %ebx
	movl	8(%rdi), %ecx
	movl	12(%rdi), %edx
	movl	16(%rdi), %esi
	movl	20(%rdi), %edi
	lretq

	.globl exits_back64
exits_back64:
	movq	$0, exits_resume(%rip)
	movq	exits_mode_rsp(%rip), %rsp
	movq	exits_mode_regs(%rip), %rbp
	movl	%eax, 0(%rbp)
	movl	%ebx, 4(%rbp)
	movl	%ecx, 8(%rbp)
	movl	%edx, 12(%rbp)
	movl	%esi, 16(%rbp)
	movl	%edi, 20(%rbp)
	movl	$EXITS_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size exits_mode_call, . - exits_mode_call

	/* Compatibility mode (CS 0x18: 32-bit, base 0). */
	.code32
	.macro STUB32 name, insn:vararg
	.globl exits32_\name
exits32_\name:
	\insn
	jmp	exits32_back
	.endm
	STUB32 cpuid, cpuid
	STUB32 inb, inb %dx, %al
	STUB32 inw, inw %dx, %ax
	STUB32 inl, inl %dx, %eax
	STUB32 outb, outb %al, %dx
	STUB32 outw, outw %ax, %dx
	STUB32 outl, outl %eax, %dx
	STUB32 insb, rep insb
	STUB32 outsw, rep outsw
	STUB32 vmcall, vmcall
	STUB32 wrcr0, movl %eax, %cr0
	STUB32 rdcr0, movl %cr0, %eax
	STUB32 wrcr4, movl %eax, %cr4
	STUB32 rdmsr, rdmsr
	STUB32 wrmsr, wrmsr
	STUB32 xsetbv, xsetbv
	STUB32 ud, vmxoff
	.globl exits32_back
exits32_back:
	ljmp	$EXITS_CS64, $exits_back64

	/* 16-bit code (CS 0x20: base exits16_start, limit 64 KiB). */
	.code16
	.balign 16
	.globl exits16_start
exits16_start:
	.macro STUB16 name, insn:vararg
	.globl exits16_\name
exits16_\name:
	\insn
	jmp	exits16_back
	.endm
	STUB16 cpuid, cpuid
	STUB16 inb, inb %dx, %al
	STUB16 inw, inw %dx, %ax
	STUB16 inl, inl %dx, %eax
	STUB16 outb, outb %al, %dx
	STUB16 outw, outw %ax, %dx
	STUB16 outl, outl %eax, %dx
	STUB16 insb, rep insb
	STUB16 vmcall, vmcall
	STUB16 wrcr0, movl %eax, %cr0
	STUB16 rdcr0, movl %cr0, %eax
	STUB16 rdmsr, rdmsr
	STUB16 xsetbv, xsetbv
	STUB16 ud, vmxoff
	.globl exits16_back
exits16_back:
	ljmpl	$EXITS_CS64, $exits_back64
	.code64

	.bss
	.balign 8
exits_mode_regs:	.skip 8
exits_mode_rsp:		.skip 8
	.globl exits_sysenter_rsp, exits_sysenter_rip
exits_sysenter_rsp:	.skip 8
exits_sysenter_rip:	.skip 8
	.globl exits_resume, exits_vec, exits_err
exits_resume:	.skip 8
exits_vec:	.skip 8
exits_err:	.skip 8

	.section .note.GNU-stack, "", @progbits
