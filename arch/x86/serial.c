/* SPDX-License-Identifier: MIT */
/* Polled COM1 output at 115200 8N1, and the Bochs/QEMU 0xE9 debug port. */
#include "arch/serial.h"
#include "arch/x86.h"

#define COM1 0x3f8
#define LSR_THRE 0x20
/* Give up waiting for a missing or stuck UART instead of hanging the log. */
#define THRE_SPINS 100000

void serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB: divisor follows */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFOs on and cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
}

void serial_sink(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (unsigned spin = 0; spin < THRE_SPINS && !(inb(COM1 + 5) & LSR_THRE); spin++)
			cpu_relax();
		outb(COM1, (uint8_t)s[i]);
	}
}

void e9_sink(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		outb(0xe9, (uint8_t)s[i]);
}
