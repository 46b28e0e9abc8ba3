/* SPDX-License-Identifier: MIT */
/* Per-physical-CPU state shared by the generic code. */
#ifndef CORE_PCPU_H
#define CORE_PCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "sched/sched.h"

struct pcpu {
	struct pcpu *self;        /* first field: this_pcpu() reads %gs:0 */
	unsigned index;
	uint32_t apic_id;
	struct vcpu *current;     /* vCPU running (or last run) on this CPU */
	struct runqueue rq;
	volatile bool online;
	struct pcpu_arch arch;
};

#define MAX_CPUS 64

extern struct pcpu *pcpus;
extern unsigned nr_pcpus;

#endif
