/* SPDX-License-Identifier: MIT */
/*
 * A virtual local APIC (SDM Vol. 3A, chapter 11 "Advanced Programmable
 * Interrupt Controller (APIC)"), one per vCPU of a guest with `lapic = yes`
 * (docs/abi.md, "Local APIC"). Pure and host-compiled: the registers, the
 * IRR/ISR priority logic, the timer and the ICR decode. arch/x86/lapic.c
 * wires it to the MSR and MMIO exits, the TPR shadow and the VM-entry
 * injection; sched/timer.c fires its timer.
 *
 * Time is system time in ns (core/time.h), passed in by the caller. The
 * timer's bus clock is 1 GHz, as Xen's vlapic (APIC_BUS_CYCLE_NS 1): one
 * count per ns at divide-by-1. The TSC-deadline timer takes the guest's
 * TSC value and the system time the caller converted it to.
 */
#ifndef CORE_VLAPIC_H
#define CORE_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* IA32_APIC_BASE (SDM Vol. 3A, 11.4.4, Figure 11-5). */
#define VLAPIC_BASE_BSP (1ULL << 8)
#define VLAPIC_BASE_EXTD (1ULL << 10) /* x2APIC mode */
#define VLAPIC_BASE_EN (1ULL << 11)   /* APIC global enable */
#define VLAPIC_BASE_DEFAULT 0xfee00000ULL
#define VLAPIC_PAGE_SIZE 0x1000ULL

/* Register offsets in the xAPIC page (SDM Table 11-1); MSR = 0x800 + offset / 16. */
#define VLAPIC_ID 0x20
#define VLAPIC_VERSION 0x30
#define VLAPIC_TPR 0x80
#define VLAPIC_APR 0x90
#define VLAPIC_PPR 0xa0
#define VLAPIC_EOI 0xb0
#define VLAPIC_RRD 0xc0
#define VLAPIC_LDR 0xd0
#define VLAPIC_DFR 0xe0
#define VLAPIC_SVR 0xf0
#define VLAPIC_ISR 0x100
#define VLAPIC_TMR 0x180
#define VLAPIC_IRR 0x200
#define VLAPIC_ESR 0x280
#define VLAPIC_LVT_CMCI 0x2f0
#define VLAPIC_ICR 0x300
#define VLAPIC_ICR2 0x310
#define VLAPIC_LVT_TIMER 0x320
#define VLAPIC_LVT_THERMAL 0x330
#define VLAPIC_LVT_PERF 0x340
#define VLAPIC_LVT_LINT0 0x350
#define VLAPIC_LVT_LINT1 0x360
#define VLAPIC_LVT_ERROR 0x370
#define VLAPIC_TIMER_ICR 0x380
#define VLAPIC_TIMER_CCR 0x390
#define VLAPIC_TIMER_DCR 0x3e0
#define VLAPIC_SELF_IPI 0x3f0 /* x2APIC only */

#define VLAPIC_MSR_FIRST 0x800u
#define VLAPIC_MSR_LAST 0x8ffu
#define VLAPIC_MSR_TSC_DEADLINE 0x6e0u

/* Version register: version 0x14 (integrated APIC), max LVT entry 5 (six LVTs, no CMCI). */
#define VLAPIC_VERSION_VALUE 0x00050014u
#define VLAPIC_NR_LVT 6

/* LVT bits (SDM Figure 11-8). */
#define VLAPIC_LVT_MASKED (1u << 16)
#define VLAPIC_LVT_TIMER_MODE (3u << 17)
#define VLAPIC_TIMER_ONESHOT (0u << 17)
#define VLAPIC_TIMER_PERIODIC (1u << 17)
#define VLAPIC_TIMER_TSC_DEADLINE (2u << 17)
/* SVR (SDM Figure 11-23). */
#define VLAPIC_SVR_ENABLE (1u << 8)

/* ESR bits (SDM Figure 11-9). */
#define VLAPIC_ESR_SEND_ILLEGAL (1u << 5)
#define VLAPIC_ESR_RECV_ILLEGAL (1u << 6)
#define VLAPIC_ESR_ILLEGAL_REG (1u << 7)

enum vlapic_mode { VLAPIC_DISABLED, VLAPIC_XAPIC, VLAPIC_X2APIC };

/* ICR fields (SDM Figures 11-12, 11-28). */
enum vlapic_dm {
	VLAPIC_DM_FIXED = 0, VLAPIC_DM_LOWEST = 1, VLAPIC_DM_SMI = 2, VLAPIC_DM_NMI = 4,
	VLAPIC_DM_INIT = 5, VLAPIC_DM_SIPI = 6,
};
enum vlapic_shorthand { VLAPIC_SH_NONE, VLAPIC_SH_SELF, VLAPIC_SH_ALL, VLAPIC_SH_OTHERS };

/* An IPI as the ICR says it: kept whole for multi-vCPU guests (INIT/SIPI later). */
struct vlapic_ipi {
	uint8_t vector;
	enum vlapic_dm mode;
	bool logical;                  /* destination mode */
	bool level_assert;             /* level (bit 14) */
	enum vlapic_shorthand shorthand;
	uint32_t dest;                 /* xAPIC: 8 bits; x2APIC: 32 */
};

struct vlapic {
	bool present;                  /* the guest has `lapic = yes` */
	uint32_t id;                   /* initial APIC ID = x2APIC ID = vCPU index */
	uint64_t base;                 /* IA32_APIC_BASE */
	uint8_t tpr;                   /* the caller keeps it equal to the TPR shadow */
	uint32_t ldr, dfr, svr;
	uint32_t esr, esr_pending;     /* visible ESR, errors since the last ESR write */
	uint32_t icr_lo, icr_hi;       /* ICR as last written (delivery is instant: idle) */
	uint32_t lvt[VLAPIC_NR_LVT];   /* timer, thermal, perf, LINT0, LINT1, error */
	uint32_t irr[8], isr[8], tmr[8];
	/* Timer. */
	uint32_t timer_icr, timer_dcr;
	uint64_t timer_start_ns;       /* one-shot/periodic: when the count was (re)loaded */
	uint64_t tsc_deadline;         /* IA32_TSC_DEADLINE as the guest wrote it */
	uint64_t timer_deadline_ns;    /* next expiry (system time); 0 = none */
	/* IPIs to no vCPU and unsupported modes: dropped, counted. */
	uint64_t ipis_dropped;
	/*
	 * Delivers an IPI that may name the guest's other vCPUs (set by the
	 * embedder after vlapic_reset; NULL: a guest with one vCPU). It is
	 * called on the sender's CPU with the sender's APIC.
	 */
	void (*route)(struct vlapic *from, const struct vlapic_ipi *ipi);
};

/* Does an IPI without shorthand name APIC l (physical ID, logical LDR match, broadcast)? */
bool vlapic_dest_matches(const struct vlapic *l, const struct vlapic_ipi *ipi);
/*
 * A fixed interrupt from another vCPU's CPU: set vector in l's IRR
 * (atomically: its own CPU changes the IRR at the same time). false for
 * an illegal vector (< 16), which is dropped.
 */
bool vlapic_set_irr_remote(struct vlapic *l, uint8_t vector);

/*
 * Power-up / INIT state (SDM 11.4.7.1): enabled in xAPIC mode at
 * VLAPIC_BASE_DEFAULT, BSP bit for bsp, every LVT masked, SVR 0xFF
 * (software-disabled), DFR all ones. present = false leaves it all zero.
 */
void vlapic_reset(struct vlapic *l, bool present, uint32_t id, bool bsp);
enum vlapic_mode vlapic_mode(const struct vlapic *l);

/*
 * WRMSR IA32_APIC_BASE: 0, or -XEN_EINVAL for #GP (reserved bits,
 * address bits at or above maxphyaddr, EXTD without EN, x2APIC -> xAPIC,
 * disabled -> x2APIC; SDM 11.12.5, Figure 11-27). Disabling resets the
 * APIC's state; the BSP bit is read-only.
 */
int vlapic_set_base(struct vlapic *l, uint64_t val, unsigned maxphyaddr, uint64_t now_ns);

/*
 * x2APIC MSR 0x800-0x8FF: 0, or -XEN_EINVAL for #GP: not in x2APIC mode,
 * a register that does not exist in x2APIC mode, reading a write-only or
 * writing a read-only one, reserved bits set (SDM 11.12.1.2, Table 11-6).
 */
int vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t now_ns, uint64_t *val);
int vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t val, uint64_t now_ns);

/* IA32_TSC_DEADLINE (SDM 11.5.4.1): reads 0 and ignores writes unless the LVT is in that mode. */
uint64_t vlapic_tsc_deadline_read(const struct vlapic *l);
void vlapic_tsc_deadline_write(struct vlapic *l, uint64_t tsc, uint64_t deadline_ns, uint64_t now_ns);

/*
 * The xAPIC page (xAPIC mode only; the caller checks the address):
 * 32-bit register at a 16-byte-aligned offset. Unknown offsets read 0
 * and ignore writes, with ESR "illegal register address".
 */
uint32_t vlapic_mmio_read(struct vlapic *l, uint32_t offset, uint64_t now_ns);
void vlapic_mmio_write(struct vlapic *l, uint32_t offset, uint32_t val, uint64_t now_ns);

/* The processor priority (SDM 11.8.3.1). */
uint8_t vlapic_ppr(const struct vlapic *l);
/*
 * The vector to deliver now: the highest in IRR whose priority class is
 * above PPR's, with the APIC enabled; -1 if none (SDM 11.8.4).
 */
int vlapic_pending(const struct vlapic *l);
/* The CPU took vector: IRR -> ISR (SDM 11.8.4). */
void vlapic_accept(struct vlapic *l, uint8_t vector);
/*
 * The TPR threshold the TPR shadow needs (SDM Vol. 3C 26.6.8): the
 * priority class of the highest pending vector that only the TPR holds
 * back, so lowering CR8 below it exits; 0 if none.
 */
uint8_t vlapic_tpr_threshold(const struct vlapic *l);

/* Fire the timer if its deadline has passed: true if a vector became pending. */
bool vlapic_timer_expire(struct vlapic *l, uint64_t now_ns);

/* Decode an ICR value (64 bits, x2APIC layout if x2apic) and deliver it. */
void vlapic_ipi_decode(uint64_t icr, bool x2apic, struct vlapic_ipi *ipi);
void vlapic_send_ipi(struct vlapic *l, const struct vlapic_ipi *ipi);

#endif
