/* SPDX-License-Identifier: MIT */
/*
 * x86 parts of the per-CPU, per-vCPU and per-guest structures (embedded as
 * `arch` in the generic ones) and the hooks generic code calls.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/ept.h"
#include "arch/msr_policy.h"
#include "arch/regs.h"
#include "arch/vmcs_image.h"
#include "core/spinlock.h"

#define HOST_STACK_SIZE (16 * 1024)
#define ARCH_NR_EXIT_REASONS 80

struct pcpu;
struct vcpu;
struct guest;

struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};

struct pcpu_arch {
	uint64_t gdt[8];
	struct tss64 tss;
	uint8_t *stack;           /* HOST_STACK_SIZE bytes; exits land at its top */
	void *vmxon_region;
	struct vcpu *loaded;      /* vCPU whose VMCS is current on this CPU */
	struct vcpu *frame_owner; /* vCPU whose registers the exit frame holds */
	uint64_t xcr0;            /* XCR0 currently loaded on this CPU */
	struct vcpu *state_owner; /* vCPU whose FPU/CR2/DR/SYSCALL state is live here */
	bool x2apic;
	/* VM-exit stub (vmexit.S): TSC near the last VM entry (see arch/vmexit.h). */
	uint64_t entry_tsc;
	bool kick_exit;           /* the last exit was the kick IPI's */
	/* NMIs taken in VMX root and as VM exits from guests (arch/x86/nmi.c). */
	uint64_t nmis_root, nmis_guest;
};

/* State VMX leaves alone, switched in software (arch/x86/vcpu_state.c). */
struct vcpu_ext_state {
	uint64_t cr2, dr[4], dr6;
	uint64_t star, lstar, cstar, fmask, kernel_gs_base;
	uint64_t tsc_aux;         /* only where the CPU has RDTSCP (vcpu_state.c) */
};

struct vcpu_arch {
	void *vmcs;
	bool launched;            /* VMLAUNCH done since the last VMCLEAR */
	struct guest_regs regs;   /* saved while another vCPU owns the CPU */
	bool reload_regs;         /* regs were reset: load them at the next entry */
	bool preemption_timer_on;
	bool window_exiting;      /* interrupt-window exiting is on in its VMCS */
	/*
	 * Blocked by HLT (exit_hlt) and not entered since: IF = 1, no
	 * STI/MOV-SS blocking, no event pending injection, so an upcall can
	 * be injected without reading them back (upcall.c). One entry only.
	 */
	bool halted_clean;
	uint64_t xcr0;
	struct msr_vstate msr;    /* emulated MSRs (msr_policy.c) */
	/*
	 * The guest's CR8 (task priority), never the real APIC's: the TPR
	 * shadow keeps it in bits 7:4 of byte 0x80 of vapic; without one, CR8
	 * exits keep it in tpr (exit_cr.c).
	 */
	uint8_t *vapic;
	uint8_t tpr;
	uint8_t tpr_threshold;    /* TPR_THRESHOLD as last written (arch/x86/lapic.c) */
	void *xsave;              /* XSAVE/FXSAVE area of the guest's FPU/SSE/AVX state */
	struct vcpu_ext_state ext;
	/* Start of the hv_send / hv_wake window the last entry ends (0: none). */
	uint64_t send_from, wake_from;
	/* Its VMCS as last built and checked (vcpu_arch_reset), before the VMWRITEs. */
	struct vmcs_image image;
};

struct guest_arch {
	struct ept ept;
	uint16_t vpid;
	/*
	 * Changes to the EPT come from any of the guest's vCPUs' CPUs (and
	 * from grant revocation on others): one at a time, under ept_lock.
	 * ept_changed tells the hypercall path that the guest's other CPUs
	 * must drop their cached translations before the guest goes on
	 * (core/hypercall.c, guest_arch_take_ept_changed).
	 */
	struct spinlock ept_lock;
	bool ept_changed;
};

/* The running CPU's index (0 = boot CPU) and its struct pcpu (via GS). */
unsigned arch_cpu_index(void);
struct pcpu *this_pcpu(void);

/* Stop this CPU after a panic: interrupts off, halt forever. */
__attribute__((noreturn)) void arch_panic_stop(void);

/* Park a CPU no guest uses: interrupts off, halt forever (an NMI returns to the halt). */
__attribute__((noreturn)) void arch_cpu_park(void);

/* Read the time-stamp counter (fenced). */
uint64_t arch_timestamp(void);

/* Per-CPU bring-up (APIC, VMX root) and entering the first vCPU (never returns). */
void arch_cpu_init(struct pcpu *p);
__attribute__((noreturn)) void arch_cpu_run(struct pcpu *p);

/* Per-vCPU state VMX does not switch (vcpu_state.c). */
int vcpu_state_init(struct vcpu *v);
void vcpu_state_switch(struct pcpu *p, struct vcpu *next);

/* vCPU hooks used by core/ and sched/. */
int vcpu_arch_create(struct vcpu *v);
/*
 * Starting a stopped vCPU (core/vcpu_up.c): build and check its VMCS for
 * start s on any CPU (-XEN_EINVAL: VM entry would fail, logged), then load
 * it on v's own CPU before its next entry (-XEN_ENOMEM).
 */
struct vcpu_start;
int vcpu_arch_prepare_start(struct vcpu *v, const struct vcpu_start *s);
int vcpu_arch_apply_start(struct vcpu *v);
int guest_arch_create(struct guest *g);

/* Guest pages owned by the hypervisor (shared_info) and writes by guest-physical address. */
int guest_arch_map_page(struct guest *g, uint64_t gpa, void *page);
/* Drop this CPU's cached translations of g's EPT (after a change made on another CPU). */
void guest_arch_flush_ept(struct guest *g);
/* True (once) if g's EPT changed since the last call: its other CPUs must flush. */
bool guest_arch_take_ept_changed(struct guest *g);
/* Inside arch/x86: around every EPT change (arch/x86/guest_ram.c). */
void guest_ept_lock(struct guest *g);
void guest_ept_unlock_flush(struct guest *g);
void guest_arch_restore_ram_page(struct guest *g, uint64_t gpa);
/* Map hypervisor memory (a shared region) into the guest at gpa, read-only or read-write. */
int guest_arch_map_region(struct guest *g, uint64_t gpa, void *mem, uint64_t size, bool writable);
/*
 * Ballooning (arch/x86/guest_ram.c): unmap guest RAM so the guest sees a
 * hole, or map its own RAM back (zeroed first if zero), replacing whatever
 * is mapped there. -errno from the EPT (a split may need a table).
 */
int guest_arch_unmap_ram(struct guest *g, uint64_t gpa, uint64_t size);
int guest_arch_restore_ram(struct guest *g, uint64_t gpa, uint64_t size, bool zero);
/*
 * A grant mapping (core/grant_map.c): another guest's page at gpa,
 * read-only or read-write, never executable, replacing what was there;
 * flushed on this CPU, which must be the guest's. -errno from the EPT.
 */
int guest_arch_map_grant(struct guest *g, uint64_t gpa, void *page, bool writable);
/* The guest's physical address width: CPUID.80000008H:EAX[7:0] as it reads it. */
unsigned guest_arch_phys_bits(const struct guest *g);
int guest_arch_write_gpa(struct guest *g, uint64_t gpa, const void *src, size_t len);
/* True if an event-channel upcall is pending for the vCPU (and a vector is set). */
bool vcpu_upcall_pending(const struct vcpu *v);

/* Copy to/from guest-virtual memory of the current vCPU, checking permissions. */
int vcpu_copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int vcpu_copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);
/*
 * The bytes of the instruction at the vCPU's CS:RIP, up to max, fetched
 * through its page tables (fewer if the next page does not translate):
 * how many, or -errno if not even the first byte can be read.
 */
int vcpu_fetch_insn(struct vcpu *v, uint8_t *buf, size_t max, unsigned *mode);
/*
 * After a failed copy of len bytes at gva for an instruction: inject the
 * #PF/#GP the access raises (CR2 = its first untranslatable byte), or stop
 * the guest if every byte translates to something that is not its memory.
 */
void vcpu_inject_access_fault(struct vcpu *v, uint64_t gva, size_t len, bool write);

/*
 * Idle until *line is written (MONITOR/MWAIT), returning early if *cond is
 * already non-NULL once the line is armed, or once the TSC reaches
 * deadline_tsc (0: no deadline). Returns the TSC at which the wait ended
 * (where hv_wake starts, struct bolt_stats).
 */
uint64_t arch_idle_wait(volatile uint64_t *line, void *volatile const *cond, uint64_t deadline_tsc);

/* This CPU's idle wait: MONITOR/MWAIT, or HLT + IPI without it (arch/x86/idle.c). */
void idle_mode_init(struct pcpu *p);

/* An NMI VM exit (NMI exiting): count it, log the first per CPU (arch/x86/nmi.c). */
void vmx_guest_nmi(struct vcpu *v);

/* Wake an idle or running CPU so it re-runs its scheduler. */
void arch_kick_cpu(struct pcpu *p);

/* Human-readable name of a VM-exit reason (for logs and the summary). */
const char *arch_exit_reason_name(uint32_t reason);

/* Power off or halt the whole machine. */
__attribute__((noreturn)) void arch_poweroff(void);
__attribute__((noreturn)) void arch_halt_all(void);

#endif
