/* SPDX-License-Identifier: MIT */
/*
 * Console output and scheduling hypercalls. Output is line-buffered so
 * that each console_io call carries whole lines: Bolt prefixes every guest
 * line with the guest's name, and whole lines keep guests on different
 * CPUs from interleaving mid-line.
 *
 * Off Bolt (no "BoltBoltBolt" CPUID signature, e.g. plain QEMU booting the
 * ELF with -kernel) there are no hypercalls: output goes to debug port
 * 0xE9 and a shutdown becomes a triple fault (QEMU -no-reboot then exits),
 * so the SDK can be developed and smoke-tested without Bolt.
 */
#include "guests/sdk/sdk-internal.h"

#define SDK_LINE_MAX 256
#define SDK_FMT_MAX 512

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

void bolt_flush(void)
{
	if (!sdk_line_len)
		return;
	/* A refused console_io must not swallow a RESULT line: use port 0xE9. */
	if (bolt_console_write(sdk_line, sdk_line_len) < 0)
		sdk_e9_write(sdk_line, sdk_line_len);
	sdk_line_len = 0;
}

static void sdk_putc(char c)
{
	sdk_line[sdk_line_len++] = c;
	if (c == '\n' || sdk_line_len == sizeof(sdk_line))
		bolt_flush();
}

void sdk_console_end_line(void)
{
	if (sdk_line_len)
		sdk_putc('\n');
}

int bolt_vprintf(const char *fmt, va_list ap)
{
	char tmp[SDK_FMT_MAX];
	int n = bolt_vsnprintf(tmp, sizeof(tmp), fmt, ap);
	size_t i, out;

	if (n < 0)
		return n;
	/* Anything past SDK_FMT_MAX - 1 bytes of one call is dropped. */
	out = MIN((size_t)n, sizeof(tmp) - 1);
	for (i = 0; i < out; i++)
		sdk_putc(tmp[i]);
	return n;
}

int bolt_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = bolt_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void bolt_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	sdk_console_end_line();
	if (sdk_off_bolt) {
		bolt_printf("not on Bolt: shutdown reason %u becomes a triple fault\n", reason);
		__asm__ volatile("lidt %0; int3" : : "m"(no_idt) : "memory");
	}
	bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)(uintptr_t)&s,
			0, 0, 0);
	/* Only reached if Bolt refused: park the vCPU rather than run on. */
	for (;;)
		__asm__ volatile("cli; hlt");
}

long bolt_yield(void)
{
	if (sdk_off_bolt)
		return -XEN_ENOSYS;
	return bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
}
