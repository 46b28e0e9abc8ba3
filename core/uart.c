/* SPDX-License-Identifier: MIT */
/* 16550 register semantics for polled guest output (see core/uart.h). */
#include <stdbool.h>

#include "core/console.h"
#include "core/uart.h"

#define UART_LCR_DLAB 0x80
#define UART_LSR_THRE 0x20 /* transmit holding register empty */
#define UART_LSR_TEMT 0x40 /* transmitter empty */
#define UART_IIR_NONE 0x01
#define UART_MSR_CTS_DSR_DCD 0xb0

uint8_t uart_read(struct pio_uart *u, unsigned offset)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (offset) {
	case 0:
		return dlab ? u->dll : 0; /* no input: RBR reads 0 */
	case 1:
		return dlab ? u->dlm : u->ier;
	case 2:
		return UART_IIR_NONE;
	case 3:
		return u->lcr;
	case 4:
		return u->mcr;
	case 5:
		return UART_LSR_THRE | UART_LSR_TEMT; /* always ready to send */
	case 6:
		return UART_MSR_CTS_DSR_DCD;
	default:
		return u->scr;
	}
}

void uart_write(struct pio_uart *u, unsigned offset, uint8_t val, struct console_linebuf *out)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (offset) {
	case 0:
		if (dlab)
			u->dll = val;
		else
			console_linebuf_putc(out, (char)val);
		break;
	case 1:
		if (dlab)
			u->dlm = val;
		else
			u->ier = val & 0x0f;
		break;
	case 3:
		u->lcr = val;
		break;
	case 4:
		u->mcr = val & 0x1f;
		break;
	case 7:
		u->scr = val;
		break;
	default:
		break; /* FCR and the read-only status registers */
	}
}
