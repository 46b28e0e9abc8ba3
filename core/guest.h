/* SPDX-License-Identifier: MIT */
/* A guest: its configuration, memory, Xen interface state and vCPU (the data; core/lifecycle.h has the operations). */
#ifndef CORE_GUEST_H
#define CORE_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "core/balloon.h"
#include "config/config.h"
#include "core/console.h"
#include "core/grant_table.h"
#include "core/spinlock.h"
#include "core/vcpu.h"
#include "core/uart.h"
#include "evtchn/evtchn.h"

enum guest_stop {
	GUEST_STOP_NONE,
	GUEST_STOP_POWEROFF,   /* SCHEDOP_shutdown(SHUTDOWN_poweroff) */
	GUEST_STOP_REBOOT,     /* SCHEDOP_shutdown(SHUTDOWN_reboot): restarted */
	GUEST_STOP_CRASH,      /* SHUTDOWN_crash, a fault, or a guest error */
	GUEST_STOP_HALT,       /* HLT with interrupts disabled: can never wake */
};

struct guest {
	unsigned domid;                  /* 1-based index in bolt.cfg */
	const struct cfg_guest *cfg;
	const uint8_t *image;            /* the ELF file, kept for restarts */
	size_t image_len;
	const uint8_t *initrd;           /* bolt.cfg `initrd`, or NULL; kept for restarts */
	size_t initrd_len;
	uint64_t initrd_gpa;             /* where this boot's copy lies in guest RAM */
	uint8_t *ram;                    /* host address of guest-physical 0 */
	uint64_t ram_size;
	unsigned boot_count;             /* 0 on first boot */
	enum guest_stop stop_reason;     /* of the last stop */
	char stop_msg[160];
	bool has_exit_status;            /* BOLT_OP_exit_status since this boot */
	int exit_status;
	struct console_linebuf con;
	/*
	 * The PV console (core/pvconsole.c): its ring is guest RAM at
	 * BOLT_GUEST_CONSOLE_PAGE; console_port is the port Bolt serves (kept
	 * across restarts), console_cons Bolt's own out_cons.
	 */
	uint32_t console_port, console_cons;
	/* HVM_PARAM_{STORE,CONSOLE}_EVTCHN as the guest last set them (Xen lets it). */
	uint64_t hvm_store_evtchn, hvm_console_evtchn;
	unsigned log_lines;              /* guest-caused log lines so far (rate limit) */
	/* Xen interface state (core/xen_hc.c, evtchn/). */
	struct shared_info *shinfo;      /* hypervisor page, mapped by XENMEM_add_to_physmap */
	uint64_t shinfo_gfn;             /* where the guest mapped it; ~0 if not mapped */
	bool shinfo_compat;              /* 32-bit layout latched (core/shinfo_layout.c) */
	/* VCPUOP_get_runstate_info counts from this boot (core/hc_vcpu_op.c). */
	uint64_t boot_ns;
	uint8_t callback_vector;         /* HVM_PARAM_CALLBACK_IRQ's vector, 0: none */
	struct balloon balloon;          /* frames ballooned out (XENMEM_decrease_reservation) */
	unsigned page_remaps;            /* shared_info/trace-ack moves this boot (bounded) */
	struct evtchn_domain evtchn;
	struct evtchn_port *evtchn_ports;
	/* PIO doorbells: an OUT to ioport sends on local event-channel port. */
	struct { uint16_t ioport; uint32_t port; } doorbells[CFG_MAX_DOORBELLS];
	unsigned nr_doorbells;
	/*
	 * Flood budgets (core/send.c, sched/budget.c), one per receiver, indexed by its
	 * guests[] index: the budget belongs to the pair of guests, not to a
	 * port, so rebinding cannot escape it nor reset its window. Sized by
	 * the guest count, so no number of channels can overflow it.
	 */
	struct sched_budget budgets[CFG_MAX_GUESTS];
	unsigned nr_budgets;             /* receivers with a budget: 0 skips the check */
	/* Shared memory regions mapped into this guest (told on its command line). */
	const struct cfg_shm *shms[CFG_MAX_SHMS];
	unsigned nr_shms;
	/* Channels this guest binds at run time (bolt.cfg end without a port). */
	const struct cfg_channel *bind_chans[CFG_MAX_CHANNELS];
	unsigned nr_bind_chans;
	/*
	 * Grant tables (core/grant.h): its own table, the mappings it holds of
	 * others' grants, and which guests it may map or copy from (bit
	 * domid - 1, from bolt.cfg `grant`).
	 */
	struct gnt_table gnt;
	struct gnt_maptrack gnt_maps;
	uint32_t gnt_peers;
	/* Tracing: a traced channel ends here; the guest's ack page, if mapped. */
	bool trace_active;
	struct bolt_trace_acks *trace_acks;
	uint64_t trace_acks_gfn;
	/*
	 * Its vCPUs (bolt.cfg `cpu = A, B`): vcpus[i] is pinned to physical
	 * CPU cfg->cpus[i]. vCPU 0 boots; the others wait, stopped, for
	 * VCPUOP_up or an INIT-SIPI from a sibling (core/vcpu_up.c).
	 */
	struct vcpu *vcpus;
	unsigned nr_vcpus;
	struct spinlock vcpu_lock;       /* starting and stopping its vCPUs (core/vcpu_up.c) */
	struct spinlock hc_lock;         /* its guest-wide hypercalls, one vCPU at a time */
	struct guest_arch arch;
	struct pio_uart uart;            /* the emulated COM1 */
};

extern struct guest *guests;
extern unsigned nr_guests;

/*
 * Guest-caused log lines (a refused MSR, #UD for a VMX instruction, ...)
 * are limited per boot so a hostile guest cannot flood the console.
 * True while this guest may still log.
 */
bool guest_may_log(struct guest *g);
/* One of g's vCPUs is pinned to p. */
static inline bool guest_runs_on(const struct guest *g, const struct pcpu *p)
{
	for (unsigned i = 0; i < g->nr_vcpus; i++)
		if (g->vcpus[i].pcpu == p)
			return true;
	return false;
}

/* The physical CPUs its vCPUs are pinned to, bit i for CPU index i. */
uint64_t guest_cpu_mask(const struct guest *g);

/* "poweroff", "crash", ...: the summary's and the log's word for a stop reason. */
const char *guest_stop_name(enum guest_stop why);

/*
 * Mapping a hypervisor page into the guest may split a 2 MiB EPT page and
 * cost a table from the shared heap: allow a bounded number per boot. The
 * table is folded back and reused once the RAM is mapped back, so restarts
 * do not add up (see guest_load).
 */
#define GUEST_PAGE_REMAPS_MAX 16

#endif
