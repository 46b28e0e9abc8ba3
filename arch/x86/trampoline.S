/* SPDX-License-Identifier: MIT */
/*
 * Application-processor trampoline, copied to a page below 1 MiB. After
 * INIT-SIPI-SIPI an AP starts here in real mode at CS = page >> 4, IP = 0,
 * and goes real -> protected -> long mode with the boot CPU's page tables,
 * then calls entry(arg) on its own stack (struct ap_boot_data, arch/smp.h).
 * Only position-independent label differences are used: the code runs at
 * whatever page the boot CPU chose.
 */
#include "asm-offsets.h"

#define DATA (ap_trampoline_data - ap_trampoline_start)

	.text
	.code16
	.globl	ap_trampoline_start
ap_trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	xor	%ebx, %ebx
	mov	%ax, %bx
	shl	$4, %ebx			/* EBX = physical base of this page */
	lgdtl	DATA + APBOOT_GDTR
	mov	%cr0, %eax
	or	$1, %eax			/* CR0.PE */
	mov	%eax, %cr0
	ljmpl	*(DATA + APBOOT_JMP32)

	.code32
	.globl	ap_trampoline_pm32
ap_trampoline_pm32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%cr4, %eax
	or	$(1 << 5), %eax			/* CR4.PAE */
	mov	%eax, %cr4
	mov	DATA + APBOOT_CR3(%ebx), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* IA32_EFER.LME */
	rdmsr
	or	$(1 << 8), %eax
	wrmsr
	mov	%cr0, %eax
	and	$~((1 << 30) | (1 << 29)), %eax	/* INIT leaves CD/NW set: clear them */
	or	$((1 << 31) | (1 << 16) | (1 << 5) | 1), %eax	/* PG, WP, NE, PE */
	mov	%eax, %cr0
	ljmpl	*DATA + APBOOT_JMP64(%ebx)

	.code64
	.globl	ap_trampoline_lm64
ap_trampoline_lm64:
	mov	DATA + APBOOT_STACK(%rbx), %rsp
	mov	DATA + APBOOT_ARG(%rbx), %rdi
	mov	DATA + APBOOT_ENTRY(%rbx), %rax
	call	*%rax
1:	cli
	hlt
	jmp	1b

	.balign	8
	.globl	ap_trampoline_data
ap_trampoline_data:
	.fill	APBOOT_SIZE, 1, 0
	.globl	ap_trampoline_end
ap_trampoline_end:

	.section .note.GNU-stack, "", @progbits
