/* SPDX-License-Identifier: MIT */
/*
 * The vCPU's virtual local APIC (core/vlapic.h) wired to VMX
 * (arch/x86/lapic.c): its MSRs, its xAPIC page, its TPR (the TPR shadow)
 * and the vector the VM entry injects. Only for guests with `lapic = yes`
 * (v->lapic.present); the vCPU's own CPU only.
 */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* At the vCPU's (re)boot: the power-up APIC (APIC ID = vCPU index 0, BSP). */
void lapic_reset(struct vcpu *v);

/*
 * RDMSR/WRMSR of IA32_APIC_BASE, IA32_TSC_DEADLINE or an x2APIC MSR:
 * 0 done, -XEN_EINVAL to inject #GP, 1 if msr is none of them (or the
 * guest has no APIC): the MSR policy decides.
 */
int lapic_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
int lapic_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);

/* Is gpa in the xAPIC page (APIC enabled in xAPIC mode)? */
bool lapic_mmio_claims(const struct vcpu *v, uint64_t gpa);
/* A load of size bytes at gpa in the page, and a store (dropped unless an aligned 32-bit one). */
uint64_t lapic_mmio_load(struct vcpu *v, uint64_t gpa, unsigned size);
void lapic_mmio_store(struct vcpu *v, uint64_t gpa, unsigned size, uint64_t data);

/* The vector the vLAPIC would have the CPU take now, -1 if none. */
int lapic_deliverable(struct vcpu *v);
/* The VM entry injects vector: IRR -> ISR. */
void lapic_accepted(struct vcpu *v, uint8_t vector);
/* Keep TPR_THRESHOLD where lowering CR8 must exit (TPR shadow only). */
void lapic_update_threshold(struct vcpu *v);

#endif
