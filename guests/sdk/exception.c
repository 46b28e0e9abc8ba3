/* SPDX-License-Identifier: MIT */
/*
 * Exception reporting: an IDT whose vectors 0-31 point at entry.S's stubs
 * (the rest are not present, except the event-channel upcall vector that
 * xen.c installs through sdk_idt_set_gate), a report line per exception, and per-vector hooks so a test guest can
 * expect a fault (#UD from VMXON, #GP from a forbidden WRMSR) and pass.
 */
#include <stdio.h>

#include "guests/sdk/sdk-internal.h"

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gates are 16 bytes");

struct idt_desc {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define IDT_INTERRUPT_GATE 0x8e /* present, DPL 0, 64-bit interrupt gate: IF stays 0 */

static struct idt_gate sdk_idt[SDK_NR_VECTORS] __attribute__((aligned(16)));
static bolt_exception_hook_t sdk_hooks[SDK_NR_EXCEPTIONS];

static const char *const sdk_exc_names[SDK_NR_EXCEPTIONS] = {
	[0] = "DE",   [1] = "DB",   [2] = "NMI",  [3] = "BP",   [4] = "OF",
	[5] = "BR",   [6] = "UD",   [7] = "NM",   [8] = "DF",   [9] = "CSO",
	[10] = "TS",  [11] = "NP",  [12] = "SS",  [13] = "GP",  [14] = "PF",
	[16] = "MF",  [17] = "AC",  [18] = "MC",  [19] = "XM",  [20] = "VE",
	[21] = "CP",  [28] = "HV",  [29] = "VC",  [30] = "SX",
};

const char *bolt_exception_name(unsigned int vector)
{
	if (vector >= SDK_NR_EXCEPTIONS || !sdk_exc_names[vector])
		return "??";
	return sdk_exc_names[vector];
}

void sdk_idt_set_gate(unsigned int vector, uint64_t handler)
{
	if (vector >= SDK_NR_VECTORS)
		return;
	sdk_idt[vector] = (struct idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = SDK_GDT_CODE64,
		.ist = 0,
		.type_attr = IDT_INTERRUPT_GATE,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

void sdk_idt_install(void)
{
	struct idt_desc desc;
	unsigned int v;

	for (v = 0; v < SDK_NR_EXCEPTIONS; v++)
		sdk_idt_set_gate(v, sdk_exception_stubs[v]);
	/* Other vectors stay not present: a stray interrupt reports #NP. */
	desc.limit = sizeof(sdk_idt) - 1;
	desc.base = (uint64_t)(uintptr_t)sdk_idt;
	__asm__ volatile("lidt %0" : : "m"(desc) : "memory");
}

int bolt_set_exception_hook(unsigned int vector, bolt_exception_hook_t fn)
{
	if (vector >= SDK_NR_EXCEPTIONS)
		return -XEN_EINVAL;
	sdk_hooks[vector] = fn;
	return 0;
}

void sdk_exception(struct bolt_exception_frame *frame)
{
	static bool sdk_dying;
	unsigned int v = (unsigned int)frame->vector;
	bolt_exception_hook_t hook = v < SDK_NR_EXCEPTIONS ? sdk_hooks[v] : NULL;

	/*
	 * Reported through sdk_log, never stdio: the exception may have hit
	 * in the middle of printf or malloc, which newlib does not guard.
	 */
	sdk_log("exception #%s (vector %u) at rip 0x%llx error 0x%llx rsp 0x%llx",
		bolt_exception_name(v), v, (unsigned long long)frame->rip,
		(unsigned long long)frame->error_code, (unsigned long long)frame->rsp);
	if (v == 14) {
		uint64_t cr2;

		__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
		sdk_log("page fault address 0x%llx", (unsigned long long)cr2);
	}
	if (hook && hook(frame))
		return;
	/*
	 * Dying anyway: let what main() left in stdio's buffers out, since it
	 * tells what the guest was doing. If that faults too (stdio was the
	 * culprit), the second time round goes straight to the shutdown.
	 */
	if (!sdk_dying) {
		sdk_dying = true;
		fflush(stdout);
		fflush(stderr);
	}
	sdk_log("unhandled exception: shutting down with SHUTDOWN_crash");
	sdk_shutdown_now(SHUTDOWN_crash);
}
