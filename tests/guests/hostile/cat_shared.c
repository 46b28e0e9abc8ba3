/* SPDX-License-Identifier: MIT */
/*
 * hostile catalogue, case=shared-state: two instances pinned to the same
 * CPU must not see (or clobber) each other's CPU state. Each loads its own
 * values into XMM0-7, CR2, DR0, CR8 (the task priority: the real APIC's
 * before issue 8) and the MSRs Bolt passes through without an exit
 * (LSTAR, STAR, CSTAR, FMASK, KERNEL_GS_BASE), yields the CPU to
 * the other instance, and checks that its values are still there. A
 * shared page (`[shm xs]`, rw for both) records who ran last, so the test
 * knows the CPU really changed hands.
 *
 * Command line: case=shared-state slot=0|1 rounds=N (100) name=RESULT-NAME
 */
#include "tests/guests/hostile/hostile.h"

#define HOSTILE_MSR_STAR    0xc0000081u
#define HOSTILE_MSR_LSTAR   0xc0000082u
#define HOSTILE_MSR_CSTAR   0xc0000083u
#define HOSTILE_MSR_FMASK   0xc0000084u
#define HOSTILE_MSR_KGSBASE 0xc0000102u
#define HOSTILE_SYNC_YIELDS 200000u

struct hostile_xs {
	volatile uint64_t last;	    /* slot + 1 of the instance that ran last */
	volatile uint64_t ready[2]; /* set once each instance is in its loop */
};

enum { XS_XMM, XS_CR2, XS_DR0, XS_STAR, XS_LSTAR, XS_CSTAR, XS_FMASK, XS_KGS, XS_CR8, XS_N };
static const char *const xs_names[XS_N] = {"XMM0-7", "CR2",   "DR0",   "STAR", "LSTAR",
					   "CSTAR",  "FMASK", "KERNEL_GS_BASE", "CR8"};

static void xs_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static uint64_t xs_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

/* A canonical lower-half address unique to (slot, round), also in its low 32 bits. */
static uint64_t xs_value(unsigned slot, uint64_t round, unsigned what)
{
	return 0x0000700000000000ull | (uint64_t)slot << 40 | (uint64_t)slot << 28 |
	       (round & 0xfffff) << 8 | what << 4;
}

/* Load XMM0-7 from in, mark the page, yield, store XMM0-7 to out: one asm, no spills. */
static void xs_yield_with_xmm(const uint64_t in[16], uint64_t out[16], struct hostile_xs *xs,
			      uint64_t me)
{
	register uint64_t r10 __asm__("r10") = 0;
	register uint64_t r8 __asm__("r8") = 0;
	uint64_t rax = __HYPERVISOR_sched_op, rdi = SCHEDOP_yield, rsi = 0, rdx = 0;

	__asm__ volatile("movdqu 0x00(%[in]), %%xmm0\n\t"
			 "movdqu 0x10(%[in]), %%xmm1\n\t"
			 "movdqu 0x20(%[in]), %%xmm2\n\t"
			 "movdqu 0x30(%[in]), %%xmm3\n\t"
			 "movdqu 0x40(%[in]), %%xmm4\n\t"
			 "movdqu 0x50(%[in]), %%xmm5\n\t"
			 "movdqu 0x60(%[in]), %%xmm6\n\t"
			 "movdqu 0x70(%[in]), %%xmm7\n\t"
			 "movq %[me], (%[last])\n\t"
			 "vmcall\n\t"
			 "movdqu %%xmm0, 0x00(%[out])\n\t"
			 "movdqu %%xmm1, 0x10(%[out])\n\t"
			 "movdqu %%xmm2, 0x20(%[out])\n\t"
			 "movdqu %%xmm3, 0x30(%[out])\n\t"
			 "movdqu %%xmm4, 0x40(%[out])\n\t"
			 "movdqu %%xmm5, 0x50(%[out])\n\t"
			 "movdqu %%xmm6, 0x60(%[out])\n\t"
			 "movdqu %%xmm7, 0x70(%[out])\n\t"
			 : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8)
			 : [in] "r"(in), [out] "r"(out), [me] "r"(me), [last] "r"(&xs->last)
			 : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
			   "memory");
}

const char *hostile_shared_state(const struct hostile_args *a)
{
	static char why[160];
	uint64_t slot = 0, rounds = 100, switches = 0, bad[XS_N] = {0};
	uint64_t in[16], out[16], v[XS_N];
	struct bolt_shm shm;
	struct hostile_xs *xs;
	unsigned i, k, failed = 0;

	if (bolt_shm_find(a->si, "xs", &shm) < 0 || !shm.writable)
		return "no rw shared region 'xs' on the command line";
	bolt_cmdline_get_u64(a->si, "slot", &slot);
	bolt_cmdline_get_u64(a->si, "rounds", &rounds);
	if (slot > 1)
		return "slot= must be 0 or 1";
	xs = (struct hostile_xs *)(uintptr_t)shm.gpa;
	xs->ready[slot] = 1;
	for (i = 0; i < HOSTILE_SYNC_YIELDS && !xs->ready[slot ^ 1]; i++)
		bolt_yield();
	if (!xs->ready[slot ^ 1])
		return "the other instance never showed up";

	for (uint64_t r = 0; r < rounds; r++) {
		for (k = 0; k < 16; k++)
			in[k] = xs_value((unsigned)slot, r, XS_XMM) + k;
		v[XS_CR2] = xs_value((unsigned)slot, r, XS_CR2);
		v[XS_DR0] = xs_value((unsigned)slot, r, XS_DR0);
		v[XS_STAR] = xs_value((unsigned)slot, r, XS_STAR);
		v[XS_LSTAR] = xs_value((unsigned)slot, r, XS_LSTAR);
		v[XS_CSTAR] = xs_value((unsigned)slot, r, XS_CSTAR);
		v[XS_FMASK] = (uint32_t)xs_value((unsigned)slot, r, XS_FMASK);
		v[XS_KGS] = xs_value((unsigned)slot, r, XS_KGS);
		/* 1..7 for slot 0, 8..14 for slot 1: never equal, never 0. */
		v[XS_CR8] = 1 + slot * 7 + r % 7;
		__asm__ volatile("mov %0, %%cr8" : : "r"(v[XS_CR8]) : "memory");
		__asm__ volatile("mov %0, %%cr2" : : "r"(v[XS_CR2]) : "memory");
		__asm__ volatile("mov %0, %%dr0" : : "r"(v[XS_DR0]) : "memory");
		xs_wrmsr(HOSTILE_MSR_STAR, v[XS_STAR]);
		xs_wrmsr(HOSTILE_MSR_LSTAR, v[XS_LSTAR]);
		xs_wrmsr(HOSTILE_MSR_CSTAR, v[XS_CSTAR]);
		xs_wrmsr(HOSTILE_MSR_FMASK, v[XS_FMASK]);
		xs_wrmsr(HOSTILE_MSR_KGSBASE, v[XS_KGS]);

		xs_yield_with_xmm(in, out, xs, slot + 1);

		if (xs->last != slot + 1)
			switches++;
		if (memcmp(in, out, sizeof(in)) != 0)
			bad[XS_XMM]++;
		uint64_t cr2, dr0, cr8;
		__asm__ volatile("mov %%cr8, %0" : "=r"(cr8));
		bad[XS_CR8] += cr8 != v[XS_CR8];
		__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
		__asm__ volatile("mov %%dr0, %0" : "=r"(dr0));
		bad[XS_CR2] += cr2 != v[XS_CR2];
		bad[XS_DR0] += dr0 != v[XS_DR0];
		bad[XS_STAR] += xs_rdmsr(HOSTILE_MSR_STAR) != v[XS_STAR];
		bad[XS_LSTAR] += xs_rdmsr(HOSTILE_MSR_LSTAR) != v[XS_LSTAR];
		bad[XS_CSTAR] += xs_rdmsr(HOSTILE_MSR_CSTAR) != v[XS_CSTAR];
		bad[XS_FMASK] += xs_rdmsr(HOSTILE_MSR_FMASK) != v[XS_FMASK];
		bad[XS_KGS] += xs_rdmsr(HOSTILE_MSR_KGSBASE) != v[XS_KGS];
	}
	__asm__ volatile("mov %0, %%cr8" : : "r"(0ull) : "memory");
	/* Let the other instance finish its rounds against a live peer. */
	xs->ready[slot] = 2;
	for (i = 0; i < HOSTILE_SYNC_YIELDS && xs->ready[slot ^ 1] != 2; i++)
		bolt_yield();

	for (k = 0; k < XS_N; k++) {
		char what[96], got[64];

		snprintf(what, sizeof(what), "shared CPU: own %s kept over %llu rounds",
			 xs_names[k], (unsigned long long)rounds);
		snprintf(got, sizeof(got), "changed in %llu rounds",
			 (unsigned long long)bad[k]);
		hostile_expect(what, "changed in 0 rounds", got, bad[k] == 0);
		failed += bad[k] != 0;
	}
	printf("hostile: shared CPU: the CPU changed hands in %llu of %llu rounds\n",
	       (unsigned long long)switches, (unsigned long long)rounds);
	if (switches == 0)
		return "the two instances never interleaved: nothing was tested";
	if (failed) {
		snprintf(why, sizeof(why),
			 "%u kinds of CPU state leaked between guests on one CPU", failed);
		return why;
	}
	return NULL;
}
