/* SPDX-License-Identifier: MIT */
/* Guests: creation from bolt.cfg, PVH boot, stop and restart. */
#ifndef CORE_GUEST_H
#define CORE_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "config/config.h"
#include "core/console.h"
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
	uint8_t *ram;                    /* host address of guest-physical 0 */
	uint64_t ram_size;
	unsigned boot_count;             /* 0 on first boot */
	enum guest_stop stop_reason;     /* of the last stop */
	char stop_msg[160];
	struct console_linebuf con;
	unsigned log_lines;              /* guest-caused log lines so far (rate limit) */
	/* Xen interface state (core/xen_hc.c, evtchn/). */
	struct shared_info *shinfo;      /* hypervisor page, mapped by XENMEM_add_to_physmap */
	uint64_t shinfo_gfn;             /* where the guest mapped it; ~0 if not mapped */
	uint8_t upcall_vector;           /* 0: no upcall registered */
	uint64_t timer_ns;               /* set_timer_op deadline (system time), 0 = none */
	unsigned page_remaps;            /* shared_info/trace-ack moves this boot (bounded) */
	struct evtchn_domain evtchn;
	struct evtchn_port *evtchn_ports;
	/* PIO doorbells: an OUT to ioport sends on local event-channel port. */
	struct { uint16_t ioport; uint32_t port; } doorbells[CFG_MAX_DOORBELLS];
	unsigned nr_doorbells;
	/*
	 * Flood budgets (core/hc_evtchn.c), one per receiver, indexed by its
	 * guests[] index: the budget belongs to the pair of guests, not to a
	 * port, so rebinding cannot escape it nor reset its window. Sized by
	 * the guest count, so no number of channels can overflow it.
	 */
	struct send_budget {
		uint32_t limit, used; /* limit 0: no budget toward this receiver */
		uint64_t period_ns, window_end_ns;
		const char *channel;  /* the pair's first budgeted [channel] */
		bool logged;
	} budgets[CFG_MAX_GUESTS];
	unsigned nr_budgets;             /* receivers with a budget: 0 skips the check */
	/* Shared memory regions mapped into this guest (told on its command line). */
	const struct cfg_shm *shms[CFG_MAX_SHMS];
	unsigned nr_shms;
	/* Tracing: a traced channel ends here; the guest's ack page, if mapped. */
	bool trace_active;
	struct bolt_trace_acks *trace_acks;
	uint64_t trace_acks_gfn;
	struct vcpu vcpu;
	struct guest_arch arch;
	struct pio_uart uart;            /* the emulated COM1 */
};

extern struct guest *guests;
extern unsigned nr_guests;

/* Send an event from the guest's own port (hypercall or doorbell); 0 or -errno. */
int guest_send(struct vcpu *v, uint32_t port);
/*
 * Guest-caused log lines (a refused MSR, #UD for a VMX instruction, ...)
 * are limited per boot so a hostile guest cannot flood the console.
 * True while this guest may still log.
 */
bool guest_may_log(struct guest *g);
/*
 * Mapping a hypervisor page into the guest may split a 2 MiB EPT page and
 * cost a table from the shared heap: allow a bounded number per boot. The
 * table is folded back and reused once the RAM is mapped back, so restarts
 * do not add up (see guest_load).
 */
#define GUEST_PAGE_REMAPS_MAX 16
/* Allocate shared_info and the event-channel ports (at boot). */
int guest_xen_create(struct guest *g);
/* (Re)load the image into RAM, write the start info, reset the vCPU. */
int guest_load(struct guest *g);
/*
 * Stop a guest from its own CPU (a shutdown hypercall, a fault): logs why,
 * then restarts it or retires it according to its on_crash policy.
 */
void guest_stop(struct guest *g, enum guest_stop why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *guest_stop_name(enum guest_stop why);

/* Per-CPU start: boot every guest pinned to this CPU. */
void guests_start_on_cpu(struct pcpu *p);

#endif
