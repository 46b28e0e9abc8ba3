/* SPDX-License-Identifier: MIT */
/*
 * The console: one line-buffered log written to every registered sink
 * (COM1, port 0xE9, the GOP framebuffer, and the UEFI console before
 * ExitBootServices). Hypervisor lines start with "bolt: ", guest lines with
 * the guest's name. Whole lines are written under one lock so the output of
 * different CPUs never interleaves within a line.
 */
#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#define CONSOLE_LINE_MAX 256
#define CONSOLE_MAX_SINKS 4

typedef void (*console_sink_fn)(const char *s, size_t n);

/* Returns the slot, or -1 if the table is full. */
int console_add_sink(console_sink_fn fn);
void console_remove_sink(console_sink_fn fn);

/* "bolt: " + formatted text; a trailing newline is added if missing. */
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_vprintf(const char *fmt, va_list ap);

/* Writes one complete line: prefix ": " text "\n", atomically. */
void console_write_line(const char *prefix, const char *text, size_t len);

/* A per-source line buffer (each guest has one). */
struct console_linebuf {
	char buf[CONSOLE_LINE_MAX];
	size_t len;
	const char *prefix;
};

void console_linebuf_putc(struct console_linebuf *lb, char c);
void console_linebuf_flush(struct console_linebuf *lb);

#endif
