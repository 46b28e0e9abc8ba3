/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits (issue 8): declarations shared by exits*.c and exits_asm.S.
 * Every operation runs one or a few exit-causing or privileged instructions
 * with a resume address armed (EXITS_TRY), compares what happened with what
 * Bolt and the architecture must do, and puts the guest's own state back.
 */
#ifndef BOLT_TEST_HOSTILE_EXITS_H
#define BOLT_TEST_HOSTILE_EXITS_H

#include "tests/guests/hostile/hostile.h"

#define EX_DE 0
#define EX_DB 1
#define EX_BP 3
#define EX_UD 6
#define EX_NM 7
#define EX_NP 11
#define EX_SS 12
#define EX_GP 13
#define EX_PF 14

/* Wanted outcomes besides a vector. */
#define EX_NONE (-1) /* no fault */
#define EX_ANY	(-2) /* whatever the CPU does: only survival counts */
#define EX_GP_OR_NONE (-3)
#define EX_UD_OR_NONE (-4)

/* Architectural bits the expectations use (SDM Vol. 3 2.5, 2.2.1). */
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

/* Interrupts off around a window in which the guest could not take one. */
static inline uint64_t exits_irq_off(void)
{
	uint64_t f;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(f) : : "memory");
	return f;
}

static inline void exits_irq_restore(uint64_t f)
{
	if (f & (1u << 9))
		__asm__ volatile("sti" : : : "memory");
}

static inline uint64_t exits_rd_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint64_t exits_rd_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline uint64_t exits_xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static inline void exits_xsetbv0(uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/* Inline asm: arm the resume address (local label 1:), disarm after. */
#define EXITS_TRY                                                                                  \
	"leaq 1f(%%rip), %%r11\n\t"                                                                \
	"movq %%r11, exits_resume(%%rip)\n\t"
#define EXITS_END "\n\tmovq $0, exits_resume(%%rip)\n1:\n\t"

extern volatile uint64_t exits_resume;
extern volatile int64_t exits_vec;
extern volatile uint64_t exits_err;

enum exits_class {
	EXC_XSETBV,
	EXC_RDMSR,
	EXC_WRMSR,
	EXC_CR0,
	EXC_CR3,
	EXC_CR4,
	EXC_CR8,
	EXC_DR,
	EXC_IO,
	EXC_STRIO,
	EXC_CPUID,
	EXC_INVLPG,
	EXC_VMX,
	EXC_SVM,
	EXC_MWAIT,
	EXC_HLT,
	EXC_XRSTOR,
	EXC_DESC,
	EXC_SYSCALL,
	EXC_MODE32,
	EXC_MODE16,
	EXC_EXCEPT,
	EXC_NR
};

struct exits_stats {
	uint64_t n, ok, gp, ud, pf, other, wrong;
};

/* CPU facts the expectations need, read once through (Bolt's) CPUID. */
struct exits_cpu {
	uint64_t xcr0_sup, xcr0_orig;
	uint32_t c1_ecx, c1_edx, c7_ebx, c7_ecx, c7_edx, c71_eax;
	unsigned maxphyaddr;
	bool xsave, xsavec, xsaves, invpcid, pcid, nx, rdtscp;
};

struct exits_ctx {
	struct hostile_rng rng;
	struct exits_stats st[EXC_NR];
	struct exits_cpu cpu;
	const struct hostile_args *a;
	uint64_t op, trace_from, wrong_printed;
	evtchn_port_t self_port;
	uint64_t tpr_until; /* op index at which a held CR8 value is dropped */
};

/* exits.c */
void exits_arm(void);
/* Count the outcome `got` (vector or -1) against `want`; on a mismatch print a WRONG line. */
void exits_result(struct exits_ctx *c, enum exits_class cls, int got, int want, const char *fmt,
		  ...) __attribute__((format(printf, 5, 6)));
/* A wrong value (not a wrong fault): print and count. */
void exits_wrong(struct exits_ctx *c, enum exits_class cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
uint64_t exits_rand(struct exits_ctx *c);
uint64_t exits_below(struct exits_ctx *c, uint64_t n);
/* A "hostile" 64-bit value: random, a single bit, all ones, near a boundary. */
uint64_t exits_value(struct exits_ctx *c);
bool exits_canonical(uint64_t va);
uint64_t exits_noncanonical(struct exits_ctx *c);
void exits_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]);
uint64_t exits_rdmsr_raw(uint32_t msr);
void exits_wrmsr_raw(uint32_t msr, uint64_t val);

/* exits_msr.c */
bool exits_xcr0_valid(const struct exits_cpu *p, uint64_t v);
void exits_op_xsetbv(struct exits_ctx *c);
void exits_op_rdmsr(struct exits_ctx *c);
void exits_op_wrmsr(struct exits_ctx *c);

/* exits_cr.c */
void exits_op_cr0(struct exits_ctx *c);
void exits_op_cr3(struct exits_ctx *c);
void exits_op_cr4(struct exits_ctx *c);
void exits_op_cr8(struct exits_ctx *c);
void exits_op_dr(struct exits_ctx *c);

/* exits_cpuid.c */
void exits_op_cpuid(struct exits_ctx *c);
void exits_op_xrstor(struct exits_ctx *c);

/* exits_io.c */
void exits_op_io(struct exits_ctx *c);
void exits_op_strio(struct exits_ctx *c);

/* exits_misc.c */
void exits_op_invlpg(struct exits_ctx *c);
void exits_op_vmx(struct exits_ctx *c);
void exits_op_svm(struct exits_ctx *c);
void exits_op_mwait(struct exits_ctx *c);
void exits_op_hlt(struct exits_ctx *c);

/* exits_desc.c */
void exits_op_desc(struct exits_ctx *c);
void exits_op_syscall(struct exits_ctx *c);
void exits_op_except(struct exits_ctx *c);

/* exits_mode.c */
void exits_mode_setup(uint64_t *gdt);
void exits_op_mode32(struct exits_ctx *c);
void exits_op_mode16(struct exits_ctx *c);

/* GDT selectors (exits.c builds the table). */
#define EXITS_SEL_CS64	 0x08
#define EXITS_SEL_DS	 0x10
#define EXITS_SEL_CS32	 0x18
#define EXITS_SEL_CS16	 0x20
#define EXITS_SEL_DS16	 0x28
#define EXITS_SEL_TSS	 0x30
#define EXITS_SEL_LDT	 0x40
#define EXITS_SEL_NP	 0x50
#define EXITS_GDT_SLOTS	 12u
#define EXITS_GDT_LIMIT	 (EXITS_GDT_SLOTS * 8u - 1u)

struct exits_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern uint64_t exits_gdt[EXITS_GDT_SLOTS];
extern struct exits_dtr exits_gdtr, exits_idtr;

/* exits_asm.S */
struct exits_mode_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi;
};
void exits_mode_call(struct exits_mode_regs *r, uint64_t cs, uint64_t ip);
extern const uint64_t exits_exc_stubs[32];
extern volatile uint64_t exits_sysenter_rsp, exits_sysenter_rip;
void exits_syscall_target(void);
extern const uint8_t exits_int_stubs[];
void exits_sysenter_target(void);

#endif
