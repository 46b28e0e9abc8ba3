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

/*
 * shared_info and vcpu_info as a 32-bit guest lays them out (Xen's
 * compat_shared_info; the i386 build of xen.h and arch-x86/xen.h):
 * xen_ulong_t words are 4 bytes, so there are 32 pending and 32 mask
 * words (1024 ports in the 2-level ABI), the selector is 4 bytes at offset
 * 4 of vcpu_info, and the wallclock follows the mask at 2304 with
 * wc_sec_hi at the end of arch. vcpu_time_info is the same in both
 * layouts and at the same offset (32). Xen switches a guest to this layout
 * when it is in 32-bit mode at certain calls (core/shinfo_layout.c).
 */
#define COMPAT_EVTCHN_WORD_BITS 32u
#define COMPAT_EVTCHN_NR_PORTS (COMPAT_EVTCHN_WORD_BITS * COMPAT_EVTCHN_WORD_BITS)

struct compat_vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint16_t pad0;
	uint32_t evtchn_pending_sel;
	uint32_t cr2;     /* arch_vcpu_info: cr2, pad[5] */
	uint32_t arch_pad[5];
	struct vcpu_time_info time;
};

struct compat_shared_info {
	struct compat_vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	uint32_t evtchn_pending[COMPAT_EVTCHN_WORD_BITS];
	uint32_t evtchn_mask[COMPAT_EVTCHN_WORD_BITS];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	/* arch_shared_info: max_pfn, pfn_to_mfn_frame_list_list, nmi_reason,
	 * p2m_cr3, p2m_vaddr, p2m_generation, then wc_sec_hi. */
	uint32_t arch[6];
	uint32_t wc_sec_hi;
};

#endif
