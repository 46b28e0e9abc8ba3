/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit builds' hypercall call and CPU helpers (flat now; the PSE
 * and PAE entries would share this file).
 */
#include "tests/xen/xc.h"

const char xc_arch_name[] = "32";
/* Xen lists hvm-3.0-x86_32 for a non-PAE 32-bit HVM guest (x86_32p: PAE). */
const char xc_arch_caps[] = "hvm-3.0-x86_32";

/*
 * Xen's 32-bit convention (xen/include/public/arch-x86/xen-x86_32.h):
 * number in EAX (the page's stub loads it), arguments in EBX, ECX, EDX,
 * ESI, EDI, result in EAX. A continuation may rewrite the argument
 * registers, so they are in/out. Built with -fno-pic, GCC does not
 * reserve EBX, so it can be an operand. The stub preserves nothing else
 * it does not use; the call itself clobbers only what a call does.
 */
long xc_hypercall(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3,
		  unsigned long a4, unsigned long a5)
{
	unsigned long stub = XC_ULONG(xc_hcall_page) + (unsigned long)nr * 32;
	long ret;

	__asm__ volatile("call *%[stub]"
			 : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
			 : [stub] "m"(stub)
			 : "memory", "cc");
	return ret;
}

void xc_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(subleaf));
}

void xc_wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
			 : "memory");
}

void xc_arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
