/* SPDX-License-Identifier: MIT */
/*
 * Checks on the VMX controls (SDM Vol. 3C, 27.2.1): a failure here is
 * VM-instruction error 7, "VM entry with invalid control field(s)".
 */
#include "arch/vmx_bits.h"
#include "vmentry_check_internal.h"

#define S_EXEC "27.2.1.1"
#define S_EXIT "27.2.1.2"
#define S_ENTRY "27.2.1.3"

/* The names of the capability MSR the controls are held to (A.3-A.5). */
static const char *ctl_msr(const struct vc *c, const char *plain, const char *true_name)
{
	return (c->caps->basic & VMX_BASIC_TRUE_CTLS) ? true_name : plain;
}

static int check_ctl(struct vc *c, const char *sdm, enum vmcs_field f, uint64_t msr, const char *name)
{
	return vc_check_fixed(c, sdm, f, vmx_ctl_must1(msr), vmx_ctl_may1(msr), NULL, name, name);
}

/* An MSR area of count 16-byte entries: aligned, and its last byte reachable (27.2.1.2/3). */
static int check_msr_area(struct vc *c, const char *sdm, enum vmcs_field count, enum vmcs_field addr)
{
	uint64_t n = vc_val(c, count), a = vc_val(c, addr);

	if (n == 0)
		return 0;
	if (a & 0xf)
		return vc_fail(c, sdm, addr, "is not 16-byte aligned, and the MSR count is %llu",
			       (unsigned long long)n);
	if (!vc_phys_ok(c, a) || !vc_phys_ok(c, a + n * 16 - 1))
		return vc_fail(c, sdm, addr, "+ %llu entries of 16 bytes ends beyond the physical-address width",
			       (unsigned long long)n);
	return 0;
}

static int check_apic_virt(struct vc *c)
{
	if (c->proc & CPU_TPR_SHADOW) {
		if (vc_check_page(c, S_EXEC, VIRTUAL_APIC_PAGE_ADDR))
			return -1;
		/* Without virtual-interrupt delivery the threshold is 4 bits (TPR[7:4]). */
		if (!(c->proc2 & CPU2_VIRT_INTR_DELIVERY) && (vc_val(c, TPR_THRESHOLD) & ~0xfULL))
			return vc_fail(c, S_EXEC, TPR_THRESHOLD, "has bits 31:4 set");
	} else if (c->proc2 & (CPU2_VIRT_X2APIC_MODE | CPU2_APIC_REG_VIRT | CPU2_VIRT_INTR_DELIVERY)) {
		return vc_fail(c, S_EXEC, SECONDARY_VM_EXEC_CONTROL,
			       "virtualizes x2APIC mode, APIC registers or interrupt delivery without \"use TPR shadow\"");
	}
	if ((c->proc2 & CPU2_VIRT_X2APIC_MODE) && (c->proc2 & CPU2_VIRT_APIC_ACCESSES))
		return vc_fail(c, S_EXEC, SECONDARY_VM_EXEC_CONTROL,
			       "sets both \"virtualize x2APIC mode\" and \"virtualize APIC accesses\"");
	if ((c->proc2 & CPU2_VIRT_APIC_ACCESSES) && vc_check_page(c, S_EXEC, APIC_ACCESS_ADDR))
		return -1;
	if ((c->proc2 & CPU2_VIRT_INTR_DELIVERY) && !(c->pin & PIN_EXTINT_EXITING))
		return vc_fail(c, S_EXEC, PIN_BASED_VM_EXEC_CONTROL,
			       "lacks external-interrupt exiting, which virtual-interrupt delivery requires");
	if (c->pin & PIN_POSTED_INTR) {
		uint64_t d = vc_val(c, POSTED_INTR_DESC_ADDR);

		if (!(c->proc2 & CPU2_VIRT_INTR_DELIVERY))
			return vc_fail(c, S_EXEC, PIN_BASED_VM_EXEC_CONTROL,
				       "processes posted interrupts without virtual-interrupt delivery");
		if (!(c->exit & EXIT_ACK_INTR_ON_EXIT))
			return vc_fail(c, S_EXEC, VM_EXIT_CONTROLS,
				       "lacks \"acknowledge interrupt on exit\", which posted interrupts require");
		if (vc_val(c, POSTED_INTR_NV) & 0xff00)
			return vc_fail(c, S_EXEC, POSTED_INTR_NV, "has bits 15:8 set");
		if ((d & 0x3f) || !vc_phys_ok(c, d))
			return vc_fail(c, S_EXEC, POSTED_INTR_DESC_ADDR,
				       "is not 64-byte aligned or is beyond the physical-address width");
	}
	return 0;
}

/* The EPT pointer (25.6.11): memory type, walk length and A/D flags the CPU supports. */
static int check_eptp(struct vc *c)
{
	uint64_t p = vc_val(c, EPT_POINTER), cap = c->caps->ept_vpid_cap;
	unsigned mt = p & 7, walk = ((p >> 3) & 7) + 1;

	if (!((mt == 0 && (cap & EPT_CAP_MT_UC)) || (mt == 6 && (cap & EPT_CAP_MT_WB))))
		return vc_fail(c, S_EXEC, EPT_POINTER,
			       "has memory type %u, which IA32_VMX_EPT_VPID_CAP does not support", mt);
	if (!((walk == 4 && (cap & EPT_CAP_PWL4)) || (walk == 5 && (cap & EPT_CAP_PWL5))))
		return vc_fail(c, S_EXEC, EPT_POINTER,
			       "has page-walk length %u, which IA32_VMX_EPT_VPID_CAP does not support", walk);
	if ((p & (1ULL << 6)) && !(cap & EPT_CAP_AD))
		return vc_fail(c, S_EXEC, EPT_POINTER,
			       "enables accessed/dirty flags (bit 6), which IA32_VMX_EPT_VPID_CAP[21] lacks");
	/* Bit 7 (supervisor shadow stacks) needs CET, which the caps do not describe. */
	if ((p & 0xf80) || !vc_phys_ok(c, p & ~0xfffULL))
		return vc_fail(c, S_EXEC, EPT_POINTER,
			       "has reserved bits 11:7 or bits beyond the physical-address width set");
	return 0;
}

static int check_ept_family(struct vc *c)
{
	bool ept = c->proc2 & CPU2_ENABLE_EPT;

	if ((c->proc2 & CPU2_ENABLE_VPID) && vc_val(c, VIRTUAL_PROCESSOR_ID) == 0)
		return vc_fail(c, S_EXEC, VIRTUAL_PROCESSOR_ID, "is 0 with \"enable VPID\" set");
	if (ept && check_eptp(c))
		return -1;
	if (!ept && (c->proc2 & (CPU2_UNRESTRICTED_GUEST | CPU2_ENABLE_PML | CPU2_MODE_BASED_EPT_EXEC)))
		return vc_fail(c, S_EXEC, SECONDARY_VM_EXEC_CONTROL,
			       "sets unrestricted guest, PML or mode-based execute control without EPT");
	if ((c->proc2 & CPU2_ENABLE_PML) && vc_check_page(c, S_EXEC, PML_ADDRESS))
		return -1;
	if (c->proc2 & CPU2_ENABLE_VMFUNC) {
		uint64_t f = vc_val(c, VM_FUNCTION_CONTROL);

		if (f & ~c->caps->vmfunc)
			return vc_fail(c, S_EXEC, VM_FUNCTION_CONTROL,
				       "enables functions IA32_VMX_VMFUNC does not allow");
		/* Function 0 is EPTP switching (25.6.14). */
		if ((f & 1) && !ept)
			return vc_fail(c, S_EXEC, VM_FUNCTION_CONTROL, "enables EPTP switching without EPT");
		if ((f & 1) && vc_check_page(c, S_EXEC, EPTP_LIST_ADDRESS))
			return -1;
	}
	if ((c->proc2 & CPU2_SHADOW_VMCS) &&
	    (vc_check_page(c, S_EXEC, VMREAD_BITMAP) || vc_check_page(c, S_EXEC, VMWRITE_BITMAP)))
		return -1;
	if ((c->proc2 & CPU2_EPT_VIOLATION_VE) && vc_check_page(c, S_EXEC, VE_INFO_ADDRESS))
		return -1;
	return 0;
}

static int check_exec(struct vc *c)
{
	const struct vmx_caps *k = c->caps;
	unsigned cr3_targets = (k->misc >> 16) & 0x1ff;

	if (check_ctl(c, S_EXEC, PIN_BASED_VM_EXEC_CONTROL, vmx_caps_pin(k),
		      ctl_msr(c, "IA32_VMX_PINBASED_CTLS", "IA32_VMX_TRUE_PINBASED_CTLS")) ||
	    check_ctl(c, S_EXEC, CPU_BASED_VM_EXEC_CONTROL, vmx_caps_proc(k),
		      ctl_msr(c, "IA32_VMX_PROCBASED_CTLS", "IA32_VMX_TRUE_PROCBASED_CTLS")))
		return -1;
	if ((c->proc & CPU_SECONDARY_CONTROLS) &&
	    check_ctl(c, S_EXEC, SECONDARY_VM_EXEC_CONTROL, k->procbased_ctls2, "IA32_VMX_PROCBASED_CTLS2"))
		return -1;
	if (vc_val(c, CR3_TARGET_COUNT) > cr3_targets)
		return vc_fail(c, S_EXEC, CR3_TARGET_COUNT,
			       "exceeds the %u CR3-target values IA32_VMX_MISC[24:16] allows", cr3_targets);
	if ((c->proc & CPU_USE_IO_BITMAPS) &&
	    (vc_check_page(c, S_EXEC, IO_BITMAP_A) || vc_check_page(c, S_EXEC, IO_BITMAP_B)))
		return -1;
	if ((c->proc & CPU_USE_MSR_BITMAPS) && vc_check_page(c, S_EXEC, MSR_BITMAP))
		return -1;
	if (check_apic_virt(c))
		return -1;
	if (!(c->pin & PIN_NMI_EXITING) && (c->pin & PIN_VIRTUAL_NMIS))
		return vc_fail(c, S_EXEC, PIN_BASED_VM_EXEC_CONTROL, "sets virtual NMIs without NMI exiting");
	if (!(c->pin & PIN_VIRTUAL_NMIS) && (c->proc & CPU_NMI_WINDOW_EXITING))
		return vc_fail(c, S_EXEC, CPU_BASED_VM_EXEC_CONTROL,
			       "sets NMI-window exiting without virtual NMIs");
	return check_ept_family(c);
}

static int check_exit(struct vc *c)
{
	if (check_ctl(c, S_EXIT, VM_EXIT_CONTROLS, vmx_caps_exit(c->caps),
		      ctl_msr(c, "IA32_VMX_EXIT_CTLS", "IA32_VMX_TRUE_EXIT_CTLS")))
		return -1;
	if (!(c->pin & PIN_PREEMPTION_TIMER) && (c->exit & EXIT_SAVE_PREEMPTION_TIMER))
		return vc_fail(c, S_EXIT, VM_EXIT_CONTROLS,
			       "saves the VMX-preemption timer value, which is not activated");
	if (check_msr_area(c, S_EXIT, VM_EXIT_MSR_STORE_COUNT, VM_EXIT_MSR_STORE_ADDR) ||
	    check_msr_area(c, S_EXIT, VM_EXIT_MSR_LOAD_COUNT, VM_EXIT_MSR_LOAD_ADDR))
		return -1;
	return 0;
}

/* Exceptions that push an error code (Vol. 3A, Table 6-1): #DF #TS #NP #SS #GP #PF #AC. */
static bool has_error_code(unsigned vector)
{
	return vector < 32 && ((1u << vector) & 0x27d00u);
}

/* Event injection (25.8.3): the interruption-information field and its companions. */
static int check_injection(struct vc *c)
{
	uint32_t info = (uint32_t)vc_val(c, VM_ENTRY_INTR_INFO_FIELD);
	uint32_t type = info & INTR_TYPE_MASK, vector = info & 0xff;
	bool deliver = info & INTR_INFO_DELIVER_CODE;
	uint64_t len = vc_val(c, VM_ENTRY_INSTRUCTION_LEN);

	if (!(info & INTR_INFO_VALID))
		return 0;
	if (type == (1u << 8) ||
	    (type == INTR_TYPE_OTHER_EVENT && !(vmx_ctl_may1(vmx_caps_proc(c->caps)) & CPU_MONITOR_TRAP_FLAG)))
		return vc_fail(c, S_ENTRY, VM_ENTRY_INTR_INFO_FIELD, "has interruption type %u, which is reserved",
			       type >> 8);
	if ((type == INTR_TYPE_NMI && vector != 2) || (type == INTR_TYPE_HW_EXCEPTION && vector > 31) ||
	    (type == INTR_TYPE_OTHER_EVENT && vector != 0))
		return vc_fail(c, S_ENTRY, VM_ENTRY_INTR_INFO_FIELD, "has vector %u, invalid for type %u", vector,
			       type >> 8);
	/*
	 * The error code is delivered exactly when the guest is in protected
	 * mode and the exception pushes one, unless IA32_VMX_BASIC[56] lifts it.
	 */
	if (!(c->caps->basic & (1ULL << 56))) {
		bool want = (!c->unrestricted || (vc_val(c, GUEST_CR0) & VC_CR0_PE)) &&
			    type == INTR_TYPE_HW_EXCEPTION && has_error_code(vector);

		if (deliver != want)
			return vc_fail(c, S_ENTRY, VM_ENTRY_INTR_INFO_FIELD, "%s an error code for vector %u",
				       deliver ? "delivers" : "does not deliver", vector);
	}
	if (info & 0x7ffff000u)
		return vc_fail(c, S_ENTRY, VM_ENTRY_INTR_INFO_FIELD, "has reserved bits 30:12 set");
	if (deliver && (vc_val(c, VM_ENTRY_EXCEPTION_ERROR_CODE) & 0xffff0000u))
		return vc_fail(c, S_ENTRY, VM_ENTRY_EXCEPTION_ERROR_CODE, "has bits 31:16 set");
	if ((type == INTR_TYPE_SW_INTR || type == INTR_TYPE_PRIV_SW_EXCEPTION || type == INTR_TYPE_SW_EXCEPTION) &&
	    (len > 15 || (len == 0 && !(c->caps->misc & (1ULL << 30)))))
		return vc_fail(c, S_ENTRY, VM_ENTRY_INSTRUCTION_LEN,
			       "is outside 1-15 for a software interrupt or exception");
	return 0;
}

static int check_entry(struct vc *c)
{
	if (check_ctl(c, S_ENTRY, VM_ENTRY_CONTROLS, vmx_caps_entry(c->caps),
		      ctl_msr(c, "IA32_VMX_ENTRY_CTLS", "IA32_VMX_TRUE_ENTRY_CTLS")))
		return -1;
	if (check_injection(c))
		return -1;
	/* Bolt enters from outside SMM: these two must be 0 there. */
	if (c->entry & (ENTRY_SMM | ENTRY_DEACT_DUAL_MONITOR))
		return vc_fail(c, S_ENTRY, VM_ENTRY_CONTROLS,
			       "sets \"entry to SMM\" or \"deactivate dual-monitor treatment\" outside SMM");
	return check_msr_area(c, S_ENTRY, VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_MSR_LOAD_ADDR);
}

int vc_check_controls(struct vc *c)
{
	return check_exec(c) || check_exit(c) || check_entry(c) ? -1 : 0;
}
