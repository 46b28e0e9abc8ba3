/* SPDX-License-Identifier: MIT */
/*
 * Control-register and XSETBV exits. The guest owns CR0/CR4 except the bits
 * VMX fixes (the guest/host masks in vmx.c); a write that touches those
 * bits exits here (SDM 25.6.6, 28.1.3). Guests see their own values through
 * the read shadows, and may never set CR4.VMXE.
 */
#include "arch/exits.h"
#include "arch/safe_insn.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "arch/xcr0.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/lifecycle.h"
#include "core/pcpu.h"

static uint64_t *gpr(struct guest_regs *regs, unsigned n)
{
	/* struct guest_regs follows the SDM register numbering; slot 4 (RSP) is in the VMCS. */
	return &((uint64_t *)regs)[n];
}

static uint64_t read_gpr(struct guest_regs *regs, unsigned n)
{
	return n == 4 ? vmcs_readnat(GUEST_RSP) : *gpr(regs, n);
}

static void write_gpr(struct guest_regs *regs, unsigned n, uint64_t val)
{
	if (n == 4)
		vmcs_writenat(GUEST_RSP, val);
	else
		*gpr(regs, n) = val;
}

static bool guest_write_cr0(uint64_t val)
{
	uint64_t efer = vmcs_read64(GUEST_IA32_EFER);
	uint64_t old = vmcs_readnat(GUEST_CR0);
	uint32_t entry = vmcs_read32(VM_ENTRY_CONTROLS);

	if ((val >> 32) || (val & vmx_cr0_must0 & ~(X86_CR0_CD | X86_CR0_NW)))
		return false;
	if ((val & X86_CR0_PG) && !(val & X86_CR0_PE))
		return false;
	if ((val & X86_CR0_NW) && !(val & X86_CR0_CD))
		return false;
	/* Enabling paging with EFER.LME enters IA-32e mode (SDM 10.8.5). */
	if ((val & X86_CR0_PG) && !(old & X86_CR0_PG) && (efer & X86_EFER_LME)) {
		if (!(vmcs_readnat(GUEST_CR4) & X86_CR4_PAE))
			return false;
		efer |= X86_EFER_LMA;
		entry |= ENTRY_IA32E_MODE;
	} else if (!(val & X86_CR0_PG) && (efer & X86_EFER_LMA)) {
		/*
		 * IA-32e mode is left only from compatibility mode and with
		 * CR4.PCIDE clear (SDM Vol. 2B, MOV to CR0, #GP(0)); from 64-bit
		 * code the next VM entry would fail its CS.L check instead.
		 */
		if ((vmcs_read32(GUEST_CS_AR_BYTES) & VMX_AR_L) || (vmx_guest_cr4() & X86_CR4_PCIDE))
			return false;
		efer &= ~X86_EFER_LMA;
		entry &= ~ENTRY_IA32E_MODE;
	}
	vmcs_write64(GUEST_IA32_EFER, efer);
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
	vmcs_writenat(CR0_READ_SHADOW, val);
	vmcs_writenat(GUEST_CR0, (val | vmx_cr0_must1) & ~vmx_cr0_must0);
	return true;
}

static bool guest_write_cr4(struct vcpu *v, uint64_t val)
{
	if (val & X86_CR4_VMXE) {
		if (guest_may_log(v->guest))
			log_printf("guest '%s': setting CR4.VMXE at RIP 0x%lx: injecting #GP",
				   v->guest->cfg->name, (unsigned long)vmcs_readnat(GUEST_RIP));
		return false;
	}
	if (val & vmx_cr4_must0)
		return false;
	vmcs_writenat(CR4_READ_SHADOW, val);
	vmcs_writenat(GUEST_CR4, val | vmx_cr4_must1);
	return true;
}

/*
 * CR8 exits only on CPUs without a TPR shadow (vmx.c): the vCPU's TPR is
 * kept here, and bits 63:4 are reserved (SDM Vol. 3A, 11.8.6.1).
 */
static bool guest_write_cr8(struct vcpu *v, uint64_t val)
{
	if (val >> 4)
		return false;
	v->arch.tpr = (uint8_t)val;
	return true;
}

/* SDM 28.2.1, Table 28-3: exit qualification for control-register accesses. */
EXIT_HANDLER(exit_cr_access)
{
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
	unsigned cr = q & 0xf, type = (q >> 4) & 3, reg = (q >> 8) & 0xf;
	bool ok = true;

	if (type == 0) { /* MOV to CR */
		uint64_t val = read_gpr(regs, reg);
		if (cr == 0)
			ok = guest_write_cr0(val);
		else if (cr == 4)
			ok = guest_write_cr4(v, val);
		else if (cr == 8)
			ok = guest_write_cr8(v, val);
		else
			goto unhandled;
	} else if (type == 1) { /* MOV from CR: only CR8 exits (CR3 exiting is off) */
		if (cr != 8)
			goto unhandled;
		write_gpr(regs, reg, v->arch.tpr);
	} else if (type == 3) { /* LMSW: only the low four bits of CR0 */
		uint64_t cr0 = vmx_guest_cr0();
		ok = guest_write_cr0((cr0 & ~0xeULL) | ((q >> 16) & 0xf) | (cr0 & 1));
	} else {
		goto unhandled;
	}
	if (!ok) {
		vmx_inject_exception(X86_EXC_GP, 0);
		return;
	}
	vmx_advance_rip();
	return;
unhandled:
	guest_stop(v->guest, GUEST_STOP_CRASH, "unsupported control-register access (qualification 0x%lx)",
		   (unsigned long)q);
}

/*
 * XSETBV (SDM Vol. 2C): only XCR0 exists, only CPL 0 may write it, and the
 * value must follow every rule of arch/x86/xcr0.c. Bolt loads the value
 * itself, in VMX root: the fault-safe XSETBV turns a rule missed here
 * into a #GP for the guest instead of a host #GP.
 */
EXIT_HANDLER(exit_xsetbv)
{
	uint64_t val = (regs->rdx << 32) | (uint32_t)regs->rax;
	bool cpl0 = ((vmcs_read32(GUEST_SS_AR_BYTES) >> 5) & 3) == 0;
	int fault;

	if ((uint32_t)regs->rcx != 0 || !cpl0 || !xcr0_valid(val, host_xcr0_supported)) {
		vmx_inject_exception(X86_EXC_GP, 0);
		return;
	}
	fault = safe_xsetbv(0, val);
	if (fault) {
		/* A faulting XSETBV changed nothing: XCR0 keeps the guest's last value. */
		if (guest_may_log(v->guest))
			log_printf("guest '%s': XSETBV 0x%lx faulted in Bolt (vector %d): injecting #GP",
				   v->guest->cfg->name, (unsigned long)val, fault & 0xff);
		vmx_inject_exception(X86_EXC_GP, 0);
		return;
	}
	v->arch.xcr0 = val;
	v->pcpu->arch.xcr0 = val;
	vmx_advance_rip();
}
