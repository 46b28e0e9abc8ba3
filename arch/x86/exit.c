/* SPDX-License-Identifier: MIT */
/*
 * VM-exit dispatch (KVM/ACRN style): a table indexed by basic exit reason
 * with designated initializers. An exit without a handler dumps the guest
 * state and stops that guest only.
 */
#include "arch/apic.h"
#include "arch/exits.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "core/lifecycle.h"
#include "core/vcpu_up.h"
#include "sched/sched.h"
#include "sched/timer.h"

static const char *const exit_names[EXIT_REASON_MAX] = {
	[EXIT_REASON_EXCEPTION_NMI] = "exception/NMI",
	[EXIT_REASON_EXTERNAL_INTERRUPT] = "external interrupt",
	[EXIT_REASON_TRIPLE_FAULT] = "triple fault",
	[EXIT_REASON_INIT_SIGNAL] = "INIT",
	[EXIT_REASON_SIPI] = "SIPI",
	[EXIT_REASON_INTERRUPT_WINDOW] = "interrupt window",
	[EXIT_REASON_TPR_BELOW_THRESHOLD] = "TPR below threshold",
	[EXIT_REASON_TASK_SWITCH] = "task switch",
	[EXIT_REASON_CPUID] = "CPUID",
	[EXIT_REASON_GETSEC] = "GETSEC",
	[EXIT_REASON_HLT] = "HLT",
	[EXIT_REASON_INVD] = "INVD",
	[EXIT_REASON_RDPMC] = "RDPMC",
	[EXIT_REASON_VMCALL] = "VMCALL",
	[EXIT_REASON_VMCLEAR] = "VMCLEAR",
	[EXIT_REASON_VMLAUNCH] = "VMLAUNCH",
	[EXIT_REASON_VMPTRLD] = "VMPTRLD",
	[EXIT_REASON_VMPTRST] = "VMPTRST",
	[EXIT_REASON_VMREAD] = "VMREAD",
	[EXIT_REASON_VMRESUME] = "VMRESUME",
	[EXIT_REASON_VMWRITE] = "VMWRITE",
	[EXIT_REASON_VMXOFF] = "VMXOFF",
	[EXIT_REASON_VMXON] = "VMXON",
	[EXIT_REASON_CR_ACCESS] = "CR access",
	[EXIT_REASON_DR_ACCESS] = "DR access",
	[EXIT_REASON_IO_INSTRUCTION] = "I/O instruction",
	[EXIT_REASON_MSR_READ] = "RDMSR",
	[EXIT_REASON_MSR_WRITE] = "WRMSR",
	[EXIT_REASON_INVALID_GUEST_STATE] = "invalid guest state",
	[EXIT_REASON_MSR_LOADING] = "MSR loading",
	[EXIT_REASON_MWAIT] = "MWAIT",
	[EXIT_REASON_MONITOR] = "MONITOR",
	[EXIT_REASON_PAUSE] = "PAUSE",
	[EXIT_REASON_MCE_DURING_ENTRY] = "machine check during entry",
	[EXIT_REASON_EPT_VIOLATION] = "EPT violation",
	[EXIT_REASON_EPT_MISCONFIG] = "EPT misconfiguration",
	[EXIT_REASON_INVEPT] = "INVEPT",
	[EXIT_REASON_RDTSCP] = "RDTSCP",
	[EXIT_REASON_PREEMPTION_TIMER] = "preemption timer",
	[EXIT_REASON_INVVPID] = "INVVPID",
	[EXIT_REASON_WBINVD] = "WBINVD",
	[EXIT_REASON_XSETBV] = "XSETBV",
	[EXIT_REASON_RDRAND] = "RDRAND",
	[EXIT_REASON_INVPCID] = "INVPCID",
	[EXIT_REASON_VMFUNC] = "VMFUNC",
	[EXIT_REASON_RDSEED] = "RDSEED",
	[EXIT_REASON_XSAVES] = "XSAVES",
	[EXIT_REASON_XRSTORS] = "XRSTORS",
};

const char *arch_exit_reason_name(uint32_t reason)
{
	return reason < EXIT_REASON_MAX && exit_names[reason] ? exit_names[reason] : "unknown";
}

static void dump_and_stop(struct vcpu *v, struct guest_regs *regs, uint32_t reason, const char *why)
{
	log_printf("guest '%s': %s: exit reason %u (%s), qualification 0x%lx", v->guest->cfg->name,
		   why, reason, arch_exit_reason_name(reason),
		   (unsigned long)vmcs_readnat(EXIT_QUALIFICATION));
	log_printf("  RIP %016lx RSP %016lx RFLAGS %08lx CR0 %08lx CR3 %08lx CR4 %08lx",
		   (unsigned long)vmcs_readnat(GUEST_RIP), (unsigned long)vmcs_readnat(GUEST_RSP),
		   (unsigned long)vmcs_readnat(GUEST_RFLAGS), (unsigned long)vmcs_readnat(GUEST_CR0),
		   (unsigned long)vmcs_readnat(GUEST_CR3), (unsigned long)vmcs_readnat(GUEST_CR4));
	log_printf("  RAX %016lx RBX %016lx RCX %016lx RDX %016lx", (unsigned long)regs->rax,
		   (unsigned long)regs->rbx, (unsigned long)regs->rcx, (unsigned long)regs->rdx);
	log_printf("  RSI %016lx RDI %016lx RBP %016lx EFER %lx", (unsigned long)regs->rsi,
		   (unsigned long)regs->rdi, (unsigned long)regs->rbp,
		   (unsigned long)vmcs_read64(GUEST_IA32_EFER));
	guest_stop(v->guest, GUEST_STOP_CRASH, "%s (exit reason %u, %s)", why, reason,
		   arch_exit_reason_name(reason));
}

static EXIT_HANDLER(exit_unhandled)
{
	dump_and_stop(v, regs, reason, "unhandled VM exit");
}

static EXIT_HANDLER(exit_triple_fault)
{
	guest_stop(v->guest, GUEST_STOP_CRASH, "triple fault at RIP 0x%lx",
		   (unsigned long)vmcs_readnat(GUEST_RIP));
}

static EXIT_HANDLER(exit_hlt)
{
	vmx_advance_rip();
	/* An event already waits: the upcall is injected on the way back in. */
	if (vcpu_upcall_pending(v))
		return;
	/*
	 * With IF = 0 and no NMI source nothing can ever wake it: it is done.
	 * A sibling vCPU still running may send it INIT: only it is parked.
	 */
	if (!(vmcs_readnat(GUEST_RFLAGS) & X86_RFLAGS_IF)) {
		if (vcpu_halt_forever(v))
			return;
		guest_stop(v->guest, GUEST_STOP_HALT, "HLT with interrupts disabled at RIP 0x%lx",
			   (unsigned long)(vmcs_readnat(GUEST_RIP) - 1));
		return;
	}
	v->arch.halted_clean = sched_block_unless_upcall(v);
}

/* VMX, SMX and other instructions a guest must not use: #UD, as on a CPU without VMX. */
static EXIT_HANDLER(exit_undefined)
{
	if (guest_may_log(v->guest))
		log_printf("guest '%s': %s at RIP 0x%lx: injecting #UD", v->guest->cfg->name,
			   arch_exit_reason_name(reason), (unsigned long)vmcs_readnat(GUEST_RIP));
	vmx_inject_exception(X86_EXC_UD, -1);
}

static EXIT_HANDLER(exit_vmcall)
{
	vmx_hypercall(v, regs);
}

static EXIT_HANDLER(exit_external_interrupt)
{
	/*
	 * "Acknowledge interrupt on exit" took the vector from the APIC
	 * (SDM 27.2.2): the only source is the scheduler's kick, whose work is
	 * done by sched_next() on the way back in. Just signal end of interrupt.
	 */
	apic_eoi();
}

static EXIT_HANDLER(exit_nmi_or_exception)
{
	uint32_t info = vmcs_read32(VM_EXIT_INTR_INFO);

	if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
		/* The platform's NMI, taken by NMI exiting: counted, not the guest's (nmi.c). */
		vmx_guest_nmi(v);
		return;
	}
	dump_and_stop(v, regs, reason, "unexpected exception exit");
}

static EXIT_HANDLER(exit_init_sipi)
{
	/* Nothing in Bolt sends INIT/SIPI to a CPU running a guest: ignore it. */
	if (guest_may_log(v->guest))
		log_printf("guest '%s': ignoring %s signal", v->guest->cfg->name, arch_exit_reason_name(reason));
}

static EXIT_HANDLER(exit_nop_advance)
{
	vmx_advance_rip(); /* INVD, WBINVD: caches are coherent; nothing to emulate */
}

static EXIT_HANDLER(exit_interrupt_window)
{
	/* The guest can take the pending upcall now: vmx_deliver_upcall() injects it. */
}

static EXIT_HANDLER(exit_tpr_below_threshold)
{
	/*
	 * The guest lowered CR8 below a vLAPIC vector that waits (TPR_THRESHOLD,
	 * arch/x86/lapic.c). A trap-like exit after the MOV (SDM Vol. 3C 28.2,
	 * 30.1.2): the VM entry injects the vector now deliverable.
	 */
}

static EXIT_HANDLER(exit_preemption_timer)
{
	timer_run(v->pcpu);
}

typedef void (*exit_handler_fn)(struct vcpu *v, struct guest_regs *regs, uint32_t reason);

static const exit_handler_fn exit_handlers[EXIT_REASON_MAX] = {
	[EXIT_REASON_EXCEPTION_NMI] = exit_nmi_or_exception,
	[EXIT_REASON_EXTERNAL_INTERRUPT] = exit_external_interrupt,
	[EXIT_REASON_TRIPLE_FAULT] = exit_triple_fault,
	[EXIT_REASON_INTERRUPT_WINDOW] = exit_interrupt_window,
	[EXIT_REASON_PREEMPTION_TIMER] = exit_preemption_timer,
	[EXIT_REASON_TPR_BELOW_THRESHOLD] = exit_tpr_below_threshold,
	[EXIT_REASON_INIT_SIGNAL] = exit_init_sipi,
	[EXIT_REASON_SIPI] = exit_init_sipi,
	[EXIT_REASON_CPUID] = exit_cpuid,
	[EXIT_REASON_GETSEC] = exit_undefined,
	[EXIT_REASON_HLT] = exit_hlt,
	[EXIT_REASON_INVD] = exit_nop_advance,
	[EXIT_REASON_RDPMC] = exit_rdpmc,
	[EXIT_REASON_VMCALL] = exit_vmcall,
	[EXIT_REASON_VMCLEAR] = exit_undefined,
	[EXIT_REASON_VMLAUNCH] = exit_undefined,
	[EXIT_REASON_VMPTRLD] = exit_undefined,
	[EXIT_REASON_VMPTRST] = exit_undefined,
	[EXIT_REASON_VMREAD] = exit_undefined,
	[EXIT_REASON_VMRESUME] = exit_undefined,
	[EXIT_REASON_VMWRITE] = exit_undefined,
	[EXIT_REASON_VMXOFF] = exit_undefined,
	[EXIT_REASON_VMXON] = exit_undefined,
	[EXIT_REASON_CR_ACCESS] = exit_cr_access,
	[EXIT_REASON_IO_INSTRUCTION] = exit_io,
	[EXIT_REASON_MSR_READ] = exit_rdmsr,
	[EXIT_REASON_MSR_WRITE] = exit_wrmsr,
	[EXIT_REASON_MWAIT] = exit_undefined,
	[EXIT_REASON_MONITOR] = exit_undefined,
	[EXIT_REASON_EPT_VIOLATION] = exit_ept_violation,
	[EXIT_REASON_INVEPT] = exit_undefined,
	[EXIT_REASON_INVVPID] = exit_undefined,
	[EXIT_REASON_WBINVD] = exit_nop_advance,
	[EXIT_REASON_XSETBV] = exit_xsetbv,
	[EXIT_REASON_VMFUNC] = exit_undefined,
	[EXIT_REASON_ENCLS] = exit_undefined,
};

void vmx_dispatch_exit(struct vcpu *v, struct guest_regs *regs, uint32_t reason)
{
	exit_handler_fn fn = reason < EXIT_REASON_MAX ? exit_handlers[reason] : NULL;

	(fn ? fn : exit_unhandled)(v, regs, reason);
}
