/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch (Xen numbering, xen/xen.h). The arch code decodes the
 * registers into struct hypercall_args and writes back the result; handlers
 * here are architecture-neutral.
 */
#ifndef CORE_HYPERCALL_H
#define CORE_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

#define HYPERCALL_NR_MAX 64

struct hypercall_args {
	uint64_t a[5];
	/*
	 * The caller is 32-bit (not in 64-bit mode: !(EFER.LMA && CS.L), as
	 * Xen's hvm_guest_x86_mode() != 8): a[] came from EBX..EDI,
	 * zero-extended, and structs in guest memory have the compat layouts
	 * of core/compat.h.
	 */
	bool compat;
	/*
	 * Set by a handler that did only part of the work: the arch code then
	 * writes a[] back to the argument registers and leaves RIP on the
	 * VMCALL, so the call resumes where it stopped (a Xen "continuation").
	 */
	bool continuation;
};

long hypercall_dispatch(struct vcpu *v, unsigned nr, struct hypercall_args *args);

/* The handlers, one per hypercall, in core/hc_<name>.c: 0 or -XEN_E*. */
long hc_console_io(struct vcpu *v, struct hypercall_args *a);
long hc_sched_op(struct vcpu *v, struct hypercall_args *a);
long hc_set_timer_op(struct vcpu *v, struct hypercall_args *a);
long hc_event_channel_op(struct vcpu *v, struct hypercall_args *a);
long hc_xen_version(struct vcpu *v, struct hypercall_args *a);
long hc_memory_op(struct vcpu *v, struct hypercall_args *a);
long hc_vcpu_op(struct vcpu *v, struct hypercall_args *a);
long hc_hvm_op(struct vcpu *v, struct hypercall_args *a);
long hc_grant_table_op(struct vcpu *v, struct hypercall_args *a);

/*
 * memory_op's cmd: the sub-op in its low bits, above them the extent a
 * decrease_reservation / populate_physmap resumes at (Xen's continuation
 * encoding, xen/include/xen/hypercall.h).
 */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1u << MEMOP_EXTENT_SHIFT) - 1)
struct guest;
/* 0 for DOMID_SELF or the guest's own id, -XEN_EPERM for another guest's, else -XEN_ESRCH. */
int memop_domid_check(const struct guest *g, unsigned domid);
/* decrease_reservation / populate_physmap (core/hc_memory_reservation.c): extents done. */
long memop_reservation(struct vcpu *v, unsigned op, bool compat, unsigned long start,
		       uint64_t arg);
long hc_bolt_op(struct vcpu *v, struct hypercall_args *a);

#endif
