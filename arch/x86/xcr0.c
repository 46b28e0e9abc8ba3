/* SPDX-License-Identifier: MIT */
/*
 * The XCR0 rules XSETBV enforces (SDM Vol. 1, 13.3; Vol. 2C, XSETBV
 * "Protected Mode Exceptions"). Bolt checks a guest's value against all of
 * them before loading it, because loading a bad one in VMX root raises #GP
 * in the hypervisor, not in the guest. The hardware check stays behind
 * this one as a second line (arch/x86/safe_insn.S).
 */
#include "arch/xcr0.h"

/* Components that must be enabled together: all or none of each group. */
static bool all_or_none(uint64_t val, uint64_t group)
{
	return (val & group) == 0 || (val & group) == group;
}

bool xcr0_valid(uint64_t val, uint64_t supported)
{
	/* x87 state can never be disabled (XCR0[0] = 1). */
	if (!(val & XCR0_X87))
		return false;
	/* Only components this CPU (and so the guest's CPUID leaf 0DH) reports. */
	if (val & ~supported)
		return false;
	/* AVX state lives in the upper halves of the SSE registers. */
	if ((val & XCR0_AVX) && !(val & XCR0_SSE))
		return false;
	/* MPX: BNDREGS and BNDCSR are enabled together. */
	if (!all_or_none(val, XCR0_MPX))
		return false;
	/* AVX-512: opmask, ZMM_Hi256 and Hi16_ZMM together, and only with AVX. */
	if (!all_or_none(val, XCR0_AVX512))
		return false;
	if ((val & XCR0_AVX512) && !(val & XCR0_AVX))
		return false;
	/* AMX: XTILECFG and XTILEDATA together. */
	if (!all_or_none(val, XCR0_AMX))
		return false;
	return true;
}
