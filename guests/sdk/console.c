/* SPDX-License-Identifier: MIT */
/*
 * Console output and the shutdown hypercall. Everything a guest prints,
 * through stdio (write(1 or 2, ...), syscalls.c) or the SDK's own messages
 * (sdk_log), passes one line buffer here, so each console_io call carries
 * whole lines: Bolt prefixes every guest line with the guest's name, and
 * whole lines keep guests on different CPUs from interleaving mid-line.
 *
 * Off Bolt (no "BoltBoltBolt" CPUID signature, e.g. plain QEMU booting the
 * ELF with -kernel) there are no hypercalls: output goes to debug port
 * 0xE9 and a shutdown becomes a triple fault (QEMU -no-reboot then exits),
 * so the SDK can be developed and smoke-tested without Bolt.
 */
#include <stdarg.h>
#include <stdio.h>

#include "guests/sdk/sdk-internal.h"

#define SDK_LINE_MAX 256
#define SDK_LOG_MAX 256

static char sdk_line[SDK_LINE_MAX];
static size_t sdk_line_len;
static bool sdk_off_bolt;

void sdk_console_init(void)
{
	struct bolt_info info;

	sdk_off_bolt = bolt_info(&info) < 0;
}

static void sdk_e9_write(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		bolt_outb(0xe9, (uint8_t)buf[i]);
}

long bolt_console_write(const char *buf, size_t len)
{
	if (sdk_off_bolt) {
		sdk_e9_write(buf, len);
		return 0;
	}
	return bolt_hypercall5(__HYPERVISOR_console_io, CONSOLEIO_write, len,
			       (unsigned long)(uintptr_t)buf, 0, 0);
}

static void sdk_console_flush(void)
{
	if (!sdk_line_len)
		return;
	/* A refused console_io must not swallow a RESULT line: use port 0xE9. */
	if (bolt_console_write(sdk_line, sdk_line_len) < 0)
		sdk_e9_write(sdk_line, sdk_line_len);
	sdk_line_len = 0;
}

void sdk_console_put(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		sdk_line[sdk_line_len++] = buf[i];
		if (buf[i] == '\n' || sdk_line_len == sizeof(sdk_line))
			sdk_console_flush();
	}
}

void sdk_console_end_line(void)
{
	if (sdk_line_len)
		sdk_console_put("\n", 1);
}

void sdk_log(const char *fmt, ...)
{
	char buf[SDK_LOG_MAX];
	va_list ap;
	int n;

	/*
	 * newlib's integer-only vsnprintf: the SDK prints no floats, and a
	 * guest that does not call snprintf itself then links no float
	 * formatter for strings (13 KiB of hello.elf).
	 */
	va_start(ap, fmt);
	n = vsniprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* Longer messages are cut: these are one-line diagnostics. */
	sdk_console_end_line();
	sdk_console_put(buf, MIN((size_t)n, sizeof(buf) - 1));
	sdk_console_end_line();
}

void sdk_shutdown_now(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	sdk_console_end_line();
	if (sdk_off_bolt) {
		sdk_log("not on Bolt: shutdown reason %u becomes a triple fault", reason);
		__asm__ volatile("lidt %0; int3" : : "m"(no_idt) : "memory");
	}
	bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)(uintptr_t)&s,
			0, 0, 0);
	/* Only reached if Bolt refused: park the vCPU rather than run on. */
	for (;;)
		__asm__ volatile("cli; hlt");
}

void bolt_shutdown(unsigned int reason)
{
	/* What stdio still buffers goes out first; exit() does the same. */
	fflush(stdout);
	fflush(stderr);
	sdk_shutdown_now(reason);
}

long bolt_yield(void)
{
	if (sdk_off_bolt)
		return -XEN_ENOSYS;
	return bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
}

bool sdk_on_bolt(void)
{
	return !sdk_off_bolt;
}
