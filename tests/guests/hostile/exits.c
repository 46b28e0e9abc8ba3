/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits (issue 8): a seeded stream of privileged and exit-causing
 * instructions. Command line: seed=N (1), count=N (100000), trace=N (print
 * each operation from number N on, to find the one that took Bolt down).
 * Each operation picks a class (XSETBV, RDMSR, WRMSR, MOV CR*, MOV DR, I/O,
 * string I/O, CPUID, INVLPG/INVPCID, VMX, SVM, MONITOR/MWAIT, HLT, XRSTOR,
 * descriptor tables, SYSCALL/SYSENTER, compatibility and 16-bit mode,
 * exception storms), runs it with a resume address armed, checks the
 * outcome against what Bolt (arch/x86/exit*.c) and the SDM require, and
 * restores the guest's own state. At the end: one line per class
 *   hostile: exits: <class> N (ok N, gp N, ud N, pf N, other N, wrong N)
 * and the total; any wrong outcome fails the run.
 */
#include <stdarg.h>

#include "tests/guests/hostile/exits.h"

#define EXITS_WRONG_LINES 40u

uint64_t exits_gdt[EXITS_GDT_SLOTS] __attribute__((aligned(16)));
struct exits_dtr exits_gdtr, exits_idtr;
static struct exits_dtr exits_sdk_idtr, exits_sdk_gdtr;
static uint8_t exits_idt[256 * 16] __attribute__((aligned(16)));
static uint8_t exits_tss[104] __attribute__((aligned(16)));
static uint64_t exits_ldt[2] __attribute__((aligned(16))) = {0, 0x00cf92000000ffffull};
static struct exits_ctx *exits_cur;

static const char *const exits_names[EXC_NR] = {
	[EXC_XSETBV] = "xsetbv",   [EXC_RDMSR] = "rdmsr",	   [EXC_WRMSR] = "wrmsr",
	[EXC_CR0] = "mov-cr0",	   [EXC_CR3] = "mov-cr3",	   [EXC_CR4] = "mov-cr4",
	[EXC_CR8] = "mov-cr8",	   [EXC_DR] = "mov-dr",		   [EXC_IO] = "in-out",
	[EXC_STRIO] = "ins-outs",  [EXC_CPUID] = "cpuid",	   [EXC_INVLPG] = "invlpg-invpcid",
	[EXC_VMX] = "vmx",	   [EXC_SVM] = "svm",		   [EXC_MWAIT] = "monitor-mwait",
	[EXC_HLT] = "hlt",	   [EXC_XRSTOR] = "xsave-xrstor", [EXC_DESC] = "lgdt-lidt-ltr",
	[EXC_SYSCALL] = "syscall-sysenter", [EXC_MODE32] = "compat32", [EXC_MODE16] = "code16",
	[EXC_EXCEPT] = "exceptions",
};

/* Relative weights of the classes in the stream (sum 100). */
static const uint8_t exits_weight[EXC_NR] = {
	[EXC_XSETBV] = 8, [EXC_RDMSR] = 8,  [EXC_WRMSR] = 10, [EXC_CR0] = 5,	[EXC_CR3] = 2,
	[EXC_CR4] = 6,	  [EXC_CR8] = 3,    [EXC_DR] = 3,     [EXC_IO] = 12,	[EXC_STRIO] = 6,
	[EXC_CPUID] = 8,  [EXC_INVLPG] = 2, [EXC_VMX] = 4,    [EXC_SVM] = 2,	[EXC_MWAIT] = 2,
	[EXC_HLT] = 2,	  [EXC_XRSTOR] = 3, [EXC_DESC] = 4,   [EXC_SYSCALL] = 2, [EXC_MODE32] = 3,
	[EXC_MODE16] = 3, [EXC_EXCEPT] = 2,
};

static void (*const exits_ops[EXC_NR])(struct exits_ctx *c) = {
	[EXC_XSETBV] = exits_op_xsetbv, [EXC_RDMSR] = exits_op_rdmsr, [EXC_WRMSR] = exits_op_wrmsr,
	[EXC_CR0] = exits_op_cr0,	[EXC_CR3] = exits_op_cr3,     [EXC_CR4] = exits_op_cr4,
	[EXC_CR8] = exits_op_cr8,	[EXC_DR] = exits_op_dr,	      [EXC_IO] = exits_op_io,
	[EXC_STRIO] = exits_op_strio,	[EXC_CPUID] = exits_op_cpuid, [EXC_INVLPG] = exits_op_invlpg,
	[EXC_VMX] = exits_op_vmx,	[EXC_SVM] = exits_op_svm,     [EXC_MWAIT] = exits_op_mwait,
	[EXC_HLT] = exits_op_hlt,	[EXC_XRSTOR] = exits_op_xrstor, [EXC_DESC] = exits_op_desc,
	[EXC_SYSCALL] = exits_op_syscall, [EXC_MODE32] = exits_op_mode32,
	[EXC_MODE16] = exits_op_mode16, [EXC_EXCEPT] = exits_op_except,
};

void exits_arm(void)
{
	exits_vec = -1;
	exits_err = 0;
	exits_resume = 0;
}

uint64_t exits_rand(struct exits_ctx *c)
{
	return hostile_rng_next(&c->rng);
}

uint64_t exits_below(struct exits_ctx *c, uint64_t n)
{
	return hostile_rng_below(&c->rng, n);
}

uint64_t exits_value(struct exits_ctx *c)
{
	uint64_t r = exits_rand(c);

	switch (exits_below(c, 8)) {
	case 0:
		return 1ull << (r & 63);
	case 1:
		return ~0ull;
	case 2:
		return r & 0xffffffffull;
	case 3:
		return r & 0xff;
	case 4:
		return 0;
	default:
		return r;
	}
}

bool exits_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

uint64_t exits_noncanonical(struct exits_ctx *c)
{
	uint64_t v = exits_rand(c);

	if (exits_canonical(v))
		v ^= 1ull << 62;
	return v;
}

void exits_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

uint64_t exits_rdmsr_raw(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

void exits_wrmsr_raw(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)) : "memory");
}

static const char *exits_out_str(int v, char *buf, size_t len)
{
	switch (v) {
	case EX_ANY:
		return "anything";
	case EX_GP_OR_NONE:
		return "#GP or no fault";
	case EX_UD_OR_NONE:
		return "#UD or no fault";
	default:
		return hostile_fault_str(v, buf, len);
	}
}

static void exits_wrong_line(struct exits_ctx *c, enum exits_class cls, const char *what,
			     const char *fmt, va_list ap)
{
	char desc[160];

	c->st[cls].wrong++;
	if (c->wrong_printed++ >= EXITS_WRONG_LINES)
		return;
	vsnprintf(desc, sizeof(desc), fmt, ap);
	printf("hostile: exits: op %llu %s: %s: %s  <-- WRONG\n", (unsigned long long)c->op,
	       exits_names[cls], desc, what);
}

void exits_result(struct exits_ctx *c, enum exits_class cls, int got, int want, const char *fmt, ...)
{
	struct exits_stats *s = &c->st[cls];
	bool ok;

	s->n++;
	if (got == -1)
		s->ok++;
	else if (got == EX_GP)
		s->gp++;
	else if (got == EX_UD)
		s->ud++;
	else if (got == EX_PF)
		s->pf++;
	else
		s->other++;
	switch (want) {
	case EX_ANY:
		ok = true;
		break;
	case EX_GP_OR_NONE:
		ok = got == -1 || got == EX_GP;
		break;
	case EX_UD_OR_NONE:
		ok = got == -1 || got == EX_UD;
		break;
	default:
		ok = got == want;
		break;
	}
	if (!ok || c->op >= c->trace_from) {
		char w[24], g[24], what[64];
		va_list ap;

		snprintf(what, sizeof(what), "expected %s, got %s",
			 exits_out_str(want, w, sizeof(w)), exits_out_str(got, g, sizeof(g)));
		va_start(ap, fmt);
		if (!ok) {
			exits_wrong_line(c, cls, what, fmt, ap);
		} else {
			char desc[160];

			vsnprintf(desc, sizeof(desc), fmt, ap);
			printf("hostile: exits: op %llu %s: %s: %s\n", (unsigned long long)c->op,
			       exits_names[cls], desc, what);
		}
		va_end(ap);
	}
}

void exits_wrong(struct exits_ctx *c, enum exits_class cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	exits_wrong_line(c, cls, "wrong value", fmt, ap);
	va_end(ap);
}

/* An exception with no resume address armed: say where, then crash as the SDK would. */
void exits_fatal(const uint64_t *frame);
void exits_fatal(const uint64_t *frame)
{
	exits_wrmsr_raw(0xc0000100, 0); /* FS base: in case a hostile value is left */
	__asm__ volatile("lidt %0" : : "m"(exits_sdk_idtr));
	printf("hostile: exits: unexpected exception vector %llu error 0x%llx at rip 0x%llx "
	       "cs 0x%llx during op %llu  <-- WRONG\n",
	       (unsigned long long)frame[0], (unsigned long long)frame[1],
	       (unsigned long long)frame[2], (unsigned long long)frame[3],
	       exits_cur ? (unsigned long long)exits_cur->op : 0ull);
	printf("RESULT hostile-exits FAIL: unexpected exception\n");
	bolt_shutdown(SHUTDOWN_crash);
}

static void exits_set_gate(unsigned v, uint64_t handler)
{
	uint8_t *g = &exits_idt[v * 16];

	memset(g, 0, 16);
	g[0] = (uint8_t)handler;
	g[1] = (uint8_t)(handler >> 8);
	g[2] = EXITS_SEL_CS64;
	g[5] = 0x8e; /* present 64-bit interrupt gate, DPL 0 */
	g[6] = (uint8_t)(handler >> 16);
	g[7] = (uint8_t)(handler >> 24);
	for (unsigned i = 0; i < 4; i++)
		g[8 + i] = (uint8_t)(handler >> (32 + 8 * i));
}

static uint64_t exits_sys_desc(uint64_t base, uint64_t limit, uint64_t type)
{
	return (limit & 0xffff) | ((base & 0xffffff) << 16) | (type << 40) |
	       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
}

/*
 * Our own GDT (the SDK's has only 0x08/0x10, at the same places here),
 * with 32-bit and 16-bit code, a TSS and an LDT; and our own IDT: the
 * SDK's gates from 32 up (the upcall vector), our quiet stubs below.
 */
static void exits_tables(void)
{
	uint64_t tss = (uint64_t)(uintptr_t)exits_tss, ldt = (uint64_t)(uintptr_t)exits_ldt;

	__asm__ volatile("sgdt %0; sidt %1" : "=m"(exits_sdk_gdtr), "=m"(exits_sdk_idtr));
	memset(exits_gdt, 0, sizeof(exits_gdt));
	exits_gdt[1] = 0x00af9a000000ffffull;
	exits_gdt[2] = 0x00cf92000000ffffull;
	exits_gdt[3] = 0x00cf9a000000ffffull; /* 32-bit code, 4 GiB */
	exits_mode_setup(exits_gdt);	      /* 0x20 code16, 0x28 data16 */
	exits_tss[102] = sizeof(exits_tss);   /* I/O map base: none */
	exits_gdt[6] = exits_sys_desc(tss, sizeof(exits_tss) - 1, 0x89);
	exits_gdt[7] = tss >> 32;
	exits_gdt[8] = exits_sys_desc(ldt, sizeof(exits_ldt) - 1, 0x82);
	exits_gdt[9] = ldt >> 32;
	exits_gdt[10] = 0x00cf12000000ffffull; /* 0x50 data, not present */
	exits_gdt[11] = 0x00cff2000000ffffull; /* 0x58 data, DPL 3 */
	exits_gdtr.limit = EXITS_GDT_LIMIT;
	exits_gdtr.base = (uint64_t)(uintptr_t)exits_gdt;
	__asm__ volatile("lgdt %0\n\t"
			 "movl %1, %%eax\n\tmovl %%eax, %%ds\n\tmovl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "pushq %2\n\tleaq 1f(%%rip), %%rax\n\tpushq %%rax\n\tlretq\n1:\n\t"
			 "ltr %w3"
			 :
			 : "m"(exits_gdtr), "i"(EXITS_SEL_DS), "i"(EXITS_SEL_CS64),
			   "r"((uint16_t)EXITS_SEL_TSS)
			 : "rax", "memory");
	memcpy(exits_idt, (void *)(uintptr_t)exits_sdk_idtr.base,
	       exits_sdk_idtr.limit + 1u < sizeof(exits_idt) ? exits_sdk_idtr.limit + 1u
							      : sizeof(exits_idt));
	for (unsigned v = 0; v < 32; v++)
		exits_set_gate(v, exits_exc_stubs[v]);
	exits_idtr.limit = sizeof(exits_idt) - 1;
	exits_idtr.base = (uint64_t)(uintptr_t)exits_idt;
	__asm__ volatile("lidt %0" : : "m"(exits_idtr) : "memory");
}

static void exits_cpu_facts(struct exits_cpu *p)
{
	uint32_t r[4], max, maxx;

	exits_cpuid(0, 0, r);
	max = r[0];
	exits_cpuid(1, 0, r);
	p->c1_ecx = r[2];
	p->c1_edx = r[3];
	p->xsave = r[2] & (1u << 26);
	p->pcid = r[2] & (1u << 17);
	if (max >= 7) {
		exits_cpuid(7, 0, r);
		p->c7_ebx = r[1];
		p->c7_ecx = r[2];
		p->c7_edx = r[3];
		p->invpcid = r[1] & (1u << 10);
		exits_cpuid(7, 1, r);
		p->c71_eax = r[0];
	}
	if (max >= 0xd && p->xsave) {
		exits_cpuid(0xd, 0, r);
		p->xcr0_sup = (uint64_t)r[3] << 32 | r[0];
		exits_cpuid(0xd, 1, r);
		p->xsavec = r[0] & 2;
		p->xsaves = r[0] & 8;
	}
	exits_cpuid(0x80000000, 0, r);
	maxx = r[0];
	p->maxphyaddr = 36;
	if (maxx >= 0x80000001) {
		exits_cpuid(0x80000001, 0, r);
		p->nx = r[3] & (1u << 20);
		p->rdtscp = r[3] & (1u << 27);
	}
	if (maxx >= 0x80000008) {
		exits_cpuid(0x80000008, 0, r);
		p->maxphyaddr = r[0] & 0xff;
	}
}

/*
 * CR4.OSXSAVE on and XCR0 = every user state the CPU has that forms a
 * valid set (x87, SSE, AVX, MPX, AVX-512, PKRU): the XRSTOR cases and
 * Bolt's state switch with the guest sharing this CPU then cover them all.
 */
static void exits_xsave_setup(struct exits_cpu *p)
{
	uint64_t cr4, x = p->xcr0_sup & 0x2ffull;

	if (!p->xsave)
		return;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 1ull << 18;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	if ((x & 0xe0) != 0xe0 || !(x & 4))
		x &= ~0xe0ull;
	if ((x & 0x18) != 0x18)
		x &= ~0x18ull;
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)x), "d"((uint32_t)(x >> 32)));
	p->xcr0_orig = x;
}

/* The HLT cases' own event: the SDK counts it (bolt_evtchn_count) once a handler takes it. */
static void exits_self_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

static enum exits_class exits_pick(struct exits_ctx *c)
{
	uint64_t r = exits_below(c, 100);

	for (unsigned i = 0; i < EXC_NR; i++) {
		if (r < exits_weight[i])
			return (enum exits_class)i;
		r -= exits_weight[i];
	}
	return EXC_CPUID;
}

static uint64_t exits_arg(const struct hostile_args *a, const char *key, uint64_t def)
{
	uint64_t v;

	return bolt_cmdline_get_u64(a->si, key, &v) == 0 ? v : def;
}

const char *hostile_exits(const struct hostile_args *a)
{
	static struct exits_ctx ctx;
	struct exits_ctx *c = &ctx;
	uint64_t seed = exits_arg(a, "seed", 1), count = exits_arg(a, "count", 100000);
	uint64_t total = 0, wrong = 0, step;
	long rc;

	c->a = a;
	c->trace_from = exits_arg(a, "trace", ~0ull);
	hostile_rng_seed(&c->rng, seed);
	exits_cur = c;
	exits_cpu_facts(&c->cpu);
	exits_tables();
	exits_xsave_setup(&c->cpu);
	exits_wrmsr_raw(0xc0000080, exits_rdmsr_raw(0xc0000080) | 1); /* EFER.SCE */
	rc = bolt_evtchn_bind_ipi(&c->self_port);
	if (rc < 0 || bolt_evtchn_set_handler(c->self_port, exits_self_event, NULL) < 0)
		return "bind_ipi for the HLT cases failed";
	printf("hostile: exits: seed %llu, %llu operations, XCR0 0x%llx of 0x%llx\n",
	       (unsigned long long)seed, (unsigned long long)count,
	       (unsigned long long)c->cpu.xcr0_orig, (unsigned long long)c->cpu.xcr0_sup);
	step = count / 10 ? count / 10 : 1;
	for (c->op = 0; c->op < count; c->op++) {
		enum exits_class cls = exits_pick(c);

		if (c->op >= c->trace_from)
			printf("hostile: exits: op %llu: %s\n", (unsigned long long)c->op,
			       exits_names[cls]);
		exits_ops[cls](c);
		if (c->tpr_until && c->op >= c->tpr_until) {
			__asm__ volatile("mov %0, %%cr8" : : "r"(0ull));
			c->tpr_until = 0;
		}
		if ((c->op + 1) % step == 0)
			printf("hostile: exits: %llu operations done\n",
			       (unsigned long long)(c->op + 1));
	}
	__asm__ volatile("mov %0, %%cr8" : : "r"(0ull));
	/* End any line that the random bytes to 0xE9 / COM1 started. */
	__asm__ volatile("outb %b0, %w1" : : "a"('\n'), "Nd"((uint16_t)0xe9));
	__asm__ volatile("outb %b0, %w1" : : "a"('\n'), "Nd"((uint16_t)0x3f8));
	for (unsigned i = 0; i < EXC_NR; i++) {
		const struct exits_stats *s = &c->st[i];

		printf("hostile: exits: %s %llu (ok %llu, gp %llu, ud %llu, pf %llu, other %llu, "
		       "wrong %llu)\n",
		       exits_names[i], (unsigned long long)s->n, (unsigned long long)s->ok,
		       (unsigned long long)s->gp, (unsigned long long)s->ud,
		       (unsigned long long)s->pf, (unsigned long long)s->other,
		       (unsigned long long)s->wrong);
		total += s->n;
		wrong += s->wrong;
	}
	printf("hostile: exits: total %llu instructions in %llu operations, %llu wrong\n",
	       (unsigned long long)total, (unsigned long long)count, (unsigned long long)wrong);
	__asm__ volatile("lidt %0" : : "m"(exits_sdk_idtr) : "memory");
	if (wrong)
		return "wrong outcomes (see the WRONG lines)";
	return NULL;
}
