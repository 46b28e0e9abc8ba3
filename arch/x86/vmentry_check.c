/* SPDX-License-Identifier: MIT */
/*
 * The VM-entry checks of SDM Vol. 3C, chapter 27, in software
 * (arch/vmentry_check.h): the entry point, the failure report and the
 * helpers the rule files share. The rules themselves are in
 * vmentry_check_ctls.c (27.2.1), vmentry_check_host.c (27.2.2-27.2.4),
 * vmentry_check_guest.c (27.3.1.1, 27.3.1.4-27.3.1.7) and
 * vmentry_check_seg.c (27.3.1.2, 27.3.1.3), run in the processor's order.
 */
#include <stdarg.h>

#include "arch/vmx_bits.h"
#include "lib/fmt.h"
#include "lib/lib.h"
#include "vmentry_check_internal.h"

#define N(f) { f, #f }
static const struct {
	enum vmcs_field f;
	const char *name;
} names[] = {
	N(VIRTUAL_PROCESSOR_ID), N(POSTED_INTR_NV),
	N(GUEST_ES_SELECTOR), N(GUEST_CS_SELECTOR), N(GUEST_SS_SELECTOR), N(GUEST_DS_SELECTOR),
	N(GUEST_FS_SELECTOR), N(GUEST_GS_SELECTOR), N(GUEST_LDTR_SELECTOR), N(GUEST_TR_SELECTOR),
	N(HOST_ES_SELECTOR), N(HOST_CS_SELECTOR), N(HOST_SS_SELECTOR), N(HOST_DS_SELECTOR),
	N(HOST_FS_SELECTOR), N(HOST_GS_SELECTOR), N(HOST_TR_SELECTOR),
	N(IO_BITMAP_A), N(IO_BITMAP_B), N(MSR_BITMAP), N(VM_EXIT_MSR_STORE_ADDR),
	N(VM_EXIT_MSR_LOAD_ADDR), N(VM_ENTRY_MSR_LOAD_ADDR), N(PML_ADDRESS), N(TSC_OFFSET),
	N(VIRTUAL_APIC_PAGE_ADDR), N(APIC_ACCESS_ADDR), N(POSTED_INTR_DESC_ADDR),
	N(VM_FUNCTION_CONTROL), N(EPT_POINTER), N(EPTP_LIST_ADDRESS), N(VMREAD_BITMAP),
	N(VMWRITE_BITMAP), N(VE_INFO_ADDRESS),
	N(VMCS_LINK_POINTER), N(GUEST_IA32_DEBUGCTL), N(GUEST_IA32_PAT), N(GUEST_IA32_EFER),
	N(GUEST_PDPTE0), N(GUEST_PDPTE1), N(GUEST_PDPTE2), N(GUEST_PDPTE3),
	N(HOST_IA32_PAT), N(HOST_IA32_EFER),
	N(PIN_BASED_VM_EXEC_CONTROL), N(CPU_BASED_VM_EXEC_CONTROL), N(CR3_TARGET_COUNT),
	N(VM_EXIT_CONTROLS), N(VM_EXIT_MSR_STORE_COUNT), N(VM_EXIT_MSR_LOAD_COUNT),
	N(VM_ENTRY_CONTROLS), N(VM_ENTRY_MSR_LOAD_COUNT), N(VM_ENTRY_INTR_INFO_FIELD),
	N(VM_ENTRY_EXCEPTION_ERROR_CODE), N(VM_ENTRY_INSTRUCTION_LEN), N(TPR_THRESHOLD),
	N(SECONDARY_VM_EXEC_CONTROL),
	N(GUEST_ES_LIMIT), N(GUEST_CS_LIMIT), N(GUEST_SS_LIMIT), N(GUEST_DS_LIMIT),
	N(GUEST_FS_LIMIT), N(GUEST_GS_LIMIT), N(GUEST_LDTR_LIMIT), N(GUEST_TR_LIMIT),
	N(GUEST_GDTR_LIMIT), N(GUEST_IDTR_LIMIT),
	N(GUEST_ES_AR_BYTES), N(GUEST_CS_AR_BYTES), N(GUEST_SS_AR_BYTES), N(GUEST_DS_AR_BYTES),
	N(GUEST_FS_AR_BYTES), N(GUEST_GS_AR_BYTES), N(GUEST_LDTR_AR_BYTES), N(GUEST_TR_AR_BYTES),
	N(GUEST_INTERRUPTIBILITY_INFO), N(GUEST_ACTIVITY_STATE), N(GUEST_SYSENTER_CS),
	N(HOST_IA32_SYSENTER_CS),
	N(GUEST_CR0), N(GUEST_CR3), N(GUEST_CR4),
	N(GUEST_ES_BASE), N(GUEST_CS_BASE), N(GUEST_SS_BASE), N(GUEST_DS_BASE),
	N(GUEST_FS_BASE), N(GUEST_GS_BASE), N(GUEST_LDTR_BASE), N(GUEST_TR_BASE),
	N(GUEST_GDTR_BASE), N(GUEST_IDTR_BASE), N(GUEST_DR7), N(GUEST_RSP), N(GUEST_RIP),
	N(GUEST_RFLAGS), N(GUEST_PENDING_DBG_EXCEPTIONS), N(GUEST_SYSENTER_ESP),
	N(GUEST_SYSENTER_EIP),
	N(HOST_CR0), N(HOST_CR3), N(HOST_CR4), N(HOST_FS_BASE), N(HOST_GS_BASE),
	N(HOST_TR_BASE), N(HOST_GDTR_BASE), N(HOST_IDTR_BASE), N(HOST_IA32_SYSENTER_ESP),
	N(HOST_IA32_SYSENTER_EIP), N(HOST_RSP), N(HOST_RIP),
};
#undef N

const char *const vc_cr0_bits[64] = {
	[0] = "PE", [1] = "MP", [2] = "EM", [3] = "TS", [4] = "ET", [5] = "NE",
	[16] = "WP", [18] = "AM", [29] = "NW", [30] = "CD", [31] = "PG",
};
const char *const vc_cr4_bits[64] = {
	[0] = "VME", [1] = "PVI", [2] = "TSD", [3] = "DE", [4] = "PSE", [5] = "PAE",
	[6] = "MCE", [7] = "PGE", [8] = "PCE", [9] = "OSFXSR", [10] = "OSXMMEXCPT",
	[11] = "UMIP", [12] = "LA57", [13] = "VMXE", [14] = "SMXE", [16] = "FSGSBASE",
	[17] = "PCIDE", [18] = "OSXSAVE", [19] = "KL", [20] = "SMEP", [21] = "SMAP",
	[22] = "PKE", [23] = "CET", [24] = "PKS", [25] = "UINTR",
};

int vc_fail(struct vc *c, const char *sdm, enum vmcs_field f, const char *fmt, ...)
{
	struct vmentry_error *e = c->err;
	const char *name = NULL;
	va_list ap;
	int n;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].f == f)
			name = names[i].name;
	e->sdm = sdm;
	e->field = f;
	e->value = vc_val(c, f);
	if (name)
		n = bolt_snprintf(e->rule, sizeof(e->rule), "%s 0x%llx ", name,
				  (unsigned long long)e->value);
	else
		n = bolt_snprintf(e->rule, sizeof(e->rule), "field 0x%04x 0x%llx ", (unsigned)f,
				  (unsigned long long)e->value);
	if (n >= 0 && (size_t)n < sizeof(e->rule)) {
		va_start(ap, fmt);
		bolt_vsnprintf(e->rule + n, sizeof(e->rule) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

bool vc_canonical(const struct vc *c, uint64_t a)
{
	unsigned bits = c->caps->linaddr_bits ? c->caps->linaddr_bits : 48;

	if (bits >= 64)
		return true;
	/* Sign-extend from bit bits-1 and compare. */
	return (uint64_t)((int64_t)(a << (64 - bits)) >> (64 - bits)) == a;
}

bool vc_phys_ok(const struct vc *c, uint64_t a)
{
	unsigned w = c->caps->maxphyaddr ? c->caps->maxphyaddr : 36;

	/* A.1: with IA32_VMX_BASIC[48], VMCS-referenced addresses are 32-bit. */
	if ((c->caps->basic & VMX_BASIC_32BIT_ADDR) && w > 32)
		w = 32;
	return w >= 64 || (a >> w) == 0;
}

bool vc_beyond_maxphy(const struct vc *c, uint64_t a)
{
	unsigned w = c->caps->maxphyaddr ? c->caps->maxphyaddr : 36;

	return w < 64 && (a >> w) != 0;
}

int vc_check_page(struct vc *c, const char *sdm, enum vmcs_field f)
{
	uint64_t a = vc_val(c, f);

	if (a & 0xfff)
		return vc_fail(c, sdm, f, "is not 4-KByte aligned");
	if (!vc_phys_ok(c, a))
		return vc_fail(c, sdm, f, "is beyond the physical-address width (%u bits)",
			       (unsigned)c->caps->maxphyaddr);
	return 0;
}

/* "has bit N (NAME) clear, which MSR requires" / "... set, which MSR does not allow". */
static int bit_fail(struct vc *c, const char *sdm, enum vmcs_field f, uint64_t bad,
		    const char *const *bit_names, const char *state, const char *msr, const char *verdict)
{
	unsigned bit = (unsigned)__builtin_ctzll(bad);
	const char *name = bit_names ? bit_names[bit] : NULL;

	return vc_fail(c, sdm, f, "has bit %u%s%s%s %s, which %s %s", bit, name ? " (" : "",
		       name ? name : "", name ? ")" : "", state, msr, verdict);
}

int vc_check_fixed(struct vc *c, const char *sdm, enum vmcs_field f, uint64_t must1, uint64_t may1,
		   const char *const *bit_names, const char *must1_msr, const char *may1_msr)
{
	uint64_t v = vc_val(c, f);

	if (must1 & ~v)
		return bit_fail(c, sdm, f, must1 & ~v, bit_names, "clear", must1_msr, "requires");
	if (v & ~may1)
		return bit_fail(c, sdm, f, v & ~may1, bit_names, "set", may1_msr, "does not allow");
	return 0;
}

bool vc_pat_valid(uint64_t pat)
{
	for (unsigned i = 0; i < 8; i++) {
		unsigned t = (pat >> (8 * i)) & 0xff;

		if (t != 0 && t != 1 && t != 4 && t != 5 && t != 6 && t != 7)
			return false;
	}
	return true;
}

int vmentry_check(const struct vmcs_image *img, const struct vmx_caps *caps, struct vmentry_error *err)
{
	struct vc c = { .img = img, .caps = caps, .err = err };

	memset(err, 0, sizeof(*err));
	c.pin = (uint32_t)vc_val(&c, PIN_BASED_VM_EXEC_CONTROL);
	c.proc = (uint32_t)vc_val(&c, CPU_BASED_VM_EXEC_CONTROL);
	if (c.proc & CPU_SECONDARY_CONTROLS)
		c.proc2 = (uint32_t)vc_val(&c, SECONDARY_VM_EXEC_CONTROL);
	c.exit = (uint32_t)vc_val(&c, VM_EXIT_CONTROLS);
	c.entry = (uint32_t)vc_val(&c, VM_ENTRY_CONTROLS);
	c.ia32e_guest = c.entry & ENTRY_IA32E_MODE;
	c.unrestricted = c.proc2 & CPU2_UNRESTRICTED_GUEST;

	/*
	 * The processor's order (27.1-27.3): controls and host state fail the
	 * instruction (VM-instruction errors 7 and 8), guest state fails the
	 * entry (exit reason 33); within a group the first failure is kept.
	 */
	if (vc_check_controls(&c) || vc_check_host(&c) || vc_check_guest_regs(&c) ||
	    vc_check_guest_segments(&c) || vc_check_guest_state(&c))
		return -1;
	return 0;
}
