/* SPDX-License-Identifier: MIT */
/* Guests: creation from bolt.cfg, PVH boot, stop and restart. */
#ifndef CORE_GUEST_H
#define CORE_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "core/config.h"
#include "core/console.h"
#include "core/vcpu.h"
#include "core/uart.h"

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
	unsigned msr_refusals;           /* to rate-limit their log lines */
	struct vcpu vcpu;
	struct guest_arch arch;
	struct pio_uart uart;            /* the emulated COM1 */
};

extern struct guest *guests;
extern unsigned nr_guests;

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
