/* SPDX-License-Identifier: MIT */
/*
 * The rules of core/physmap.h applied to a guest: may a hypervisor page or
 * a grant mapping go at gfn, and what comes back when it leaves.
 */
#ifndef CORE_PHYSMAP_GUEST_H
#define CORE_PHYSMAP_GUEST_H

#include <stdint.h>

struct guest;

/*
 * PHYSMAP_RAM or PHYSMAP_ABOVE (core/physmap.h) if a page of Bolt's or a
 * grant mapping may go at gfn of g, else -XEN_EINVAL. Does not look at the
 * pages Bolt already put there (shared_info, trace acks, grant frames and
 * mappings): each caller checks those under its own lock.
 */
int physmap_guest_place(const struct guest *g, uint64_t gfn);
/*
 * On g's CPU, when a page of Bolt's or a grant mapping leaves gfn: what
 * the memory map has there comes back. Its RAM page, a ballooned-out
 * hole, or, above RAM, a hole (and the EPT tables a mapping there needed
 * go back to the guest's spare list: arch/x86/ept.c).
 */
void physmap_guest_restore(struct guest *g, uint64_t gfn);

#endif
