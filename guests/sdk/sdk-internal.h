/* SPDX-License-Identifier: MIT */
/* Symbols shared between the SDK's own files (entry.S and the C side); not guest API. */
#ifndef BOLT_GUEST_SDK_INTERNAL_H
#define BOLT_GUEST_SDK_INTERNAL_H

#include "guests/sdk/bolt.h"

#define SDK_NR_EXCEPTIONS 32
#define SDK_GDT_CODE64 0x08 /* must match sdk_gdt in entry.S */

/* entry.S: the 32 stub addresses, indexed by vector. */
extern const uint64_t sdk_exception_stubs[SDK_NR_EXCEPTIONS];

/* start.c: first C code, called by entry.S. */
__attribute__((noreturn)) void sdk_start(struct hvm_start_info *si);

/* console.c: pick hypercalls or, off Bolt, port 0xE9. */
void sdk_console_init(void);
/* Terminate a half-printed line so the next output starts on its own. */
void sdk_console_end_line(void);

/* exception.c */
void sdk_idt_install(void);
void sdk_exception(struct bolt_exception_frame *frame);

#endif
