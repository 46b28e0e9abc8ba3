/* SPDX-License-Identifier: MIT */
/*
 * test=cpl3: CPUID faulting and TSC_AUX, the MSR side of issue 12 seen from
 * a guest (tests/integration/msr-cpl3.cfg).
 *  - CPUID faulting (MSR_MISC_FEATURES_ENABLES bit 0, which Xen emulates
 *    for every HVM guest and MSR_PLATFORM_INFO bit 32 advertises): with it
 *    on, CPUID at CPL 3 is #GP(0), at CPL 0 it still answers; off again,
 *    CPL 3 gets answers. CPL 3 is entered as in cat_user.c (IRETQ to a
 *    stub, SYSENTER back).
 *  - IA32_TSC_AUX where CPUID shows RDTSCP: WRMSR works (Linux writes it
 *    unguarded; before issue 12 it was #GP), RDMSR and RDTSCP's ECX read
 *    the value back, and a value with bits 63:32 set is #GP (reserved,
 *    SDM Vol. 4 Table 2-2) and changes nothing. Then each guest keeps its
 *    own value (0x2a0 + domid) across SCHEDOP_yield while another one on
 *    the same CPU keeps another: Bolt switches it between vCPUs.
 */
#include "tests/guests/hostile/hostile.h"

#define CPL3_GP 13
#define CPL3_MSR_MISC_FEATURES 0x140u
#define CPL3_MSR_TSC_AUX 0xc0000103u
#define CPL3_AUX 0x2a5u
#define CPL3_ROUNDS 200

extern void hostile_user_cpuid(void);

static int cpl3_rdmsr(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	hostile_fault_arm();
	__asm__ volatile(HOSTILE_TRY_BEGIN "rdmsr" HOSTILE_TRY_END
			 : "+a"(lo), "+d"(hi)
			 : "c"(msr)
			 : "r11", "memory");
	*val = (uint64_t)hi << 32 | lo;
	return hostile_fault_take();
}

static void cpl3_cpuid_faulting(void)
{
	uint32_t r[4];
	long ret;
	int f;

	bolt_cpuid(0, 0, r);
	ret = hostile_user_stub(0, hostile_user_cpuid, &f);
	hostile_expect_fault("CPUID(0) at CPL 3, faulting off", f, -1);
	hostile_expect("CPUID(0) at CPL 3: EAX as at CPL 0", "same", ret == r[0] ? "same" : "other",
		       ret == r[0]);

	f = hostile_try_wrmsr(CPL3_MSR_MISC_FEATURES, 1);
	hostile_expect_fault("WRMSR MISC_FEATURES_ENABLES = 1 (CPUID faulting on)", f, -1);
	ret = hostile_user_stub(0, hostile_user_cpuid, &f);
	hostile_expect_fault("CPUID(0) at CPL 3, faulting on", f, CPL3_GP);
	hostile_user_stub(0x40000000, hostile_user_cpuid, &f);
	hostile_expect_fault("CPUID(0x40000000) at CPL 3, faulting on", f, CPL3_GP);
	{
		uint32_t q[4] = {0, 0, 0, 0};

		bolt_cpuid(0, 0, q);
		hostile_expect("CPUID(0) at CPL 0, faulting on", "answers",
			       q[0] == r[0] && q[1] == r[1] ? "answers" : "other values",
			       q[0] == r[0] && q[1] == r[1]);
	}
	f = hostile_try_wrmsr(CPL3_MSR_MISC_FEATURES, 0);
	hostile_expect_fault("WRMSR MISC_FEATURES_ENABLES = 0", f, -1);
	ret = hostile_user_stub(0, hostile_user_cpuid, &f);
	hostile_expect_fault("CPUID(0) at CPL 3, faulting off again", f, -1);
	hostile_expect("CPUID(0) at CPL 3 afterwards", "same", ret == r[0] ? "same" : "other",
		       ret == r[0]);
}

static void cpl3_tsc_aux(void)
{
	uint32_t r[4], aux = 0;
	uint64_t v = 0;
	int f;

	bolt_cpuid(0x80000001, 0, r);
	if (!(r[3] & (1u << 27))) {
		printf("hostile: TSC_AUX: CPUID shows no RDTSCP here: not checked\n");
		return;
	}
	f = hostile_try_wrmsr(CPL3_MSR_TSC_AUX, CPL3_AUX);
	hostile_expect_fault("WRMSR TSC_AUX = 0x2a5", f, -1);
	f = cpl3_rdmsr(CPL3_MSR_TSC_AUX, &v);
	hostile_expect_fault("RDMSR TSC_AUX", f, -1);
	hostile_expect("RDMSR TSC_AUX value", "0x2a5", v == CPL3_AUX ? "0x2a5" : "another value",
		       v == CPL3_AUX);
	__asm__ volatile("rdtscp" : "=c"(aux) : : "rax", "rdx");
	hostile_expect("RDTSCP ECX", "0x2a5", aux == CPL3_AUX ? "0x2a5" : "another value",
		       aux == CPL3_AUX);
	f = hostile_try_wrmsr(CPL3_MSR_TSC_AUX, 1ull << 32);
	hostile_expect_fault("WRMSR TSC_AUX with bit 32 (reserved)", f, CPL3_GP);
	cpl3_rdmsr(CPL3_MSR_TSC_AUX, &v);
	hostile_expect("TSC_AUX after the refused write", "0x2a5",
		       v == CPL3_AUX ? "0x2a5" : "another value", v == CPL3_AUX);
}

/* Our own TSC_AUX survives the other guest on this CPU writing its own. */
static void cpl3_tsc_aux_shared(const struct hostile_args *a)
{
	uint32_t r[4], aux = 0, mine = 0x2a0u + a->domid;
	int bad = 0;

	bolt_cpuid(0x80000001, 0, r);
	if (!(r[3] & (1u << 27)))
		return;
	hostile_try_wrmsr(CPL3_MSR_TSC_AUX, mine);
	for (int i = 0; i < CPL3_ROUNDS; i++) {
		bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
		__asm__ volatile("rdtscp" : "=c"(aux) : : "rax", "rdx");
		bad += aux != mine;
	}
	hostile_expect("RDTSCP ECX across yields to a guest with another TSC_AUX", "own value",
		       bad ? "another value" : "own value", !bad);
}

const char *hostile_cpl3(const struct hostile_args *a)
{
	hostile_user_setup(a);
	cpl3_cpuid_faulting();
	cpl3_tsc_aux();
	cpl3_tsc_aux_shared(a);
	return hostile_failures ? "a check went wrong (see the WRONG lines)" : NULL;
}
