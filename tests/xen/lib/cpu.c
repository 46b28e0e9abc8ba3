/* SPDX-License-Identifier: MIT */
/*
 * CPU helpers whose code is the same in every build (the asm names only
 * 32-bit registers, which exist in both modes): CPUID, WRMSR, the final
 * halt and the TSC. The hypercall call differs per mode: <arch>/arch.c.
 */
#include "tests/xen/xc.h"

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

uint64_t xc_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void xc_arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
