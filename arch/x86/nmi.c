/* SPDX-License-Identifier: MIT */
/*
 * NMIs (docs/running.md, "Real machines"). Bolt has no NMI source of its
 * own (no watchdog, no profiling, no NMI IPIs), so an NMI is the
 * platform's: a chipset error, a BMC's "diagnostic interrupt", a firmware
 * watchdog. Bolt counts it and carries on; it never panics for one.
 *
 * - In VMX root (hypervisor code or the idle loop): IDT vector 2
 *   (idt.S) calls host_nmi(), which only counts: the NMI may have hit
 *   code holding the console lock, so it must not log. The IRET ends
 *   the NMI blocking (SDM Vol. 3A, 6.7.1).
 * - In a guest: NMI exiting is on (PIN_NMI_EXITING), so the NMI is a VM
 *   exit with reason 0 and interruption type NMI (SDM Vol. 3C, 25.2 and
 *   28.2.2) and never reaches the guest's IDT. vmx_guest_nmi() counts it
 *   and logs the first per CPU; it is not re-injected (it is not the
 *   guest's) and not replayed with INT 2. Bolt does not rely on NMIs
 *   being blocked or unblocked after that exit: the next VM entry loads
 *   blocking-by-NMI from the guest's interruptibility state (clear), so
 *   a latched second NMI exits again right after it.
 */
#include "arch/cpu.h"
#include "arch/msr.h"
#include "arch/x86.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/pcpu.h"

static uint64_t nmis_early; /* before this CPU's GS base pointed at its pcpu */

void host_nmi(void);
void host_nmi(void)
{
	/* cpu_tables_init() loads the IDT just before it sets GS: see arch_cpu_index(). */
	if (!rdmsr(MSR_IA32_GS_BASE)) {
		__atomic_fetch_add(&nmis_early, 1, __ATOMIC_RELAXED);
		return;
	}
	this_pcpu()->arch.nmis_root++;
}

void vmx_guest_nmi(struct vcpu *v)
{
	struct pcpu_arch *a = &v->pcpu->arch;

	if (a->nmis_guest++)
		return;
	log_printf("CPU %u: NMI while guest '%s' ran (NMI exiting): counted, not injected; "
		   "%lu NMIs in VMX root so far", v->pcpu->index, v->guest->cfg->name,
		   (unsigned long)(a->nmis_root + __atomic_load_n(&nmis_early, __ATOMIC_RELAXED)));
}
