// SPDX-License-Identifier: MIT
/*
 * tsc: print the time-stamp counter. Bolt gives guests the host TSC (no
 * offset), and Bolt's first line says the TSC at its start, so /init can
 * report Linux's boot time in the same ticks as every other Bolt figure
 * (Bochs: one tick per emulated instruction; docs/linux.md).
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	printf("%llu\n", (unsigned long long)((uint64_t)hi << 32 | lo));
	return 0;
}
