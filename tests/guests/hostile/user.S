/* SPDX-License-Identifier: MIT */
/*
 * hostile: one hypercall from user mode (CPL 3). IRETQ drops to a CPL 3
 * stub that issues the call (a plain VMCALL, or a `call` into the
 * hypercall page), then comes back with SYSENTER: Bolt lets the guest own
 * the SYSENTER MSRs, and SYSENTER needs neither a TSS nor an IDT gate.
 * cat_user.c sets up the GDT (user segments 0x18/0x20), the U/S bits and
 * the SYSENTER MSRs before calling this.
 *
 * long hostile_user_call(nr, a1, a2, a3, user_rsp, stub)
 *   rdi = nr, rsi = a1, rdx = a2, rcx = a3, r8 = user stack top, r9 = stub or 0
 */
#define USER_DS 0x1b	/* GDT entry 3, RPL 3 */
#define USER_CS 0x23	/* GDT entry 4, RPL 3, 64-bit */
#define KERNEL_DS 0x10

	.text
	.globl hostile_user_call
	.type hostile_user_call, @function
hostile_user_call:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, hostile_user_saved_rsp(%rip)
	movq	%rdi, %rax		/* hypercall number */
	movq	%rsi, %rdi		/* argument 1 */
	movq	%rdx, %rsi		/* argument 2 */
	movq	%rcx, %rdx		/* argument 3 */
	pushq	$USER_DS
	pushq	%r8			/* user RSP */
	pushq	$0x2			/* RFLAGS: IF = 0 */
	pushq	$USER_CS
	leaq	hostile_user_entry(%rip), %r11
	pushq	%r11
	xorl	%r10d, %r10d
	xorl	%r8d, %r8d
	iretq

	/* CPL 3 from here to the SYSENTER. */
hostile_user_entry:
	testq	%r9, %r9
	jz	1f
	call	*%r9
	jmp	2f
1:	vmcall
2:	sysenter

	/* CPL 0 again: SYSENTER loaded CS 0x08, SS 0x10 and RIP, RSP from the MSRs. */
	.globl hostile_sysenter_target
hostile_sysenter_target:
	movl	$KERNEL_DS, %r11d
	movl	%r11d, %ds
	movl	%r11d, %es
	movl	%r11d, %fs
	movl	%r11d, %gs
	movq	hostile_user_saved_rsp(%rip), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size hostile_user_call, . - hostile_user_call

	/* A fault in user mode: common.c's hook resumes here at CPL 0. */
	.globl hostile_user_fault_return
hostile_user_fault_return:
	movabsq	$0x7fffdead, %rax	/* not a Xen errno: marks "faulted" */
	jmp	hostile_sysenter_target

	/* A user-mode stub that must fault: HLT at CPL 3 is #GP. */
	.globl hostile_user_hlt
hostile_user_hlt:
	hlt
	ret

	/* A user-mode stub: CPUID of leaf RAX (subleaf 0); #GP under CPUID faulting. */
	.globl hostile_user_cpuid
hostile_user_cpuid:
	xorl	%ecx, %ecx
	cpuid
	ret

	.bss
	.balign 8
hostile_user_saved_rsp:
	.skip 8

	.section .note.GNU-stack, "", @progbits
