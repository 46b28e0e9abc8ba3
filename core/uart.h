/* SPDX-License-Identifier: MIT */
/*
 * A minimal 16550 UART, enough for polled output: transmit, line status
 * always "ready", scratch/divisor registers that read back what was written.
 * Every guest has one at COM1 (0x3F8); what it transmits goes to the log.
 */
#ifndef CORE_UART_H
#define CORE_UART_H

#include <stdint.h>

struct console_linebuf;

struct pio_uart {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
};

/* offset: 0..7 from the base port. */
uint8_t uart_read(struct pio_uart *u, unsigned offset);
void uart_write(struct pio_uart *u, unsigned offset, uint8_t val, struct console_linebuf *out);

#endif
