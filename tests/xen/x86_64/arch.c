/* SPDX-License-Identifier: MIT */
/*
 * The 64-bit build's name and hypercall call. The 32-bit builds have
 * their own arch.c with EBX, ECX, EDX, ESI, EDI as argument registers;
 * the CPU helpers common to both are in lib/cpu.c.
 */
#include "tests/xen/xc.h"

const char xc_arch_name[] = "64";
/* The capability a 64-bit HVM/PVH guest runs under (XENVER_capabilities). */
const char xc_arch_caps[] = "hvm-3.0-x86_64";

/*
 * Xen's 64-bit convention: number in RAX (the page's stub loads it),
 * arguments in RDI, RSI, RDX, R10, R8, result in RAX. A continuation may
 * rewrite the argument registers, so they are in/out; the stub is reached
 * by a call, so the usual call-clobbered registers are clobbered too.
 */
long xc_hypercall(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3,
		  unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	unsigned long stub = XC_ULONG(xc_hcall_page) + (unsigned long)nr * 32;
	long ret;

	__asm__ volatile("call *%[stub]"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			 : [stub] "r"(stub)
			 : "rcx", "r9", "r11", "memory", "cc");
	return ret;
}
