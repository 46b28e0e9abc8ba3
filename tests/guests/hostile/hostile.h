/* SPDX-License-Identifier: MIT */
/*
 * hostile: the attacking test guest of issue 5. One binary, two jobs picked
 * by `test=` on the command line:
 *   test=fuzz seed=N calls=N        seeded random hypercalls (fuzz.c)
 *   test=exits seed=N count=N       seeded exit-causing instructions (exits*.c)
 *   test=catalogue [case=NAME]      the attack catalogue (cat_*.c); without
 *                                   case= every case that lets the guest
 *                                   live runs, case=NAME runs one case that
 *                                   Bolt must end by stopping the guest.
 * Declarations shared by the files of this guest.
 */
#ifndef BOLT_TEST_HOSTILE_H
#define BOLT_TEST_HOSTILE_H

#include <bolt/sdk.h>

#include <xen/memory.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define HOSTILE_NAME_MAX 48u

/* What main.c parsed; si for the rest. */
struct hostile_args {
	const struct hvm_start_info *si;
	char name[HOSTILE_NAME_MAX];
	uint64_t ram_top; /* end of RAM (bytes) */
	uint32_t domid;	  /* ours, from CPUID */
};

/* --- common.c -------------------------------------------------------------- */

/*
 * Plain VMCALL with the number in RAX (no hypercall page): the fuzzer and
 * the catalogue use both this and bolt_hypercall5 (the page).
 */
static inline long hostile_vmcall5(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
				   uint64_t a5)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	uint64_t ret = nr;

	__asm__ volatile("vmcall"
			 : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			 :
			 : "memory");
	return (long)ret;
}

/* xorshift64*: reproducible from the seed, never 0. */
struct hostile_rng {
	uint64_t s;
};
void hostile_rng_seed(struct hostile_rng *r, uint64_t seed);
uint64_t hostile_rng_next(struct hostile_rng *r);
/* Uniform-ish in [0, n) (n > 0). */
uint64_t hostile_rng_below(struct hostile_rng *r, uint64_t n);

/*
 * Expected faults. hostile_fault_hooks_install() hooks every exception
 * vector; while a resume address is armed (HOSTILE_TRY below) an exception
 * resumes there and is recorded, otherwise the guest crashes as usual.
 */
void hostile_fault_hooks_install(void);
extern volatile uint64_t hostile_resume_rip;
/* The vector taken since the last arm, or -1; disarms. */
int hostile_fault_take(void);
/* Clear the record before a HOSTILE_TRY. */
void hostile_fault_arm(void);
/* WRMSR msr = val under HOSTILE_TRY: the vector it raised, or -1. */
int hostile_try_wrmsr(uint32_t msr, uint64_t val);

/*
 * Inline-asm prologue: store the address of the local label `1:` that
 * ends the asm as the resume address. Every asm using it must clobber
 * "r11" and "memory" and end with HOSTILE_TRY_END.
 */
#define HOSTILE_TRY_BEGIN                                                                          \
	"leaq 1f(%%rip), %%r11\n\t"                                                                \
	"movq %%r11, hostile_resume_rip(%%rip)\n\t"
#define HOSTILE_TRY_END "\n1:\n\t"

/* The catalogue's bookkeeping: one line per case, failures counted. */
extern unsigned hostile_failures, hostile_cases;
/* "hostile: <what>: expected <want>, got <got>" with a WRONG marker on failure. */
void hostile_expect(const char *what, const char *want, const char *got, bool ok);
/* The same for hypercall results (negative errno or value). */
void hostile_expect_rc(const char *what, long got, long want);
/* The same for a fault: want is a vector (13 = #GP, 6 = #UD) or -1 (none). */
void hostile_expect_fault(const char *what, int got, int want);
/* "#GP", "no fault" and so on, in a static buffer per call site slot. */
const char *hostile_fault_str(int vec, char *buf, size_t len);

/* Set U/S on the identity map's entries for [0, top): user mode can run there. */
void hostile_user_pages(uint64_t top);

/* --- fuzz.c, fuzz_stats.c --------------------------------------------------- */

const char *hostile_fuzz(const struct hostile_args *a);

#define HOSTILE_FUZZ_NRS  64u
#define HOSTILE_FUZZ_ERRS 128u /* -errno buckets (-EOPNOTSUPP is 95); 0 = success, the last = "other" */

struct hostile_fuzz_stats {
	uint64_t calls[HOSTILE_FUZZ_NRS];
	uint64_t by_err[HOSTILE_FUZZ_NRS][HOSTILE_FUZZ_ERRS];
	uint64_t unexpected;
	uint64_t via_page, via_vmcall;
};

/* Count one result; false (and a report line, the first few times) if it is not allowed. */
bool hostile_fuzz_account(struct hostile_fuzz_stats *st, unsigned nr, uint64_t sub, long ret,
			  uint64_t call_index);
void hostile_fuzz_print(const struct hostile_fuzz_stats *st);

/* --- exits*.c: the exit fuzzer (issue 8) --------------------------------------- */

const char *hostile_exits(const struct hostile_args *a);

/* --- catalogue ---------------------------------------------------------------- */

const char *hostile_catalogue(const struct hostile_args *a);
/* One case that must get the guest stopped: returns why it survived. */
const char *hostile_catalogue_case(const struct hostile_args *a, const char *name);

void hostile_cat_cpu(const struct hostile_args *a);	/* cat_cpu.c: MSR, CR, VMX, APIC */
void hostile_cat_ports(const struct hostile_args *a);	/* cat_cpu.c: reset/power ports */
void hostile_cat_evtchn(const struct hostile_args *a);	/* cat_xen.c */
void hostile_cat_pages(const struct hostile_args *a);	/* cat_xen.c: hcall page, shared_info */
void hostile_cat_console(const struct hostile_args *a); /* cat_xen.c: the 1 GiB write */
void hostile_cat_user(const struct hostile_args *a);	/* cat_user.c */
/* cat_user.c: the GDT with user segments and a TSS, U/S pages, the SYSENTER MSRs. */
void hostile_user_setup(const struct hostile_args *a);
/* Runs stub at CPL 3 with RAX = rax: its RAX, and the vector it raised (or -1) in *fault. */
long hostile_user_stub(uint64_t rax, void (*stub)(void), int *fault);
const char *hostile_cpl3(const struct hostile_args *a);         /* cat_cpl3.c */
const char *hostile_shared_state(const struct hostile_args *a); /* cat_shared.c */
const char *hostile_tpr_kick(const struct hostile_args *a);     /* cat_tpr.c */
const char *hostile_life(const struct hostile_args *a, const char *cas); /* cat_life.c */

/* user.S: enter CPL 3 at a stub that calls `stub` (or VMCALLs nr when stub is 0), returns RAX. */
long hostile_user_call(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t user_rsp,
		       uint64_t stub);
void hostile_sysenter_target(void);
void hostile_user_fault_return(void);

#endif
