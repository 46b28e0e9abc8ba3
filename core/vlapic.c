/* SPDX-License-Identifier: MIT */
/*
 * The vLAPIC's registers (core/vlapic.h): IA32_APIC_BASE and its modes,
 * the x2APIC MSR interface and the xAPIC MMIO page (SDM Vol. 3A, 11.4,
 * 11.12). The priority logic is in vlapic_irq.c, the timer in
 * vlapic_timer.c.
 */
#include "core/vlapic.h"

#include <string.h>

#include "core/vlapic_internal.h"
#include "lib/errno.h"

/* Writable bits of each LVT (SDM Figure 11-8); the rest are reserved or read-only. */
static const uint32_t lvt_writable[VLAPIC_NR_LVT] = {
	[VLAPIC_LVT_IDX_TIMER] = 0x700ff,   /* vector, mask, mode (3 is reserved: see below) */
	[VLAPIC_LVT_IDX_THERMAL] = 0x107ff, /* vector, delivery mode, mask */
	[VLAPIC_LVT_IDX_PERF] = 0x107ff,
	[VLAPIC_LVT_IDX_LINT0] = 0x1a7ff,   /* + polarity, trigger mode */
	[VLAPIC_LVT_IDX_LINT1] = 0x1a7ff,
	[VLAPIC_LVT_IDX_ERROR] = 0x100ff,   /* vector, mask */
};
#define SVR_WRITABLE 0x3ffu          /* vector, enable, focus check; no EOI suppression */
#define ICR_LO_WRITABLE 0x000ccfffu  /* vector, mode, dest mode, level, trigger, shorthand */
#define DCR_WRITABLE 0xbu

/* The APIC's registers as after RESET or a hardware disable (SDM 11.4.7.1). */
static void reset_registers(struct vlapic *l)
{
	l->tpr = 0;
	l->ldr = 0;
	l->dfr = 0xffffffffu;
	l->svr = 0xff;
	l->esr = l->esr_pending = 0;
	l->icr_lo = l->icr_hi = 0;
	for (unsigned i = 0; i < VLAPIC_NR_LVT; i++)
		l->lvt[i] = VLAPIC_LVT_MASKED;
	memset(l->irr, 0, sizeof(l->irr));
	memset(l->isr, 0, sizeof(l->isr));
	memset(l->tmr, 0, sizeof(l->tmr));
	l->timer_icr = l->timer_dcr = 0;
	l->timer_start_ns = 0;
	vlapic_timer_stop(l);
}

void vlapic_reset(struct vlapic *l, bool present, uint32_t id, bool bsp)
{
	memset(l, 0, sizeof(*l));
	if (!present)
		return;
	l->present = true;
	l->id = id;
	l->base = VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EN | (bsp ? VLAPIC_BASE_BSP : 0);
	reset_registers(l);
}

enum vlapic_mode vlapic_mode(const struct vlapic *l)
{
	if (!(l->base & VLAPIC_BASE_EN))
		return VLAPIC_DISABLED;
	return (l->base & VLAPIC_BASE_EXTD) ? VLAPIC_X2APIC : VLAPIC_XAPIC;
}

/* The x2APIC logical ID (SDM 11.12.10.2): cluster = ID[19:4], bit ID[3:0]. */
static uint32_t x2apic_ldr(uint32_t id)
{
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

int vlapic_set_base(struct vlapic *l, uint64_t val, unsigned maxphyaddr, uint64_t now_ns)
{
	uint64_t reserved = 0x2ffULL | (maxphyaddr < 64 ? ~0ULL << maxphyaddr : 0);
	enum vlapic_mode from = vlapic_mode(l), to;
	struct vlapic next = *l;

	(void)now_ns;
	/* BSP (bit 8) is read-only: the value written there does not matter. */
	if ((val & reserved & ~VLAPIC_BASE_BSP) || ((val & VLAPIC_BASE_EXTD) && !(val & VLAPIC_BASE_EN)))
		return -XEN_EINVAL;
	next.base = (val & ~VLAPIC_BASE_BSP) | (l->base & VLAPIC_BASE_BSP);
	to = vlapic_mode(&next);
	/* SDM Figure 11-27: x2APIC is entered from xAPIC only and left only by disabling. */
	if ((from == VLAPIC_X2APIC && to == VLAPIC_XAPIC) ||
	    (from == VLAPIC_DISABLED && to == VLAPIC_X2APIC))
		return -XEN_EINVAL;
	if (to == VLAPIC_DISABLED && from != VLAPIC_DISABLED)
		reset_registers(&next);
	if (to == VLAPIC_X2APIC && from == VLAPIC_XAPIC) {
		next.ldr = x2apic_ldr(next.id);
		next.icr_hi = 0;
	}
	*l = next;
	return 0;
}

static void svr_write(struct vlapic *l, uint32_t val)
{
	l->svr = val & SVR_WRITABLE;
	/* Software-disabled: every LVT masked, and they stay so (SDM 11.4.7.2). */
	if (!(l->svr & VLAPIC_SVR_ENABLE))
		for (unsigned i = 0; i < VLAPIC_NR_LVT; i++)
			l->lvt[i] |= VLAPIC_LVT_MASKED;
}

static void lvt_write(struct vlapic *l, unsigned idx, uint32_t val)
{
	val &= lvt_writable[idx];
	if (!(l->svr & VLAPIC_SVR_ENABLE))
		val |= VLAPIC_LVT_MASKED;
	if (idx == VLAPIC_LVT_IDX_TIMER) {
		/* Mode 3 is reserved: keep it one of the three. */
		if ((val & VLAPIC_LVT_TIMER_MODE) == VLAPIC_LVT_TIMER_MODE)
			val &= ~VLAPIC_LVT_TIMER_MODE;
		vlapic_timer_lvt_write(l, val);
		return;
	}
	l->lvt[idx] = val;
}

static bool is_lvt(uint32_t off)
{
	return off >= VLAPIC_LVT_TIMER && off <= VLAPIC_LVT_ERROR;
}

/* Registers both interfaces read the same way; false if off is not one. */
static bool read_common(struct vlapic *l, uint32_t off, uint64_t now_ns, uint32_t *val)
{
	if (off >= VLAPIC_ISR && off < VLAPIC_ISR + 0x80) {
		*val = l->isr[(off - VLAPIC_ISR) >> 4];
	} else if (off >= VLAPIC_TMR && off < VLAPIC_TMR + 0x80) {
		*val = l->tmr[(off - VLAPIC_TMR) >> 4];
	} else if (off >= VLAPIC_IRR && off < VLAPIC_IRR + 0x80) {
		*val = l->irr[(off - VLAPIC_IRR) >> 4];
	} else if (is_lvt(off)) {
		*val = l->lvt[(off - VLAPIC_LVT_TIMER) >> 4];
	} else {
		switch (off) {
		case VLAPIC_VERSION:
			*val = VLAPIC_VERSION_VALUE;
			break;
		case VLAPIC_TPR:
			*val = l->tpr;
			break;
		case VLAPIC_PPR:
			*val = vlapic_ppr(l);
			break;
		case VLAPIC_LDR:
			*val = l->ldr;
			break;
		case VLAPIC_SVR:
			*val = l->svr;
			break;
		case VLAPIC_ESR:
			*val = l->esr;
			break;
		case VLAPIC_ICR:
			*val = l->icr_lo;
			break;
		case VLAPIC_TIMER_ICR:
			*val = l->timer_icr;
			break;
		case VLAPIC_TIMER_CCR:
			*val = vlapic_timer_ccr(l, now_ns);
			break;
		case VLAPIC_TIMER_DCR:
			*val = l->timer_dcr;
			break;
		default:
			return false;
		}
	}
	return true;
}

static void send_icr(struct vlapic *l, uint64_t icr, bool x2apic)
{
	struct vlapic_ipi ipi;

	vlapic_ipi_decode(icr, x2apic, &ipi);
	vlapic_send_ipi(l, &ipi);
}

int vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t now_ns, uint64_t *val)
{
	uint32_t off = (msr - VLAPIC_MSR_FIRST) << 4, v32;

	if (vlapic_mode(l) != VLAPIC_X2APIC || msr < VLAPIC_MSR_FIRST || msr > VLAPIC_MSR_LAST)
		return -XEN_EINVAL;
	if (off == VLAPIC_ID) {
		*val = l->id;
		return 0;
	}
	if (off == VLAPIC_ICR) {
		*val = (uint64_t)l->icr_hi << 32 | l->icr_lo;
		return 0;
	}
	/* EOI and SELF IPI are write-only; APR, RRD, DFR, ICR2 and CMCI do not exist here. */
	if (off == VLAPIC_LVT_CMCI || !read_common(l, off, now_ns, &v32))
		return -XEN_EINVAL;
	*val = v32;
	return 0;
}

int vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t val, uint64_t now_ns)
{
	uint32_t off = (msr - VLAPIC_MSR_FIRST) << 4, v32 = (uint32_t)val;

	if (vlapic_mode(l) != VLAPIC_X2APIC || msr < VLAPIC_MSR_FIRST || msr > VLAPIC_MSR_LAST)
		return -XEN_EINVAL;
	if (off == VLAPIC_ICR) {
		if (val & ~(0xffffffff00000000ULL | ICR_LO_WRITABLE))
			return -XEN_EINVAL;
		l->icr_lo = v32;
		l->icr_hi = (uint32_t)(val >> 32);
		send_icr(l, val, true);
		return 0;
	}
	/* Every other x2APIC register is 32 bits wide: bits 63:32 are reserved. */
	if (val >> 32)
		return -XEN_EINVAL;
	if (is_lvt(off)) {
		unsigned idx = (off - VLAPIC_LVT_TIMER) >> 4;
		if ((v32 & ~lvt_writable[idx]) || (idx == VLAPIC_LVT_IDX_TIMER &&
				    (v32 & VLAPIC_LVT_TIMER_MODE) == VLAPIC_LVT_TIMER_MODE))
			return -XEN_EINVAL;
		lvt_write(l, idx, v32);
		return 0;
	}
	switch (off) {
	case VLAPIC_TPR:
		if (v32 > 0xff)
			return -XEN_EINVAL;
		l->tpr = (uint8_t)v32;
		return 0;
	case VLAPIC_EOI:
		/* SDM 11.12.1.2: a non-zero EOI write is #GP in x2APIC mode. */
		if (v32)
			return -XEN_EINVAL;
		vlapic_eoi(l);
		return 0;
	case VLAPIC_SVR:
		if (v32 & ~SVR_WRITABLE)
			return -XEN_EINVAL;
		svr_write(l, v32);
		return 0;
	case VLAPIC_ESR:
		if (v32)
			return -XEN_EINVAL;
		l->esr = l->esr_pending;
		l->esr_pending = 0;
		return 0;
	case VLAPIC_TIMER_ICR:
		vlapic_timer_icr_write(l, v32, now_ns);
		return 0;
	case VLAPIC_TIMER_DCR:
		if (v32 & ~DCR_WRITABLE)
			return -XEN_EINVAL;
		vlapic_timer_dcr_write(l, v32, now_ns);
		return 0;
	case VLAPIC_SELF_IPI:
		if (v32 > 0xff)
			return -XEN_EINVAL;
		send_icr(l, v32 | (uint64_t)VLAPIC_SH_SELF << 18, true);
		return 0;
	default:
		/* Read-only (ID, version, PPR, LDR, ISR/TMR/IRR, current count) or absent. */
		return -XEN_EINVAL;
	}
}

uint32_t vlapic_mmio_read(struct vlapic *l, uint32_t offset, uint64_t now_ns)
{
	uint32_t val = 0;

	switch (offset) {
	case VLAPIC_ID:
		return (l->id & 0xff) << 24;
	case VLAPIC_APR: /* arbitration priority: no bus arbitration to show */
	case VLAPIC_EOI: /* write-only: reads 0 */
	case VLAPIC_RRD:
		return 0;
	case VLAPIC_DFR:
		return l->dfr;
	case VLAPIC_ICR2:
		return l->icr_hi;
	default:
		if (offset == VLAPIC_LVT_CMCI || !read_common(l, offset, now_ns, &val))
			vlapic_error(l, VLAPIC_ESR_ILLEGAL_REG);
		return val;
	}
}

void vlapic_mmio_write(struct vlapic *l, uint32_t offset, uint32_t val, uint64_t now_ns)
{
	if (is_lvt(offset)) {
		lvt_write(l, (offset - VLAPIC_LVT_TIMER) >> 4, val);
		return;
	}
	switch (offset) {
	case VLAPIC_TPR:
		l->tpr = (uint8_t)val;
		break;
	case VLAPIC_EOI:
		vlapic_eoi(l);
		break;
	case VLAPIC_LDR:
		l->ldr = val & 0xff000000u;
		break;
	case VLAPIC_DFR:
		l->dfr = val | 0x0fffffffu;
		break;
	case VLAPIC_SVR:
		svr_write(l, val);
		break;
	case VLAPIC_ESR:
		l->esr = l->esr_pending;
		l->esr_pending = 0;
		break;
	case VLAPIC_ICR:
		l->icr_lo = val & ICR_LO_WRITABLE;
		send_icr(l, (uint64_t)l->icr_hi << 32 | l->icr_lo, false);
		break;
	case VLAPIC_ICR2:
		l->icr_hi = val & 0xff000000u;
		break;
	case VLAPIC_TIMER_ICR:
		vlapic_timer_icr_write(l, val, now_ns);
		break;
	case VLAPIC_TIMER_DCR:
		vlapic_timer_dcr_write(l, val & DCR_WRITABLE, now_ns);
		break;
	case VLAPIC_ID:      /* Bolt's APIC IDs are fixed: the write is ignored */
	case VLAPIC_VERSION: /* read-only registers: ignored */
	case VLAPIC_PPR:
	case VLAPIC_TIMER_CCR:
		break;
	default:
		if ((offset >= VLAPIC_ISR && offset < VLAPIC_IRR + 0x80) || offset == VLAPIC_APR ||
		    offset == VLAPIC_RRD)
			break; /* read-only */
		vlapic_error(l, VLAPIC_ESR_ILLEGAL_REG);
		break;
	}
}
