/* SPDX-License-Identifier: MIT */
/*
 * hostile: one hypercall from 32-bit protected mode with PAE paging, then
 * back to long mode. Bolt must walk the guest's PAE tables when it copies
 * the hypercall's buffer (issue 8: it read a stale CR4 and walked them as
 * 2-level 32-bit tables, so every pointer argument failed with -EFAULT).
 *
 * long hostile_pae_call(nr, a1, a2, a3, pae_pdpt)
 *   rdi = nr, rsi = a1, rdx = a2, rcx = a3 (32-bit values), r8 = the PAE
 *   PDPT (32-byte aligned, below 4 GiB). Interrupts stay off; code, data
 *   and stack are identity-mapped below 4 GiB in both paging modes.
 * Steps (SDM Vol. 3A, 10.8.5.4 "Switching Out of IA-32e Mode Operation"):
 * far return to a 32-bit code segment (compatibility mode), clear CR0.PG
 * (IA-32e mode off), clear EFER.LME, load the PAE PDPT, set CR0.PG (PAE
 * paging), VMCALL with EAX, EBX, ECX, EDX; then the reverse.
 */
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define CR0_PG		(1 << 31)
#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32	0x18

	.text
	.globl hostile_pae_call
	.type hostile_pae_call, @function
hostile_pae_call:
	pushq	%rbx
	pushq	%rbp
	pushfq
	cli
	movl	%edi, pae_nr(%rip)
	movl	%esi, pae_a1(%rip)
	movl	%edx, pae_a2(%rip)
	movl	%ecx, pae_a3(%rip)
	movl	%r8d, pae_pdpt(%rip)
	movq	%cr3, %rax
	movl	%eax, pae_cr3(%rip)	/* the SDK's PML4 is below 4 GiB */
	sgdt	pae_saved_gdt(%rip)
	lgdt	pae_gdt_desc(%rip)
	pushq	$SEL_CODE32
	leaq	1f(%rip), %rax
	pushq	%rax
	lretq

	.code32
1:	movl	%cr0, %eax		/* compatibility mode: leave IA-32e mode */
	andl	$~CR0_PG, %eax
	movl	%eax, %cr0
	movl	$MSR_EFER, %ecx
	rdmsr
	andl	$~EFER_LME, %eax
	wrmsr
	movl	pae_pdpt, %eax
	movl	%eax, %cr3
	movl	%cr0, %eax		/* CR4.PAE is still set: PAE paging */
	orl	$CR0_PG, %eax
	movl	%eax, %cr0

	movl	pae_nr, %eax
	movl	pae_a1, %ebx
	movl	pae_a2, %ecx
	movl	pae_a3, %edx
	vmcall
	movl	%eax, pae_ret

	movl	%cr0, %eax		/* and back: paging off, LME, PML4, paging on */
	andl	$~CR0_PG, %eax
	movl	%eax, %cr0
	movl	pae_cr3, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0
	ljmp	$SEL_CODE64, $2f

	.code64
2:	lgdt	pae_saved_gdt(%rip)
	movslq	pae_ret(%rip), %rax	/* a negative errno stays negative */
	popfq
	popq	%rbp
	popq	%rbx
	ret
	.size hostile_pae_call, . - hostile_pae_call

	.data
	.balign	16
pae_gdt:
	.quad	0
	.quad	0x00af9b000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad	0x00cf93000000ffff	/* 0x10: flat data */
	.quad	0x00cf9b000000ffff	/* 0x18: 32-bit flat code */
pae_gdt_desc:
	.word	pae_gdt_desc - pae_gdt - 1
	.quad	pae_gdt
pae_saved_gdt:
	.word	0
	.quad	0
	.balign	4
pae_nr:		.long 0
pae_a1:		.long 0
pae_a2:		.long 0
pae_a3:		.long 0
pae_pdpt:	.long 0
pae_cr3:	.long 0
pae_ret:	.long 0

	.section .note.GNU-stack, "", @progbits
