/* SPDX-License-Identifier: MIT */
/*
 * Host CPU tables: each CPU gets its own GDT (with its own TSS, which VMX
 * requires as the host TR, SDM 27.2.3) and shares one IDT. GS points at the
 * CPU's struct pcpu, so this_pcpu() is a single load.
 */
#include "arch/cpu.h"
#include "arch/msr.h"
#include "arch/x86.h"
#include "core/console.h"
#include "core/panic.h"
#include "core/pcpu.h"
#include "lib/lib.h"

#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

struct __attribute__((packed)) idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
};

static struct idt_gate idt[256];
extern const char host_exc_stubs[], host_irq_stub[];

struct pcpu *this_pcpu(void)
{
	struct pcpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

unsigned arch_cpu_index(void)
{
	/* Before per-CPU setup GS is the firmware's (0): report the boot CPU. */
	return rdmsr(MSR_IA32_GS_BASE) ? this_pcpu()->index : 0;
}

uint64_t arch_timestamp(void)
{
	return rdtsc();
}

void arch_panic_stop(void)
{
	cpu_halt_forever();
}

void arch_cpu_park(void)
{
	cpu_halt_forever();
}

void host_exception(const uint64_t *frame);
void host_exception(const uint64_t *frame)
{
	static const char *const names[32] = {
		[0] = "#DE", [1] = "#DB", [3] = "#BP", [4] = "#OF", [5] = "#BR",
		[6] = "#UD", [7] = "#NM", [8] = "#DF", [10] = "#TS", [11] = "#NP",
		[12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF", [17] = "#AC",
		[18] = "#MC", [19] = "#XM",
	};
	uint64_t vec = frame[0];

	panic("host exception %s (vector %lu) error 0x%lx at RIP 0x%lx RSP 0x%lx CR2 0x%lx",
	      vec < 32 && names[vec] ? names[vec] : "?", (unsigned long)vec,
	      (unsigned long)frame[1], (unsigned long)frame[2], (unsigned long)frame[5],
	      (unsigned long)read_cr2());
}

static void idt_init_once(void)
{
	uint64_t base = (uint64_t)(uintptr_t)host_exc_stubs;

	if (idt[0].type)
		return;
	/*
	 * Vectors 32-255: only a CPU idling in HLT (no MWAIT, arch/x86/idle.c)
	 * ever runs with IF = 1. The kick IPI ends its HLT; any other
	 * interrupt (a firmware timer left armed, the APIC's spurious vector)
	 * must not find an empty gate (#GP, a panic): one stub EOIs them all.
	 */
	for (unsigned v = 0; v < 256; v++) {
		uint64_t off = v < 32 ? base + 16 * v : (uint64_t)(uintptr_t)host_irq_stub;
		idt[v] = (struct idt_gate){
			.off0 = (uint16_t)off, .sel = SEL_CODE64, .ist = 0,
			.type = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
			.off1 = (uint16_t)(off >> 16), .off2 = (uint32_t)(off >> 32),
		};
	}
}

static uint64_t tss_desc_low(uint64_t base, uint32_t limit)
{
	return (limit & 0xffffULL) | (base & 0xffffffULL) << 16 |
	       0x89ULL << 40 /* present, 64-bit available TSS */ |
	       ((uint64_t)(limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
}

/* Load this CPU's GDT, TSS, IDT and GS base. Runs on every CPU. */
void cpu_tables_init(struct pcpu *p);
void cpu_tables_init(struct pcpu *p)
{
	struct pcpu_arch *a = &p->arch;
	uint64_t tss = (uint64_t)(uintptr_t)&a->tss;
	struct desc_ptr gdtr = { sizeof(a->gdt) - 1, (uint64_t)(uintptr_t)a->gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	idt_init_once();
	memset(a->gdt, 0, sizeof(a->gdt));
	a->gdt[SEL_CODE64 / 8] = 0x00af9a000000ffffULL;
	a->gdt[SEL_DATA / 8] = 0x00cf92000000ffffULL;
	memset(&a->tss, 0, sizeof(a->tss));
	a->tss.iomap_base = sizeof(a->tss);
	a->gdt[SEL_TSS / 8] = tss_desc_low(tss, sizeof(a->tss) - 1);
	a->gdt[SEL_TSS / 8 + 1] = tss >> 32;

	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	__asm__ volatile("lidt %0" : : "m"(idtr));
	/* Reload CS with a far return, then the data segments and TR. */
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %1, %%ds\n\t"
			 "mov %1, %%es\n\t"
			 "mov %1, %%ss\n\t"
			 "mov %1, %%fs\n\t"
			 "mov %1, %%gs\n\t"
			 "ltr %w2"
			 :
			 : "i"((uint64_t)SEL_CODE64), "r"(SEL_DATA), "r"(SEL_TSS)
			 : "rax", "memory");
	p->self = p;
	wrmsr(MSR_IA32_GS_BASE, (uint64_t)(uintptr_t)p);
}
