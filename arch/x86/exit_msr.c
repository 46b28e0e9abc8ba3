/* SPDX-License-Identifier: MIT */
/*
 * RDMSR/WRMSR exits. The MSR bitmap (vmx.c) lets the guest reach the few
 * registers it fully owns; everything else exits here and is checked
 * against the allow list of msr_policy.c. Anything not on it injects #GP,
 * as a CPU without that MSR would. Registers in the VMCS are read and
 * written here.
 */
#include "arch/exits.h"
#include "arch/lapic.h"
#include "arch/msr.h"
#include "arch/msr_policy.h"
#include "arch/safe_insn.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "core/console.h"
#include "bolt/bolt.h"
#include "core/guest.h"
#include "core/shinfo_layout.h"
#include "lib/lib.h"

static void refuse(struct vcpu *v, const char *op, uint32_t msr, uint64_t val)
{
	if (guest_may_log(v->guest))
		log_printf("guest '%s': %s MSR 0x%x (value 0x%lx) not allowed at RIP 0x%lx: injecting #GP",
			   v->guest->cfg->name, op, msr, (unsigned long)val,
			   (unsigned long)vmcs_readnat(GUEST_RIP));
	vmx_inject_exception(X86_EXC_GP, 0);
}

static bool pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(pat >> (8 * i));
		/* Types 2 and 3 and anything above 7 are reserved (SDM 12.12.2). */
		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/* EFER (SDM 2.2.1, 10.8.5): only SCE, LME and NXE are writable; LMA follows CR0.PG. */
static bool write_efer(uint64_t val)
{
	uint64_t cr0 = vmcs_readnat(GUEST_CR0);
	uint64_t old = vmcs_read64(GUEST_IA32_EFER);

	if (val & ~(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE))
		return false;
	/* Changing LME while paging is on is a #GP on real hardware. */
	if ((cr0 & X86_CR0_PG) && ((val ^ old) & X86_EFER_LME))
		return false;
	val &= ~X86_EFER_LMA;
	if ((val & X86_EFER_LME) && (cr0 & X86_CR0_PG))
		val |= X86_EFER_LMA;
	vmcs_write64(GUEST_IA32_EFER, val);
	return true;
}

/*
 * The Xen hypercall page: 32-byte stubs "mov $nr, %eax; vmcall; ret" at
 * nr * 32. Bits 11:0 of the value select the page (only page 0 exists).
 */
static bool write_hypercall_page(struct guest *g, uint64_t val)
{
	uint64_t gpa = val & ~(PAGE_SIZE - 1);
	uint8_t stub[32];

	if (val & (PAGE_SIZE - 1))
		return false;
	/* Never over the pages Bolt maps into the guest (shared_info, trace acks). */
	if ((g->shinfo_gfn != ~0ULL && gpa >> 12 == g->shinfo_gfn) ||
	    (g->trace_acks_gfn && gpa >> 12 == g->trace_acks_gfn))
		return false;
	memset(stub, 0xcc, sizeof(stub)); /* int3 padding between stubs */
	stub[0] = 0xb8;                   /* mov $nr, %eax */
	stub[5] = 0x0f;                   /* vmcall */
	stub[6] = 0x01;
	stub[7] = 0xc1;
	stub[8] = 0xc3;                   /* ret */
	for (unsigned nr = 0; nr < PAGE_SIZE / sizeof(stub); nr++) {
		stub[1] = (uint8_t)nr;
		stub[2] = stub[3] = stub[4] = 0;
		if (guest_arch_write_gpa(g, gpa + nr * sizeof(stub), stub, sizeof(stub)))
			return false;
	}
	return true;
}

/* RDMSR of a register the VMCS holds. */
static uint64_t read_vmcs_msr(uint32_t msr)
{
	switch (msr) {
	case MSR_IA32_EFER:
		return vmcs_read64(GUEST_IA32_EFER);
	case MSR_IA32_PAT:
		return vmcs_read64(GUEST_IA32_PAT);
	case MSR_IA32_SYSENTER_CS:
		return vmcs_read32(GUEST_SYSENTER_CS);
	case MSR_IA32_SYSENTER_ESP:
		return vmcs_readnat(GUEST_SYSENTER_ESP);
	case MSR_IA32_SYSENTER_EIP:
		return vmcs_readnat(GUEST_SYSENTER_EIP);
	case MSR_IA32_DEBUGCTL:
		return vmcs_read64(GUEST_IA32_DEBUGCTL);
	default:
		return 0;
	}
}

/* WRMSR that msr_policy_write left to the handler: false to inject #GP. */
static bool write_handled_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_IA32_EFER:
		return write_efer(val);
	case MSR_IA32_PAT:
		if (!pat_valid(val))
			return false;
		vmcs_write64(GUEST_IA32_PAT, val);
		return true;
	case MSR_IA32_SYSENTER_CS:
		vmcs_write32(GUEST_SYSENTER_CS, (uint32_t)val);
		return true;
	/*
	 * A non-canonical address is a #GP on the CPU (SDM Vol. 2B, WRMSR), and
	 * would fail the next VM entry's guest-state checks (SDM 27.3.1.1).
	 */
	case MSR_IA32_SYSENTER_ESP:
		if (!vmx_canonical(val))
			return false;
		vmcs_writenat(GUEST_SYSENTER_ESP, val);
		return true;
	case MSR_IA32_SYSENTER_EIP:
		if (!vmx_canonical(val))
			return false;
		vmcs_writenat(GUEST_SYSENTER_EIP, val);
		return true;
	case MSR_IA32_DEBUGCTL: /* already limited to BTF by msr_policy_write */
		vmcs_write64(GUEST_IA32_DEBUGCTL, val);
		return true;
	case BOLT_XEN_HYPERCALL_MSR:
		if (!write_hypercall_page(v->guest, val))
			return false;
		/* Xen latches the shared_info layout here (core/shinfo_layout.h). */
		shinfo_latch_layout(v->guest, !vmx_guest_64bit_mode());
		return true;
	case MSR_IA32_TSC_AUX:
		/*
		 * The real register is this vCPU's while it runs (vcpu_state.c
		 * loaded it before the entry, saves it when another vCPU takes
		 * the CPU); bits 63:32 were refused by msr_policy_write.
		 */
		return safe_wrmsr(MSR_IA32_TSC_AUX, val) == 0;
	default:
		return false;
	}
}

EXIT_HANDLER(exit_rdmsr)
{
	uint32_t msr = (uint32_t)regs->rcx;
	uint64_t val;
	int rc = lapic_rdmsr(v, msr, &val);

	if (rc <= 0) { /* the vLAPIC's (lapic = yes): IA32_APIC_BASE, x2APIC, TSC deadline */
		if (rc) {
			vmx_inject_exception(X86_EXC_GP, 0); /* the x2APIC's own #GP rules: not logged */
			return;
		}
		goto done;
	}
	switch (msr_policy_read(&v->arch.msr, msr, &val)) {
	case MSR_EMULATED:
		break;
	case MSR_HANDLER:
		val = read_vmcs_msr(msr);
		break;
	case MSR_PASSTHROUGH: /* only exits if the bitmap and the policy disagree */
	case MSR_GP:
	default:
		refuse(v, "RDMSR of", msr, 0);
		return;
	}
done:
	regs->rax = (uint32_t)val;
	regs->rdx = val >> 32;
	vmx_advance_rip();
}

EXIT_HANDLER(exit_wrmsr)
{
	uint32_t msr = (uint32_t)regs->rcx;
	uint64_t val = (regs->rdx << 32) | (uint32_t)regs->rax, orig = val;
	int rc = lapic_wrmsr(v, msr, val);
	bool ok;

	if (rc <= 0) {
		if (rc) {
			vmx_inject_exception(X86_EXC_GP, 0);
			return;
		}
		vmx_advance_rip();
		return;
	}
	switch (msr_policy_write(&v->arch.msr, msr, &val)) {
	case MSR_EMULATED:
		ok = true;
		break;
	case MSR_HANDLER:
		ok = write_handled_msr(v, msr, val);
		break;
	default:
		ok = false;
		break;
	}
	if (!ok) {
		refuse(v, "WRMSR to", msr, orig);
		return;
	}
	vmx_advance_rip();
}

EXIT_HANDLER(exit_rdpmc)
{
	/* CPUID leaf 0xA reports no counters. */
	vmx_inject_exception(X86_EXC_GP, 0);
}
