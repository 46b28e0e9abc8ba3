/* SPDX-License-Identifier: MIT */
/*
 * Checks on the guest-state area other than segments (SDM Vol. 3C,
 * 27.3.1.1 and 27.3.1.4-27.3.1.7): a failure here is a VM-entry failure,
 * exit reason 33 "VM-entry failure due to invalid guest state".
 */
#include "arch/vmx_bits.h"
#include "vmentry_check_internal.h"

#define S_REGS "27.3.1.1"
#define S_RIP "27.3.1.4"
#define S_STATE "27.3.1.5"
#define S_LINK "27.3.1.6"
#define S_PDPTE "27.3.1.7"

/* IA32_DEBUGCTL bits 5:2 and 63:16 are reserved (Vol. 3B, 18.4.1; 17.4.1). */
#define DEBUGCTL_RESERVED (0x3cULL | ~0xffffULL)

static int check_efer(struct vc *c)
{
	uint64_t efer = vc_val(c, GUEST_IA32_EFER);

	if (efer & ~VC_EFER_VALID)
		return vc_fail(c, S_REGS, GUEST_IA32_EFER, "has reserved bits set");
	if (!!(efer & VC_EFER_LMA) != c->ia32e_guest)
		return vc_fail(c, S_REGS, GUEST_IA32_EFER, "has LMA %s the \"IA-32e mode guest\" entry control",
			       c->ia32e_guest ? "clear, unlike" : "set, unlike");
	if ((vc_val(c, GUEST_CR0) & VC_CR0_PG) && !!(efer & VC_EFER_LME) != c->ia32e_guest)
		return vc_fail(c, S_REGS, GUEST_IA32_EFER,
			       "has LME unlike the \"IA-32e mode guest\" entry control, with CR0.PG set");
	return 0;
}

/* 27.3.1.1: control registers, debug registers and MSRs. */
static int check_regs(struct vc *c)
{
	const struct vmx_caps *k = c->caps;
	uint64_t cr0 = vc_val(c, GUEST_CR0), cr4 = vc_val(c, GUEST_CR4);
	/* An unrestricted guest may run with paging or protection off (25.6.2). */
	uint64_t cr0_must1 = k->cr0_fixed0 & ~(c->unrestricted ? VC_CR0_PE | VC_CR0_PG : 0);
	bool debug = c->entry & ENTRY_LOAD_DEBUG_CONTROLS;

	if (vc_check_fixed(c, S_REGS, GUEST_CR0, cr0_must1, k->cr0_fixed1, vc_cr0_bits,
			   "IA32_VMX_CR0_FIXED0", "IA32_VMX_CR0_FIXED1"))
		return -1;
	if ((cr0 & VC_CR0_PG) && !(cr0 & VC_CR0_PE))
		return vc_fail(c, S_REGS, GUEST_CR0, "has PG set and PE clear");
	if (vc_check_fixed(c, S_REGS, GUEST_CR4, k->cr4_fixed0, k->cr4_fixed1, vc_cr4_bits,
			   "IA32_VMX_CR4_FIXED0", "IA32_VMX_CR4_FIXED1"))
		return -1;
	if (debug && (vc_val(c, GUEST_IA32_DEBUGCTL) & DEBUGCTL_RESERVED))
		return vc_fail(c, S_REGS, GUEST_IA32_DEBUGCTL, "has reserved bits (5:2, 63:16) set");
	if (c->ia32e_guest && !(cr0 & VC_CR0_PG))
		return vc_fail(c, S_REGS, GUEST_CR0, "has PG clear, which \"IA-32e mode guest\" requires");
	if (c->ia32e_guest && !(cr4 & VC_CR4_PAE))
		return vc_fail(c, S_REGS, GUEST_CR4, "has PAE clear, which \"IA-32e mode guest\" requires");
	if (!c->ia32e_guest && (cr4 & VC_CR4_PCIDE))
		return vc_fail(c, S_REGS, GUEST_CR4, "has PCIDE set outside IA-32e mode");
	if (vc_beyond_maxphy(c, vc_val(c, GUEST_CR3)))
		return vc_fail(c, S_REGS, GUEST_CR3, "has bits set at or above MAXPHYADDR (%u)",
			       (unsigned)k->maxphyaddr);
	if (debug && (vc_val(c, GUEST_DR7) >> 32))
		return vc_fail(c, S_REGS, GUEST_DR7, "has bits 63:32 set");
	if (!vc_canonical(c, vc_val(c, GUEST_SYSENTER_ESP)))
		return vc_fail(c, S_REGS, GUEST_SYSENTER_ESP, "is not canonical");
	if (!vc_canonical(c, vc_val(c, GUEST_SYSENTER_EIP)))
		return vc_fail(c, S_REGS, GUEST_SYSENTER_EIP, "is not canonical");
	if ((c->entry & ENTRY_LOAD_IA32_PAT) && !vc_pat_valid(vc_val(c, GUEST_IA32_PAT)))
		return vc_fail(c, S_REGS, GUEST_IA32_PAT, "has a byte that is not a PAT memory type (0, 1, 4-7)");
	if ((c->entry & ENTRY_LOAD_IA32_EFER) && check_efer(c))
		return -1;
	return 0;
}

/* 27.3.1.4: RIP and RFLAGS. */
static int check_rip_rflags(struct vc *c)
{
	uint64_t rip = vc_val(c, GUEST_RIP), fl = vc_val(c, GUEST_RFLAGS);
	bool long64 = c->ia32e_guest && (vc_val(c, GUEST_CS_AR_BYTES) & VMX_AR_L);
	uint32_t info = (uint32_t)vc_val(c, VM_ENTRY_INTR_INFO_FIELD);

	if (!long64 && (rip >> 32))
		return vc_fail(c, S_RIP, GUEST_RIP, "has bits 63:32 set outside 64-bit mode");
	if (long64 && !vc_canonical(c, rip))
		return vc_fail(c, S_RIP, GUEST_RIP, "is not canonical");
	if ((fl & VC_RFLAGS_RESERVED) || !(fl & 2))
		return vc_fail(c, S_RIP, GUEST_RFLAGS, "has reserved bits (63:22, 15, 5, 3) set or bit 1 clear");
	if ((fl & VC_RFLAGS_VM) && (c->ia32e_guest || !(vc_val(c, GUEST_CR0) & VC_CR0_PE)))
		return vc_fail(c, S_RIP, GUEST_RFLAGS, "has VM set in IA-32e mode or with CR0.PE clear");
	if ((info & INTR_INFO_VALID) && (info & INTR_TYPE_MASK) == INTR_TYPE_EXT_INTR && !(fl & VC_RFLAGS_IF))
		return vc_fail(c, S_RIP, GUEST_RFLAGS, "has IF clear while an external interrupt is injected");
	return 0;
}

int vc_check_guest_regs(struct vc *c)
{
	return check_regs(c) || check_rip_rflags(c) ? -1 : 0;
}

/* 27.3.1.5: activity state and what it allows to be injected. */
static int check_activity(struct vc *c)
{
	uint64_t act = vc_val(c, GUEST_ACTIVITY_STATE);
	uint32_t info = (uint32_t)vc_val(c, VM_ENTRY_INTR_INFO_FIELD);
	uint32_t type = info & INTR_TYPE_MASK, vec = info & 0xff;
	bool inj = info & INTR_INFO_VALID;

	/* IA32_VMX_MISC bits 6, 7, 8: HLT, shutdown, wait-for-SIPI supported (A.6). */
	if (act > 3 || (act && !(c->caps->misc & (1ULL << (5 + act)))))
		return vc_fail(c, S_STATE, GUEST_ACTIVITY_STATE, "is not an activity state IA32_VMX_MISC allows");
	if (act == ACTIVITY_HLT && (vc_val(c, GUEST_SS_AR_BYTES) & VMX_AR_DPL_MASK))
		return vc_fail(c, S_STATE, GUEST_ACTIVITY_STATE, "is HLT with SS.DPL not 0");
	if (act && (vc_val(c, GUEST_INTERRUPTIBILITY_INFO) & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)))
		return vc_fail(c, S_STATE, GUEST_ACTIVITY_STATE, "is not active with blocking by STI or MOV SS");
	if (!inj || act == ACTIVITY_ACTIVE)
		return 0;
	if (act == ACTIVITY_HLT &&
	    (type == INTR_TYPE_EXT_INTR || type == INTR_TYPE_NMI || type == INTR_TYPE_OTHER_EVENT ||
	     (type == INTR_TYPE_HW_EXCEPTION && (vec == 1 || vec == 18))))
		return 0;
	if (act == ACTIVITY_SHUTDOWN &&
	    (type == INTR_TYPE_NMI || (type == INTR_TYPE_HW_EXCEPTION && vec == 18)))
		return 0;
	return vc_fail(c, S_STATE, GUEST_ACTIVITY_STATE, "does not allow injecting type %u vector %u",
		       type >> 8, vec);
}

/* 27.3.1.5: interruptibility state. */
static int check_interruptibility(struct vc *c)
{
	uint64_t st = vc_val(c, GUEST_INTERRUPTIBILITY_INFO);
	uint32_t info = (uint32_t)vc_val(c, VM_ENTRY_INTR_INFO_FIELD);
	uint32_t type = info & INTR_TYPE_MASK;
	bool inj = info & INTR_INFO_VALID;
	const enum vmcs_field f = GUEST_INTERRUPTIBILITY_INFO;

	/* Bit 4 (enclave interruption) needs SGX, which the caps do not describe. */
	if (st & ~0xfULL)
		return vc_fail(c, S_STATE, f, "has reserved bits 31:4 set");
	if ((st & INTERRUPTIBILITY_STI) && (st & INTERRUPTIBILITY_MOV_SS))
		return vc_fail(c, S_STATE, f, "has blocking by both STI and MOV SS");
	if ((st & INTERRUPTIBILITY_STI) && !(vc_val(c, GUEST_RFLAGS) & VC_RFLAGS_IF))
		return vc_fail(c, S_STATE, f, "has blocking by STI with RFLAGS.IF clear");
	if (inj && type == INTR_TYPE_EXT_INTR && (st & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)))
		return vc_fail(c, S_STATE, f, "has blocking by STI or MOV SS while an external interrupt is injected");
	if (inj && type == INTR_TYPE_NMI && (st & INTERRUPTIBILITY_MOV_SS))
		return vc_fail(c, S_STATE, f, "has blocking by MOV SS while an NMI is injected");
	/* Bolt enters from outside SMM. */
	if (st & INTERRUPTIBILITY_SMI)
		return vc_fail(c, S_STATE, f, "has blocking by SMI outside SMM");
	if (inj && type == INTR_TYPE_NMI && (c->pin & PIN_VIRTUAL_NMIS) && (st & INTERRUPTIBILITY_NMI))
		return vc_fail(c, S_STATE, f, "has blocking by NMI while a virtual NMI is injected");
	return 0;
}

/* 27.3.1.5: pending debug exceptions. */
static int check_pending_dbg(struct vc *c)
{
	uint64_t p = vc_val(c, GUEST_PENDING_DBG_EXCEPTIONS);
	uint64_t fl = vc_val(c, GUEST_RFLAGS);
	bool bs = p & (1ULL << 14), rtm = p & (1ULL << 16);
	const enum vmcs_field f = GUEST_PENDING_DBG_EXCEPTIONS;

	/* Bits 11:4, 13, 15 and 63:17 are reserved. */
	if (p & ~0x1500fULL)
		return vc_fail(c, S_STATE, f, "has reserved bits (11:4, 13, 15, 63:17) set");
	if ((vc_val(c, GUEST_INTERRUPTIBILITY_INFO) & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)) ||
	    vc_val(c, GUEST_ACTIVITY_STATE) == ACTIVITY_HLT) {
		bool single_step = (fl & VC_RFLAGS_TF) && !(vc_val(c, GUEST_IA32_DEBUGCTL) & VC_DEBUGCTL_BTF);

		if (bs != single_step)
			return vc_fail(c, S_STATE, f, "has BS (bit 14) %s, unlike RFLAGS.TF and DEBUGCTL.BTF say",
				       bs ? "set" : "clear");
	}
	if (rtm && ((p & 0x5fffULL) != (1ULL << 12) ||
		    (vc_val(c, GUEST_INTERRUPTIBILITY_INFO) & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))))
		return vc_fail(c, S_STATE, f, "has RTM (bit 16) without exactly bit 12, or with STI/MOV SS blocking");
	return 0;
}

/* 27.3.1.6: the VMCS link pointer, ~0 unless a shadow VMCS is linked. */
static int check_link(struct vc *c)
{
	uint64_t l = vc_val(c, VMCS_LINK_POINTER);

	if (l == ~0ULL)
		return 0;
	if ((l & 0xfff) || !vc_phys_ok(c, l))
		return vc_fail(c, S_LINK, VMCS_LINK_POINTER,
			       "is neither ~0 nor a 4-KByte-aligned address within the physical-address width");
	return 0;
}

/*
 * 27.3.1.7: with EPT, PAE paging (CR0.PG, CR4.PAE, not IA-32e mode) loads
 * the PDPTEs from the VMCS; present ones must not set reserved bits. Without
 * EPT they come from memory at CR3, which the image does not hold.
 */
static int check_pdptes(struct vc *c)
{
	static const enum vmcs_field pdpte[] = { GUEST_PDPTE0, GUEST_PDPTE1, GUEST_PDPTE2, GUEST_PDPTE3 };

	if (!(c->proc2 & CPU2_ENABLE_EPT) || c->ia32e_guest || !(vc_val(c, GUEST_CR0) & VC_CR0_PG) ||
	    !(vc_val(c, GUEST_CR4) & VC_CR4_PAE))
		return 0;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t e = vc_val(c, pdpte[i]);

		/* Bits 2:1, 8:5 and 63:MAXPHYADDR are reserved (Vol. 3A, 4.4.1). */
		if ((e & 1) && ((e & 0x1e6) || vc_beyond_maxphy(c, e)))
			return vc_fail(c, S_PDPTE, pdpte[i], "is present with reserved bits set");
	}
	return 0;
}

int vc_check_guest_state(struct vc *c)
{
	return check_activity(c) || check_interruptibility(c) || check_pending_dbg(c) || check_link(c) ||
			       check_pdptes(c)
		       ? -1
		       : 0;
}
