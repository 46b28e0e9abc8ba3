/* SPDX-License-Identifier: MIT */
/* VM-exit handlers: the dispatch table's in exit.c, the rest in exit_*.c (one concern each). */
#ifndef ARCH_EXITS_H
#define ARCH_EXITS_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/regs.h"

struct vcpu;

/*
 * Every handler, in exit.c or exit_*.c, is declared and defined with this
 * macro so they all share the dispatch table's signature. Each uses only
 * some of the arguments: the unused ones are marked here, once.
 */
#define EXIT_HANDLER(name)                                                          \
	void name(struct vcpu *v __attribute__((unused)),                           \
		  struct guest_regs *regs __attribute__((unused)),                  \
		  uint32_t reason __attribute__((unused)))

EXIT_HANDLER(exit_cpuid);     /* exit_cpuid.c */
EXIT_HANDLER(exit_rdmsr);     /* exit_msr.c */
EXIT_HANDLER(exit_wrmsr);
EXIT_HANDLER(exit_rdpmc);
EXIT_HANDLER(exit_io);        /* exit_io.c */
EXIT_HANDLER(exit_cr_access); /* exit_cr.c */
EXIT_HANDLER(exit_xsetbv);
EXIT_HANDLER(exit_ept_violation); /* exit_mmio.c */

/* vmcall.c: Xen-ABI argument decoding around core/hypercall.c. */
void vmx_hypercall(struct vcpu *v, struct guest_regs *regs);
/* The current guest vCPU (its VMCS loaded) runs in 64-bit mode. */
bool vmx_guest_64bit_mode(void);

#endif
