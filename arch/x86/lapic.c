/* SPDX-License-Identifier: MIT */
/*
 * The virtual local APIC wired to VMX (arch/lapic.h). Emulation only: the
 * x2APIC MSRs exit through the MSR bitmap (all of 0x800-0x8FF exits), the
 * xAPIC page is an unmapped page of the MMIO hole that exits as an EPT
 * violation (exit_mmio.c), and the VM entry injects the vector
 * (upcall.c). No APIC-register virtualization, virtual-interrupt
 * delivery or posted interrupts (Bochs has none of them).
 *
 * One exception: the TPR. The TPR shadow (vmcs_build.c) already gives each
 * vCPU its own CR8 in byte 0x80 of its virtual-APIC page, so that byte *is*
 * the vLAPIC's TPR (CR8 = TPR[7:4], SDM Vol. 3A 10.8.6.1 / Vol. 3C 30.1.1):
 * it is copied into the model before every use and back after every
 * write, and TPR_THRESHOLD makes a CR8 write that unblocks a pending
 * vector exit (SDM Vol. 3C 30.1.2). Without a TPR shadow, CR8 exits and
 * v->arch.tpr keeps CR8, so TPR bits 3:0 read back as 0.
 */
#include "arch/lapic.h"

#include "arch/msr.h"
#include "arch/vmcs.h"
#include "arch/vmx_setup.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/pcpu.h"
#include "core/time.h"
#include "core/lapic_ipi.h"
#include "core/vlapic.h"
#include "lib/errno.h"

#define VAPIC_TPR 0x80 /* the TPR's offset in the virtual-APIC page */

static uint8_t tpr_get(const struct vcpu *v)
{
	return v->arch.vapic ? v->arch.vapic[VAPIC_TPR] : (uint8_t)(v->arch.tpr << 4);
}

static void tpr_put(struct vcpu *v, uint8_t tpr)
{
	if (v->arch.vapic)
		v->arch.vapic[VAPIC_TPR] = tpr;
	else
		v->arch.tpr = tpr >> 4;
}

/* Before the model runs: its TPR is the shadow's. */
static struct vlapic *sync_in(struct vcpu *v)
{
	v->lapic.tpr = tpr_get(v);
	return &v->lapic;
}

/* After a write: TPR back to the shadow, the CPU's next time event recomputed, drops logged. */
static void sync_out(struct vcpu *v, uint64_t dropped_before)
{
	tpr_put(v, v->lapic.tpr);
	v->pcpu->rq.timers_changed = true;
	if (!dropped_before && v->lapic.ipis_dropped && guest_may_log(v->guest))
		log_printf("guest '%s': IPI to no vCPU of the guest, or of a mode not emulated (ICR "
			   "0x%x%08x): dropped; not logged again",
			   v->guest->cfg->name, v->lapic.icr_hi, v->lapic.icr_lo);
}

void lapic_reset(struct vcpu *v)
{
	vlapic_reset(&v->lapic, v->guest->cfg->lapic, v->vcpu_id, v->vcpu_id == 0);
	lapic_ipi_attach(v);
	v->arch.tpr_threshold = 0; /* what vmcs_build.c wrote */
	if (v->pcpu)
		v->pcpu->rq.timers_changed = true;
}

int lapic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	struct vlapic *l = &v->lapic;

	if (!l->present)
		return 1;
	if (msr == MSR_IA32_APIC_BASE) {
		*val = l->base;
		return 0;
	}
	if (msr == VLAPIC_MSR_TSC_DEADLINE) {
		*val = vlapic_tsc_deadline_read(l);
		return 0;
	}
	if (msr < VLAPIC_MSR_FIRST || msr > VLAPIC_MSR_LAST)
		return 1;
	return vlapic_msr_read(sync_in(v), msr, time_now_ns(), val);
}

int lapic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct vlapic *l = &v->lapic;
	uint64_t dropped = l->ipis_dropped;
	int rc;

	if (!l->present)
		return 1;
	if (msr == MSR_IA32_APIC_BASE) {
		rc = vlapic_set_base(sync_in(v), val, vmx_maxphyaddr, time_now_ns());
	} else if (msr == VLAPIC_MSR_TSC_DEADLINE) {
		/* The guest's TSC is the host's (offset 0, docs/abi.md): system time from it. */
		vlapic_tsc_deadline_write(sync_in(v), val, val ? time_tsc_to_ns(val) : 0, time_now_ns());
		rc = 0;
	} else if (msr >= VLAPIC_MSR_FIRST && msr <= VLAPIC_MSR_LAST) {
		rc = vlapic_msr_write(sync_in(v), msr, val, time_now_ns());
	} else {
		return 1;
	}
	sync_out(v, dropped);
	return rc;
}

bool lapic_mmio_claims(const struct vcpu *v, uint64_t gpa)
{
	const struct vlapic *l = &v->lapic;
	uint64_t base = l->base & ~(VLAPIC_PAGE_SIZE - 1);

	return l->present && vlapic_mode(l) == VLAPIC_XAPIC && gpa >= base &&
	       gpa < base + VLAPIC_PAGE_SIZE;
}

uint64_t lapic_mmio_load(struct vcpu *v, uint64_t gpa, unsigned size)
{
	unsigned off = (unsigned)(gpa & (VLAPIC_PAGE_SIZE - 1)), byte = off & 0xf;
	uint32_t reg;

	(void)size;
	/* Registers are the low 4 bytes of each 16; a narrower load takes its part (as Xen). */
	if (byte >= 4)
		return 0;
	reg = vlapic_mmio_read(sync_in(v), off & ~0xfu, time_now_ns());
	return reg >> (8 * byte);
}

void lapic_mmio_store(struct vcpu *v, uint64_t gpa, unsigned size, uint64_t data)
{
	unsigned off = (unsigned)(gpa & (VLAPIC_PAGE_SIZE - 1));
	uint64_t dropped = v->lapic.ipis_dropped;

	/* SDM 11.4.1: registers are written with aligned 32-bit stores; anything else is dropped. */
	if (size != 4 || (off & 0xf)) {
		if (guest_may_log(v->guest))
			log_printf("guest '%s': %u-byte store to APIC page offset 0x%x dropped "
				   "(registers take aligned 32-bit stores)",
				   v->guest->cfg->name, size, off);
		return;
	}
	vlapic_mmio_write(sync_in(v), off, (uint32_t)data, time_now_ns());
	sync_out(v, dropped);
}

int lapic_deliverable(struct vcpu *v)
{
	if (!v->lapic.present)
		return -1;
	return vlapic_pending(sync_in(v));
}

void lapic_accepted(struct vcpu *v, uint8_t vector)
{
	vlapic_accept(&v->lapic, vector);
}

void lapic_update_threshold(struct vcpu *v)
{
	uint8_t t;

	if (!v->lapic.present || !v->arch.vapic)
		return;
	/* VM entry needs TPR_THRESHOLD[3:0] <= VTPR[7:4] (SDM 27.2.1.1): the model's is. */
	t = vlapic_tpr_threshold(sync_in(v));
	if (t != v->arch.tpr_threshold) {
		vmcs_write32(TPR_THRESHOLD, t);
		v->arch.tpr_threshold = t;
	}
}
