/* SPDX-License-Identifier: MIT */
/*
 * PVH entry of every Bolt guest, its exception stubs and the upcall entry.
 *
 * Bolt (like Xen) enters at the XEN_ELFNOTE_PHYS32_ENTRY address in 32-bit
 * protected mode, paging off, flat segments, interrupts off, with EBX =
 * guest-physical address of struct hvm_start_info. We build an identity
 * map of the first 4 GiB with 2 MiB pages, switch to long mode, turn on
 * SSE (the compiler is free to use it in guest C code) and call
 * sdk_start(si) on a 64 KiB stack.
 */
#include <xen/elfnote.h>

#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define CR0_PE		(1 << 0)
#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)
#define PTE_P		(1 << 0)
#define PTE_RW		(1 << 1)
#define PTE_PS		(1 << 7)
#define GDT_CODE64	0x08
#define GDT_DATA	0x10
#define STACK_SIZE	0x10000

/* The note Bolt's ELF loader looks for; the linker script gives it a PT_NOTE. */
	.section .note.Xen, "a", @note
	.balign 4
	.long 2f - 1f			/* namesz */
	.long 4f - 3f			/* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.balign 4
3:	.long sdk_entry32
4:	.balign 4

	.section .text.entry, "ax"
	.code32
	.globl sdk_entry32
	.type sdk_entry32, @function
sdk_entry32:
	cli
	cld
	/*
	 * Bolt's ELF loader zero-fills bss already, but a boot protocol
	 * promise is cheap to not rely on: clear bss (page tables and stack
	 * included) before using any of it. EBX (start info) is preserved.
	 */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	$sdk_stack_top, %esp

	/* PML4[0] -> PDPT; PDPT[0..3] -> PD[0..3]; PD[k] = k * 2 MiB. */
	movl	$(sdk_pdpt + PTE_P + PTE_RW), sdk_pml4
	movl	$sdk_pd, %eax
	orl	$(PTE_P + PTE_RW), %eax
	xorl	%ecx, %ecx
1:	movl	%eax, sdk_pdpt(, %ecx, 8)
	addl	$0x1000, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jb	1b

	movl	$(PTE_P + PTE_RW + PTE_PS), %eax
	xorl	%ecx, %ecx
2:	movl	%eax, sdk_pd(, %ecx, 8)	/* high dword stays 0: below 4 GiB */
	addl	$0x200000, %eax
	incl	%ecx
	cmpl	$2048, %ecx
	jb	2b

	movl	$sdk_pml4, %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	lgdt	sdk_gdt_desc
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0
	ljmp	$GDT_CODE64, $sdk_entry64

	.code64
sdk_entry64:
	movl	$GDT_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movq	$sdk_stack_top, %rsp

	/* SSE: CR0.MP=1, CR0.EM=0; CR4.OSFXSR and OSXMMEXCPT. */
	movq	%cr0, %rax
	andq	$~CR0_EM, %rax
	orq	$CR0_MP, %rax
	movq	%rax, %cr0
	movq	%cr4, %rax
	orq	$(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
	movq	%rax, %cr4
	fninit

	movl	%ebx, %edi		/* zero-extends: si is below 4 GiB */
	xorl	%ebp, %ebp
	call	sdk_start
3:	hlt				/* sdk_start never returns */
	jmp	3b
	.size sdk_entry32, . - sdk_entry32

/*
 * Exception stubs 0-31. Each pushes a dummy error code where the CPU does
 * not, then its vector, and joins sdk_exception_common, which saves the
 * GPRs (struct bolt_exception_frame) and the FPU/SSE state (the C handler
 * may use SSE and a hook may resume the interrupted code).
 */
	.text
	.macro EXC_STUB v
	.balign 16
sdk_exc_stub_\v:
	.if !(\v == 8 || (\v >= 10 && \v <= 14) || \v == 17 || \v == 21 || \v == 29 || \v == 30)
	pushq	$0
	.endif
	pushq	$\v
	jmp	sdk_exception_common
	.endm

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	EXC_STUB \v
	.endr

sdk_exception_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi		/* struct bolt_exception_frame * */
	movq	%rsp, %rbx		/* callee-saved: restores the unaligned rsp */
	subq	$512, %rsp
	andq	$~15, %rsp
	fxsave64 (%rsp)
	cld
	call	sdk_exception
	fxrstor64 (%rsp)
	movq	%rbx, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector, error code */
	iretq

/*
 * Event-channel upcall (BOLT_UPCALL_VECTOR, an interrupt gate: IF = 0 here).
 * The interrupted code may be anywhere (usually the `sti; hlt` of a wait),
 * so save every register the C ABI lets sdk_upcall clobber, plus the
 * FPU/SSE state because guest handlers may use SSE. No EOI: Bolt injects
 * the vector without an emulated APIC, so returning is the acknowledgement.
 */
	.balign 16
	.globl sdk_upcall_entry
	.type sdk_upcall_entry, @function
sdk_upcall_entry:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	%rsp, %rbx		/* callee-saved: restores the unaligned rsp */
	subq	$512, %rsp
	andq	$~15, %rsp
	fxsave64 (%rsp)
	cld
	call	sdk_upcall
	fxrstor64 (%rsp)
	movq	%rbx, %rsp
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	iretq
	.size sdk_upcall_entry, . - sdk_upcall_entry

	.section .rodata
	.balign 8
	.globl sdk_exception_stubs
sdk_exception_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad sdk_exc_stub_\v
	.endr

	/* In .data: the CPU sets the accessed bits when loading selectors. */
	.section .data
	.balign 8
sdk_gdt:
	.quad 0				/* null */
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff	/* 0x10: flat data */
sdk_gdt_end:
sdk_gdt_desc:
	.word sdk_gdt_end - sdk_gdt - 1
	.quad sdk_gdt			/* lgdt in 32-bit mode reads the low 4 bytes */

	.section .bss
	.balign 4096
sdk_pml4:	.skip 4096
sdk_pdpt:	.skip 4096
sdk_pd:		.skip 4 * 4096
	.balign 16
sdk_stack:	.skip STACK_SIZE
sdk_stack_top:

	.section .note.GNU-stack, "", @progbits
