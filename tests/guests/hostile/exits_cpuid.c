/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: CPUID with random leaves (Bolt's filtering and its own
 * leaves, exit_cpuid.c) and XSAVE/XRSTOR with bad headers, misaligned and
 * unmapped images (native: no exit; the state then goes back to a good image).
 */
#include "tests/guests/hostile/exits.h"

/* --- CPUID --------------------------------------------------------------------- */

static uint32_t sig4(const char *s)
{
	return (uint32_t)(uint8_t)s[0] | (uint32_t)(uint8_t)s[1] << 8 |
	       (uint32_t)(uint8_t)s[2] << 16 | (uint32_t)(uint8_t)s[3] << 24;
}

static bool sig_is(const uint32_t r[4], const char *s)
{
	return r[1] == sig4(s) && r[2] == sig4(s + 4) && r[3] == sig4(s + 8);
}

void exits_op_cpuid(struct exits_ctx *c)
{
	uint32_t leaf, sub = (uint32_t)(exits_below(c, 2) ? exits_below(c, 4) : exits_rand(c));
	uint32_t r[4];
	bool bad = false;

	switch (exits_below(c, 5)) {
	case 0:
		leaf = (uint32_t)exits_below(c, 0x21);
		break;
	case 1:
		leaf = 0x80000000u + (uint32_t)exits_below(c, 0x21);
		break;
	case 2:
		leaf = 0x40000000u + (uint32_t)(exits_below(c, 2) ? exits_below(c, 4)
								   : exits_below(c, 0x200));
		break;
	case 3:
		leaf = 0x40000000u + (uint32_t)exits_below(c, 0x10000000);
		break;
	default:
		leaf = (uint32_t)exits_rand(c);
		break;
	}
	exits_arm();
	__asm__ volatile(EXITS_TRY "cpuid" EXITS_END
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub)
			 : "r11", "memory");
	exits_result(c, EXC_CPUID, (int)exits_vec, EX_NONE, "CPUID 0x%x.%u", leaf, sub);
	switch (leaf) {
	case 1:
		bad = (r[2] & 0x012081f8u) != 0 || !(r[2] & (1u << 31)) ||
		      !!(r[2] & (1u << 27)) != !!(exits_rd_cr4() & CR4_OSXSAVE) ||
		      (r[3] & 0xa0601200u) != 0;
		break;
	case 5: case 6: case 0xa: case 0x12: case 0x14:
		bad = r[0] | r[1] | r[2] | r[3];
		break;
	case 0x40000000:
		bad = r[0] != 0x40000001u || !sig_is(r, "BoltBoltBolt");
		break;
	case 0x40000001:
		bad = r[1] != c->a->domid;
		break;
	case 0x40000100:
		bad = r[0] != 0x40000102u || !sig_is(r, "XenVMMXenVMM");
		break;
	case 0x40000102:
		bad = r[0] != 1 || r[1] != BOLT_XEN_HYPERCALL_MSR;
		break;
	default:
		if (leaf >= 0x40000002u && leaf <= 0x4fffffffu && leaf != 0x40000101u)
			bad = r[0] | r[1] | r[2] | r[3];
		break;
	}
	if (bad)
		exits_wrong(c, EXC_CPUID, "CPUID 0x%x.%u = %08x %08x %08x %08x", leaf, sub, r[0], r[1],
			    r[2], r[3]);
}

/* --- XSAVE / XRSTOR ------------------------------------------------------------- */

static uint8_t xs_good[16384] __attribute__((aligned(64)));
static uint8_t xs_bad[16384 + 64] __attribute__((aligned(64)));

void exits_op_xrstor(struct exits_ctx *c)
{
	const struct exits_cpu *p = &c->cpu;
	uint64_t all = p->xcr0_orig, rfbm = exits_below(c, 2) ? ~0ull : exits_rand(c), addr;
	uint64_t *hdr = (uint64_t *)(uintptr_t)(xs_bad + 512);
	int want, got;
	unsigned kind = (unsigned)exits_below(c, 7);
	uint32_t lo, hi;

	if (!p->xsave) {
		exits_arm();
		__asm__ volatile(EXITS_TRY "xrstor64 (%0)" EXITS_END
				 :
				 : "r"(xs_good), "a"(~0u), "d"(~0u)
				 : "r11", "memory");
		exits_result(c, EXC_XRSTOR, (int)exits_vec, EX_UD, "XRSTOR without XSAVE");
		return;
	}
	/* A good image of the current state, restored after every case. */
	memset(xs_good + 512, 0, 64);
	__asm__ volatile("xsave64 (%0)" : : "r"(xs_good), "a"((uint32_t)all), "d"((uint32_t)(all >> 32))
			 : "memory");
	memcpy(xs_bad, xs_good, sizeof(xs_good));
	addr = (uint64_t)(uintptr_t)xs_bad;
	switch (kind) {
	case 0: /* XSTATE_BV with states XCR0 lacks */
		hdr[0] = exits_rand(c);
		want = hdr[0] & ~all ? EX_GP : EX_NONE;
		break;
	case 1: /* XCOMP_BV in the standard form */
		hdr[1] = exits_rand(c) & ~(1ull << 63);
		hdr[1] |= hdr[1] ? 0 : 2;
		want = EX_GP;
		break;
	case 2: /* header bytes 16-63 must be zero */
		hdr[2 + exits_below(c, 6)] = exits_rand(c) | 1;
		want = EX_GP_OR_NONE; /* CPUs differ on which of these bytes they check */
		break;
	case 3: /* MXCSR with reserved bits: #GP when SSE or AVX state is restored */
		*(uint32_t *)(uintptr_t)(xs_bad + 24) = (uint32_t)exits_rand(c) | 0x10000u;
		want = EX_GP_OR_NONE;
		break;
	case 4: /* misaligned */
		addr += 1 + exits_below(c, 63);
		want = EX_GP;
		break;
	case 5:
		addr = exits_noncanonical(c) & ~63ull;
		want = exits_canonical(addr) ? EX_ANY : EX_GP;
		break;
	default: /* canonical, not mapped (the identity map ends at 4 GiB) */
		addr = (1ull << 33) + (exits_below(c, 1ull << 30) & ~63ull);
		want = EX_PF;
		break;
	}
	exits_arm();
	lo = (uint32_t)rfbm;
	hi = (uint32_t)(rfbm >> 32);
	__asm__ volatile("leaq 1f(%%rip), %%r11\n\tmovq %%r11, exits_resume(%%rip)\n\t"
			 "xrstor64 (%2)\n\tmovq $0, exits_resume(%%rip)\n1:\n\t"
			 "movl %3, %%eax\n\tmovl %4, %%edx\n\txrstor64 (%5)"
			 : "+a"(lo), "+d"(hi)
			 : "r"(addr), "r"((uint32_t)all), "r"((uint32_t)(all >> 32)), "r"(xs_good)
			 : "r11", "memory");
	got = (int)exits_vec;
	exits_result(c, EXC_XRSTOR, got, want, "XRSTOR case %u at 0x%llx rfbm 0x%llx", kind,
		     (unsigned long long)addr, (unsigned long long)rfbm);
}
