/* SPDX-License-Identifier: MIT */
/*
 * bolt.cfg: the INI-style boot configuration (see docs/config.md).
 *
 * The parser is shared by the hypervisor (which reads bolt.cfg from the ESP)
 * and the host tool boltcfg, so it is freestanding: it takes a byte buffer
 * that need not be NUL-terminated and fills a fixed-size struct without
 * allocating. On any error the output struct is zeroed, so a bad file can
 * never be half-used; the error text is "FILE:LINE: message".
 *
 * Guests are referred to by 0-based index into guests[]; a guest's Xen
 * domid is that index + 1.
 */
#ifndef CONFIG_CONFIG_H
#define CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bolt/bolt.h"
#include "lib/lib.h"

#define CFG_MAX_GUESTS 16
#define CFG_NAME_MAX BOLT_GUEST_NAME_MAX /* incl. NUL: names are 1..31 chars */
#define CFG_PATH_MAX 128                 /* incl. NUL */
#define CFG_CMDLINE_MAX BOLT_CMDLINE_MAX /* incl. NUL */
#define CFG_LINE_MAX 1024                /* incl. NUL: longest line is 1023 */
#define CFG_MAX_CPU 255                  /* highest accepted `cpu` index */
#define CFG_MAX_PER_CPU 8                /* guests sharing one physical CPU */
#define CFG_MAX_VCPUS 8                  /* vCPUs per guest (`cpu = A, B, ...`) */

#define CFG_MEMORY_MIN MiB(2)
#define CFG_MEMORY_MAX GiB(4)
#define CFG_MEMORY_ALIGN MiB(2) /* EPT maps guest RAM with 2 MiB pages */
#define CFG_MAX_RESTARTS_LIMIT 1000
#define CFG_PRIORITY_MAX 255
#define CFG_PRIORITY_DEFAULT 100

#define CFG_MAX_CHANNELS 64
#define CFG_MAX_ALLOWS 64
#define CFG_MAX_DOORBELLS 64
#define CFG_MAX_SHMS 16
#define CFG_EVTCHN_PORT_MAX 4095 /* static ports are 1..4095 */
/* max_event_channels: ports 0..N-1 may exist (Xen's max_event_channels). */
#define CFG_EVTCHN_CHANNELS_MIN 1
#define CFG_EVTCHN_CHANNELS_MAX 131072 /* the FIFO ABI's 2^17 */
#define CFG_EVTCHN_CHANNELS_DEFAULT 4096 /* the 2-level limit: no port buckets */
#define CFG_SHM_MAX_GUESTS 8
#define CFG_SHM_SIZE_MIN KiB(4)
#define CFG_SHM_SIZE_MAX MiB(64)
#define CFG_SHM_ALIGN KiB(4)
#define CFG_SHM_GPA_MIN MiB(1)              /* below: legacy/boot area */
#define CFG_SHM_GPA_LIMIT (1ULL << 48)      /* 4-level EPT reach */

/* Console sinks: a bit mask, so several can be active at once. */
enum cfg_console {
	CFG_CONSOLE_COM1 = 1u << 0,
	CFG_CONSOLE_E9 = 1u << 1,
	CFG_CONSOLE_GOP = 1u << 2,
};
#define CFG_CONSOLE_DEFAULT (CFG_CONSOLE_COM1 | CFG_CONSOLE_E9)

/* `debug =` topics: extra boot lines for a bug report (docs/config.md). */
enum cfg_debug {
	CFG_DEBUG_VMX = 1u << 0, /* the VMX capability MSRs and the controls chosen */
};

enum cfg_on_all_stopped { CFG_ALL_STOPPED_POWEROFF, CFG_ALL_STOPPED_HALT };
enum cfg_on_crash { CFG_ON_CRASH_STOP, CFG_ON_CRASH_RESTART };

/* How an event reaches its receiver: kick its core now, or at its next tick. */
enum cfg_delivery { CFG_DELIVERY_IMMEDIATE, CFG_DELIVERY_LAZY };
#define CFG_DELIVERY_PER_GUEST (-1) /* channel: each end uses its guest's */

struct cfg_guest {
	char name[CFG_NAME_MAX];
	char image[CFG_PATH_MAX];
	char initrd[CFG_PATH_MAX]; /* "" = none; else the PVH module (initramfs) file */
	uint64_t memory; /* bytes */
	/*
	 * `cpu = A, B, ...` (or `cpus =`): vCPU i runs pinned on physical CPU
	 * cpus[i], 0 = boot CPU; each CPU at most once per guest. cpu is
	 * cpus[0], where vCPU 0 boots.
	 */
	unsigned cpu;
	unsigned cpus[CFG_MAX_VCPUS];
	unsigned nr_vcpus;
	char cmdline[CFG_CMDLINE_MAX];
	enum cfg_on_crash on_crash;
	unsigned max_restarts;
	unsigned priority;          /* 0..255: higher runs first on a shared CPU */
	enum cfg_delivery delivery; /* default for events this guest receives */
	bool handover;              /* same-core senders switch straight to it */
	unsigned max_event_channels; /* ports 0..N-1 may exist (FIFO growth cap) */
	bool lapic;                 /* a virtual local APIC (core/vlapic.h) */
	/* Source lines, so later stages (loader, boot checks) can point at them. */
	unsigned line; /* the [guest NAME] header */
	unsigned image_line;
	unsigned initrd_line;
	unsigned memory_line;
	unsigned cpu_line;
};

/*
 * `budget = N/PERIOD`: at most N events per PERIOD from each of the two
 * guests a channel connects to the other, over all channels between them
 * (cfg_pair_budget()).
 */
struct cfg_budget {
	uint32_t events;    /* 0: no budget */
	uint64_t period_ns;
};
#define CFG_BUDGET_EVENTS_MAX 1000000u
#define CFG_BUDGET_PERIOD_MIN_NS 10000ULL         /* 10 us */
#define CFG_BUDGET_PERIOD_MAX_NS 10000000000ULL   /* 10 s */

/* A static event channel, bound at boot: end 0 is `a`, end 1 is `b`. */
struct cfg_channel {
	char name[CFG_NAME_MAX];
	unsigned guest[2]; /* index into guests[] */
	uint32_t port[2];  /* each end's local port, 1..CFG_EVTCHN_PORT_MAX */
	int delivery;      /* enum cfg_delivery, or CFG_DELIVERY_PER_GUEST */
	bool trace;
	struct cfg_budget budget; /* flood protection of the guest pair; events 0 = none */
	unsigned line;        /* the [channel NAME] header */
	unsigned end_line[2]; /* the `a` and `b` keys */
};

/*
 * One `allow = A, B` line: A and B may bind_interdomain dynamically; or one
 * `grant = A, B` line: A and B may map and copy each other's grants.
 */
struct cfg_allow {
	unsigned a, b; /* index into guests[]; a == b is loopback */
	unsigned line;
};

/* An I/O port that, written by @guest, sends on its local @evtchn_port. */
struct cfg_doorbell {
	char name[CFG_NAME_MAX];
	unsigned guest; /* index into guests[] */
	uint16_t ioport;
	uint32_t evtchn_port;
	unsigned line; /* the [doorbell NAME] header */
	unsigned guest_line;
	unsigned port_line;
	unsigned channel_line;
};

/* Memory mapped at the same guest-physical address in every listed guest. */
struct cfg_shm {
	char name[CFG_NAME_MAX];
	uint64_t size, gpa;
	unsigned guests[CFG_SHM_MAX_GUESTS]; /* index into guests[] */
	unsigned nr_guests;
	bool writable;
	unsigned line; /* the [shm NAME] header */
	unsigned address_line;
	unsigned guests_line;
};

struct bolt_config {
	unsigned console; /* enum cfg_console bits */
	unsigned debug;   /* enum cfg_debug bits */
	enum cfg_on_all_stopped on_all_stopped;
	unsigned nr_guests;
	struct cfg_guest guests[CFG_MAX_GUESTS];
	unsigned nr_channels;
	struct cfg_channel channels[CFG_MAX_CHANNELS];
	unsigned nr_allows;
	struct cfg_allow allows[CFG_MAX_ALLOWS];
	unsigned nr_grants;
	struct cfg_allow grants[CFG_MAX_ALLOWS];
	unsigned nr_doorbells;
	struct cfg_doorbell doorbells[CFG_MAX_DOORBELLS];
	unsigned nr_shms;
	struct cfg_shm shms[CFG_MAX_SHMS];
};

struct cfg_error {
	char msg[256]; /* full "file:line: message" text, NUL-terminated */
};

/*
 * Parse @len bytes of @text (no NUL terminator needed). @filename (NULL:
 * "bolt.cfg") prefixes error messages. Returns 0, or -XEN_EINVAL with
 * @err filled and *@out zeroed. @err may be NULL.
 */
int cfg_parse(const char *text, size_t len, const char *filename,
	      struct bolt_config *out, struct cfg_error *err);

/* One of g's vCPUs runs on physical CPU cpu. */
bool cfg_guest_uses_cpu(const struct cfg_guest *g, unsigned cpu);
/*
 * Boot-time check against the machine: every guest's cpus must exist and no
 * CPU may carry more than CFG_MAX_PER_CPU guests. Returns 0 or -XEN_EINVAL
 * with @err naming the guest's `cpu` line.
 */
int cfg_check_cpus(const struct bolt_config *cfg, const char *filename,
		   unsigned nr_cpus, struct cfg_error *err);

/*
 * May guests @guest_a and @guest_b (indexes into guests[], either order,
 * equal for loopback) bind_interdomain? True if an `allow` line or a
 * static channel connects them.
 */
bool cfg_may_bind(const struct bolt_config *cfg, unsigned guest_a, unsigned guest_b);

/*
 * The flood budget from guest @sender to guest @receiver (indexes into
 * guests[], equal for a loopback): the first budgeted channel between the
 * two, or NULL if none has a budget. The budget belongs to the pair, so it
 * holds for every channel between them however it was bound; cfg_parse()
 * rejects a config whose budgeted channels between one pair disagree.
 */
/*
 * May guests @guest_a and @guest_b (either order) map or copy each other's
 * grants (GNTTABOP_map_grant_ref, GNTTABOP_copy)? True if a `grant` line
 * names the pair, or both are the same guest (its own grants).
 */
bool cfg_may_grant(const struct bolt_config *cfg, unsigned guest_a, unsigned guest_b);

const struct cfg_channel *cfg_pair_budget(const struct bolt_config *cfg, unsigned sender,
					  unsigned receiver);

const char *cfg_on_crash_name(enum cfg_on_crash v);
const char *cfg_delivery_name(enum cfg_delivery v);

/* The guest called @name, or NULL. */
const struct cfg_guest *cfg_find_guest(const struct bolt_config *cfg, const char *name);

/*
 * Format a byte count in the largest exact unit ("4M", "1G", "1536K",
 * "1000"). snprintf semantics: returns the length the full text needs.
 */
int cfg_format_size(char *buf, size_t size, uint64_t bytes);

/*
 * Write @cfg in normalized bolt.cfg syntax (every key, defaults included);
 * the result parses back to the same config. snprintf semantics.
 */
int cfg_dump(const struct bolt_config *cfg, char *buf, size_t size);

#endif
