/* SPDX-License-Identifier: MIT */
/*
 * Guest general-purpose registers as the VM-exit stub saves them on the
 * host stack (RSP and RIP live in the VMCS). arch/x86/asm-offsets.c turns
 * the field offsets into constants for the assembly; the size is a
 * multiple of 16 so the C handler is called with an ABI-aligned stack.
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include <stdint.h>

struct guest_regs {
	uint64_t rax, rcx, rdx, rbx, cr2, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

#endif
