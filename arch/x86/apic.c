/* SPDX-License-Identifier: MIT */
/* Local APIC access, IPIs and the INIT-SIPI-SIPI sequence. */
#include "arch/apic.h"
#include "arch/msr.h"
#include "arch/x86.h"

#define XAPIC_BASE 0xfee00000ULL
#define XAPIC_ID 0x20
#define XAPIC_EOI 0xb0
#define XAPIC_ICR_LO 0x300
#define XAPIC_ICR_HI 0x310

uint64_t tsc_per_us = 1000; /* replaced by the boot-time calibration */
static bool use_x2apic;

static volatile uint32_t *xapic_reg(unsigned off)
{
	return (volatile uint32_t *)(uintptr_t)(XAPIC_BASE + off);
}

void udelay(uint64_t us)
{
	uint64_t end = rdtsc() + us * tsc_per_us;

	while (rdtsc() < end)
		cpu_relax();
}

bool apic_init_cpu(void)
{
	struct cpuid_regs r;
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	cpuid(1, 0, &r);
	/*
	 * QEMU TCG has no x2APIC and silently ignores the enable bit, so only
	 * switch when CPUID advertises it (see docs/boot.md).
	 */
	if (r.ecx & (1u << 21)) {
		if (!(base & APIC_BASE_X2APIC))
			wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
		use_x2apic = true;
	} else if (!(base & APIC_BASE_ENABLE)) {
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE);
	}
	return use_x2apic;
}

uint32_t apic_id(void)
{
	if (use_x2apic)
		return (uint32_t)rdmsr(MSR_IA32_X2APIC_APICID);
	return *xapic_reg(XAPIC_ID) >> 24;
}

void apic_send_ipi(uint32_t dest, uint32_t icr_low)
{
	if (use_x2apic) {
		wrmsr(MSR_IA32_X2APIC_ICR, (uint64_t)dest << 32 | icr_low);
		return;
	}
	while (*xapic_reg(XAPIC_ICR_LO) & ICR_DELIVERY_PENDING)
		cpu_relax();
	*xapic_reg(XAPIC_ICR_HI) = dest << 24;
	*xapic_reg(XAPIC_ICR_LO) = icr_low;
}

void apic_eoi(void)
{
	if (use_x2apic)
		wrmsr(MSR_IA32_X2APIC_EOI, 0);
	else
		*xapic_reg(XAPIC_EOI) = 0;
}

void apic_start_ap(uint32_t dest, uint8_t vector)
{
	apic_send_ipi(dest, ICR_DM_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
	udelay(10000);
	/* Two SIPIs, 200 us apart, as the SDM's universal start-up algorithm asks. */
	for (int i = 0; i < 2; i++) {
		apic_send_ipi(dest, ICR_DM_STARTUP | vector);
		udelay(200);
	}
}
