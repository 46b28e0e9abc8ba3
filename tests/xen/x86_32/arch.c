/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit builds' names and hypercall call: the same file for flat,
 * PSE and PAE (XC_PAGING, tests/xen/paging.h).
 */
#include "tests/xen/xc.h"
#include "tests/xen/paging.h"

/*
 * XENVER_capabilities names the ABI by paging mode: Xen lists
 * hvm-3.0-x86_32 for a non-PAE 32-bit HVM guest (flat or PSE) and
 * hvm-3.0-x86_32p for a PAE one.
 */
#if XC_PAGING == XC_PAGING_PSE
const char xc_arch_name[] = "32pse";
const char xc_arch_caps[] = "hvm-3.0-x86_32";
#elif XC_PAGING == XC_PAGING_PAE
const char xc_arch_name[] = "32pae";
const char xc_arch_caps[] = "hvm-3.0-x86_32p";
#else
const char xc_arch_name[] = "32";
const char xc_arch_caps[] = "hvm-3.0-x86_32";
#endif

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
