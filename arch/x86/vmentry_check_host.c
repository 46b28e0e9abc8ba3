/* SPDX-License-Identifier: MIT */
/*
 * Checks on the host-state area (SDM Vol. 3C, 27.2.2-27.2.4): a failure
 * here is VM-instruction error 8, "VM entry with invalid host-state field(s)".
 */
#include "arch/vmx_bits.h"
#include "vmentry_check_internal.h"

#define S_CR "27.2.2"
#define S_SEG "27.2.3"
#define S_SIZE "27.2.4"

static int check_canonical(struct vc *c, const char *sdm, enum vmcs_field f)
{
	if (!vc_canonical(c, vc_val(c, f)))
		return vc_fail(c, sdm, f, "is not canonical for %u-bit linear addresses",
			       (unsigned)c->caps->linaddr_bits);
	return 0;
}

/* 27.2.2: control registers and the MSRs a VM exit loads. */
static int check_regs(struct vc *c)
{
	const struct vmx_caps *k = c->caps;
	uint64_t cr3 = vc_val(c, HOST_CR3);

	/* VMX operation's fixed bits, here with no unrestricted-guest exemption (A.7, A.8). */
	if (vc_check_fixed(c, S_CR, HOST_CR0, k->cr0_fixed0, k->cr0_fixed1, vc_cr0_bits,
			   "IA32_VMX_CR0_FIXED0", "IA32_VMX_CR0_FIXED1") ||
	    vc_check_fixed(c, S_CR, HOST_CR4, k->cr4_fixed0, k->cr4_fixed1, vc_cr4_bits,
			   "IA32_VMX_CR4_FIXED0", "IA32_VMX_CR4_FIXED1"))
		return -1;
	if (vc_beyond_maxphy(c, cr3))
		return vc_fail(c, S_CR, HOST_CR3, "has bits set at or above MAXPHYADDR (%u)",
			       (unsigned)k->maxphyaddr);
	if (check_canonical(c, S_CR, HOST_IA32_SYSENTER_ESP) || check_canonical(c, S_CR, HOST_IA32_SYSENTER_EIP))
		return -1;
	if ((c->exit & EXIT_LOAD_IA32_PAT) && !vc_pat_valid(vc_val(c, HOST_IA32_PAT)))
		return vc_fail(c, S_CR, HOST_IA32_PAT, "has a byte that is not a PAT memory type (0, 1, 4-7)");
	if (c->exit & EXIT_LOAD_IA32_EFER) {
		uint64_t efer = vc_val(c, HOST_IA32_EFER);
		bool wide = c->exit & EXIT_HOST_ADDR_SPACE_SIZE;

		if (efer & ~VC_EFER_VALID)
			return vc_fail(c, S_CR, HOST_IA32_EFER, "has reserved bits set");
		if (!!(efer & VC_EFER_LMA) != wide || !!(efer & VC_EFER_LME) != wide)
			return vc_fail(c, S_CR, HOST_IA32_EFER,
				       "has LMA or LME different from \"host address-space size\" (%u)", wide);
	}
	return 0;
}

/* 27.2.3: selectors, and the bases a VM exit loads. */
static int check_segments(struct vc *c)
{
	static const enum vmcs_field sel[] = {
		HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR, HOST_DS_SELECTOR,
		HOST_FS_SELECTOR, HOST_GS_SELECTOR, HOST_TR_SELECTOR,
	};
	static const enum vmcs_field base[] = {
		HOST_FS_BASE, HOST_GS_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE, HOST_TR_BASE,
	};

	for (unsigned i = 0; i < sizeof(sel) / sizeof(sel[0]); i++)
		if (vc_val(c, sel[i]) & 7)
			return vc_fail(c, S_SEG, sel[i], "has RPL or TI set (bits 2:0 must be 0)");
	if (vc_val(c, HOST_CS_SELECTOR) == 0)
		return vc_fail(c, S_SEG, HOST_CS_SELECTOR, "is null");
	if (vc_val(c, HOST_TR_SELECTOR) == 0)
		return vc_fail(c, S_SEG, HOST_TR_SELECTOR, "is null");
	/* A null SS is fine for a 64-bit host (27.2.3); the 32-bit case is ruled out in 27.2.4. */
	for (unsigned i = 0; i < sizeof(base) / sizeof(base[0]); i++)
		if (check_canonical(c, S_SEG, base[i]))
			return -1;
	return 0;
}

/*
 * 27.2.4: Bolt runs its host in 64-bit mode (IA32_EFER.LMA = 1 at
 * VMLAUNCH), so "host address-space size" must be 1, and then CR4.PAE
 * must be 1 and RIP canonical. The rules for a 32-bit host (IA-32e mode
 * guest 0, CR4.PCIDE 0, RIP[63:32] 0, SS non-null) never apply to Bolt.
 */
static int check_size(struct vc *c)
{
	if (!(c->exit & EXIT_HOST_ADDR_SPACE_SIZE))
		return vc_fail(c, S_SIZE, VM_EXIT_CONTROLS,
			       "lacks \"host address-space size\", which a host in IA-32e mode requires");
	if (!(vc_val(c, HOST_CR4) & VC_CR4_PAE))
		return vc_fail(c, S_SIZE, HOST_CR4, "has PAE clear, which a 64-bit host requires");
	return check_canonical(c, S_SIZE, HOST_RIP);
}

int vc_check_host(struct vc *c)
{
	return check_regs(c) || check_segments(c) || check_size(c) ? -1 : 0;
}
