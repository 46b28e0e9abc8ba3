/* SPDX-License-Identifier: MIT */
/*
 * The idle wait (arch_idle_wait, for sched/idle.c) and each CPU's choice
 * of how to wait: MONITOR/MWAIT on the kick word where the CPU has it,
 * else HLT with interrupts on, woken by the kick IPI (docs/running.md,
 * "Real machines"). The generic side of the HLT handshake (`halted`,
 * sched_kick()'s IPI) is in sched/idle.c and sched/sched.c.
 */
#include "arch/cpu.h"
#include "arch/cpu_policy.h"
#include "arch/x86.h"
#include "core/console.h"
#include "core/pcpu.h"

void idle_mode_init(struct pcpu *p)
{
	static bool logged;
	struct cpuid_regs r;

	cpuid(1, 0, &r);
	p->idle_hlt = !cpu_idle_mwait_usable(r.ecx);
	if (p->idle_hlt && !__atomic_exchange_n(&logged, true, __ATOMIC_RELAXED))
		log_printf("idle: no MONITOR/MWAIT; HLT + IPI wakes");
}

uint64_t arch_idle_wait(volatile uint64_t *line, void *volatile const *cond, uint64_t deadline_tsc)
{
	if (deadline_tsc) {
		/*
		 * A timed wait spins: MWAIT has no portable timeout and the host
		 * takes no timer interrupts. The line is still watched, so a
		 * wake-up ends the wait at once.
		 */
		uint64_t seen = *line;
		while (*line == seen && !*cond && rdtsc() < deadline_tsc)
			cpu_relax();
		return rdtsc();
	}
	if (this_pcpu()->idle_hlt) {
		/*
		 * sched/idle.c announced `halted` before this re-check, so a
		 * waker that enqueued after it sends the kick IPI. With IF = 0
		 * that IPI waits in the IRR; STI's one-instruction shadow
		 * (SDM Vol. 3A, 6.8.3) lets HLT start first, and the pending
		 * IPI ends it at once: no wake-up is lost between the check
		 * and the HLT. host_irq_stub EOIs it.
		 */
		if (*cond)
			return rdtsc();
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		return rdtsc();
	}
	cpu_monitor(line);
	if (*cond)
		return rdtsc();
	return cpu_mwait_tsc(); /* hv_wake's start: the instruction after MWAIT */
}
