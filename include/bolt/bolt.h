/* SPDX-License-Identifier: MIT */
/*
 * Bolt's public guest ABI beyond the Xen ABI it implements.
 *
 * Hypercalls use the Xen numbering (xen/xen.h) and the Xen HVM calling
 * convention: VMCALL with the number in RAX, arguments in RDI, RSI, RDX,
 * R10, R8 (64-bit guests) or EBX, ECX, EDX, ESI, EDI (32-bit guests), the
 * result in RAX as a negative Xen errno on failure.
 */
#ifndef BOLT_ABI_H
#define BOLT_ABI_H

#include <stdint.h>

/* CPUID leaf 0x40000000: EAX = highest Bolt leaf, EBX:ECX:EDX = signature. */
#define BOLT_CPUID_BASE 0x40000000u
#define BOLT_CPUID_SIGNATURE "BoltBoltBolt"
/*
 * CPUID leaf 0x40000001:
 *   EAX = Bolt version (major << 16 | minor)
 *   EBX = the guest's domain id (its index in bolt.cfg, from 1)
 *   ECX = index of the physical CPU the guest is pinned to (0 = boot CPU)
 *   EDX = boot count: 0 on the first boot, +1 after each on_crash=restart
 */
#define BOLT_CPUID_INFO 0x40000001u
#define BOLT_CPUID_MAX BOLT_CPUID_INFO

/*
 * Xen-compatible discovery (what Xen HVM guests probe): CPUID leaves at
 * 0x40000100 carry "XenVMMXenVMM"; leaf +1 the Xen version, leaf +2 the
 * hypercall-page MSR. Writing a page's guest-physical address to that MSR
 * fills the page with 32-byte "mov $nr, %eax; vmcall; ret" stubs.
 */
#define BOLT_XEN_CPUID_BASE 0x40000100u
#define BOLT_XEN_CPUID_SIGNATURE "XenVMMXenVMM"
#define BOLT_XEN_HYPERCALL_MSR 0x40000000u
#define BOLT_XEN_VERSION (4u << 16 | 14u)

#define BOLT_VERSION_MAJOR 0
#define BOLT_VERSION_MINOR 1

/*
 * Guest-physical layout of what Bolt builds for a PVH guest
 * (see docs/boot.md). The ELF image's PT_LOAD segments must lie at or
 * above BOLT_GUEST_LOAD_MIN and inside the guest's RAM.
 */
#define BOLT_GUEST_START_INFO 0x1000u /* struct hvm_start_info */
#define BOLT_GUEST_MODLIST 0x1080u    /* struct hvm_modlist_entry: the initrd, if any */
#define BOLT_GUEST_MEMMAP 0x1100u     /* struct hvm_memmap_table_entry[] */
#define BOLT_GUEST_MEMMAP_MAX 20u     /* 4 fixed entries + one per [shm] (CFG_MAX_SHMS) */
#define BOLT_GUEST_CMDLINE 0x1800u    /* NUL-terminated command line */
#define BOLT_GUEST_CMDLINE_AREA 0x800u /* bolt.cfg's cmdline plus " bolt.shm=..." words */
#define BOLT_GUEST_CONSOLE_PAGE 0x2000u /* HVM_PARAM_CONSOLE_PFN: the PV console ring */
#define BOLT_GUEST_RESERVED_END 0x3000u
#define BOLT_GUEST_LOAD_MIN 0x100000u
/*
 * The guest's ACPI tables (RSDP, XSDT, FADT, DSDT, MADT; docs/abi.md),
 * rebuilt at every (re)boot; hvm_start_info.rsdp_paddr points here. In
 * the legacy BIOS area [0xA0000, 0x100000), which is backed but not RAM
 * in the memory map, so no guest allocator hands it out and ballooning
 * never touches it, and the RAM entries stay as they were. 0xE0000 is
 * also where the ACPI spec (5.2.5.1) has a legacy OS scan for the RSDP.
 * The memory map lists this page as XEN_HVM_MEMMAP_TYPE_ACPI.
 */
#define BOLT_GUEST_ACPI 0xe0000u
#define BOLT_GUEST_ACPI_SIZE 0x1000u
/*
 * The hardware-reduced power registers the guest FADT names (I/O ports,
 * core/acpi_pm.c). The sleep control register takes SLP_TYP << 2 | SLP_EN
 * (bit 5) (ACPI 6.0, 4.8.3.7); \_S5 says SLP_TYP 5. The reset register
 * takes BOLT_ACPI_RESET_VALUE. Ports of their own, not a PC's (0xCF9,
 * PIIX4's 0xB004): writes to those stay dropped, so a guest poking at
 * hardware reset or power-off ports never stops itself by accident.
 */
#define BOLT_ACPI_SLEEP_CONTROL_PORT 0xb100u
#define BOLT_ACPI_SLEEP_STATUS_PORT 0xb101u
#define BOLT_ACPI_RESET_PORT 0xb102u
#define BOLT_ACPI_RESET_VALUE 0x06u
#define BOLT_ACPI_SLP_TYP_S5 5u
#define BOLT_ACPI_SLP_EN 0x20u

/*
 * The MMIO hole (docs/abi.md, "Guest-physical address space"): Xen's
 * HVM_BELOW_4G_MMIO_START to 4 GiB. A MOV-family read of an address here
 * with nothing behind it returns all-ones and a write is dropped, as on
 * Xen; an access anywhere else with nothing behind it stops the guest.
 */
#define BOLT_GUEST_MMIO_HOLE_START 0xf0000000ull
#define BOLT_GUEST_MMIO_HOLE_END 0x100000000ull

#define BOLT_CMDLINE_MAX 256u
#define BOLT_GUEST_NAME_MAX 32u

/*
 * Bolt's own hypercall, at a number Xen leaves unused:
 *   bolt_op(BOLT_OP_stats, struct bolt_stats *out)   this vCPU's counters
 *   bolt_op(BOLT_OP_stats_reset, 0)                  zero them
 *   bolt_op(BOLT_OP_trace_dump, 0)                   print every trace buffer now
 *   bolt_op(BOLT_OP_trace_map, gfn)                  map this guest's trace-ack page
 *                                                    (struct bolt_trace_acks) at gfn
 *   bolt_op(BOLT_OP_send, port)                      EVTCHNOP_send with the port in a
 *                                                    register: no guest memory to walk
 *   bolt_op(BOLT_OP_exit_status, status)             the status (an int) the next
 *                                                    SCHEDOP_shutdown(poweroff) reports:
 *                                                    Bolt's log and summary then say
 *                                                    "exit status N" (C's exit(N))
 */
#define BOLT_HYPERCALL_bolt_op 56
#define BOLT_OP_stats 0
#define BOLT_OP_stats_reset 1
#define BOLT_OP_trace_dump 2
#define BOLT_OP_trace_map 3
#define BOLT_OP_send 4
#define BOLT_OP_exit_status 5

#define BOLT_STATS_EXIT_REASONS 64
/*
 * Timing histogram, log-linear (as HdrHistogram): a bucket per tick below
 * 2 * SUB, then SUB buckets per power of two, so a bucket's width is at most
 * 1/SUB (3.1 %) of its lower edge from 2^20 ticks down to 64, where buckets
 * become exact. Values of 2^LOG_MAX ticks and more share the last, open
 * bucket. Hypervisor figures are hundreds of ticks in Bochs (buckets 2-8
 * wide there) and thousands of cycles on hardware: one layout fits both.
 */
#define BOLT_STATS_HIST_SUB_LOG 5
#define BOLT_STATS_HIST_SUB (1u << BOLT_STATS_HIST_SUB_LOG)
#define BOLT_STATS_HIST_LOG_MAX 20
#define BOLT_STATS_HIST_BUCKETS \
	((BOLT_STATS_HIST_LOG_MAX - BOLT_STATS_HIST_SUB_LOG + 1) * BOLT_STATS_HIST_SUB + 1)

/* Hypervisor-side timings: count, sum, min, max and a histogram, in TSC ticks. */
struct bolt_timing {
	uint64_t count, sum, min, max;
	uint32_t hist[BOLT_STATS_HIST_BUCKETS];
};

/* The bucket of a value: v itself below 2 * SUB; exponent and top SUB_LOG bits above. */
static inline unsigned bolt_timing_bucket(uint64_t v)
{
	unsigned e;

	if (v < 2 * BOLT_STATS_HIST_SUB)
		return (unsigned)v;
	if (v >> BOLT_STATS_HIST_LOG_MAX)
		return BOLT_STATS_HIST_BUCKETS - 1;
	e = 63u - (unsigned)__builtin_clzll(v); /* 2^e <= v < 2^(e+1) */
	return (e - BOLT_STATS_HIST_SUB_LOG) * BOLT_STATS_HIST_SUB +
	       (unsigned)(v >> (e - BOLT_STATS_HIST_SUB_LOG));
}

/* The largest value of a bucket other than the open one (the inverse of the above). */
static inline uint64_t bolt_timing_bucket_top(unsigned b)
{
	unsigned shift;

	if (b < 2 * BOLT_STATS_HIST_SUB)
		return b;
	shift = b / BOLT_STATS_HIST_SUB - 1; /* e - SUB_LOG */
	return (((uint64_t)BOLT_STATS_HIST_SUB + b % BOLT_STATS_HIST_SUB + 1) << shift) - 1;
}

struct bolt_stats {
	uint64_t tsc_per_us;
	uint64_t exits;                               /* VM exits of this vCPU */
	uint64_t exits_by_reason[BOLT_STATS_EXIT_REASONS];
	uint64_t sends;                               /* events this guest sent (hypercall or doorbell) */
	uint64_t notifies;                            /* upcalls that became pending for this guest */
	uint64_t upcalls;                             /* upcall vectors injected into this vCPU */
	uint64_t wakeups;                             /* times this vCPU was woken from blocked */
	/* VM exit -> VM entry of the sender, on exits that sent an event. */
	struct bolt_timing hv_send;
	/* Kick arrival on this vCPU's CPU (MWAIT wake or kick exit) -> its VM entry. */
	struct bolt_timing hv_wake;
};

/*
 * Trace acks: for channels with trace = on, the guest SDK's upcall handler
 * appends (port, TSC) records here when the page is mapped; Bolt merges
 * them into the trace dump as "ack" events.
 */
#define BOLT_TRACE_ACKS 250
struct bolt_trace_acks {
	uint32_t head;                                /* next slot, written by the guest */
	uint32_t pad;
	struct {
		uint64_t tsc;
		uint32_t port;
		uint32_t pad;
	} rec[BOLT_TRACE_ACKS];
};

#endif
