/* SPDX-License-Identifier: MIT */
/*
 * Application-processor start-up. The real-mode trampoline
 * (arch/x86/trampoline.S) is copied below 1 MiB; struct ap_boot_data sits
 * at its end and is filled in by the boot CPU before each INIT-SIPI-SIPI.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <stdint.h>

struct __attribute__((packed)) ap_boot_data {
	uint64_t gdt[4];         /* null, code32 (0x08), data (0x10), code64 (0x18) */
	uint16_t pad[3];
	uint16_t gdtr_limit;     /* lgdt operand: limit, then 32-bit base */
	uint32_t gdtr_base;
	uint32_t jmp32_offset;   /* far pointer to the 32-bit part */
	uint16_t jmp32_selector;
	uint32_t jmp64_offset;   /* far pointer to the 64-bit part */
	uint16_t jmp64_selector;
	uint32_t cr3;            /* must be below 4 GiB: loaded in 32-bit mode */
	uint64_t stack;          /* initial RSP of the AP */
	uint64_t entry;          /* void entry(void *arg), never returns */
	uint64_t arg;
};

extern const char ap_trampoline_start[], ap_trampoline_end[];
extern const char ap_trampoline_pm32[], ap_trampoline_lm64[], ap_trampoline_data[];

#endif
