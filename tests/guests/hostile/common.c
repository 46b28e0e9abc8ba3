/* SPDX-License-Identifier: MIT */
/*
 * hostile: helpers shared by the fuzzer and the catalogue: the PRNG, the
 * expected-fault machinery (an attack that Bolt answers with #GP or #UD
 * must resume after the faulting instruction, not crash the guest), the
 * per-case report lines and the page-table tweak user mode needs.
 */
#include "tests/guests/hostile/hostile.h"
#include "lib/macros.h"

#define HOSTILE_PTE_P	 (1ull << 0)
#define HOSTILE_PTE_US	 (1ull << 2)
#define HOSTILE_PTE_PS	 (1ull << 7)
#define HOSTILE_PTE_ADDR 0x000ffffffffff000ull

volatile uint64_t hostile_resume_rip;
static volatile int hostile_fault_vec = -1;
unsigned hostile_failures, hostile_cases;

void hostile_rng_seed(struct hostile_rng *r, uint64_t seed)
{
	/* Spread small seeds; xorshift must never hold 0. */
	r->s = seed * 0x9e3779b97f4a7c15ull ^ 0xd1b54a32d192ed03ull;
	if (!r->s)
		r->s = 1;
}

uint64_t hostile_rng_next(struct hostile_rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint64_t hostile_rng_below(struct hostile_rng *r, uint64_t n)
{
	return hostile_rng_next(r) % n;
}

/*
 * Any exception while a resume address is armed: note it and continue at
 * that address. A fault in user mode (CS.RPL 3) goes back to the kernel
 * side of hostile_user_call, which reports it as a fault.
 */
static bool hostile_fault_hook(struct bolt_exception_frame *f)
{
	if (f->cs & 3) {
		hostile_fault_vec = (int)f->vector;
		f->cs = 0x08;
		f->ss = 0x10;
		f->rip = (uint64_t)(uintptr_t)hostile_user_fault_return;
		return true;
	}
	if (!hostile_resume_rip)
		return false;
	hostile_fault_vec = (int)f->vector;
	f->rip = hostile_resume_rip;
	hostile_resume_rip = 0;
	return true;
}

void hostile_fault_hooks_install(void)
{
	for (unsigned v = 0; v < 32; v++)
		bolt_set_exception_hook(v, hostile_fault_hook);
}

void hostile_fault_arm(void)
{
	hostile_fault_vec = -1;
	hostile_resume_rip = 0;
}

int hostile_fault_take(void)
{
	int v = hostile_fault_vec;

	hostile_fault_vec = -1;
	hostile_resume_rip = 0;
	return v;
}

int hostile_try_wrmsr(uint32_t msr, uint64_t val)
{
	hostile_fault_arm();
	__asm__ volatile(HOSTILE_TRY_BEGIN "wrmsr" HOSTILE_TRY_END
			 :
			 : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
			 : "r11", "memory");
	return hostile_fault_take();
}

void hostile_expect(const char *what, const char *want, const char *got, bool ok)
{
	hostile_cases++;
	if (!ok)
		hostile_failures++;
	printf("hostile: %s: expected %s, got %s%s\n", what, want, got,
	       ok ? "" : "  <-- WRONG");
}

static void hostile_rc_str(long rc, char *buf, size_t len)
{
	static const struct {
		long err;
		const char *name;
	} names[] = {
		{XEN_EPERM, "-EPERM"},	 {XEN_ENOENT, "-ENOENT"}, {XEN_ESRCH, "-ESRCH"},
		{XEN_ENOMEM, "-ENOMEM"}, {XEN_EFAULT, "-EFAULT"}, {XEN_EBUSY, "-EBUSY"},
		{XEN_EEXIST, "-EEXIST"}, {XEN_EINVAL, "-EINVAL"}, {XEN_ENOSPC, "-ENOSPC"},
		{XEN_ENOSYS, "-ENOSYS"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (rc == -names[i].err) {
			snprintf(buf, len, "%s", names[i].name);
			return;
		}
	}
	snprintf(buf, len, "%ld", rc);
}

void hostile_expect_rc(const char *what, long got, long want)
{
	char g[24], w[24];

	hostile_rc_str(got, g, sizeof(g));
	hostile_rc_str(want, w, sizeof(w));
	hostile_expect(what, w, g, got == want);
}

const char *hostile_fault_str(int vec, char *buf, size_t len)
{
	if (vec < 0)
		snprintf(buf, len, "no fault");
	else
		snprintf(buf, len, "#%s", bolt_exception_name((unsigned)vec));
	return buf;
}

void hostile_expect_fault(const char *what, int got, int want)
{
	char g[16], w[16];

	hostile_expect(what, hostile_fault_str(want, w, sizeof(w)),
		       hostile_fault_str(got, g, sizeof(g)), got == want);
}

/*
 * The SDK's identity map (entry.S) is supervisor-only. Walk it from CR3
 * and set U/S on PML4[0], the PDPT entry and the 2 MiB entries covering
 * [0, top), so CPL 3 code can run on our own pages. SMEP/SMAP are off, so
 * ring 0 keeps its access.
 */
void hostile_user_pages(uint64_t top)
{
	uint64_t cr3, *pml4, *pdpt, *pd;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(uintptr_t)(cr3 & HOSTILE_PTE_ADDR);
	pml4[0] |= HOSTILE_PTE_US;
	pdpt = (uint64_t *)(uintptr_t)(pml4[0] & HOSTILE_PTE_ADDR);
	for (uint64_t gb = 0; gb * GiB(1) < top; gb++) {
		pdpt[gb] |= HOSTILE_PTE_US;
		pd = (uint64_t *)(uintptr_t)(pdpt[gb] & HOSTILE_PTE_ADDR);
		for (uint64_t i = 0; i < 512 && gb * GiB(1) + i * MiB(2) < top; i++)
			if ((pd[i] & (HOSTILE_PTE_P | HOSTILE_PTE_PS)) ==
			    (HOSTILE_PTE_P | HOSTILE_PTE_PS))
				pd[i] |= HOSTILE_PTE_US;
	}
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}
