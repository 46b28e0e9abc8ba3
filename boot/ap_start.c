/* SPDX-License-Identifier: MIT */
/*
 * Starting the application processors after ExitBootServices: copy the
 * trampoline below 1 MiB, then INIT-SIPI-SIPI one AP at a time (targeted,
 * which worked on every emulator and is what the SDM describes), waiting
 * for each to report in before starting the next: they share one
 * trampoline data block.
 */
#include "arch/apic.h"
#include "arch/smp.h"
#include "arch/x86.h"
#include "boot/boot.h"
#include "core/console.h"
#include "core/main.h"
#include "core/pcpu.h"
#include "lib/lib.h"

#define AP_START_TIMEOUT_US 500000

void cpu_tables_init(struct pcpu *p);
__attribute__((noreturn)) void ap_entry(uint64_t index);

/* First C code on an AP (called from the trampoline on its host stack). */
void ap_entry(uint64_t index)
{
	cpu_tables_init(&pcpus[index]);
	bolt_cpu_main((unsigned)index, NULL);
}

static void fill_data(struct ap_boot_data *d, uint32_t base, const struct boot_info *bi)
{
	memset(d, 0, sizeof(*d));
	d->gdt[1] = 0x00cf9a000000ffffULL; /* 0x08: 32-bit code */
	d->gdt[2] = 0x00cf92000000ffffULL; /* 0x10: data */
	d->gdt[3] = 0x00af9a000000ffffULL; /* 0x18: 64-bit code */
	d->gdtr_limit = sizeof(d->gdt) - 1;
	d->gdtr_base = base + (uint32_t)(ap_trampoline_data - ap_trampoline_start);
	d->jmp32_offset = base + (uint32_t)(ap_trampoline_pm32 - ap_trampoline_start);
	d->jmp32_selector = 0x08;
	d->jmp64_offset = base + (uint32_t)(ap_trampoline_lm64 - ap_trampoline_start);
	d->jmp64_selector = 0x18;
	d->cr3 = (uint32_t)bi->cr3;
	d->entry = (uint64_t)(uintptr_t)ap_entry;
}

void boot_start_aps(struct boot_info *bi)
{
	uint32_t base = (uint32_t)bi->trampoline;
	size_t size = (size_t)(ap_trampoline_end - ap_trampoline_start);
	struct ap_boot_data *d = (void *)(uintptr_t)(base + (ap_trampoline_data - ap_trampoline_start));

	memcpy((void *)(uintptr_t)base, ap_trampoline_start, size);
	fill_data(d, base, bi);
	for (unsigned i = 1; i < nr_pcpus; i++) {
		struct pcpu *p = &pcpus[i];

		d->stack = (uint64_t)(uintptr_t)(p->arch.stack + HOST_STACK_SIZE);
		d->arg = i;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		apic_start_ap(p->apic_id, (uint8_t)(base >> 12));
		uint64_t deadline = rdtsc() + AP_START_TIMEOUT_US * tsc_per_us;
		while (!__atomic_load_n(&p->online, __ATOMIC_ACQUIRE) && rdtsc() < deadline)
			cpu_relax();
		if (!p->online)
			log_printf("CPU %u (APIC ID %u) did not start within %u ms", i, p->apic_id,
				   AP_START_TIMEOUT_US / 1000);
	}
}
