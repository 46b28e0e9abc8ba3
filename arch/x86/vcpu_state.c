/* SPDX-License-Identifier: MIT */
/*
 * The guest state VMX does not switch (SDM 27.3, 28.5): x87/SSE/AVX
 * registers, CR2, DR0-DR3 and DR6, and the SYSCALL, KERNEL_GS_BASE and
 * TSC_AUX MSRs that guests reach without exits (Bolt itself never uses
 * TSC_AUX, so it needs no switch on VM entry and exit). When vCPUs share a CPU, the one leaving
 * saves it and the one arriving loads its own, so nothing leaks between
 * guests. A CPU with a single vCPU loads it once and never switches.
 */
#include "arch/cpu.h"
#include "arch/msr.h"
#include "arch/safe_insn.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "core/console.h"
#include "lib/errno.h"
#include "core/heap.h"
#include "lib/lib.h"
#include "core/guest.h"
#include "core/pcpu.h"
#include "core/vcpu.h"

#define FXSAVE_MXCSR_OFF 24
#define MXCSR_RESET 0x1f80

static size_t xsave_bytes = 512 + 64; /* legacy area + header, grown from CPUID.0xD */
static bool have_xsave;
static bool have_tsc_aux; /* CPUID.80000001H:EDX[27] RDTSCP: IA32_TSC_AUX exists */

/* What the host CPU has: the XSAVE area size, TSC_AUX. */
static void host_state_caps_init(void)
{
	struct cpuid_regs r;

	cpuid(0x80000000, 0, &r);
	if (r.eax >= 0x80000001) {
		cpuid(0x80000001, 0, &r);
		have_tsc_aux = r.edx & (1u << 27);
	}
	if (xsave_bytes > 576 || !(read_cr4() & X86_CR4_OSXSAVE))
		return;
	cpuid(0xd, 0, &r);
	have_xsave = true;
	xsave_bytes = r.ecx; /* every feature the CPU supports */
}

/* x87/SSE in their reset state, MXCSR with exceptions masked (SDM Vol. 1, 13.6). */
static void state_reset(struct vcpu *v, size_t pages)
{
	memset(v->arch.xsave, 0, pages * PAGE_SIZE);
	*(uint32_t *)((uint8_t *)v->arch.xsave + FXSAVE_MXCSR_OFF) = MXCSR_RESET;
}

/* A fresh vCPU's state: the reset FPU state, no CR2/DR/SYSCALL values. */
int vcpu_state_init(struct vcpu *v)
{
	size_t pages;

	host_state_caps_init();
	pages = (xsave_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!v->arch.xsave) {
		v->arch.xsave = heap_alloc_pages(pages, 1);
		if (!v->arch.xsave)
			return -XEN_ENOMEM;
	}
	state_reset(v, pages);
	memset(&v->arch.ext, 0, sizeof(v->arch.ext));
	/* The CPU's live registers may hold the previous incarnation: reload. */
	if (v->pcpu->arch.state_owner == v)
		v->pcpu->arch.state_owner = NULL;
	return 0;
}

/*
 * XSAVE only saves components enabled in XCR0, and a guest uses SSE with
 * XCR0 = 1 (x87 only) until it enables more: save and restore under the
 * full XCR0 the CPU supports, then give the guest its own XCR0 back.
 */
static void xcr0_set(struct pcpu *p, uint64_t v)
{
	/* Only values xcr0_valid() accepted reach here; a fault leaves XCR0 as it was. */
	if (p->arch.xcr0 != v && !safe_xsetbv(0, v))
		p->arch.xcr0 = v;
}

static void save(struct pcpu *p, struct vcpu *v)
{
	struct vcpu_ext_state *e = &v->arch.ext;
	uint64_t rfbm = host_xcr0_supported;

	if (have_xsave) {
		xcr0_set(p, rfbm);
		__asm__ volatile("xsave64 %0" : "+m"(*(uint8_t(*)[4096])v->arch.xsave)
				 : "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32)) : "memory");
	} else {
		__asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[512])v->arch.xsave));
	}
	e->cr2 = read_cr2();
	__asm__ volatile("mov %%dr0, %0" : "=r"(e->dr[0]));
	__asm__ volatile("mov %%dr1, %0" : "=r"(e->dr[1]));
	__asm__ volatile("mov %%dr2, %0" : "=r"(e->dr[2]));
	__asm__ volatile("mov %%dr3, %0" : "=r"(e->dr[3]));
	__asm__ volatile("mov %%dr6, %0" : "=r"(e->dr6));
	e->star = rdmsr(MSR_IA32_STAR);
	e->lstar = rdmsr(MSR_IA32_LSTAR);
	e->cstar = rdmsr(MSR_IA32_CSTAR);
	e->fmask = rdmsr(MSR_IA32_FMASK);
	e->kernel_gs_base = rdmsr(MSR_IA32_KERNEL_GS_BASE);
	if (have_tsc_aux)
		e->tsc_aux = rdmsr(MSR_IA32_TSC_AUX);
}

/*
 * The saved images came from XSAVE/RDMSR of the guest's own registers, so
 * restoring them cannot fault unless Bolt has a bug; they still go through
 * the fault-safe instructions, and a fault costs that guest its FPU or
 * SYSCALL state (reset, and said on the console), never the CPU.
 */
static void restore_fpu(struct pcpu *p, struct vcpu *v)
{
	uint64_t rfbm = host_xcr0_supported;
	size_t pages = (xsave_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	int fault;

	if (have_xsave)
		xcr0_set(p, rfbm);
	fault = have_xsave ? safe_xrstor64(v->arch.xsave, rfbm) : safe_fxrstor64(v->arch.xsave);
	if (fault) {
		log_printf("guest '%s': restoring its FPU state faulted (vector %d): reset to the initial state",
			   v->guest->cfg->name, fault & 0xff);
		state_reset(v, pages);
		if (have_xsave)
			safe_xrstor64(v->arch.xsave, rfbm);
		else
			safe_fxrstor64(v->arch.xsave);
	}
	if (have_xsave)
		xcr0_set(p, v->arch.xcr0);
}

static void load(struct pcpu *p, struct vcpu *v)
{
	struct vcpu_ext_state *e = &v->arch.ext;
	static const uint32_t msrs[] = { MSR_IA32_STAR, MSR_IA32_LSTAR, MSR_IA32_CSTAR,
					 MSR_IA32_FMASK, MSR_IA32_KERNEL_GS_BASE, MSR_IA32_TSC_AUX };
	uint64_t *vals[] = { &e->star, &e->lstar, &e->cstar, &e->fmask, &e->kernel_gs_base,
			     &e->tsc_aux };
	/* Without RDTSCP there is no TSC_AUX: the last entry is left out. */
	size_t n = ARRAY_SIZE(msrs) - !have_tsc_aux;

	restore_fpu(p, v);
	write_cr2(e->cr2);
	__asm__ volatile("mov %0, %%dr0" : : "r"(e->dr[0]));
	__asm__ volatile("mov %0, %%dr1" : : "r"(e->dr[1]));
	__asm__ volatile("mov %0, %%dr2" : : "r"(e->dr[2]));
	__asm__ volatile("mov %0, %%dr3" : : "r"(e->dr[3]));
	__asm__ volatile("mov %0, %%dr6" : : "r"(e->dr6 | 0xffff0ff0ULL));
	for (unsigned i = 0; i < n; i++) {
		if (!safe_wrmsr(msrs[i], *vals[i]))
			continue;
		log_printf("guest '%s': restoring MSR 0x%x = 0x%lx faulted: cleared",
			   v->guest->cfg->name, msrs[i], (unsigned long)*vals[i]);
		*vals[i] = 0;
		safe_wrmsr(msrs[i], 0);
	}
}

void vcpu_state_switch(struct pcpu *p, struct vcpu *next)
{
	struct vcpu *prev = p->arch.state_owner;

	if (prev == next)
		return;
	if (prev)
		save(p, prev);
	load(p, next);
	p->arch.state_owner = next;
}
