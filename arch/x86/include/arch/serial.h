/* SPDX-License-Identifier: MIT */
/* Host console devices: the COM1 16550 UART (polled) and the 0xE9 debug port. */
#ifndef ARCH_SERIAL_H
#define ARCH_SERIAL_H

#include <stddef.h>

void serial_init(void);
void serial_sink(const char *s, size_t n);
void e9_sink(const char *s, size_t n);

#endif
