/* SPDX-License-Identifier: MIT */
/*
 * hostile-watchdog: a guest spinning with interrupts off.
 *   test=cli-spin ms=N    cli, then spin for N ms of system time, then power off
 *   test=share ms=N       share the spinner's CPU: must still run regularly
 *                         (the VMX-preemption timer cuts the spinner's slice)
 */
#include "evt.h"

/* Longest acceptable gap on the shared CPU: a 5 ms slice plus slack. */
#define SHARE_MAX_GAP_NS (12 * EVT_MS)

const char *evt_cli_spin(const struct evt_args *a)
{
	uint64_t ms, until;
	const char *why;

	if ((why = evt_opt(a, "ms", 200, &ms)))
		return why;
	printf("%s: spinning with interrupts off for %llu ms\n", a->name, (unsigned long long)ms);
	until = bolt_now_ns() + ms * EVT_MS;
	__asm__ volatile("cli");
	while (bolt_now_ns() < until)
		;
	__asm__ volatile("sti");
	return NULL;
}

const char *evt_share(const struct evt_args *a)
{
	uint64_t ms, start, last, now, gap = 0, loops = 0;
	const char *why;

	if ((why = evt_opt(a, "ms", 100, &ms)))
		return why;
	start = last = bolt_now_ns();
	while ((now = bolt_now_ns()) < start + ms * EVT_MS) {
		if (now - last > gap)
			gap = now - last;
		last = now;
		loops++;
	}
	printf("%s: %llu loops in %llu ms on a shared CPU, longest gap %llu us\n", a->name,
	       (unsigned long long)loops, (unsigned long long)ms, (unsigned long long)(gap / 1000));
	if (gap > SHARE_MAX_GAP_NS)
		return evt_fail("went %llu us without the CPU", (unsigned long long)(gap / 1000));
	return NULL;
}
