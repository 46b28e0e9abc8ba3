/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: INVLPG/INVPCID, every VMX and SVM instruction (#UD: Bolt
 * is a CPU without VMX to its guests, and an Intel CPU has no SVM),
 * MONITOR/MWAIT (#UD: hidden and intercepted), HLT with IF = 1 and IF = 0
 * (with an event pending, so Bolt must return at once rather than stop us).
 */
#include "tests/guests/hostile/exits.h"

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
		f = exits_irq_off();
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
		exits_irq_restore(f);
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

	f = exits_irq_off();
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

