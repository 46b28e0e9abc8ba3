/* SPDX-License-Identifier: MIT */
/* Symbols shared between the SDK's own files (entry.S and the C side); not guest API. */
#ifndef BOLT_GUEST_SDK_INTERNAL_H
#define BOLT_GUEST_SDK_INTERNAL_H

#include <string.h>

#include <bolt/sdk/base.h>
#include "lib/macros.h"

#define SDK_NR_EXCEPTIONS 32
#define SDK_NR_VECTORS 256
#define SDK_GDT_CODE64 0x08 /* must match sdk_gdt in entry.S */

/* entry.S: the 32 stub addresses, indexed by vector. */
extern const uint64_t sdk_exception_stubs[SDK_NR_EXCEPTIONS];

/* start.c: first C code, called by entry.S. */
__attribute__((noreturn)) void sdk_start(struct hvm_start_info *si);

/* console.c: pick hypercalls or, off Bolt, port 0xE9. */
void sdk_console_init(void);
/* false when the "BoltBoltBolt" CPUID signature is missing. */
bool sdk_on_bolt(void);
/* Append to the console line buffer; each full line goes out in one console_io. */
void sdk_console_put(const char *buf, size_t len);
/* Terminate a half-printed line so the next output starts on its own. */
void sdk_console_end_line(void);
/*
 * The SDK's own one-line messages (no newline needed): formatted on the
 * stack, never through stdio, so safe in the exception and upcall paths.
 */
void sdk_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* SCHEDOP_shutdown without flushing stdio (the exception and exit paths). */
__attribute__((noreturn)) void sdk_shutdown_now(unsigned int reason);

/* startinfo.c: the heap's bounds from the memory map (see struct bolt_heap). */
void sdk_heap_range(const struct hvm_start_info *si, uintptr_t image_end, uintptr_t *start,
		    uintptr_t *end);
/*
 * Split a command line at blanks into argv[1..] (argv[0] is ""), copying
 * the words into buf; argv[argc] is NULL. Returns argc, or -XEN_E2BIG when
 * buf or max entries (the NULL included) are too few, -XEN_EINVAL for max < 2.
 */
int sdk_args_split(const char *cmdline, char *buf, size_t len, char **argv, int max);

/* heap.c: set the heap up before main (sbrk fails until then). */
void sdk_heap_init(const struct hvm_start_info *si);

/* entry.S: the upcall stub for BOLT_UPCALL_VECTOR (saves everything, calls sdk_upcall). */
void sdk_upcall_entry(void);

/* exception.c */
void sdk_idt_install(void);
void sdk_exception(struct bolt_exception_frame *frame);
/* Point IDT gate `vector` at handler (an interrupt gate: IF stays 0 inside). */
void sdk_idt_set_gate(unsigned int vector, uint64_t handler);

/* xen.c: the pages Bolt fills (hypercall stubs) and replaces (shared_info). */
extern uint8_t sdk_hcall_page[BOLT_PAGE_SIZE];
extern uint8_t sdk_shinfo_page[BOLT_PAGE_SIZE];
/* xen.c: find the Xen leaves and set up hypercall page, shared_info, upcall. */
void sdk_xen_init(void);

/* upcall.c: the C side of the upcall, and the per-port event counter. */
void sdk_upcall(void);
void sdk_evtchn_counted(evtchn_port_t port);

/* upcall.c: Bolt's trace-ack page once mapped (bolt_trace_map), else NULL. */
extern struct bolt_trace_acks *sdk_trace_acks;

#endif
