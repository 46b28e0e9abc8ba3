/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: XSETBV and RDMSR/WRMSR. Expectations follow
 * arch/x86/exit_cr.c and exit_msr.c where Bolt decides (its allow list;
 * everything else is #GP) and the SDM (Vol. 2 XSETBV, WRMSR; Vol. 1 13.3)
 * where the CPU does. A successful write is undone at once.
 */
#include "tests/guests/hostile/exits.h"
#include "lib/macros.h"

/* --- XSETBV ------------------------------------------------------------------ */

/* SDM Vol. 1 13.3 and the XSETBV page: which XCR0 values a CPU accepts. */
bool exits_xcr0_valid(const struct exits_cpu *p, uint64_t v)
{
	if (!(v & 1) || (v & ~p->xcr0_sup))
		return false;
	if ((v & 4) && !(v & 2))
		return false;
	if (((v >> 3) & 1) != ((v >> 4) & 1))
		return false;
	if ((v & 0xe0) && ((v & 0xe0) != 0xe0 || !(v & 4)))
		return false;
	if (((v >> 17) & 1) != ((v >> 18) & 1))
		return false;
	return true;
}

void exits_op_xsetbv(struct exits_ctx *c)
{
	static const uint64_t interesting[] = {
		0,     1,     2,     3,	    5,	   7,	  0x23,	   0x27,    0x43,	 0x63,
		0xe3,  0xe7,  0x87,  0x1f,  0x19,  0x0b,  0x207,   0x2e7,   0x60007, 0x20007,
		0x1007, 0x203, 0xffffffffull, ~0ull, 1ull << 63 | 7,
	};
	const struct exits_cpu *p = &c->cpu;
	uint64_t v, back = 0;
	uint32_t ecx = 0;
	int want, got;

	switch (exits_below(c, 5)) {
	case 0:
		v = exits_rand(c);
		break;
	case 1:
		v = (exits_rand(c) & 0x3ff) | (exits_rand(c) & 0x60000);
		break;
	case 2:
		v = (exits_rand(c) & p->xcr0_sup) | (exits_below(c, 4) ? 1 : 0);
		break;
	case 3:
		v = interesting[exits_below(c, ARRAY_SIZE(interesting))];
		break;
	default:
		v = p->xcr0_orig ^ (1ull << exits_below(c, 64));
		break;
	}
	if (!exits_below(c, 10))
		ecx = exits_below(c, 2) ? 1 : (uint32_t)exits_rand(c);
	if (!p->xsave)
		want = EX_UD;
	else
		want = ecx == 0 && exits_xcr0_valid(p, v) ? EX_NONE : EX_GP;
	if (c->op >= c->trace_from)
		printf("hostile: exits: xsetbv ecx 0x%x value 0x%llx\n", ecx,
		       (unsigned long long)v);
	exits_arm();
	__asm__ volatile(EXITS_TRY "xsetbv" EXITS_END
			 :
			 : "c"(ecx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "r11", "memory");
	got = (int)exits_vec;
	if (got < 0 && p->xsave) {
		back = exits_xgetbv0();
		exits_xsetbv0(p->xcr0_orig);
	}
	exits_result(c, EXC_XSETBV, got, want, "XSETBV ecx 0x%x value 0x%llx", ecx,
		     (unsigned long long)v);
	if (got < 0 && want == EX_NONE && back != v)
		exits_wrong(c, EXC_XSETBV, "XGETBV after XSETBV 0x%llx reads 0x%llx",
			    (unsigned long long)v, (unsigned long long)back);
}

/* --- MSRs --------------------------------------------------------------------- */

/* Architectural and well-known model-specific MSRs, Intel and AMD, and the hypervisor ranges. */
static const uint32_t exits_msrs[] = {
	0x0, 0x1, 0x6, 0x10, 0x17, 0x1b, 0x2a, 0x34, 0x35, 0x3a, 0x3b, 0x48, 0x49, 0x4e, 0x79,
	0x8b, 0x8c, 0x9b, 0x9e, 0xc1, 0xc2, 0xce, 0xe1, 0xe2, 0xe7, 0xe8, 0xfe, 0x10a, 0x10b,
	0x122, 0x174, 0x175, 0x176, 0x179, 0x17a, 0x17b, 0x186, 0x187, 0x195, 0x198, 0x199,
	0x19a, 0x19b, 0x19c, 0x1a0, 0x1a2, 0x1a4, 0x1aa, 0x1ad, 0x1b0, 0x1b1, 0x1b2, 0x1c4,
	0x1c9, 0x1d9, 0x1dd, 0x1de, 0x1f2, 0x1f3, 0x1fc, 0x200, 0x201, 0x20f, 0x250, 0x258,
	0x259, 0x268, 0x26f, 0x277, 0x280, 0x2ff, 0x309, 0x30a, 0x30b, 0x345, 0x38d, 0x38e,
	0x38f, 0x390, 0x391, 0x392, 0x3f1, 0x3f6, 0x400, 0x401, 0x402, 0x403, 0x47f, 0x480,
	0x481, 0x482, 0x483, 0x484, 0x485, 0x486, 0x487, 0x488, 0x489, 0x48a, 0x48b, 0x48c,
	0x48d, 0x48e, 0x48f, 0x490, 0x491, 0x492, 0x4c1, 0x4d0, 0x500, 0x560, 0x561, 0x570,
	0x571, 0x572, 0x580, 0x600, 0x606, 0x610, 0x611, 0x619, 0x639, 0x641, 0x6a0, 0x6a2,
	0x6a4, 0x6a8, 0x6e0, 0x6e1, 0x770, 0x771, 0x772, 0x774, 0x777, 0x800, 0x802, 0x803,
	0x808, 0x80a, 0x80b, 0x80d, 0x80f, 0x810, 0x820, 0x828, 0x830, 0x832, 0x835, 0x838,
	0x839, 0x83e, 0x83f, 0x8ff, 0x981, 0x985, 0xc80, 0xc81, 0xc8d, 0xc8e, 0xc8f, 0xd90,
	0xda0, 0xdb0, 0x1200, 0x14ce, 0x1500, 0x1600, 0x17d0, 0x1b01, 0x1fff, 0x2000,
	0x40000000, 0x40000001, 0x40000002, 0x40000003, 0x40000010, 0x40000020, 0x40000070,
	0x40000073, 0x40000080, 0x40000090, 0x400000b0, 0x400000f0, 0x40000100, 0x400001ff,
	0x4b564d00, 0x4b564d01, 0x4b564d02, 0x4b564d03, 0x4b564d04, 0x4b564d05, 0x4b564d06,
	0x4b564d07, 0x4b564d08, 0x11, 0x12, 0xc0000080, 0xc0000081, 0xc0000082, 0xc0000083,
	0xc0000084, 0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103, 0xc0000104, 0xc00000e7,
	0xc00000e8, 0xc0010000, 0xc0010004, 0xc0010010, 0xc0010015, 0xc0010055, 0xc0010058,
	0xc0010114, 0xc0010115, 0xc0010117, 0xc0010130, 0xc0010131, 0xc0011004, 0xc0011005,
	0xc0011020, 0xc0011029, 0xc0012000, 0xc0001fff, 0xc0002000, 0xffffffff, 0x80000000,
};

static uint32_t pick_msr(struct exits_ctx *c)
{
	switch (exits_below(c, 10)) {
	case 0:
		return (uint32_t)exits_below(c, 0x2000);
	case 1:
		return 0xc0000000u + (uint32_t)exits_below(c, 0x2000);
	case 2:
		return (uint32_t)exits_rand(c);
	case 3:
		return 0x800u + (uint32_t)exits_below(c, 0x100);
	default:
		return exits_msrs[exits_below(c, ARRAY_SIZE(exits_msrs))];
	}
}

/* Bolt's RDMSR allow list and MSR-bitmap pass-throughs (exit_msr.c, vmx.c). */
static int rdmsr_want(const struct exits_cpu *p, uint32_t msr)
{
	switch (msr) {
	case 0xc0000080: case 0x277: case 0x174: case 0x175: case 0x176: case 0x3a:
	case 0x1a0: case 0x17: case 0x8b: case 0xfe: case 0x2ff: case 0x179: case 0x17a:
	case 0xc0000100: case 0xc0000101: case 0xc0000102: case 0xc0000081: case 0xc0000082:
	case 0xc0000084: case 0x10:
	case 0xce: case 0x140: case 0x1d9: /* Xen's PLATFORM_INFO, MISC_FEATURES_ENABLES, DEBUGCTL */
		return EX_NONE;
	case 0xc0000083: /* CSTAR: the CPU's own answer (Intel: may not exist) */
		return EX_GP_OR_NONE;
	case 0xc0000103:
		return p->rdtscp ? EX_NONE : EX_GP;
	default:
		return EX_GP;
	}
}

static int try_rdmsr(uint64_t rcx, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	exits_arm();
	__asm__ volatile(EXITS_TRY "rdmsr" EXITS_END
			 : "+a"(lo), "+d"(hi)
			 : "c"(rcx)
			 : "r11", "memory");
	*val = (uint64_t)hi << 32 | lo;
	return (int)exits_vec;
}

static int try_wrmsr(uint64_t rcx, uint64_t val)
{
	exits_arm();
	__asm__ volatile(EXITS_TRY "wrmsr" EXITS_END
			 :
			 : "c"(rcx), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
			 : "r11", "memory");
	return (int)exits_vec;
}

void exits_op_rdmsr(struct exits_ctx *c)
{
	uint32_t msr = pick_msr(c);
	/* Bits 63:32 of RCX are ignored (SDM Vol. 2B RDMSR). */
	uint64_t rcx = msr | (exits_below(c, 4) ? 0 : exits_rand(c) << 32), val;
	int want = rdmsr_want(&c->cpu, msr), got = try_rdmsr(rcx, &val);

	exits_result(c, EXC_RDMSR, got, want, "RDMSR 0x%x", msr);
	if (got >= 0)
		return;
	if ((msr == 0x3a && val != 1) || (msr == 0x1a0 && val != 0x1801) ||
	    (msr == 0xce && val != 1ull << 32) || (msr == 0x140 && val) || (msr == 0x1d9 && val) ||
	    ((msr == 0x17 || msr == 0xfe || msr == 0x2ff || msr == 0x179 || msr == 0x17a) && val))
		exits_wrong(c, EXC_RDMSR, "RDMSR 0x%x reads 0x%llx", msr, (unsigned long long)val);
}

static bool pat_ok(uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(v >> (8 * i));
		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/* What WRMSR of val must do, and whether the old value must be put back afterwards. */
static int wrmsr_want(struct exits_ctx *c, uint32_t msr, uint64_t *val, bool *restore)
{
	uint64_t efer;

	*restore = true;
	switch (msr) {
	case 0xc0000080:
		efer = exits_rdmsr_raw(msr);
		if (exits_below(c, 2))
			*val = (efer & ~(EFER_SCE | EFER_NXE)) | (*val & (EFER_SCE | EFER_NXE));
		if (*val & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
			return EX_GP;
		return (*val ^ efer) & EFER_LME ? EX_GP : EX_NONE;
	case 0x277:
		if (exits_below(c, 2))
			*val &= 0x0707070707070707ull;
		return pat_ok(*val) ? EX_NONE : EX_GP;
	case 0x174:
		return EX_NONE;
	case 0x175: case 0x176: /* not canonical: #GP (SDM Vol. 2B WRMSR) */
	case 0xc0000100: case 0xc0000101: case 0xc0000102: case 0xc0000082:
		if (exits_below(c, 2))
			*val = (uint64_t)((int64_t)(*val << 16) >> 16);
		return exits_canonical(*val) ? EX_NONE : EX_GP;
	case 0xc0000083:
		return EX_ANY;
	case 0xc0000081:
		return EX_NONE;
	case 0xc0000084:
		return *val >> 32 ? EX_GP_OR_NONE : EX_NONE;
	case 0x1a0: case 0x8b:
		*restore = false;
		return EX_NONE;
	case 0x140: /* only CPUID faulting (bit 0), put back at once */
		return *val & ~1ull ? EX_GP : EX_NONE;
	case 0x1d9: /* Xen: LBR (dropped) and BTF only */
		return *val & ~3ull ? EX_GP : EX_NONE;
	case 0xc0000103: /* TSC_AUX, the guest's own: bits 63:32 reserved (SDM Vol. 4, Table 2-2) */
		if (!c->cpu.rdtscp)
			return EX_GP;
		if (exits_below(c, 2))
			*val = (uint32_t)*val;
		return *val >> 32 ? EX_GP : EX_NONE;
	case BOLT_XEN_HYPERCALL_MSR:
		/* Only our own page (rewriting it is harmless) or places Bolt must refuse. */
		*restore = false;
		switch (exits_below(c, 3)) {
		case 0:
			*val = bolt_hypercall_page;
			return EX_NONE;
		case 1:
			*val = bolt_hypercall_page | (1 + exits_below(c, 0xfff));
			return EX_GP;
		default:
			*val = (exits_rand(c) | (1ull << 40)) & ~0xfffull;
			return EX_GP;
		}
	default:
		*restore = false;
		return EX_GP;
	}
}

void exits_op_wrmsr(struct exits_ctx *c)
{
	uint32_t msr = pick_msr(c);
	uint64_t val = exits_value(c), old = 0;
	bool restore;
	int want, got;

	if (!exits_below(c, 4))
		msr = exits_below(c, 2) ? BOLT_XEN_HYPERCALL_MSR : 0x174 + (uint32_t)exits_below(c, 3);
	want = wrmsr_want(c, msr, &val, &restore);
	if (restore)
		old = exits_rdmsr_raw(msr);
	if (c->op >= c->trace_from)
		printf("hostile: exits: wrmsr 0x%x value 0x%llx\n", msr, (unsigned long long)val);
	got = try_wrmsr(msr, val);
	if (got < 0 && restore)
		exits_wrmsr_raw(msr, old);
	exits_result(c, EXC_WRMSR, got, want, "WRMSR 0x%x = 0x%llx", msr, (unsigned long long)val);
}

