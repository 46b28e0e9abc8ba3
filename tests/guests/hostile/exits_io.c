/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: IN/OUT and INS/OUTS over the whole port space, all sizes.
 * Bolt (arch/x86/exit_io.c) emulates COM1 and port 0xE9 and reads every
 * other port as all-ones, dropping writes: reset (0xCF9, 0x64, 0x92) and
 * power-off ports (ACPI PM1a_CNT 0xB004/0x604/0x4004, Bochs 0x8900) too,
 * so nothing is left out of the stream; only the bytes written to the
 * guest's own console ports are kept printable, and the guest's own ACPI
 * power registers (its FADT's sleep control and reset registers,
 * core/acpi_pm.c) get only values that neither power it off nor reset it
 * (SLP_EN clear, never the reset value; no string OUTs), since a guest
 * may legitimately do either to itself; reads of them give all-ones too. String I/O goes to a
 * buffer of ours, to non-canonical addresses (#GP) and to canonical ones
 * the guest has not mapped (#PF, CR2 = the address), with and without REP,
 * counts above Bolt's per-exit batch, DF both ways.
 */
#include "tests/guests/hostile/exits.h"
#include "lib/macros.h"

static const uint16_t exits_ports[] = {
	0x20,	0x21,	0x40,	0x41,	0x42,	0x43,	0x60,	0x61,	0x64,	0x70,	0x71,
	0x80,	0x92,	0xa0,	0xa1,	0xe9,	0xed,	0xf4,	0x1ce,	0x1cf,	0x2f8,	0x3c0,
	0x3d4,	0x3d5,	0x3f8,	0x3f9,	0x3fa,	0x3fb,	0x3fc,	0x3fd,	0x3fe,	0x3ff,	0x402,
	0x403,	0x500,	0x510,	0x511,	0x604,	0x8900, 0x8a00, 0xb000, 0xb004, 0xb008, 0xcf8,
	0xcf9,	0xcfc,	0xcfe,	0x4004, 0xfffc, 0xffff,
};

static bool console_port(uint16_t port)
{
	return port == 0xe9 || (port >= 0x3f8 && port < 0x400);
}

/* The guest's own ACPI power registers: writing SLP_EN or the reset bit stops this guest. */
static bool power_port(uint16_t port)
{
	return port == BOLT_ACPI_SLEEP_CONTROL_PORT || port == BOLT_ACPI_RESET_PORT;
}

static uint16_t pick_port(struct exits_ctx *c)
{
	return exits_below(c, 5) < 2 ? exits_ports[exits_below(c, ARRAY_SIZE(exits_ports))]
				     : (uint16_t)exits_rand(c);
}

void exits_op_io(struct exits_ctx *c)
{
	uint16_t port = pick_port(c);
	unsigned size = 1u << exits_below(c, 3);
	uint64_t rax = exits_rand(c), before = rax, want_rax;
	int got;

	if (exits_below(c, 2)) {
		if (size == 1 && console_port(port)) {
			/* Our own console: a printable letter, and no UART loopback / DLAB games. */
			if (port == 0x3fb || port == 0x3fc)
				port = 0x80;
			else
				rax = 'a' + exits_below(c, 26);
		}
		if (size == 1 && power_port(port)) {
			rax &= ~(uint64_t)BOLT_ACPI_SLP_EN;
			if ((uint8_t)rax == BOLT_ACPI_RESET_VALUE)
				rax ^= 1;
		}
		exits_arm();
		if (size == 1)
			__asm__ volatile(EXITS_TRY "outb %%al, %%dx" EXITS_END
					 : : "a"(rax), "d"(port) : "r11", "memory");
		else if (size == 2)
			__asm__ volatile(EXITS_TRY "outw %%ax, %%dx" EXITS_END
					 : : "a"(rax), "d"(port) : "r11", "memory");
		else
			__asm__ volatile(EXITS_TRY "outl %%eax, %%dx" EXITS_END
					 : : "a"(rax), "d"(port) : "r11", "memory");
		exits_result(c, EXC_IO, (int)exits_vec, EX_NONE, "OUT%u port 0x%x = 0x%llx", size,
			     port, (unsigned long long)(rax & (0xffffffffull >> (32 - 8 * size))));
		return;
	}
	exits_arm();
	if (size == 1)
		__asm__ volatile(EXITS_TRY "inb %%dx, %%al" EXITS_END
				 : "+a"(rax) : "d"(port) : "r11", "memory");
	else if (size == 2)
		__asm__ volatile(EXITS_TRY "inw %%dx, %%ax" EXITS_END
				 : "+a"(rax) : "d"(port) : "r11", "memory");
	else
		__asm__ volatile(EXITS_TRY "inl %%dx, %%eax" EXITS_END
				 : "+a"(rax) : "d"(port) : "r11", "memory");
	got = (int)exits_vec;
	exits_result(c, EXC_IO, got, EX_NONE, "IN%u port 0x%x", size, port);
	if (got >= 0)
		return;
	/* SDM Vol. 1 3.4.1.1: a 32-bit result zero-extends, 8/16-bit ones keep the rest. */
	if (size == 4)
		want_rax = 0xffffffffull;
	else if (size == 2)
		want_rax = (before & ~0xffffull) | 0xffff;
	else if (port == 0xe9)
		want_rax = (before & ~0xffull) | 0xe9;
	else if (port >= 0x3f8 && port < 0x400)
		want_rax = (before & ~0xffull) | (rax & 0xff); /* the UART's registers: any byte */
	else
		want_rax = (before & ~0xffull) | 0xff;
	if (rax != want_rax)
		exits_wrong(c, EXC_IO, "IN%u port 0x%x: RAX 0x%llx before, 0x%llx after, want 0x%llx",
			    size, port, (unsigned long long)before, (unsigned long long)rax,
			    (unsigned long long)want_rax);
}

/* --- String I/O ------------------------------------------------------------------ */

#define SBUF_SIZE 12288u
#define SBUF_FILL 0x5a
static uint8_t exits_sbuf[SBUF_SIZE] __attribute__((aligned(4096)));

struct strio {
	uint64_t rdi, rsi, rcx;
	uint16_t port;
	bool df;
};

#define STRIO_CASE(k, insn)                                                                        \
	case k:                                                                                    \
		__asm__ volatile(EXITS_TRY "testb %b4, %b4\n\tjz 2f\n\tstd\n2:\n\t" insn EXITS_END \
				 "cld"                                                             \
				 : "+D"(s->rdi), "+S"(s->rsi), "+c"(s->rcx)                        \
				 : "d"(s->port), "q"((uint8_t)s->df)                               \
				 : "r11", "memory", "cc");                                         \
		break;

static int strio_run(struct strio *s, unsigned k)
{
	exits_arm();
	switch (k) {
		STRIO_CASE(0, "insb")
		STRIO_CASE(1, "insw")
		STRIO_CASE(2, "insl")
		STRIO_CASE(3, "outsb")
		STRIO_CASE(4, "outsw")
		STRIO_CASE(5, "outsl")
		STRIO_CASE(6, "rep insb")
		STRIO_CASE(7, "rep insw")
		STRIO_CASE(8, "rep insl")
		STRIO_CASE(9, "rep outsb")
		STRIO_CASE(10, "rep outsw")
		STRIO_CASE(11, "rep outsl")
	}
	return (int)exits_vec;
}

/*
 * A page of ours mapped at 8 GiB with nothing mapped around it (the SDK's
 * identity map ends at 4 GiB): a REP INS/OUTS that runs off either end
 * must stop at the last whole element, with RCX and RDI/RSI showing the
 * progress and #PF for the address the next element touches.
 */
#define STRADDLE_VA (8ull << 30)
static uint64_t exits_pd[512] __attribute__((aligned(4096)));
static uint64_t exits_pt[512] __attribute__((aligned(4096)));
static uint8_t exits_spage[4096] __attribute__((aligned(4096)));

static void straddle_setup(void)
{
	static bool done;
	uint64_t cr3, *pml4, *pdpt;

	if (done)
		return;
	done = true;
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(uintptr_t)(cr3 & 0x000ffffffffff000ull);
	pdpt = (uint64_t *)(uintptr_t)(pml4[0] & 0x000ffffffffff000ull);
	exits_pt[0] = (uint64_t)(uintptr_t)exits_spage | 3; /* present, writable */
	exits_pd[0] = (uint64_t)(uintptr_t)exits_pt | 3;
	pdpt[STRADDLE_VA >> 30] = (uint64_t)(uintptr_t)exits_pd | 3;
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

static void strio_straddle(struct exits_ctx *c, unsigned k)
{
	unsigned size = 1u << (k % 3);
	bool in = (k % 6) < 3;
	struct strio s = {.df = exits_below(c, 2)};
	uint64_t count = 2 + exits_below(c, 300), bytes = count * size, start, done, *idx, cr2;
	int got;

	straddle_setup();
	do
		s.port = pick_port(c);
	while (console_port(s.port) || power_port(s.port));
	/* Start close enough to the edge that the run crosses it. */
	if (!s.df)
		start = STRADDLE_VA + 4096 - 1 - exits_below(c, bytes < 4096 ? bytes - 1 : 4095);
	else
		start = STRADDLE_VA + exits_below(c, bytes - size < 4096 - size ? bytes - size : 4096 - size);
	if (!s.df)
		done = (STRADDLE_VA + 4096 - start) / size;
	else
		done = (start - STRADDLE_VA) / size + 1;
	if (done >= count)
		return;
	idx = in ? &s.rdi : &s.rsi;
	*idx = start;
	s.rcx = count;
	memset(exits_spage, SBUF_FILL, sizeof(exits_spage));
	got = strio_run(&s, k < 6 ? k + 6 : k); /* always REP */
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	exits_result(c, EXC_STRIO, got, EX_PF, "REP %s%u off the mapped page: at 0x%llx count %llu df %u",
		     in ? "INS" : "OUTS", size, (unsigned long long)start, (unsigned long long)count,
		     s.df);
	if (got != EX_PF)
		return;
	{
		uint64_t want_idx = s.df ? start - done * size : start + done * size;
		/* The next element's first byte; one that straddles the edge may report the edge. */
		uint64_t want_cr2 = want_idx, edge = STRADDLE_VA + 4096;

		if (*idx != want_idx || s.rcx != count - done ||
		    (cr2 != want_cr2 && !(!s.df && cr2 == edge && want_idx < edge)))
			exits_wrong(c, EXC_STRIO,
				    "REP %s%u df %u from 0x%llx count %llu: index 0x%llx RCX %llu CR2 0x%llx, "
				    "want 0x%llx %llu 0x%llx",
				    in ? "INS" : "OUTS", size, s.df, (unsigned long long)start,
				    (unsigned long long)count, (unsigned long long)*idx,
				    (unsigned long long)s.rcx, (unsigned long long)cr2,
				    (unsigned long long)want_idx, (unsigned long long)(count - done),
				    (unsigned long long)want_cr2);
	}
	if (in) {
		uint64_t lo = s.df ? start - (done - 1) * size : start, hi = s.df ? start + size : start + done * size;

		for (uint64_t a = STRADDLE_VA; a < STRADDLE_VA + 4096; a++) {
			uint8_t w = a >= lo && a < hi ? 0xff : SBUF_FILL;

			if (exits_spage[a - STRADDLE_VA] != w) {
				exits_wrong(c, EXC_STRIO, "REP INS%u off the page: byte 0x%llx is 0x%x",
					    size, (unsigned long long)a, exits_spage[a - STRADDLE_VA]);
				break;
			}
		}
	}
}

void exits_op_strio(struct exits_ctx *c)
{
	unsigned k = (unsigned)exits_below(c, 12), size = 1u << (k % 3);
	bool in = (k % 6) < 3, rep = k >= 6;
	struct strio s = {.df = exits_below(c, 4) == 0};
	uint64_t count = rep ? exits_below(c, 4) ? exits_below(c, 600) : exits_below(c, 4) : 1;
	uint64_t start, *idx = in ? &s.rdi : &s.rsi, bytes = count * size, lo, hi;
	unsigned where = (unsigned)exits_below(c, 8);
	int want, got;

	if (where == 7 && exits_below(c, 2)) {
		strio_straddle(c, k);
		return;
	}
	do
		s.port = pick_port(c);
	while (console_port(s.port) || power_port(s.port));
	if (where < 6) {
		/* Our buffer, the run inside it whichever way DF points. */
		start = (uint64_t)(uintptr_t)exits_sbuf + 2600 + exits_below(c, 64);
		if (s.df)
			start += SBUF_SIZE - 5400;
		want = EX_NONE;
	} else if (where == 6) {
		start = exits_noncanonical(c);
		want = count ? EX_GP : EX_NONE;
	} else {
		start = (1ull << 33) + exits_below(c, 1ull << 32);
		if (exits_below(c, 2))
			start = 0xffff800000000000ull + exits_below(c, 1ull << 40);
		want = count ? EX_PF : EX_NONE;
	}
	memset(exits_sbuf, SBUF_FILL, SBUF_SIZE);
	*idx = start;
	s.rcx = rep ? count : exits_rand(c);
	got = strio_run(&s, k);
	exits_result(c, EXC_STRIO, got, want, "%s%s%u port 0x%x at 0x%llx count %llu df %u",
		     rep ? "REP " : "", in ? "INS" : "OUTS", size, s.port, (unsigned long long)start,
		     (unsigned long long)count, s.df);
	if (got != want)
		return;
	if (got < 0) {
		uint64_t end = s.df ? start - bytes : start + bytes;

		if (*idx != end || (rep && s.rcx != 0))
			exits_wrong(c, EXC_STRIO, "%s%u count %llu: index 0x%llx (want 0x%llx), RCX %llu",
				    in ? "INS" : "OUTS", size, (unsigned long long)count,
				    (unsigned long long)*idx, (unsigned long long)end,
				    (unsigned long long)s.rcx);
		if (!in || !count)
			return;
		/* The bytes written: all-ones (an unassigned port), nothing outside. */
		lo = s.df ? start - bytes + size : start;
		hi = lo + bytes;
		for (uint64_t a = (uint64_t)(uintptr_t)exits_sbuf;
		     a < (uint64_t)(uintptr_t)exits_sbuf + SBUF_SIZE; a++) {
			uint8_t b = *(uint8_t *)(uintptr_t)a, w = a >= lo && a < hi ? 0xff : SBUF_FILL;

			if (b != w) {
				exits_wrong(c, EXC_STRIO, "INS%u count %llu: byte at 0x%llx is 0x%x",
					    size, (unsigned long long)count, (unsigned long long)a, b);
				return;
			}
		}
		return;
	}
	/* A fault on the first element: nothing done, registers as they were. */
	if (*idx != start || (rep && s.rcx != count))
		exits_wrong(c, EXC_STRIO, "faulting %s%u: index 0x%llx, RCX %llu", in ? "INS" : "OUTS",
			    size, (unsigned long long)*idx, (unsigned long long)s.rcx);
	if (got == EX_PF) {
		uint64_t cr2;

		__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
		if (cr2 != start)
			exits_wrong(c, EXC_STRIO, "#PF on 0x%llx reports CR2 0x%llx",
				    (unsigned long long)start, (unsigned long long)cr2);
	}
}
