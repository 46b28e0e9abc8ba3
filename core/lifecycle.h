/* SPDX-License-Identifier: MIT */
/* Guests' life: creation from bolt.cfg, PVH boot, stop and restart (core/lifecycle.c). */
#ifndef CORE_LIFECYCLE_H
#define CORE_LIFECYCLE_H

#include <stdbool.h>

#include "core/guest.h"

/* Allocate shared_info and the event-channel ports (at boot). */
int guest_xen_create(struct guest *g);
/* The guest's memory map (start info, XENMEM_memory_map): the entry count. */
struct hvm_memmap_table_entry;
unsigned guest_memmap(const struct guest *g, struct hvm_memmap_table_entry *mm);
/* (Re)load the image into RAM, write the start info, reset the vCPU. */
int guest_load(struct guest *g);
/*
 * Stop a guest from its own CPU (a shutdown hypercall, a fault): logs why,
 * then restarts it or retires it according to its on_crash policy.
 */
void guest_stop(struct guest *g, enum guest_stop why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Per-CPU start: boot every guest pinned to this CPU. */
void guests_start_on_cpu(struct pcpu *p);

#endif
