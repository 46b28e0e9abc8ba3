/* SPDX-License-Identifier: MIT */
/* VMX instruction wrappers (SDM Vol. 3C, ch. 31); the numbers are in vmx_bits.h. */
#ifndef ARCH_VMX_H
#define ARCH_VMX_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/vmx_bits.h"

/*
 * VMX instructions report failure through RFLAGS (SDM 31.2): CF = 1 is
 * VMfailInvalid (no current VMCS), ZF = 1 is VMfailValid (error number in
 * VM_INSTRUCTION_ERROR). These return true on success.
 */
#define VMX_OK_ASM "setna %0" /* CF = 0 and ZF = 0 */

static inline bool vmxon(uint64_t phys)
{
	bool fail;

	__asm__ volatile("vmxon %1; " VMX_OK_ASM : "=qm"(fail) : "m"(phys) : "cc", "memory");
	return !fail;
}

static inline bool vmclear(uint64_t phys)
{
	bool fail;

	__asm__ volatile("vmclear %1; " VMX_OK_ASM : "=qm"(fail) : "m"(phys) : "cc", "memory");
	return !fail;
}

static inline bool vmptrld(uint64_t phys)
{
	bool fail;

	__asm__ volatile("vmptrld %1; " VMX_OK_ASM : "=qm"(fail) : "m"(phys) : "cc", "memory");
	return !fail;
}

struct __attribute__((packed)) invept_desc {
	uint64_t eptp, reserved;
};

struct __attribute__((packed)) invvpid_desc {
	uint64_t vpid, gla;
};

#define INVEPT_SINGLE_CONTEXT 1ull
#define INVEPT_ALL_CONTEXT 2ull
#define INVVPID_SINGLE_CONTEXT 1ull

static inline bool invept(uint64_t type, uint64_t eptp)
{
	struct invept_desc d = { eptp, 0 };
	bool fail;

	__asm__ volatile("invept %1, %2; " VMX_OK_ASM : "=qm"(fail) : "m"(d), "r"(type) : "cc", "memory");
	return !fail;
}

static inline bool invvpid(uint64_t type, uint16_t vpid)
{
	struct invvpid_desc d = { vpid, 0 };
	bool fail;

	__asm__ volatile("invvpid %1, %2; " VMX_OK_ASM : "=qm"(fail) : "m"(d), "r"(type) : "cc", "memory");
	return !fail;
}

#endif
