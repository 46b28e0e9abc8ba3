/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: XSETBV, RDMSR/WRMSR, MOV CR0/CR3/CR4/CR8, MOV DR, CPUID
 * and XRSTOR. Expectations follow arch/x86/exit_cr.c, exit_msr.c and
 * exit_cpuid.c where Bolt decides, and the SDM (Vol. 2, the instruction
 * pages; Vol. 3 2.5, 2.6) where the CPU does. Every successful write is
 * undone at once, with interrupts off where the guest could not survive
 * the value (CR0.TS, CR4.OSFXSR).
 */
#include "tests/guests/hostile/exits.h"

#define CR0_PE (1ull << 0)
#define CR0_ET (1ull << 4)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR0_WP (1ull << 16)
#define CR0_DEFINED 0xe005003full
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define CR4_VMXE (1ull << 13)
#define CR4_SMXE (1ull << 14)
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_CET (1ull << 23)
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

static uint64_t irq_off(void)
{
	uint64_t f;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(f) : : "memory");
	return f;
}

static void irq_restore(uint64_t f)
{
	if (f & (1u << 9))
		__asm__ volatile("sti" : : : "memory");
}

static uint64_t rd_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint64_t rd_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static void xsetbv0(uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

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
		bolt_printf("hostile: exits: xsetbv ecx 0x%x value 0x%llx\n", ecx,
			    (unsigned long long)v);
	exits_arm();
	__asm__ volatile(EXITS_TRY "xsetbv" EXITS_END
			 :
			 : "c"(ecx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "r11", "memory");
	got = (int)exits_vec;
	if (got < 0 && p->xsave) {
		back = xgetbv0();
		xsetbv0(p->xcr0_orig);
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
		bolt_printf("hostile: exits: wrmsr 0x%x value 0x%llx\n", msr, (unsigned long long)val);
	got = try_wrmsr(msr, val);
	if (got < 0 && restore)
		exits_wrmsr_raw(msr, old);
	exits_result(c, EXC_WRMSR, got, want, "WRMSR 0x%x = 0x%llx", msr, (unsigned long long)val);
}

/* --- Control registers ------------------------------------------------------- */

void exits_op_cr0(struct exits_ctx *c)
{
	uint64_t orig = rd_cr0(), val, rb = 0, f;
	int want, got;

	if (exits_below(c, 8) == 0) {
		/* LMSW: only PE (set only), MP, EM, TS (SDM Vol. 2A); never exits here. */
		uint16_t w = (uint16_t)exits_rand(c);

		f = irq_off();
		exits_arm();
		__asm__ volatile(EXITS_TRY "lmsw %w1\n\tmov %%cr0, %0\n\tmov %2, %%cr0" EXITS_END
				 : "+r"(rb)
				 : "r"(w), "r"(orig)
				 : "r11", "memory");
		got = (int)exits_vec;
		irq_restore(f);
		exits_result(c, EXC_CR0, got, EX_NONE, "LMSW 0x%x", w);
		if (got < 0 && (rb & 0xf) != ((orig & 1) | (w & 0xf)))
			exits_wrong(c, EXC_CR0, "LMSW 0x%x: CR0 low bits 0x%llx", w,
				    (unsigned long long)(rb & 0xf));
		return;
	}
	switch (exits_below(c, 5)) {
	case 0:
		val = exits_rand(c);
		break;
	case 1:
		val = orig | (exits_rand(c) & ~CR0_DEFINED & 0xffffffffull);
		break;
	case 2:
		val = (orig & ~(CR0_CD | CR0_NW)) | (exits_rand(c) & (CR0_CD | CR0_NW));
		break;
	default:
		val = orig ^ (1ull << exits_below(c, 64));
		break;
	}
	if (val >> 32 || !(val & CR0_PG) || !(val & CR0_PE) || ((val & CR0_NW) && !(val & CR0_CD)))
		want = EX_GP; /* SDM Vol. 2B MOV CR; clearing PG in IA-32e mode is #GP too */
	else if (val & ~CR0_DEFINED)
		want = EX_GP_OR_NONE; /* reserved bits 31:0: ignored by CPUs, refused by Bolt */
	else
		want = EX_NONE;
	f = irq_off();
	exits_arm();
	__asm__ volatile(EXITS_TRY "mov %1, %%cr0\n\tmov %%cr0, %0\n\tmov %2, %%cr0" EXITS_END
			 : "+r"(rb)
			 : "r"(val), "r"(orig)
			 : "r11", "memory");
	got = (int)exits_vec;
	irq_restore(f);
	exits_result(c, EXC_CR0, got, want, "MOV CR0 = 0x%llx (was 0x%llx)", (unsigned long long)val,
		     (unsigned long long)orig);
	if (got < 0 && ((rb ^ val) & CR0_DEFINED & ~CR0_ET))
		exits_wrong(c, EXC_CR0, "MOV CR0 = 0x%llx reads back 0x%llx", (unsigned long long)val,
			    (unsigned long long)rb);
	if (rd_cr0() != orig)
		exits_wrong(c, EXC_CR0, "CR0 0x%llx not restored (now 0x%llx)",
			    (unsigned long long)orig, (unsigned long long)rd_cr0());
}

void exits_op_cr3(struct exits_ctx *c)
{
	uint64_t orig, val, f;
	unsigned mp = c->cpu.maxphyaddr;
	int want, got;

	__asm__ volatile("mov %%cr3, %0" : "=r"(orig));
	switch (exits_below(c, 4)) {
	case 0:
		val = orig | (exits_rand(c) & 0x18); /* PWT, PCD */
		want = EX_NONE;
		break;
	case 1:
		val = orig | (exits_rand(c) & 0xfe0); /* ignored with CR4.PCIDE = 0 */
		want = EX_NONE;
		break;
	case 2:
		val = orig | 1ull << (mp + exits_below(c, 63 - mp)); /* reserved: above MAXPHYADDR */
		want = EX_GP;
		break;
	default:
		val = orig | 1ull << 63;
		want = EX_GP_OR_NONE;
		break;
	}
	f = irq_off();
	exits_arm();
	__asm__ volatile(EXITS_TRY "mov %0, %%cr3\n\tmov %1, %%cr3" EXITS_END
			 :
			 : "r"(val), "r"(orig)
			 : "r11", "memory");
	got = (int)exits_vec;
	irq_restore(f);
	exits_result(c, EXC_CR3, got, want, "MOV CR3 = 0x%llx", (unsigned long long)val);
}

/* CR4 bits this CPU (as Bolt's CPUID describes it) lets a guest set. */
static uint64_t cr4_allowed(const struct exits_cpu *p)
{
	uint64_t a = 0x7ff; /* VME .. OSXMMEXCPT */

	a |= (p->c7_ecx & (1u << 2)) ? 1ull << 11 : 0;	/* UMIP */
	a |= (p->c7_ecx & (1u << 16)) ? CR4_LA57 : 0;
	a |= (p->c7_ebx & (1u << 0)) ? 1ull << 16 : 0;	/* FSGSBASE */
	a |= p->pcid ? CR4_PCIDE : 0;
	a |= p->xsave ? CR4_OSXSAVE : 0;
	a |= (p->c7_ecx & (1u << 23)) ? 1ull << 19 : 0; /* KL */
	a |= (p->c7_ebx & (1u << 7)) ? 1ull << 20 : 0;	/* SMEP */
	a |= (p->c7_ebx & (1u << 20)) ? 1ull << 21 : 0; /* SMAP */
	a |= (p->c7_ecx & (1u << 3)) ? 1ull << 22 : 0;	/* PKE */
	a |= (p->c7_ecx & (1u << 7)) ? CR4_CET : 0;
	a |= (p->c7_ecx & (1u << 31)) ? 1ull << 24 : 0; /* PKS */
	a |= (p->c7_edx & (1u << 5)) ? 1ull << 25 : 0;	/* UINTR */
	a |= (p->c71_eax & (1u << 6)) ? 1ull << 27 : 0; /* LASS */
	a |= (p->c71_eax & (1u << 26)) ? 1ull << 28 : 0; /* LAM_SUP */
	a |= (p->c71_eax & (1u << 17)) ? 1ull << 32 : 0; /* FRED */
	return a;
}

void exits_op_cr4(struct exits_ctx *c)
{
	uint64_t orig = rd_cr4(), val, rb = 0, f;
	uint32_t c1 = 0;
	int want, got;

	switch (exits_below(c, 4)) {
	case 0:
		val = exits_rand(c);
		break;
	case 1:
		val = orig | CR4_VMXE;
		break;
	default:
		val = orig ^ (1ull << exits_below(c, exits_below(c, 4) ? 33 : 64));
		break;
	}
	if ((val & ~cr4_allowed(&c->cpu) & ~CR4_SMXE) || (val & CR4_VMXE) || !(val & CR4_PAE) ||
	    ((val ^ orig) & CR4_LA57) || ((val & CR4_CET) && !(rd_cr0() & CR0_WP)))
		want = EX_GP;
	else if (val & CR4_SMXE)
		want = EX_GP_OR_NONE; /* hidden from CPUID by Bolt, the CPU may still allow it */
	else
		want = EX_NONE;
	f = irq_off();
	exits_arm();
	/* Read it back and ask CPUID.1 for OSXSAVE while the new value is in force. */
	__asm__ volatile(EXITS_TRY "mov %2, %%cr4\n\tmov %%cr4, %0\n\t"
				   "movl $1, %%eax\n\txorl %%ecx, %%ecx\n\tcpuid\n\tmovl %%ecx, %1\n\t"
				   "mov %3, %%cr4" EXITS_END
			 : "+r"(rb), "+r"(c1)
			 : "r"(val), "r"(orig)
			 : "r11", "rax", "rbx", "rcx", "rdx", "memory");
	got = (int)exits_vec;
	irq_restore(f);
	exits_result(c, EXC_CR4, got, want, "MOV CR4 = 0x%llx (was 0x%llx)", (unsigned long long)val,
		     (unsigned long long)orig);
	if (got < 0 && rb != val)
		exits_wrong(c, EXC_CR4, "MOV CR4 = 0x%llx reads back 0x%llx", (unsigned long long)val,
			    (unsigned long long)rb);
	if (got < 0 && !!(c1 & (1u << 27)) != !!(val & CR4_OSXSAVE))
		exits_wrong(c, EXC_CR4, "CPUID.1:ECX.OSXSAVE %u with CR4 0x%llx (SDM: mirrors CR4)",
			    !!(c1 & (1u << 27)), (unsigned long long)val);
	if (rd_cr4() != orig)
		exits_wrong(c, EXC_CR4, "CR4 0x%llx not restored", (unsigned long long)orig);
}

/*
 * CR8 (the TPR, SDM 10.8.6.1): bits 63:4 reserved. A value may stay in
 * force for a few hundred operations: a TPR the guest raises must never
 * hold off Bolt's own interrupts (the CPU-sharing guest shows it).
 */
void exits_op_cr8(struct exits_ctx *c)
{
	uint64_t val = exits_below(c, 4) ? exits_below(c, 16) : exits_value(c), rb = ~0ull;
	int want = val >> 4 ? EX_GP : EX_NONE, got;

	exits_arm();
	__asm__ volatile(EXITS_TRY "mov %1, %%cr8\n\tmov %%cr8, %0" EXITS_END
			 : "+r"(rb)
			 : "r"(val)
			 : "r11", "memory");
	got = (int)exits_vec;
	exits_result(c, EXC_CR8, got, want, "MOV CR8 = 0x%llx", (unsigned long long)val);
	if (got < 0 && rb != val && rb != 0)
		exits_wrong(c, EXC_CR8, "MOV CR8 = 0x%llx reads back 0x%llx", (unsigned long long)val,
			    (unsigned long long)rb);
	if (got < 0 && val)
		c->tpr_until = c->op + 1 + exits_below(c, 300);
}

/* --- Debug registers ---------------------------------------------------------- */

#define DR_MOV_TO(n) ".byte 0x0f, 0x23, 0xc0 | (" #n " << 3)\n\t"
#define DR_MOV_FROM(n) ".byte 0x0f, 0x21, 0xc0 | (" #n " << 3)\n\t"

static int dr_write(unsigned n, uint64_t v)
{
	exits_arm();
	switch (n) {
#define DRW(k)                                                                                     \
	case k:                                                                                    \
		__asm__ volatile(EXITS_TRY DR_MOV_TO(k) DR_MOV_FROM(k) EXITS_END                   \
				 : "+a"(v)                                                         \
				 :                                                                 \
				 : "r11", "memory");                                               \
		break;
		DRW(0) DRW(1) DRW(2) DRW(3) DRW(4) DRW(5) DRW(6) DRW(7)
#undef DRW
	}
	return (int)exits_vec;
}

void exits_op_dr(struct exits_ctx *c)
{
	uint64_t save[8], v = exits_value(c);
	unsigned n = (unsigned)exits_below(c, 8);
	int want, got;

	__asm__ volatile(DR_MOV_FROM(0) : "=a"(save[0]));
	__asm__ volatile(DR_MOV_FROM(1) : "=a"(save[1]));
	__asm__ volatile(DR_MOV_FROM(2) : "=a"(save[2]));
	__asm__ volatile(DR_MOV_FROM(3) : "=a"(save[3]));
	__asm__ volatile(DR_MOV_FROM(6) : "=a"(save[6]));
	__asm__ volatile(DR_MOV_FROM(7) : "=a"(save[7]));
	if (n == 7 || n == 5) {
		v &= ~0x27ffull; /* no breakpoint armed, no GD */
		if (exits_below(c, 2))
			v &= 0xffffffffull;
	}
	if (n == 6 || n == 7)
		want = v >> 32 ? EX_GP : EX_NONE;
	else if (n < 4)
		want = exits_canonical(v) ? EX_NONE : EX_GP_OR_NONE;
	else
		want = EX_ANY; /* DR4/5: aliases of DR6/7 with CR4.DE = 0, #UD with DE = 1 */
	got = dr_write(n, v);
	exits_result(c, EXC_DR, got, want, "MOV DR%u = 0x%llx", n, (unsigned long long)v);
	__asm__ volatile(DR_MOV_TO(0) : : "a"(save[0]));
	__asm__ volatile(DR_MOV_TO(1) : : "a"(save[1]));
	__asm__ volatile(DR_MOV_TO(2) : : "a"(save[2]));
	__asm__ volatile(DR_MOV_TO(3) : : "a"(save[3]));
	__asm__ volatile(DR_MOV_TO(6) : : "a"(save[6]));
	__asm__ volatile(DR_MOV_TO(7) : : "a"(save[7]));
}

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
		      !!(r[2] & (1u << 27)) != !!(rd_cr4() & CR4_OSXSAVE) ||
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
