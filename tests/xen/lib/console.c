/* SPDX-License-Identifier: MIT */
/* Output through HYPERVISOR_console_io(CONSOLEIO_write, count, buffer). */
#include "tests/xen/xc.h"

#define XC_LINE_MAX 256

void xc_log(const char *fmt, ...)
{
	char line[XC_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = xc_vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2; /* truncated: still one whole line */
	line[n++] = '\n';
	(void)xc_hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, (unsigned long)n,
			   XC_ULONG(line), 0, 0);
}
