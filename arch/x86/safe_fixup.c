/* SPDX-License-Identifier: MIT */
/*
 * The fix-up side of the fault-safe instructions (safe_insn.S): an
 * exception whose RIP is one of them returns to its caller with an error
 * instead of panicking, the way Linux's exception tables work but with
 * the few addresses compared directly (no table, no relocations).
 */
#include "arch/safe_insn.h"

extern const char safe_xsetbv_insn[], safe_wrmsr_insn[], safe_xrstor64_insn[],
	safe_fxrstor64_insn[], safe_insn_fault[];

bool host_exception_fixup(uint64_t *frame)
{
	uint64_t vec = frame[0], rip = frame[2];

	/* Only faults: a #DB or #MC at these addresses is not theirs to report. */
	if (vec != 6 && vec != 13 && vec != 14 && vec != 19)
		return false;
	if (rip != (uint64_t)(uintptr_t)safe_xsetbv_insn &&
	    rip != (uint64_t)(uintptr_t)safe_wrmsr_insn &&
	    rip != (uint64_t)(uintptr_t)safe_xrstor64_insn &&
	    rip != (uint64_t)(uintptr_t)safe_fxrstor64_insn)
		return false;
	frame[-1] = SAFE_FAULT | vec;                        /* the saved RAX */
	frame[2] = (uint64_t)(uintptr_t)safe_insn_fault; /* resume at `ret` */
	return true;
}
