/* SPDX-License-Identifier: MIT */
/* Local APIC access, IPIs and the INIT-SIPI-SIPI sequence. */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/cpu_policy.h"
#include "arch/msr.h"
#include "arch/x86.h"
#include "core/console.h"

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
	static int first_mode = -1;
	struct cpuid_regs r;
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	cpuid(1, 0, &r);
	/* x2APIC absent, off, or on and possibly locked by firmware (docs/running.md). */
	enum apic_mode mode = cpu_apic_mode(r.ecx, base);
	uint64_t want = cpu_apic_base_for(mode, base);

	if (want != base)
		wrmsr(MSR_IA32_APIC_BASE, want);
	use_x2apic = mode != APIC_MODE_XAPIC;
	/* Once for the machine, and again for any CPU that differs from the first. */
	int expected = -1;
	if (__atomic_compare_exchange_n(&first_mode, &expected, (int)mode, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		log_printf("%s", cpu_apic_mode_text(mode));
	else if (expected != (int)mode)
		log_printf("CPU %u: %s (unlike the boot CPU)", arch_cpu_index(), cpu_apic_mode_text(mode));
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
