/* SPDX-License-Identifier: MIT */
/* panic(): the hypervisor itself is broken; tell the user where and stop. */
#include <stdarg.h>

#include "arch/cpu.h"
#include "core/console.h"
#include "core/panic.h"
#include "lib/fmt.h"

void panic(const char *fmt, ...)
{
	va_list ap;
	char msg[CONSOLE_LINE_MAX];

	va_start(ap, fmt);
	bolt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_printf("PANIC on CPU %u: %s", arch_cpu_index(), msg);
	arch_panic_stop();
}
