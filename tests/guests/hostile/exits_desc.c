/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: LGDT/LIDT/LTR/LLDT and segment loads with garbage, SYSCALL
 * and SYSENTER with hostile MSRs, and exception storms (#DE, #UD, #PF, #GP,
 * #SS, #NM, #DB, INT3, INT1, INT n). None of these exits; they check that
 * the guest's own descriptor tables, fault delivery and fast system calls
 * work as the SDM says under Bolt, and that the guest recovers every time.
 */
#include "tests/guests/hostile/exits.h"
#include "lib/macros.h"

static uint8_t exits_stack_page[4096] __attribute__((aligned(4096)));

/* --- Descriptor tables and segment registers --------------------------------------- */

static int exits_ltr_want(uint16_t sel)
{
	unsigned idx = sel >> 3;

	if ((sel & 4) || idx == 0 || (sel | 7u) > EXITS_GDT_LIMIT)
		return EX_GP;
	if (idx == EXITS_SEL_TSS >> 3)
		return ((exits_gdt[idx] >> 40) & 0xf) == 0x9 ? EX_NONE : EX_GP;
	return EX_GP;
}

static int exits_lldt_want(uint16_t sel)
{
	unsigned idx = sel >> 3;

	if (idx == 0 && !(sel & 4))
		return EX_NONE; /* a null selector: LDTR unusable */
	if ((sel & 4) || (sel | 7u) > EXITS_GDT_LIMIT)
		return EX_GP;
	return idx == EXITS_SEL_LDT >> 3 ? EX_NONE : EX_GP;
}

void exits_op_desc(struct exits_ctx *c)
{
	struct exits_dtr bad = {.limit = (uint16_t)exits_rand(c), .base = exits_value(c)};
	uint64_t ptr = (uint64_t)(uintptr_t)&bad, f, fsb, gsb;
	unsigned kind = (unsigned)exits_below(c, 7), n;
	uint16_t sel = (uint16_t)(exits_below(c, 2) ? exits_below(c, 0x68) : exits_rand(c));
	int want, got;

	if (exits_below(c, 2))
		bad.base = (uint64_t)((int64_t)(bad.base << 16) >> 16);
	want = exits_canonical(bad.base) ? EX_NONE : EX_GP;
	if (kind <= 1 && !exits_below(c, 4)) {
		ptr = exits_below(c, 2) ? exits_noncanonical(c) : (1ull << 34) + exits_below(c, 4096);
		want = exits_canonical(ptr) ? EX_PF : EX_GP;
	}
	f = exits_irq_off();
	exits_arm();
	switch (kind) {
	case 0: /* a garbage GDT for one instruction: no exception may happen meanwhile */
		__asm__ volatile(EXITS_TRY "lgdt (%0)" EXITS_END "lgdt %1"
				 : : "r"(ptr), "m"(exits_gdtr) : "r11", "memory");
		got = (int)exits_vec;
		exits_result(c, EXC_DESC, got, want, "LGDT [0x%llx] base 0x%llx limit 0x%x",
			     (unsigned long long)ptr, (unsigned long long)bad.base, bad.limit);
		break;
	case 1:
		__asm__ volatile(EXITS_TRY "lidt (%0)" EXITS_END "lidt %1"
				 : : "r"(ptr), "m"(exits_idtr) : "r11", "memory");
		got = (int)exits_vec;
		exits_result(c, EXC_DESC, got, want, "LIDT [0x%llx] base 0x%llx limit 0x%x",
			     (unsigned long long)ptr, (unsigned long long)bad.base, bad.limit);
		break;
	case 2: /* LTR: our TSS when not busy, anything else #GP */
		if (exits_below(c, 2)) {
			sel = EXITS_SEL_TSS | (sel & 3);
			if (exits_below(c, 2))
				exits_gdt[EXITS_SEL_TSS >> 3] &= ~(2ull << 40); /* busy -> available */
		}
		want = exits_ltr_want(sel);
		__asm__ volatile(EXITS_TRY "ltr %w0" EXITS_END : : "r"(sel) : "r11", "memory");
		exits_result(c, EXC_DESC, (int)exits_vec, want, "LTR 0x%x", sel);
		break;
	case 3:
		if (exits_below(c, 2))
			sel = EXITS_SEL_LDT | (sel & 3);
		want = exits_lldt_want(sel);
		__asm__ volatile(EXITS_TRY "lldt %w0" EXITS_END "lldt %w1"
				 : : "r"(sel), "r"((uint16_t)0) : "r11", "memory");
		exits_result(c, EXC_DESC, (int)exits_vec, want, "LLDT 0x%x", sel);
		break;
	case 4: /* data segment loads: whatever the CPU says, then back to 0x10 */
		fsb = exits_rdmsr_raw(0xc0000100);
		gsb = exits_rdmsr_raw(0xc0000101);
		n = (unsigned)exits_below(c, 5);
		switch (n) {
		case 0:
			__asm__ volatile(EXITS_TRY "movw %w0, %%ds" EXITS_END : : "r"(sel) : "r11", "memory");
			break;
		case 1:
			__asm__ volatile(EXITS_TRY "movw %w0, %%es" EXITS_END : : "r"(sel) : "r11", "memory");
			break;
		case 2:
			__asm__ volatile(EXITS_TRY "movw %w0, %%fs" EXITS_END : : "r"(sel) : "r11", "memory");
			break;
		case 3:
			__asm__ volatile(EXITS_TRY "movw %w0, %%gs" EXITS_END : : "r"(sel) : "r11", "memory");
			break;
		default:
			__asm__ volatile(EXITS_TRY "movw %w0, %%ss" EXITS_END : : "r"(sel) : "r11", "memory");
			break;
		}
		got = (int)exits_vec;
		__asm__ volatile("movl %0, %%ds\n\tmovl %0, %%es\n\tmovl %0, %%fs\n\tmovl %0, %%gs\n\t"
				 "movl %0, %%ss"
				 : : "r"((uint32_t)EXITS_SEL_DS) : "memory");
		exits_wrmsr_raw(0xc0000100, fsb);
		exits_wrmsr_raw(0xc0000101, gsb);
		exits_result(c, EXC_DESC, got, sel == EXITS_SEL_NP ? n == 4 ? EX_SS : EX_NP : EX_ANY,
			     "MOV Sreg 0x%x", sel);
		break;
	default: { /* the stores: no exit, UMIP off */
		struct exits_dtr g, i;
		uint16_t ldt, tr;

		__asm__ volatile(EXITS_TRY "sgdt %0\n\tsidt %1\n\tsldt %w2\n\tstr %w3" EXITS_END
				 : "=m"(g), "=m"(i), "=r"(ldt), "=r"(tr)
				 : : "r11", "memory");
		exits_result(c, EXC_DESC, (int)exits_vec, EX_NONE, "SGDT/SIDT/SLDT/STR");
		if (g.base != exits_gdtr.base || i.base != exits_idtr.base || (tr & ~3) != EXITS_SEL_TSS)
			exits_wrong(c, EXC_DESC, "SGDT 0x%llx SIDT 0x%llx STR 0x%x",
				    (unsigned long long)g.base, (unsigned long long)i.base, tr);
		break;
	}
	}
	exits_irq_restore(f);
}

/* --- SYSCALL / SYSENTER ---------------------------------------------------------------- */

void exits_op_syscall(struct exits_ctx *c)
{
	uint64_t f = exits_irq_off(), r = exits_rand(c);

	if (exits_below(c, 2)) {
		uint64_t star = exits_rdmsr_raw(0xc0000081), lstar = exits_rdmsr_raw(0xc0000082);
		uint64_t fmask = exits_rdmsr_raw(0xc0000084), efer = exits_rdmsr_raw(0xc0000080);
		bool sce = exits_below(c, 8);

		/*
		 * STAR's selectors are loaded without a descriptor check: any will
		 * do, but SS.RPL (STAR bits 33:32) stays 0 so that a VM exit in the
		 * few instructions before the IRETQ leaves a state VM entry takes.
		 */
		exits_wrmsr_raw(0xc0000081, r & 0xfffffffc00000000ull);
		exits_wrmsr_raw(0xc0000082, (uint64_t)(uintptr_t)exits_syscall_target);
		exits_wrmsr_raw(0xc0000084, (uint32_t)exits_rand(c));
		if (!sce)
			exits_wrmsr_raw(0xc0000080, efer & ~1ull);
		exits_arm();
		__asm__ volatile(EXITS_TRY "syscall" EXITS_END : : : "r11", "rax", "rcx", "memory");
		exits_result(c, EXC_SYSCALL, (int)exits_vec, sce ? EX_NONE : EX_UD,
			     "SYSCALL STAR 0x%llx EFER.SCE %u", (unsigned long long)(r >> 32), sce);
		exits_wrmsr_raw(0xc0000080, efer);
		exits_wrmsr_raw(0xc0000081, star);
		exits_wrmsr_raw(0xc0000082, lstar);
		exits_wrmsr_raw(0xc0000084, fmask);
	} else {
		uint64_t cs = exits_rdmsr_raw(0x174), esp = exits_rdmsr_raw(0x175);
		uint64_t eip = exits_rdmsr_raw(0x176), ncs = r & 0xffff;

		if (exits_below(c, 4) == 0)
			ncs &= 3; /* SYSENTER_CS[15:2] = 0: #GP */
		exits_wrmsr_raw(0x174, ncs);
		exits_wrmsr_raw(0x175, (uint64_t)(uintptr_t)(exits_stack_page + sizeof(exits_stack_page)));
		exits_wrmsr_raw(0x176, (uint64_t)(uintptr_t)exits_sysenter_target);
		exits_arm();
		__asm__ volatile("leaq 1f(%%rip), %%r11\n\tmovq %%r11, exits_resume(%%rip)\n\t"
				 "leaq 2f(%%rip), %%rax\n\tmovq %%rax, exits_sysenter_rip(%%rip)\n\t"
				 "movq %%rsp, exits_sysenter_rsp(%%rip)\n\tsysenter\n"
				 "2:\n\tmovq $0, exits_resume(%%rip)\n1:\n\t"
				 : : : "r11", "rax", "memory");
		exits_result(c, EXC_SYSCALL, (int)exits_vec, (ncs & 0xfffc) ? EX_NONE : EX_GP,
			     "SYSENTER CS 0x%llx", (unsigned long long)ncs);
		exits_wrmsr_raw(0x174, cs);
		exits_wrmsr_raw(0x175, esp);
		exits_wrmsr_raw(0x176, eip);
	}
	exits_irq_restore(f);
}

/* --- Exceptions --------------------------------------------------------------------------- */

static uint64_t exits_saved_rbp __attribute__((used));

void exits_op_except(struct exits_ctx *c)
{
	uint64_t r = exits_rand(c), f;
	unsigned kind = (unsigned)exits_below(c, 12), n;
	int want, got;

	exits_arm();
	switch (kind) {
	case 0:
		__asm__ volatile(EXITS_TRY "xorl %%edx, %%edx\n\tdivl %%ecx" EXITS_END
				 : : "a"(r), "c"(0) : "r11", "rdx", "memory", "cc");
		want = EX_DE;
		break;
	case 1:
		__asm__ volatile(EXITS_TRY "cqto\n\tidivq %%rcx" EXITS_END
				 : : "a"(1ull << 63), "c"(~0ull) : "r11", "rdx", "memory", "cc");
		want = EX_DE;
		break;
	case 2:
		__asm__ volatile(EXITS_TRY "ud2" EXITS_END : : : "r11", "memory");
		want = EX_UD;
		break;
	case 3: { /* opcodes invalid in 64-bit mode */
		switch (r % 8) {
		case 0: __asm__ volatile(EXITS_TRY ".byte 0x06" EXITS_END : : : "r11", "memory"); break;
		case 1: __asm__ volatile(EXITS_TRY ".byte 0x27" EXITS_END : : : "r11", "memory"); break;
		case 2: __asm__ volatile(EXITS_TRY ".byte 0x37" EXITS_END : : : "r11", "memory"); break;
		case 3: __asm__ volatile(EXITS_TRY ".byte 0x60" EXITS_END : : : "r11", "memory"); break;
		case 4: __asm__ volatile(EXITS_TRY ".byte 0xce" EXITS_END : : : "r11", "memory"); break;
		case 5: __asm__ volatile(EXITS_TRY ".byte 0xd6" EXITS_END : : : "r11", "memory"); break;
		case 6: __asm__ volatile(EXITS_TRY ".byte 0xd4, 0x0a" EXITS_END : : : "r11", "memory"); break;
		default: __asm__ volatile(EXITS_TRY ".byte 0x1f" EXITS_END : : : "r11", "memory"); break;
		}
		want = EX_UD;
		break;
	}
	case 4: { /* #PF on an unmapped canonical address; CR2 tells where */
		uint64_t va = (1ull << 35) + (r & 0xffffffffull), cr2, v;

		__asm__ volatile(EXITS_TRY "movq (%1), %0" EXITS_END
				 : "=r"(v) : "r"(va) : "r11", "memory");
		(void)v;
		__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
		got = (int)exits_vec;
		exits_result(c, EXC_EXCEPT, got, EX_PF, "read 0x%llx", (unsigned long long)va);
		if (got == EX_PF && cr2 != va)
			exits_wrong(c, EXC_EXCEPT, "#PF at 0x%llx: CR2 0x%llx", (unsigned long long)va,
				    (unsigned long long)cr2);
		return;
	}
	case 5: {
		uint64_t v, va = exits_noncanonical(c);

		__asm__ volatile(EXITS_TRY "movq (%1), %0" EXITS_END
				 : "=r"(v) : "r"(va) : "r11", "memory");
		(void)v;
		want = EX_GP;
		break;
	}
	case 6: /* a non-canonical stack-segment reference: #SS */
		__asm__ volatile("movq %%rbp, exits_saved_rbp(%%rip)\n\tmovq %0, %%rbp\n\t"
				 EXITS_TRY "movq (%%rbp), %%rax" EXITS_END
				 "movq exits_saved_rbp(%%rip), %%rbp"
				 : : "d"(exits_noncanonical(c)) : "r11", "rax", "memory");
		want = EX_SS;
		break;
	case 7:
		__asm__ volatile(EXITS_TRY "int3" EXITS_END : : : "r11", "memory");
		want = EX_BP;
		break;
	case 8:
		__asm__ volatile(EXITS_TRY ".byte 0xf1 /* int1 */" EXITS_END : : : "r11", "memory");
		want = EX_DB;
		break;
	case 9: { /* INT n: the empty (type 0) gates give #GP(n * 8 + 2) */
		static const uint8_t skip[] = {8, 10, 11, 12, 13, 14, 17, 21, 29, 30};

		n = (unsigned)(r & 0xff);
		for (unsigned i = 0; i < ARRAY_SIZE(skip); i++)
			if (n == skip[i])
				n = 3; /* these push an error code only when raised by the CPU */
		if (n == BOLT_UPCALL_VECTOR)
			n = 0x40;
		__asm__ volatile(EXITS_TRY "jmp *%0" EXITS_END
				 : : "r"(exits_int_stubs + 8 * n) : "r11", "memory");
		exits_resume = 0; /* the upcall vector comes back through the stub */
		want = n < 32 ? (int)n : EX_GP;
		got = (int)exits_vec;
		exits_result(c, EXC_EXCEPT, got, want, "INT 0x%x", n);
		if (n >= 32 && got == EX_GP && exits_err != n * 8 + 2)
			exits_wrong(c, EXC_EXCEPT, "INT 0x%x: #GP error 0x%llx", n,
				    (unsigned long long)exits_err);
		return;
	}
	case 10: /* #NM: an x87 instruction with CR0.TS = 1 */
		f = exits_irq_off();
		__asm__ volatile("mov %%cr0, %%rax\n\tor $8, %%rax\n\tmov %%rax, %%cr0\n\t"
				 EXITS_TRY "fnop" EXITS_END "clts"
				 : : : "r11", "rax", "memory");
		exits_irq_restore(f);
		want = EX_NM;
		break;
	default: { /* an execute breakpoint in DR0 (a fault: RIP at the instruction) */
		uint64_t dr7 = 0x401, save7, save0;

		__asm__ volatile(".byte 0x0f, 0x21, 0xf8" : "=a"(save7)); /* mov %dr7, %rax */
		__asm__ volatile(".byte 0x0f, 0x21, 0xc0" : "=a"(save0)); /* mov %dr0, %rax */
		__asm__ volatile("leaq 2f(%%rip), %%rax\n\t.byte 0x0f, 0x23, 0xc0\n\t"
				 "movq %0, %%rax\n\t.byte 0x0f, 0x23, 0xf8\n\t"
				 EXITS_TRY "2:\n\tnop" EXITS_END
				 "xorl %%eax, %%eax\n\t.byte 0x0f, 0x23, 0xf8"
				 : : "r"(dr7) : "r11", "rax", "memory");
		__asm__ volatile(".byte 0x0f, 0x23, 0xc0" : : "a"(save0));
		__asm__ volatile(".byte 0x0f, 0x23, 0xf8" : : "a"(save7));
		want = EX_DB;
		break;
	}
	}
	exits_result(c, EXC_EXCEPT, (int)exits_vec, want, "exception case %u", kind);
}
