/* SPDX-License-Identifier: MIT */
/* Unit tests for the virtual local APIC model (core/vlapic*.c), with a fake clock. */
#include "unit.h"
#include "core/vlapic.h"
#include "lib/errno.h"

#define X2(reg) (VLAPIC_MSR_FIRST + ((reg) >> 4))

static struct vlapic l;
static uint64_t now; /* the fake system time, ns */

static void wr(uint32_t reg, uint64_t val)
{
	CHECK_EQ(vlapic_msr_write(&l, X2(reg), val, now), 0);
}

static uint64_t rd(uint32_t reg)
{
	uint64_t v = 0xdead;

	CHECK_EQ(vlapic_msr_read(&l, X2(reg), now, &v), 0);
	return v;
}

/* A fresh APIC in x2APIC mode, software-enabled with spurious vector 0xff. */
static void x2apic_up(void)
{
	now = 1000;
	vlapic_reset(&l, true, 0, true);
	CHECK_EQ(vlapic_set_base(&l, VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EN | VLAPIC_BASE_EXTD, 46, now), 0);
	wr(VLAPIC_SVR, 0x1ff);
}

/* The CPU takes what is deliverable: returns the vector, or -1. */
static int take(void)
{
	int v = vlapic_pending(&l);

	if (v >= 0)
		vlapic_accept(&l, (uint8_t)v);
	return v;
}

static void test_reset_and_modes(void)
{
	uint64_t v;

	vlapic_reset(&l, true, 0, true);
	CHECK_EQ(l.base, 0xfee00900ULL); /* enabled, xAPIC, BSP */
	CHECK_EQ(vlapic_mode(&l), VLAPIC_XAPIC);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_VERSION, 0), 0x00050014u);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_ID, 0), 0u);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_SVR, 0), 0xffu);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_DFR, 0), 0xffffffffu);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_LVT_TIMER, 0), VLAPIC_LVT_MASKED);
	/* x2APIC MSRs while in xAPIC mode: #GP. */
	CHECK_EQ(vlapic_msr_read(&l, X2(VLAPIC_VERSION), 0, &v), -XEN_EINVAL);
	/* Invalid transitions (SDM Figure 11-27) and reserved bits. */
	CHECK_EQ(vlapic_set_base(&l, VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EXTD, 46, 0), -XEN_EINVAL);
	CHECK_EQ(vlapic_set_base(&l, VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EN | 1, 46, 0), -XEN_EINVAL);
	CHECK_EQ(vlapic_set_base(&l, (1ULL << 46) | VLAPIC_BASE_EN, 46, 0), -XEN_EINVAL);
	CHECK_EQ(vlapic_set_base(&l, VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EN | VLAPIC_BASE_EXTD, 46, 0), 0);
	CHECK_EQ(vlapic_mode(&l), VLAPIC_X2APIC);
	CHECK_EQ(l.base & VLAPIC_BASE_BSP, VLAPIC_BASE_BSP);
	CHECK_EQ(rd(VLAPIC_LDR), 1u); /* cluster 0, bit 0 */
	CHECK_EQ(rd(VLAPIC_ID), 0u);
	/* x2APIC -> xAPIC is #GP; x2APIC -> disabled -> x2APIC too (must pass xAPIC). */
	CHECK_EQ(vlapic_set_base(&l, VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EN, 46, 0), -XEN_EINVAL);
	wr(VLAPIC_SVR, 0x1ff);
	wr(VLAPIC_SELF_IPI, 0x40);
	CHECK_EQ(vlapic_set_base(&l, VLAPIC_BASE_DEFAULT, 46, 0), 0);
	CHECK_EQ(vlapic_mode(&l), VLAPIC_DISABLED);
	CHECK_EQ(vlapic_set_base(&l, VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EN | VLAPIC_BASE_EXTD, 46, 0),
		 -XEN_EINVAL);
	CHECK_EQ(vlapic_set_base(&l, VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EN, 46, 0), 0);
	/* Disabling reset it: SVR back to 0xff, the pending vector gone. */
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_SVR, 0), 0xffu);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_IRR + 0x20, 0), 0u);
	/* No APIC at all: everything zero. */
	vlapic_reset(&l, false, 0, true);
	CHECK(!l.present);
	CHECK_EQ(vlapic_mode(&l), VLAPIC_DISABLED);
}

static void test_x2apic_gp_rules(void)
{
	uint64_t v;

	x2apic_up();
	/* Write-only registers. */
	CHECK_EQ(vlapic_msr_read(&l, X2(VLAPIC_EOI), now, &v), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_read(&l, X2(VLAPIC_SELF_IPI), now, &v), -XEN_EINVAL);
	/* Registers x2APIC mode does not have. */
	CHECK_EQ(vlapic_msr_read(&l, X2(VLAPIC_DFR), now, &v), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_read(&l, X2(VLAPIC_ICR2), now, &v), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_read(&l, X2(VLAPIC_APR), now, &v), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_read(&l, X2(VLAPIC_LVT_CMCI), now, &v), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_read(&l, 0x8ff, now, &v), -XEN_EINVAL);
	/* Read-only registers. */
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_ID), 0, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_VERSION), 0, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_LDR), 0, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_PPR), 0, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_IRR), 0, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_TIMER_CCR), 0, now), -XEN_EINVAL);
	/* Reserved bits. */
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_EOI), 1, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_ESR), 1, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_TPR), 0x100, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_TPR), 1ULL << 32, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_SVR), 1u << 12, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_LVT_TIMER), 3u << 17, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_LVT_ERROR), 1u << 8, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_ICR), 1u << 12, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_SELF_IPI), 0x100, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, X2(VLAPIC_TIMER_DCR), 4, now), -XEN_EINVAL);
	CHECK_EQ(vlapic_msr_write(&l, 0x7ff, 0, now), -XEN_EINVAL);
	/* Nothing became pending through all that. */
	CHECK_EQ(vlapic_pending(&l), -1);
	CHECK_EQ(rd(VLAPIC_VERSION), 0x00050014u);
}

static void test_priorities_and_eoi(void)
{
	x2apic_up();
	/* Two self-IPIs: the higher class first, the lower only after its EOI. */
	wr(VLAPIC_SELF_IPI, 0x41);
	wr(VLAPIC_ICR, 0x00040000 | 0x81); /* shorthand self, fixed */
	CHECK_EQ(take(), 0x81);
	CHECK_EQ(rd(VLAPIC_PPR), 0x80u);
	CHECK_EQ(take(), -1); /* 0x41 is below PPR */
	CHECK_EQ(rd(VLAPIC_ISR + 0x40), 1u << 1);
	wr(VLAPIC_EOI, 0);
	CHECK_EQ(rd(VLAPIC_PPR), 0u);
	CHECK_EQ(take(), 0x41);
	/* A vector of the same class as the one in service waits for its EOI. */
	wr(VLAPIC_SELF_IPI, 0x4f);
	CHECK_EQ(take(), -1);
	wr(VLAPIC_SELF_IPI, 0x50);
	CHECK_EQ(take(), 0x50); /* a higher class nests */
	wr(VLAPIC_EOI, 0);      /* retires 0x50, the highest in service */
	CHECK_EQ(take(), -1);
	wr(VLAPIC_EOI, 0);      /* retires 0x41 */
	CHECK_EQ(take(), 0x4f);
	wr(VLAPIC_EOI, 0);
	CHECK_EQ(rd(VLAPIC_ISR + 0x40), 0u);
	CHECK_EQ(vlapic_ppr(&l), 0);
}

static void test_tpr(void)
{
	x2apic_up();
	wr(VLAPIC_TPR, 0x50);
	wr(VLAPIC_SELF_IPI, 0x45);
	wr(VLAPIC_SELF_IPI, 0x55);
	CHECK_EQ(vlapic_pending(&l), -1); /* class 5 is not above TPR class 5 */
	CHECK_EQ(vlapic_tpr_threshold(&l), 5);
	wr(VLAPIC_TPR, 0x4f);
	CHECK_EQ(vlapic_tpr_threshold(&l), 0);
	CHECK_EQ(take(), 0x55);
	CHECK_EQ(vlapic_tpr_threshold(&l), 0); /* 0x45 waits for the ISR, not the TPR */
	CHECK_EQ(rd(VLAPIC_PPR), 0x50u);
	wr(VLAPIC_EOI, 0);
	CHECK_EQ(rd(VLAPIC_PPR), 0x4fu);
	CHECK_EQ(vlapic_tpr_threshold(&l), 4);
	CHECK_EQ(take(), -1);
	wr(VLAPIC_TPR, 0);
	CHECK_EQ(take(), 0x45);
}

static void test_svr_disable_and_masking(void)
{
	x2apic_up();
	wr(VLAPIC_LVT_TIMER, 0x30);
	CHECK_EQ(rd(VLAPIC_LVT_TIMER), 0x30u);
	wr(VLAPIC_SELF_IPI, 0x60);
	wr(VLAPIC_SVR, 0xff); /* software-disable */
	CHECK_EQ(rd(VLAPIC_LVT_TIMER), 0x30u | VLAPIC_LVT_MASKED);
	CHECK_EQ(vlapic_pending(&l), -1); /* held, not delivered */
	wr(VLAPIC_LVT_TIMER, 0x30);       /* cannot be unmasked while disabled */
	CHECK_EQ(rd(VLAPIC_LVT_TIMER), 0x30u | VLAPIC_LVT_MASKED);
	wr(VLAPIC_SVR, 0x1ff);
	CHECK_EQ(take(), 0x60);
	/* Illegal vectors: an error, no interrupt; ESR shows it after a write. */
	wr(VLAPIC_SELF_IPI, 0x05);
	CHECK_EQ(vlapic_pending(&l), -1);
	CHECK_EQ(rd(VLAPIC_ESR), 0u);
	wr(VLAPIC_ESR, 0);
	CHECK_EQ(rd(VLAPIC_ESR), (uint64_t)(VLAPIC_ESR_SEND_ILLEGAL | VLAPIC_ESR_RECV_ILLEGAL));
}

static void test_icr_destinations(void)
{
	struct vlapic_ipi ipi;

	x2apic_up();
	/* Physical, own ID 0: to itself. */
	wr(VLAPIC_ICR, 0x70);
	CHECK_EQ(rd(VLAPIC_IRR + 0x30), 1ull << 16);
	CHECK_EQ(rd(VLAPIC_ICR), 0x70u);
	/* Another APIC ID: no such vCPU, dropped and counted. */
	wr(VLAPIC_ICR, (5ULL << 32) | 0x71);
	CHECK_EQ(rd(VLAPIC_IRR + 0x30), 1ull << 16);
	CHECK_EQ(l.ipis_dropped, 1u);
	/* All excluding self: nobody, not counted (there is no other vCPU). */
	wr(VLAPIC_ICR, (3u << 18) | 0x72);
	CHECK_EQ(rd(VLAPIC_IRR + 0x30), 1ull << 16);
	/* All including self; logical to cluster 0 bit 0. */
	wr(VLAPIC_ICR, (2u << 18) | 0x73);
	wr(VLAPIC_ICR, (1ULL << 32) | (1u << 11) | 0x74);
	CHECK_EQ(rd(VLAPIC_IRR + 0x30), (1ull << 16) | (1ull << 19) | (1ull << 20));
	/* INIT to another vCPU: decoded whole (for multi-vCPU guests), dropped today. */
	vlapic_ipi_decode((3ULL << 32) | (5u << 8) | (1u << 14), true, &ipi);
	CHECK_EQ(ipi.mode, VLAPIC_DM_INIT);
	CHECK_EQ(ipi.dest, 3u);
	CHECK(ipi.level_assert);
	CHECK_EQ(ipi.shorthand, VLAPIC_SH_NONE);
	vlapic_ipi_decode(0x0300000000004630ULL, false, &ipi);
	CHECK_EQ(ipi.dest, 3u);
	CHECK_EQ(ipi.mode, VLAPIC_DM_SIPI);
	CHECK_EQ(ipi.vector, 0x30);
	/* xAPIC: ICR_LO writes send with ICR_HI's destination. */
	vlapic_reset(&l, true, 0, true);
	vlapic_mmio_write(&l, VLAPIC_SVR, 0x1ff, 0);
	vlapic_mmio_write(&l, VLAPIC_ICR2, 0x00000000, 0);
	vlapic_mmio_write(&l, VLAPIC_ICR, 0x91, 0);
	CHECK_EQ(vlapic_pending(&l), 0x91);
	vlapic_mmio_write(&l, VLAPIC_ICR2, 0x07000000, 0);
	vlapic_mmio_write(&l, VLAPIC_ICR, 0x92, 0);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_ICR2, 0), 0x07000000u);
	CHECK_EQ(l.ipis_dropped, 1u);
	/* Flat logical: LDR bit 0 matches destination 0x01. */
	vlapic_mmio_write(&l, VLAPIC_LDR, 0x01000000, 0);
	vlapic_mmio_write(&l, VLAPIC_ICR2, 0x01000000, 0);
	vlapic_mmio_write(&l, VLAPIC_ICR, (1u << 11) | 0x93, 0);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_IRR + 0x40, 0), (1u << 17) | (1u << 19)); /* not 0x92 */
}

static void test_timer_oneshot_periodic(void)
{
	x2apic_up();
	wr(VLAPIC_TIMER_DCR, 0xb);          /* divide by 1: 1 count per ns */
	wr(VLAPIC_LVT_TIMER, 0x30);
	wr(VLAPIC_TIMER_ICR, 500);
	CHECK_EQ(l.timer_deadline_ns, 1500u);
	now = 1200;
	CHECK_EQ(rd(VLAPIC_TIMER_CCR), 300u);
	CHECK(!vlapic_timer_expire(&l, now));
	now = 1500;
	CHECK(vlapic_timer_expire(&l, now));
	CHECK_EQ(l.timer_deadline_ns, 0u);
	CHECK_EQ(rd(VLAPIC_TIMER_CCR), 0u);
	CHECK_EQ(take(), 0x30);
	wr(VLAPIC_EOI, 0);
	/* Divide by 16 (code 0011), periodic. */
	wr(VLAPIC_TIMER_DCR, 3);
	wr(VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | 0x31);
	wr(VLAPIC_TIMER_ICR, 10);           /* 160 ns per period */
	CHECK_EQ(l.timer_deadline_ns, 1660u);
	now = 1700;
	CHECK_EQ(rd(VLAPIC_TIMER_CCR), 8u);  /* 40 ns = 2.5 counts into the second period */
	CHECK(vlapic_timer_expire(&l, now));
	CHECK_EQ(l.timer_deadline_ns, 1820u);
	now = 2500;                          /* several periods missed: one tick, the next a period on */
	CHECK(vlapic_timer_expire(&l, now));
	CHECK_EQ(l.timer_deadline_ns, 2660u);
	/* Masked: it counts, no interrupt. */
	wr(VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | VLAPIC_LVT_MASKED | 0x31);
	now = 2660;
	CHECK(!vlapic_timer_expire(&l, now));
	CHECK_EQ(l.timer_deadline_ns, 2820u);
	/* Initial count 0 stops it. */
	wr(VLAPIC_TIMER_ICR, 0);
	CHECK_EQ(l.timer_deadline_ns, 0u);
	/* Changing the divisor mid-count keeps the count. */
	wr(VLAPIC_LVT_TIMER, 0x32);
	wr(VLAPIC_TIMER_DCR, 0);             /* divide by 2 */
	wr(VLAPIC_TIMER_ICR, 100);           /* 200 ns */
	now += 100;                           /* 50 counts left */
	wr(VLAPIC_TIMER_DCR, 1);             /* divide by 4: 200 ns left */
	CHECK_EQ(rd(VLAPIC_TIMER_CCR), 50u);
	CHECK_EQ(l.timer_deadline_ns, now + 200);
}

static void test_timer_tsc_deadline(void)
{
	x2apic_up();
	/* Not in TSC-deadline mode: the MSR reads 0 and ignores writes. */
	vlapic_tsc_deadline_write(&l, 5000, 5000, now);
	CHECK_EQ(vlapic_tsc_deadline_read(&l), 0u);
	CHECK_EQ(l.timer_deadline_ns, 0u);
	wr(VLAPIC_LVT_TIMER, VLAPIC_TIMER_TSC_DEADLINE | 0x33);
	wr(VLAPIC_TIMER_ICR, 100); /* ignored in this mode */
	CHECK_EQ(l.timer_deadline_ns, 0u);
	vlapic_tsc_deadline_write(&l, 777777, 3000, now);
	CHECK_EQ(vlapic_tsc_deadline_read(&l), 777777u);
	CHECK_EQ(l.timer_deadline_ns, 3000u);
	CHECK(!vlapic_timer_expire(&l, 2999));
	now = 3000;
	CHECK(vlapic_timer_expire(&l, now));
	CHECK_EQ(vlapic_tsc_deadline_read(&l), 0u);
	CHECK_EQ(take(), 0x33);
	wr(VLAPIC_EOI, 0);
	/* A deadline in the past fires at the next expiry check; 0 disarms. */
	vlapic_tsc_deadline_write(&l, 1, 0, now);
	CHECK(vlapic_timer_expire(&l, now));
	vlapic_tsc_deadline_write(&l, 9999, 9999, now);
	vlapic_tsc_deadline_write(&l, 0, 0, now);
	CHECK_EQ(l.timer_deadline_ns, 0u);
	/* Leaving the mode disarms it. */
	vlapic_tsc_deadline_write(&l, 9999, 9999, now);
	wr(VLAPIC_LVT_TIMER, 0x33);
	CHECK_EQ(l.timer_deadline_ns, 0u);
}

static void test_xapic_mmio(void)
{
	now = 0;
	vlapic_reset(&l, true, 0, true);
	vlapic_mmio_write(&l, VLAPIC_SVR, 0x1ff, now);
	vlapic_mmio_write(&l, VLAPIC_TPR, 0x20, now);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_TPR, now), 0x20u);
	vlapic_mmio_write(&l, VLAPIC_ID, 0x05000000, now); /* ignored */
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_ID, now), 0u);
	vlapic_mmio_write(&l, VLAPIC_DFR, 0, now);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_DFR, now), 0x0fffffffu);
	/* EOI with any value; illegal register: ESR bit 7. */
	vlapic_mmio_write(&l, VLAPIC_ICR, 0x40000 | 0x40, now);
	CHECK_EQ(take(), 0x40);
	vlapic_mmio_write(&l, VLAPIC_EOI, 0x1234, now);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_ISR + 0x20, now), 0u);
	CHECK_EQ(vlapic_mmio_read(&l, 0x3f0, now), 0u);
	vlapic_mmio_write(&l, VLAPIC_ESR, 0, now);
	CHECK_EQ(vlapic_mmio_read(&l, VLAPIC_ESR, now), VLAPIC_ESR_ILLEGAL_REG);
}

void unit_main(void)
{
	TEST(test_reset_and_modes);
	TEST(test_x2apic_gp_rules);
	TEST(test_priorities_and_eoi);
	TEST(test_tpr);
	TEST(test_svr_disable_and_masking);
	TEST(test_icr_destinations);
	TEST(test_timer_oneshot_periodic);
	TEST(test_timer_tsc_deadline);
	TEST(test_xapic_mmio);
}
