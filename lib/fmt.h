/* SPDX-License-Identifier: MIT */
/* Minimal printf-style formatting shared by the hypervisor and the host tools. */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supports %d %i %u %x %X %o %c %s %p %% with flags '-', '0', field width,
 * precision for %s ("%.*s" too), and length modifiers hh h l ll z.
 * Returns the length the full output would have (like C99 vsnprintf).
 */
int bolt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int bolt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
