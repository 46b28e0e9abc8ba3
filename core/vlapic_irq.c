/* SPDX-License-Identifier: MIT */
/*
 * The vLAPIC's interrupt logic (core/vlapic.h): IRR/ISR, priorities, EOI,
 * errors and the interprocessor interrupts the ICR sends (SDM Vol. 3A,
 * 11.5.3, 11.6, 11.8).
 */
#include "core/vlapic.h"

#include "core/vlapic_internal.h"

static int highest_bit(const uint32_t reg[8])
{
	for (int w = 7; w >= 0; w--)
		if (reg[w])
			return w * 32 + (31 - __builtin_clz(reg[w]));
	return -1;
}

uint8_t vlapic_ppr(const struct vlapic *l)
{
	int isrv = highest_bit(l->isr);
	uint8_t isr_class = isrv < 0 ? 0 : (uint8_t)(isrv & 0xf0);

	/* SDM 11.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] << 4. */
	return (l->tpr & 0xf0) >= isr_class ? l->tpr : isr_class;
}

int vlapic_pending(const struct vlapic *l)
{
	int v;

	/*
	 * Hardware- or software-disabled: IRR is held, nothing is delivered
	 * (SDM 11.4.7.2; Xen's vlapic_has_pending_irq does the same).
	 */
	if (!vlapic_enabled(l))
		return -1;
	v = highest_bit(l->irr);
	/* SDM 11.8.4: deliverable when its priority class is above the PPR's. */
	if (v < 0 || (unsigned)(v & 0xf0) <= (unsigned)(vlapic_ppr(l) & 0xf0))
		return -1;
	return v;
}

void vlapic_accept(struct vlapic *l, uint8_t vector)
{
	vlapic_clear_bit(l->irr, vector);
	vlapic_set_bit(l->isr, vector);
}

uint8_t vlapic_tpr_threshold(const struct vlapic *l)
{
	int v = highest_bit(l->irr), isrv = highest_bit(l->isr);

	if (!vlapic_enabled(l) || v < 0)
		return 0;
	/* Held back by an in-service vector: its EOI exits anyway. */
	if (isrv >= 0 && (v & 0xf0) <= (isrv & 0xf0))
		return 0;
	/* Held back by the TPR alone: lowering it below v's class must exit. */
	if ((unsigned)(v & 0xf0) <= (unsigned)(l->tpr & 0xf0))
		return (uint8_t)(v >> 4);
	return 0;
}

void vlapic_eoi(struct vlapic *l)
{
	int v = highest_bit(l->isr);

	/* SDM 11.8.5: EOI retires the highest-priority in-service vector. */
	if (v >= 0) {
		vlapic_clear_bit(l->isr, (uint8_t)v);
		vlapic_clear_bit(l->tmr, (uint8_t)v); /* edge only: no I/O APIC to tell */
	}
}

void vlapic_error(struct vlapic *l, uint32_t bits)
{
	uint32_t lvt = l->lvt[VLAPIC_LVT_IDX_ERROR];

	l->esr_pending |= bits;
	/* The error LVT's own vector is never illegal-checked again: no loop. */
	if (!(lvt & VLAPIC_LVT_MASKED) && (lvt & 0xff) >= 16)
		vlapic_set_bit(l->irr, (uint8_t)lvt);
}

bool vlapic_set_irr(struct vlapic *l, uint8_t vector)
{
	/* Vectors 0-15 are reserved (SDM 11.5.2): an error, not an interrupt. */
	if (vector < 16) {
		vlapic_error(l, VLAPIC_ESR_RECV_ILLEGAL);
		return false;
	}
	vlapic_set_bit(l->irr, vector);
	return true;
}

bool vlapic_set_irr_remote(struct vlapic *l, uint8_t vector)
{
	if (vector < 16)
		return false;
	vlapic_set_bit(l->irr, vector);
	return true;
}

void vlapic_ipi_decode(uint64_t icr, bool x2apic, struct vlapic_ipi *ipi)
{
	ipi->vector = (uint8_t)icr;
	ipi->mode = (enum vlapic_dm)((icr >> 8) & 7);
	ipi->logical = (icr >> 11) & 1;
	ipi->level_assert = (icr >> 14) & 1;
	ipi->shorthand = (enum vlapic_shorthand)((icr >> 18) & 3);
	ipi->dest = x2apic ? (uint32_t)(icr >> 32) : (uint32_t)(icr >> 56);
}

/* Does a destination without shorthand name this APIC (SDM 11.6.2, 11.12.10)? */
bool vlapic_dest_matches(const struct vlapic *l, const struct vlapic_ipi *ipi)
{
	bool x2 = vlapic_mode(l) == VLAPIC_X2APIC;
	uint32_t bcast = x2 ? 0xffffffffu : 0xffu;

	if (ipi->dest == bcast)
		return true;
	if (!ipi->logical)
		return ipi->dest == (x2 ? l->id : (l->id & 0xff));
	if (x2) /* cluster in bits 31:16, a bit mask of 16 APICs in bits 15:0 */
		return (ipi->dest >> 16) == (l->ldr >> 16) && (ipi->dest & l->ldr & 0xffff);
	if ((l->dfr >> 28) == 0xf) /* flat model: 8-bit mask */
		return (ipi->dest & (l->ldr >> 24)) != 0;
	/* cluster model: cluster in bits 7:4, mask in bits 3:0 */
	return (ipi->dest >> 4) == (l->ldr >> 28) && (ipi->dest & (l->ldr >> 24) & 0xf);
}

void vlapic_send_ipi(struct vlapic *l, const struct vlapic_ipi *ipi)
{
	bool self, others;

	switch (ipi->shorthand) {
	case VLAPIC_SH_SELF:
		self = true, others = false;
		break;
	case VLAPIC_SH_ALL:
		self = others = true;
		break;
	case VLAPIC_SH_OTHERS:
		self = false, others = true;
		break;
	case VLAPIC_SH_NONE:
	default:
		self = vlapic_dest_matches(l, ipi);
		/* A logical or broadcast destination may name siblings as well. */
		others = !self || ipi->logical ||
			 ipi->dest == (vlapic_mode(l) == VLAPIC_X2APIC ? 0xffffffffu : 0xffu);
		break;
	}
	/*
	 * The guest's other vCPUs, through the embedder (core/lapic_ipi.c):
	 * never another guest's or a physical APIC. Without one, an IPI that
	 * names an APIC ID other than this one is dropped and counted.
	 */
	if (others && l->route)
		l->route(l, ipi);
	else if (!self && ipi->shorthand == VLAPIC_SH_NONE)
		l->ipis_dropped++;
	if (!self)
		return;
	switch (ipi->mode) {
	case VLAPIC_DM_FIXED:
	case VLAPIC_DM_LOWEST: /* lowest priority among one candidate: this one */
		if (ipi->vector < 16) {
			vlapic_error(l, VLAPIC_ESR_SEND_ILLEGAL);
			vlapic_set_irr(l, ipi->vector); /* adds "receive illegal" */
			return;
		}
		vlapic_set_irr(l, ipi->vector);
		break;
	default:
		/* NMI, SMI, INIT, SIPI to itself: not emulated (docs/abi.md): dropped, counted. */
		l->ipis_dropped++;
		break;
	}
}
