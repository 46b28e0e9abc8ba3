/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: INVLPG/INVPCID, every VMX and SVM instruction (#UD: Bolt
 * is a CPU without VMX to its guests, and an Intel CPU has no SVM),
 * MONITOR/MWAIT (#UD: hidden and intercepted), HLT with IF = 1 and IF = 0
 * (with an event pending, so Bolt must return at once rather than stop us),
 * LGDT/LIDT/LTR/LLDT and segment loads with garbage, SYSCALL/SYSENTER with
 * hostile MSRs, and exception storms (#DE, #UD, #PF, #GP, #SS, #NM, #XM,
 * #DB, INT3, INT n).
 */
#include "tests/guests/hostile/exits.h"

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

static uint8_t exits_page[4096] __attribute__((aligned(4096)));

/* --- INVLPG / INVPCID ------------------------------------------------------------- */

void exits_op_invlpg(struct exits_ctx *c)
{
	struct {
		uint64_t pcid, addr;
	} desc;
	uint64_t type, cr4;
	int want;

	if (exits_below(c, 2)) {
		uint64_t va = exits_below(c, 2) ? exits_rand(c) : exits_rand(c) & 0xffffffffull;

		exits_arm();
		__asm__ volatile(EXITS_TRY "invlpg (%0)" EXITS_END : : "r"(va) : "r11", "memory");
		exits_result(c, EXC_INVLPG, (int)exits_vec,
			     exits_canonical(va) ? EX_NONE : EX_GP_OR_NONE, "INVLPG 0x%llx",
			     (unsigned long long)va);
		return;
	}
	type = exits_below(c, 4) ? exits_below(c, 4) : exits_rand(c);
	desc.pcid = exits_below(c, 2) ? 0 : exits_value(c);
	desc.addr = exits_below(c, 2) ? (uint64_t)(uintptr_t)exits_page : exits_rand(c);
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	/* SDM Vol. 2A INVPCID: #GP for type > 3, PCID bits 63:12, non-canonical type-0 address, a PCID with CR4.PCIDE = 0. */
	if (!c->cpu.invpcid)
		want = EX_UD;
	else if (type > 3 || (desc.pcid >> 12))
		want = EX_GP;
	else if (type == 0 && !exits_canonical(desc.addr))
		want = EX_GP;
	else if (type <= 1 && desc.pcid && !(cr4 & (1u << 17)))
		want = EX_GP;
	else
		want = EX_NONE;
	exits_arm();
	__asm__ volatile(EXITS_TRY "invpcid (%0), %1" EXITS_END
			 :
			 : "r"(&desc), "r"(type)
			 : "r11", "memory");
	exits_result(c, EXC_INVLPG, (int)exits_vec, want, "INVPCID type 0x%llx pcid 0x%llx addr 0x%llx",
		     (unsigned long long)type, (unsigned long long)desc.pcid,
		     (unsigned long long)desc.addr);
}

/* --- VMX and SVM ---------------------------------------------------------------- */

#define UD_CASE(k, insn, ...)                                                                      \
	case k:                                                                                    \
		__asm__ volatile(EXITS_TRY insn EXITS_END : : __VA_ARGS__);                       \
		name = #insn;                                                                      \
		break;

void exits_op_vmx(struct exits_ctx *c)
{
	uint64_t r = exits_value(c), m = (uint64_t)(uintptr_t)exits_page;
	const char *name = "?";
	unsigned k = (unsigned)exits_below(c, 15);

	*(volatile uint64_t *)(uintptr_t)exits_page = exits_rand(c);
	exits_arm();
	switch (k) {
		UD_CASE(0, "vmxon (%0)", "r"(m) : "r11", "memory", "cc")
		UD_CASE(1, "vmxoff", "r"(m) : "r11", "memory", "cc")
		UD_CASE(2, "vmclear (%0)", "r"(m) : "r11", "memory", "cc")
		UD_CASE(3, "vmptrld (%0)", "r"(m) : "r11", "memory", "cc")
		UD_CASE(4, "vmptrst (%0)", "r"(m) : "r11", "memory", "cc")
		UD_CASE(5, "vmread %0, %%rax", "r"(r) : "r11", "rax", "memory", "cc")
		UD_CASE(6, "vmwrite %0, %0", "r"(r) : "r11", "memory", "cc")
		UD_CASE(7, "vmlaunch", "r"(r) : "r11", "memory", "cc")
		UD_CASE(8, "vmresume", "r"(r) : "r11", "memory", "cc")
		UD_CASE(9, "invept (%0), %1", "r"(m), "r"(r & 3) : "r11", "memory", "cc")
		UD_CASE(10, "invvpid (%0), %1", "r"(m), "r"(r & 3) : "r11", "memory", "cc")
		UD_CASE(11, "vmfunc", "a"(r & 0xff), "c"(r >> 32) : "r11", "memory", "cc")
		UD_CASE(12, "getsec", "a"(r & 0xf) : "r11", "rbx", "rcx", "memory", "cc")
		UD_CASE(13, ".byte 0x0f, 0x01, 0xcf /* encls */", "a"(r & 0xff) : "r11", "rbx", "rcx",
			"rdx", "memory", "cc")
		UD_CASE(14, ".byte 0x0f, 0x01, 0xc0 /* enclv */", "a"(r & 0xff) : "r11", "rbx", "rcx",
			"rdx", "memory", "cc")
	}
	exits_result(c, EXC_VMX, (int)exits_vec, EX_UD, "%s (operand 0x%llx)", name,
		     (unsigned long long)r);
}

void exits_op_svm(struct exits_ctx *c)
{
	uint64_t r = exits_value(c), m = (uint64_t)(uintptr_t)exits_page;
	const char *name = "?";

	exits_arm();
	switch (exits_below(c, 11)) {
		UD_CASE(0, ".byte 0x0f, 0x01, 0xd8 /* vmrun */", "a"(m) : "r11", "memory", "cc")
		UD_CASE(1, ".byte 0x0f, 0x01, 0xd9 /* vmmcall */", "a"(r) : "r11", "memory", "cc")
		UD_CASE(2, ".byte 0x0f, 0x01, 0xda /* vmload */", "a"(m) : "r11", "memory", "cc")
		UD_CASE(3, ".byte 0x0f, 0x01, 0xdb /* vmsave */", "a"(m) : "r11", "memory", "cc")
		UD_CASE(4, ".byte 0x0f, 0x01, 0xdc /* stgi */", "a"(r) : "r11", "memory", "cc")
		UD_CASE(5, ".byte 0x0f, 0x01, 0xdd /* clgi */", "a"(r) : "r11", "memory", "cc")
		UD_CASE(6, ".byte 0x0f, 0x01, 0xde /* skinit */", "a"(m) : "r11", "memory", "cc")
		UD_CASE(7, ".byte 0x0f, 0x01, 0xdf /* invlpga */", "a"(r), "c"(0) : "r11", "memory",
			"cc")
		UD_CASE(8, ".byte 0x0f, 0x01, 0xfe /* invlpgb */", "a"(r), "c"(0), "d"(0)
			: "r11", "memory", "cc")
		UD_CASE(9, ".byte 0x0f, 0x01, 0xff /* tlbsync */", "a"(r) : "r11", "memory", "cc")
		UD_CASE(10, ".byte 0x0f, 0x01, 0xfd /* rdpru */", "c"(0) : "r11", "rax", "rdx",
			"memory", "cc")
	}
	exits_result(c, EXC_SVM, (int)exits_vec, EX_UD, "%s", name);
}

/* --- MONITOR / MWAIT, HLT ---------------------------------------------------------- */

void exits_op_mwait(struct exits_ctx *c)
{
	uint64_t a = exits_below(c, 2) ? (uint64_t)(uintptr_t)exits_page : exits_rand(c);
	uint64_t cx = exits_below(c, 2) ? 0 : exits_rand(c), dx = exits_rand(c), f = 0;
	bool if0 = exits_below(c, 2);
	const char *name = "?";
	int want = EX_UD;

	if (if0)
		f = irq_off();
	exits_arm();
	switch (exits_below(c, 6)) {
		UD_CASE(0, "monitor %%rax, %%ecx, %%edx", "a"(a), "c"(cx), "d"(dx)
			: "r11", "memory")
		UD_CASE(1, "mwait %%eax, %%ecx", "a"(a), "c"(cx) : "r11", "memory")
		UD_CASE(2, ".byte 0x0f, 0x01, 0xfa /* monitorx */", "a"(a), "c"(cx), "d"(dx)
			: "r11", "memory")
		UD_CASE(3, ".byte 0x0f, 0x01, 0xfb /* mwaitx */", "a"(a), "c"(cx), "b"(dx)
			: "r11", "memory")
	case 4: /* UMONITOR: WAITPKG is hidden from CPUID; the CPU may still run it */
		__asm__ volatile(EXITS_TRY ".byte 0xf3, 0x0f, 0xae, 0xf0 /* umonitor rax */" EXITS_END
				 : : "a"(a) : "r11", "memory");
		name = "umonitor";
		want = EX_UD_OR_NONE;
		break;
	default: /* TPAUSE with a deadline already past */
		__asm__ volatile(EXITS_TRY ".byte 0x66, 0x0f, 0xae, 0xf1 /* tpause ecx */" EXITS_END
				 : : "c"(0), "a"(0), "d"(0) : "r11", "memory", "cc");
		name = "tpause";
		want = EX_UD_OR_NONE;
		break;
	}
	if (if0)
		irq_restore(f);
	exits_result(c, EXC_MWAIT, (int)exits_vec, want, "%s (IF=%u) 0x%llx 0x%llx", name, !if0,
		     (unsigned long long)a, (unsigned long long)cx);
}

/*
 * HLT with an event pending (our own IPI port, sent first): Bolt must
 * return at once, with IF = 1 (exit_hlt: "an event already waits") and with
 * IF = 0 too; a HLT with IF = 0 and nothing pending would end the guest
 * (hostile-catalogue's hlt-if0 case covers that stop). Then the upcall must
 * arrive once IF = 1.
 */
void exits_op_hlt(struct exits_ctx *c)
{
	uint64_t before = bolt_evtchn_count(c->self_port), f;
	bool if1 = exits_below(c, 2);
	long rc;

	f = irq_off();
	rc = bolt_evtchn_send(c->self_port);
	exits_arm();
	if (if1)
		__asm__ volatile(EXITS_TRY "sti\n\thlt\n\tcli" EXITS_END : : : "r11", "memory");
	else
		__asm__ volatile(EXITS_TRY "hlt" EXITS_END : : : "r11", "memory");
	exits_result(c, EXC_HLT, (int)exits_vec, EX_NONE, "HLT with IF=%u and an event pending", if1);
	__asm__ volatile("sti" : : : "memory");
	for (unsigned i = 0; i < 1000 && bolt_evtchn_count(c->self_port) == before; i++)
		__asm__ volatile("pause");
	if (!(f & (1u << 9)))
		__asm__ volatile("cli" : : : "memory");
	if (rc < 0 || bolt_evtchn_count(c->self_port) == before)
		exits_wrong(c, EXC_HLT, "HLT IF=%u: the pending event (send: %ld) never arrived", if1,
			    rc);
}

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
	f = irq_off();
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
	irq_restore(f);
}

/* --- SYSCALL / SYSENTER ---------------------------------------------------------------- */

void exits_op_syscall(struct exits_ctx *c)
{
	uint64_t f = irq_off(), r = exits_rand(c);

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
		exits_wrmsr_raw(0x175, (uint64_t)(uintptr_t)(exits_page + sizeof(exits_page)));
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
	irq_restore(f);
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
		f = irq_off();
		__asm__ volatile("mov %%cr0, %%rax\n\tor $8, %%rax\n\tmov %%rax, %%cr0\n\t"
				 EXITS_TRY "fnop" EXITS_END "clts"
				 : : : "r11", "rax", "memory");
		irq_restore(f);
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
