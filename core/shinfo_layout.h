/* SPDX-License-Identifier: MIT */
/*
 * Which layout a guest's shared_info has: the native (64-bit) one, or the
 * 32-bit one of core/compat.h (struct compat_shared_info). Xen latches it
 * per domain from the mode of the vCPU at the first calls a kernel makes
 * (hvm_latch_shinfo_size(): the hypercall-page MSR write and
 * HVMOP_set_param(HVM_PARAM_CALLBACK_IRQ)), and so does Bolt.
 */
#ifndef CORE_SHINFO_LAYOUT_H
#define CORE_SHINFO_LAYOUT_H

#include <stdbool.h>

struct guest;

/*
 * The caller (the guest's own vCPU) is in 32-bit mode (compat) or not:
 * switch the event ABI's word size and rewrite the wallclock in that
 * layout. No change, nothing done.
 */
void shinfo_latch_layout(struct guest *g, bool compat);
/* A (re)started guest: the native layout, as at creation. */
void shinfo_reset_layout(struct guest *g);

#endif
