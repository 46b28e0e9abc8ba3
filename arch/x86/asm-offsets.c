/* SPDX-License-Identifier: MIT */
/*
 * Generates build/gen/asm-offsets.h: structure offsets and sizes the
 * assembly needs, computed by the compiler so they can never drift.
 * Compiled with -S only; the Makefile extracts the "->NAME value" markers.
 */
#include <stddef.h>

#include "arch/regs.h"
#include "arch/smp.h"
#include "core/pcpu.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %c0\"" : : "i"(val))
#define OFFSET(sym, type, member) DEFINE(sym, offsetof(struct type, member))

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(REGS_RAX, guest_regs, rax);
	OFFSET(REGS_RCX, guest_regs, rcx);
	OFFSET(REGS_RDX, guest_regs, rdx);
	OFFSET(REGS_RBX, guest_regs, rbx);
	OFFSET(REGS_CR2, guest_regs, cr2);
	OFFSET(REGS_RBP, guest_regs, rbp);
	OFFSET(REGS_RSI, guest_regs, rsi);
	OFFSET(REGS_RDI, guest_regs, rdi);
	OFFSET(REGS_R8, guest_regs, r8);
	OFFSET(REGS_R9, guest_regs, r9);
	OFFSET(REGS_R10, guest_regs, r10);
	OFFSET(REGS_R11, guest_regs, r11);
	OFFSET(REGS_R12, guest_regs, r12);
	OFFSET(REGS_R13, guest_regs, r13);
	OFFSET(REGS_R14, guest_regs, r14);
	OFFSET(REGS_R15, guest_regs, r15);
	DEFINE(GUEST_REGS_SIZE, sizeof(struct guest_regs));

	/* The stub's timestamps, stored through GS (the pcpu, HOST_GS_BASE). */
	OFFSET(PCPU_EXIT_TSC, pcpu, exit_tsc);
	OFFSET(PCPU_ENTRY_TSC, pcpu, arch.entry_tsc);

	OFFSET(APBOOT_GDT, ap_boot_data, gdt);
	OFFSET(APBOOT_GDTR, ap_boot_data, gdtr_limit);
	OFFSET(APBOOT_JMP32, ap_boot_data, jmp32_offset);
	OFFSET(APBOOT_JMP64, ap_boot_data, jmp64_offset);
	OFFSET(APBOOT_CR3, ap_boot_data, cr3);
	OFFSET(APBOOT_STACK, ap_boot_data, stack);
	OFFSET(APBOOT_ENTRY, ap_boot_data, entry);
	OFFSET(APBOOT_ARG, ap_boot_data, arg);
	DEFINE(APBOOT_SIZE, sizeof(struct ap_boot_data));
}
