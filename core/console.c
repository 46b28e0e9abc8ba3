/* SPDX-License-Identifier: MIT */
/* Line-buffered console fan-out to the configured sinks. */
#include "core/console.h"
#include "core/spinlock.h"
#include "lib/fmt.h"
#include "lib/lib.h"

static struct spinlock console_lock = SPINLOCK_INIT;
static console_sink_fn sinks[CONSOLE_MAX_SINKS];

int console_add_sink(console_sink_fn fn)
{
	int slot = -1;

	spin_lock(&console_lock);
	for (unsigned i = 0; i < CONSOLE_MAX_SINKS; i++) {
		if (!sinks[i] || sinks[i] == fn) {
			sinks[i] = fn;
			slot = (int)i;
			break;
		}
	}
	spin_unlock(&console_lock);
	return slot;
}

void console_remove_sink(console_sink_fn fn)
{
	spin_lock(&console_lock);
	for (unsigned i = 0; i < CONSOLE_MAX_SINKS; i++)
		if (sinks[i] == fn)
			sinks[i] = NULL;
	spin_unlock(&console_lock);
}

static void emit(const char *s, size_t n)
{
	for (unsigned i = 0; i < CONSOLE_MAX_SINKS; i++)
		if (sinks[i])
			sinks[i](s, n);
}

void console_write_line(const char *prefix, const char *text, size_t len)
{
	char line[CONSOLE_LINE_MAX + 48];
	size_t n = 0;

	/* Build the whole line first so the lock is held only while writing it. */
	if (prefix) {
		size_t p = strnlen(prefix, 40);
		memcpy(line, prefix, p);
		n = p;
		line[n++] = ':';
		line[n++] = ' ';
	}
	for (size_t i = 0; i < len && n < sizeof(line) - 2; i++) {
		char c = text[i];
		/* Keep the log one line per record: no control characters from guests. */
		line[n++] = (c == '\t' || (c >= 0x20 && c < 0x7f)) ? c : '.';
	}
	line[n++] = '\r';
	line[n++] = '\n';
	spin_lock(&console_lock);
	emit(line, n);
	spin_unlock(&console_lock);
}

void log_vprintf(const char *fmt, va_list ap)
{
	char buf[CONSOLE_LINE_MAX];
	int n = bolt_vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < 0 ? 0 : MIN((size_t)n, sizeof(buf) - 1);

	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	console_write_line("bolt", buf, len);
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(fmt, ap);
	va_end(ap);
}

void console_linebuf_flush(struct console_linebuf *lb)
{
	if (lb->len)
		console_write_line(lb->prefix, lb->buf, lb->len);
	lb->len = 0;
}

void console_linebuf_putc(struct console_linebuf *lb, char c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		/* An empty guest line is still a line. */
		if (!lb->len)
			console_write_line(lb->prefix, "", 0);
		console_linebuf_flush(lb);
		return;
	}
	lb->buf[lb->len++] = c;
	if (lb->len == sizeof(lb->buf))
		console_linebuf_flush(lb);
}
