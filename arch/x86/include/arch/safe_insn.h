/* SPDX-License-Identifier: MIT */
/*
 * Privileged instructions whose operands a guest chose, run so that a
 * fault comes back as a return value instead of a host panic
 * (arch/x86/safe_insn.S; the fix-up is arch/x86/safe_fixup.c).
 * Each returns 0, or SAFE_FAULT | vector when the instruction faulted and
 * did nothing. The callers check the guest's value first: a fault here
 * means a rule Bolt missed, and becomes a #GP for the guest, never a panic.
 */
#ifndef ARCH_SAFE_INSN_H
#define ARCH_SAFE_INSN_H

#include <stdbool.h>
#include <stdint.h>

#define SAFE_FAULT 0x100

int safe_xsetbv(uint32_t xcr, uint64_t val);
int safe_wrmsr(uint32_t msr, uint64_t val);
/* XRSTOR64 of the area (64-byte aligned) with requested-feature bitmap rfbm. */
int safe_xrstor64(const void *area, uint64_t rfbm);
int safe_fxrstor64(const void *area);

/*
 * Called by the exception entry (idt.S) with the frame (vector, error
 * code, RIP, ...); the saved RAX sits just below it. If RIP is one of the
 * instructions above, resume at their common return with RAX =
 * SAFE_FAULT | vector and return true.
 */
bool host_exception_fixup(uint64_t *frame);

#endif
