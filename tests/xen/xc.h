/* SPDX-License-Identifier: MIT */
/*
 * The Xen conformance suite's runtime (docs/xen-conformance.md): a guest
 * written only against the Xen public headers (libxen-dev), with nothing
 * from Bolt's include/ or guests/sdk. Each architecture (x86_64/, and
 * x86_32/ for the flat, PSE and PAE builds) supplies the entry stub, the
 * build's names and the hypercall call; lib/ and cases/ are the same C for
 * every build.
 */
#ifndef XC_H
#define XC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* xen.h uses uint64_t etc. without including stdint.h: it must come first. */
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>

/* --- arch (x86_64/arch.c, x86_32/arch.c) --------------------------------- */

/* A name for the build in RESULT lines: "64", "32", "32pse", "32pae". */
extern const char xc_arch_name[];
/* The XENVER_capabilities entry of the ABI the build runs under, e.g. "hvm-3.0-x86_64". */
extern const char xc_arch_caps[];

/*
 * Hypercall nr through the hypercall page (xc_hcall_page, filled by
 * xc_xen_init), in the register convention of the mode the guest runs in.
 * Up to five integer arguments; unused ones are passed as 0.
 */
long xc_hypercall(unsigned nr, unsigned long a1, unsigned long a2, unsigned long a3,
		  unsigned long a4, unsigned long a5);

/* --- CPU helpers common to all builds (lib/cpu.c) ------------------------- */

void xc_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4]);
void xc_wrmsr(uint32_t msr, uint64_t val);
uint64_t xc_rdtsc(void);
/* Stops the vCPU for good when even SCHEDOP_shutdown failed. */
__attribute__((noreturn)) void xc_arch_halt(void);

/* --- Xen bring-up (lib/xen.c) -------------------------------------------- */

/* The hypercall page; xc_hypercall calls into it at nr * 32. */
extern uint8_t xc_hcall_page[4096];

struct xc_xen {
	uint32_t base;		/* the CPUID leaf with "XenVMMXenVMM" */
	uint32_t max_leaf;	/* its EAX */
	uint32_t version;	/* leaf base + 1 EAX: major << 16 | minor */
	uint32_t hcall_msr;	/* leaf base + 2 EBX */
	uint32_t hcall_pages;	/* leaf base + 2 EAX */
};

/* Finds Xen and installs the hypercall page: NULL, or why not. */
const char *xc_xen_init(struct xc_xen *x);
extern struct xc_xen xc_xen;

/* The first 4 GiB are identity-mapped: a guest-physical address is a pointer. */
#define XC_PTR(pa) ((void *)(uintptr_t)(pa))
#define XC_ULONG(p) ((unsigned long)(uintptr_t)(p))

/* SCHEDOP_shutdown(reason); returns only if the hypercall failed. */
long xc_shutdown(unsigned reason);

/* --- shared_info and events (lib/events.c) -------------------------------- */

/*
 * shared_info as this build's headers lay it out (the 32-bit layout in a
 * 32-bit build), once the shinfo-add-to-physmap case mapped it; NULL
 * before. Cases that need it check for NULL and fail.
 */
extern volatile struct shared_info *xc_shinfo;
/* System time (ns) from vcpu_info[0].time, Xen's pvclock formula. */
uint64_t xc_system_time(void);
/* The port's bits in the build's evtchn_pending / evtchn_mask words. */
bool xc_port_pending(evtchn_port_t port);
void xc_port_clear(evtchn_port_t port);
void xc_port_mask(evtchn_port_t port, bool masked);
/* Clears vCPU 0's evtchn_pending_sel and evtchn_upcall_pending. */
void xc_upcall_clear(void);
/* EVTCHNOP_<cmd>(arg); SCHEDOP_poll on one port with an absolute timeout (0: none). */
long xc_evtchn(int cmd, void *arg);
long xc_poll1(evtchn_port_t port, uint64_t timeout);

/* --- console (lib/console.c, lib/fmt.c) ---------------------------------- */

/* printf subset: %d %i %u %x %ld %lu %lx %lld %llu %llx %s %c %p %%; field width and 0. */
int xc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int xc_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* One line on the Xen console (CONSOLEIO_write); a newline is added. */
void xc_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --- strings (lib/string.c); GCC may also emit calls to the first four --- */

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);

/* --- checks and RESULT lines (lib/check.c) ------------------------------- */

/*
 * A case is a function that calls the XC_* checks below. The first failed
 * check of a case names what went wrong (with file and line) in its one
 * `RESULT xen/<case> FAIL: why` line; later checks still run and are
 * logged. A case with no failed check prints `RESULT xen/<case> PASS`.
 */
struct xc_case {
	const char *name;
	void (*run)(void);
};

void xc_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The return value of a call (what) must equal want. */
bool xc_check_rc(const char *file, int line, const char *what, long got, long want);

#define XC_CHECK(cond, ...)                                        \
	((cond) ? true : (xc_fail(__FILE__, __LINE__, __VA_ARGS__), false))
#define XC_RC(what, got, want) xc_check_rc(__FILE__, __LINE__, (what), (got), (want))

/* Runs every case and prints the final RESULT line; returns failures. */
int xc_run_cases(const struct xc_case *cases, size_t n);

/* --- the cases (one file each in cases/), listed in main.c ----------------- */

/* What EBX pointed at on entry (main.c sets it before the first case). */
struct hvm_start_info;
extern const struct hvm_start_info *xc_start_info;

void xc_case_acpi(void);

void xc_case_cpuid(void);
void xc_case_version(void);
void xc_case_version_features(void);
void xc_case_version_strings(void);
void xc_case_hvm_param(void);
void xc_case_evtchn_alloc(void);
void xc_case_evtchn_status(void);
void xc_case_evtchn_close(void);
void xc_case_enosys(void);
void xc_case_shinfo(void);
void xc_case_shinfo_wallclock(void);
void xc_case_shinfo_time(void);
void xc_case_shinfo_selector(void);
void xc_case_set_timer_op(void);
void xc_case_sched_poll(void);
void xc_case_vcpu_singleshot(void);
void xc_case_vcpu_runstate(void);
void xc_case_memory_reservation(void);
void xc_case_memory_balloon(void);
/* Paged 32-bit builds only (tests/xen/paging.h). */
void xc_case_paging_alias(void);
void xc_case_paging_straddle(void);
void xc_case_evtchn_fifo(void);
void xc_case_gnttab_version(void);
void xc_case_gnttab_frames(void);
void xc_case_gnttab_self(void);
void xc_case_vcpu_info(void);
void xc_case_periodic(void);

#endif
