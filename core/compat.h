/* SPDX-License-Identifier: MIT */
/*
 * Xen's compat ABI: the argument structs of a 32-bit caller (a vCPU not
 * in 64-bit mode, arch/x86/vmcall.c sets hypercall_args.compat), where
 * they differ from the 64-bit ones Bolt uses natively. The i386 psABI
 * aligns uint64_t to 4 in structs, and xen_ulong_t, xen_pfn_t and guest
 * handles are 4 bytes; Xen's own compat headers (xen/include/compat/,
 * generated with uint64_t aligned(4)) give the same layouts. libxen-dev's
 * xen/foreign/x86_32.h has only the arch structs (start_info, vcpu
 * context, shared_info), none of these, hence the asserts in compat.c.
 *
 * Structs whose 32-bit layout is the 64-bit one need no entry: the
 * evtchn_* ops, xen_hvm_param, xen_hvm_evtchn_upcall_vector,
 * xen_feature_info, the XENVER strings, sched_shutdown, bolt_stats.
 * Packed plus aligned(4): every member at its i386 offset, no padding
 * but the tail to a multiple of 4.
 */
#ifndef CORE_COMPAT_H
#define CORE_COMPAT_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#define COMPAT_STRUCT __attribute__((packed, aligned(4)))

/* A guest handle or pointer of a 32-bit caller: a 32-bit address. */
typedef uint32_t compat_handle_t;

struct compat_add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	uint32_t idx;  /* xen_ulong_t */
	uint32_t gpfn; /* xen_pfn_t */
} COMPAT_STRUCT;

struct compat_memory_reservation {
	compat_handle_t extent_start; /* of compat_pfn_t (uint32_t) */
	uint32_t nr_extents;          /* xen_ulong_t */
	uint32_t extent_order;
	uint32_t mem_flags;
	uint16_t domid;
} COMPAT_STRUCT;

struct compat_memory_map {
	uint32_t nr_entries;
	compat_handle_t buffer;
} COMPAT_STRUCT;

struct compat_sched_poll {
	compat_handle_t ports;
	uint32_t nr_ports;
	uint64_t timeout;
} COMPAT_STRUCT;

struct compat_vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns;
	uint32_t flags;
} COMPAT_STRUCT;

struct compat_vcpu_runstate_info {
	int32_t state;
	uint64_t state_entry_time;
	uint64_t time[4];
} COMPAT_STRUCT;

/* 32-bit layout -> native (the handlers' struct), and native -> 32-bit for outputs. */
void compat_add_to_physmap_in(const struct compat_add_to_physmap *c,
			      struct xen_add_to_physmap *n);
void compat_memory_reservation_in(const struct compat_memory_reservation *c,
				  struct xen_memory_reservation *n);
void compat_memory_map_in(const struct compat_memory_map *c, struct xen_memory_map *n);
void compat_sched_poll_in(const struct compat_sched_poll *c, struct sched_poll *n);
void compat_singleshot_in(const struct compat_vcpu_set_singleshot_timer *c,
			  struct vcpu_set_singleshot_timer *n);
void compat_runstate_out(const struct vcpu_runstate_info *n, struct compat_vcpu_runstate_info *c);

#endif
