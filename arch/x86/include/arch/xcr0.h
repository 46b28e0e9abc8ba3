/* SPDX-License-Identifier: MIT */
/*
 * XCR0 policy: which values XSETBV may load (SDM Vol. 1, 13.3 "Enabling
 * the XSAVE Feature Set and XSAVE-Enabled Features"; Vol. 2C, XSETBV).
 * Generic, compiled on the host by the unit tests (tests/unit/test_xcr0.c).
 */
#ifndef ARCH_XCR0_H
#define ARCH_XCR0_H

#include <stdbool.h>
#include <stdint.h>

/* XCR0 state-component bits (SDM Vol. 1, 13.1, Table 13-1). */
#define XCR0_X87 (1ULL << 0)
#define XCR0_SSE (1ULL << 1)
#define XCR0_AVX (1ULL << 2)
#define XCR0_BNDREGS (1ULL << 3)
#define XCR0_BNDCSR (1ULL << 4)
#define XCR0_OPMASK (1ULL << 5)
#define XCR0_ZMM_HI256 (1ULL << 6)
#define XCR0_HI16_ZMM (1ULL << 7)
#define XCR0_PKRU (1ULL << 9)
#define XCR0_XTILECFG (1ULL << 17)
#define XCR0_XTILEDATA (1ULL << 18)

#define XCR0_MPX (XCR0_BNDREGS | XCR0_BNDCSR)
#define XCR0_AVX512 (XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM)
#define XCR0_AMX (XCR0_XTILECFG | XCR0_XTILEDATA)

/*
 * True if XSETBV may load val into XCR0 on a CPU whose CPUID.(EAX=0DH,
 * ECX=0):EDX:EAX is supported; false where the CPU raises #GP(0).
 */
bool xcr0_valid(uint64_t val, uint64_t supported);

#endif
