/* SPDX-License-Identifier: MIT */
/* Exit handlers that live in their own files (one concern each). */
#ifndef ARCH_EXITS_H
#define ARCH_EXITS_H

#include <stdint.h>

#include "arch/regs.h"

struct vcpu;

#define EXIT_HANDLER(name) void name(struct vcpu *v, struct guest_regs *regs, uint32_t reason)

EXIT_HANDLER(exit_cpuid);     /* exit_cpuid.c */
EXIT_HANDLER(exit_rdmsr);     /* exit_msr.c */
EXIT_HANDLER(exit_wrmsr);
EXIT_HANDLER(exit_rdpmc);
EXIT_HANDLER(exit_io);        /* exit_io.c */
EXIT_HANDLER(exit_cr_access); /* exit_cr.c */
EXIT_HANDLER(exit_xsetbv);

/* vmcall.c: Xen-ABI argument decoding around core/hypercall.c. */
void vmx_hypercall(struct vcpu *v, struct guest_regs *regs);

#endif
