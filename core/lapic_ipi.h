/* SPDX-License-Identifier: MIT */
/* IPIs between a guest's own vCPUs (core/lapic_ipi.c). */
#ifndef CORE_LAPIC_IPI_H
#define CORE_LAPIC_IPI_H

struct vcpu;

/* After every vLAPIC reset of v: route its IPIs to its siblings (if it has any). */
void lapic_ipi_attach(struct vcpu *v);

#endif
