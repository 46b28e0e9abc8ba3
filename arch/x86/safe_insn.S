/* SPDX-License-Identifier: MIT */
/*
 * Fault-safe privileged instructions (arch/safe_insn.h). Each is a leaf
 * that pushes nothing, so when its one instruction faults,
 * host_exception_fixup() can resume at safe_insn_fault: a plain `ret` to
 * the caller with RAX holding SAFE_FAULT | vector. SysV ABI: arguments in
 * RDI, RSI; result in EAX.
 */
	.text

	.globl	safe_xsetbv
safe_xsetbv:				/* (uint32_t xcr, uint64_t val) */
	mov	%edi, %ecx
	mov	%esi, %eax
	mov	%rsi, %rdx
	shr	$32, %rdx
	.globl	safe_xsetbv_insn
safe_xsetbv_insn:
	xsetbv
	xor	%eax, %eax
	ret

	.globl	safe_wrmsr
safe_wrmsr:				/* (uint32_t msr, uint64_t val) */
	mov	%edi, %ecx
	mov	%esi, %eax
	mov	%rsi, %rdx
	shr	$32, %rdx
	.globl	safe_wrmsr_insn
safe_wrmsr_insn:
	wrmsr
	xor	%eax, %eax
	ret

	.globl	safe_xrstor64
safe_xrstor64:				/* (const void *area, uint64_t rfbm) */
	mov	%esi, %eax
	mov	%rsi, %rdx
	shr	$32, %rdx
	.globl	safe_xrstor64_insn
safe_xrstor64_insn:
	xrstor64 (%rdi)
	xor	%eax, %eax
	ret

	.globl	safe_fxrstor64
safe_fxrstor64:				/* (const void *area) */
	.globl	safe_fxrstor64_insn
safe_fxrstor64_insn:
	fxrstor64 (%rdi)
	xor	%eax, %eax
	ret

	/* Where a faulting instruction above resumes; RAX was set by the fix-up. */
	.globl	safe_insn_fault
safe_insn_fault:
	ret

	.section .note.GNU-stack, "", @progbits
