/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: MOV to and from CR0, CR3, CR4, CR8, LMSW, and MOV DR.
 * Bolt sees the CR0/CR4 writes that touch the bits VMX fixes (exit_cr.c);
 * the rest the CPU checks itself (SDM Vol. 2B MOV CR, Vol. 3 2.5). Every
 * successful write is undone in the same asm block, interrupts off, since
 * the guest could not survive some values (CR0.TS, CR4.OSFXSR) for long.
 */
#include "tests/guests/hostile/exits.h"

/* --- Control registers ------------------------------------------------------- */

void exits_op_cr0(struct exits_ctx *c)
{
	uint64_t orig = exits_rd_cr0(), val, rb = 0, f;
	int want, got;

	if (exits_below(c, 8) == 0) {
		/* LMSW: only PE (set only), MP, EM, TS (SDM Vol. 2A); never exits here. */
		uint16_t w = (uint16_t)exits_rand(c);

		f = exits_irq_off();
		exits_arm();
		__asm__ volatile(EXITS_TRY "lmsw %w1\n\tmov %%cr0, %0\n\tmov %2, %%cr0" EXITS_END
				 : "+r"(rb)
				 : "r"(w), "r"(orig)
				 : "r11", "memory");
		got = (int)exits_vec;
		exits_irq_restore(f);
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
	f = exits_irq_off();
	exits_arm();
	__asm__ volatile(EXITS_TRY "mov %1, %%cr0\n\tmov %%cr0, %0\n\tmov %2, %%cr0" EXITS_END
			 : "+r"(rb)
			 : "r"(val), "r"(orig)
			 : "r11", "memory");
	got = (int)exits_vec;
	exits_irq_restore(f);
	exits_result(c, EXC_CR0, got, want, "MOV CR0 = 0x%llx (was 0x%llx)", (unsigned long long)val,
		     (unsigned long long)orig);
	if (got < 0 && ((rb ^ val) & CR0_DEFINED & ~CR0_ET))
		exits_wrong(c, EXC_CR0, "MOV CR0 = 0x%llx reads back 0x%llx", (unsigned long long)val,
			    (unsigned long long)rb);
	if (exits_rd_cr0() != orig)
		exits_wrong(c, EXC_CR0, "CR0 0x%llx not restored (now 0x%llx)",
			    (unsigned long long)orig, (unsigned long long)exits_rd_cr0());
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
	f = exits_irq_off();
	exits_arm();
	__asm__ volatile(EXITS_TRY "mov %0, %%cr3\n\tmov %1, %%cr3" EXITS_END
			 :
			 : "r"(val), "r"(orig)
			 : "r11", "memory");
	got = (int)exits_vec;
	exits_irq_restore(f);
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
	uint64_t orig = exits_rd_cr4(), val, rb = 0, f;
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
	    ((val ^ orig) & CR4_LA57) || ((val & CR4_CET) && !(exits_rd_cr0() & CR0_WP)))
		want = EX_GP;
	else if (val & CR4_SMXE)
		want = EX_GP_OR_NONE; /* hidden from CPUID by Bolt, the CPU may still allow it */
	else
		want = EX_NONE;
	f = exits_irq_off();
	exits_arm();
	/* Read it back and ask CPUID.1 for OSXSAVE while the new value is in force. */
	__asm__ volatile(EXITS_TRY "mov %2, %%cr4\n\tmov %%cr4, %0\n\t"
				   "movl $1, %%eax\n\txorl %%ecx, %%ecx\n\tcpuid\n\tmovl %%ecx, %1\n\t"
				   "mov %3, %%cr4" EXITS_END
			 : "+r"(rb), "+r"(c1)
			 : "r"(val), "r"(orig)
			 : "r11", "rax", "rbx", "rcx", "rdx", "memory");
	got = (int)exits_vec;
	exits_irq_restore(f);
	exits_result(c, EXC_CR4, got, want, "MOV CR4 = 0x%llx (was 0x%llx)", (unsigned long long)val,
		     (unsigned long long)orig);
	if (got < 0 && rb != val)
		exits_wrong(c, EXC_CR4, "MOV CR4 = 0x%llx reads back 0x%llx", (unsigned long long)val,
			    (unsigned long long)rb);
	if (got < 0 && !!(c1 & (1u << 27)) != !!(val & CR4_OSXSAVE))
		exits_wrong(c, EXC_CR4, "CPUID.1:ECX.OSXSAVE %u with CR4 0x%llx (SDM: mirrors CR4)",
			    !!(c1 & (1u << 27)), (unsigned long long)val);
	if (exits_rd_cr4() != orig)
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

