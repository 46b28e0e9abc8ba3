/* SPDX-License-Identifier: MIT */
/*
 * arch/x86/vmentry_check*.c, controls and host state (SDM Vol. 3C, 27.2):
 * Bolt's VM-entry state passes, and each rule fails on a change that
 * breaks exactly it. The guest-state rules are in test_vmentry_guest.c.
 */
#include "vmentry_world.h"

#define EXEC "27.2.1.1"
#define EXIT "27.2.1.2"
#define ENTRY "27.2.1.3"

static void test_good(void)
{
	reset();
	PASSES();
	/* Absent fields read as 0: a VMCLEARed VMCS fails on its first control. */
	vmcs_image_init(&img);
	FAILS(EXEC, PIN_BASED_VM_EXEC_CONTROL);
	/* The rule in words, with the MSR that fixes the bit. */
	reset();
	set(HOST_CR0, 0x80050013);
	FAILS("27.2.2", HOST_CR0);
	CHECK_STR(err.rule, "HOST_CR0 0x80050013 has bit 5 (NE) clear, which IA32_VMX_CR0_FIXED0 requires");
	CHECK_EQ(err.value, 0x80050013);
}

static void test_exec_ctls(void)
{
	reset(); clr(PIN_BASED_VM_EXEC_CONTROL, 1u << 1); FAILS(EXEC, PIN_BASED_VM_EXEC_CONTROL);
	CHECK_CONTAINS(err.rule, "IA32_VMX_TRUE_PINBASED_CTLS requires");
	reset(); or(PIN_BASED_VM_EXEC_CONTROL, 1u << 8); FAILS(EXEC, PIN_BASED_VM_EXEC_CONTROL);
	reset(); or(CPU_BASED_VM_EXEC_CONTROL, 1u << 0); FAILS(EXEC, CPU_BASED_VM_EXEC_CONTROL);
	/* Without IA32_VMX_BASIC[55] the default MSR applies: CR3 exiting is forced. */
	reset(); caps.basic &= ~VMX_BASIC_TRUE_CTLS; FAILS(EXEC, CPU_BASED_VM_EXEC_CONTROL);
	CHECK_CONTAINS(err.rule, "bit 15 clear, which IA32_VMX_PROCBASED_CTLS requires");
	reset(); or(SECONDARY_VM_EXEC_CONTROL, 1u << 30); FAILS(EXEC, SECONDARY_VM_EXEC_CONTROL);
	/* Secondary controls not activated count as 0: no unrestricted guest, so CR0.PG is required. */
	reset(); clr(CPU_BASED_VM_EXEC_CONTROL, CPU_SECONDARY_CONTROLS); set(SECONDARY_VM_EXEC_CONTROL, ~0u);
	FAILS("27.3.1.1", GUEST_CR0);
	reset(); set(CR3_TARGET_COUNT, 4); PASSES();
	set(CR3_TARGET_COUNT, 5); FAILS(EXEC, CR3_TARGET_COUNT);
	reset(); or(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_IO_BITMAPS); set(IO_BITMAP_A, 0x3000);
	set(IO_BITMAP_B, 0x4000); PASSES();
	set(IO_BITMAP_A, 0x3800); FAILS(EXEC, IO_BITMAP_A);
	set(IO_BITMAP_A, 0x3000); set(IO_BITMAP_B, 1ULL << 39); FAILS(EXEC, IO_BITMAP_B);
	reset(); set(MSR_BITMAP, 0x100010); FAILS(EXEC, MSR_BITMAP);
	reset(); set(MSR_BITMAP, 1ULL << 39); FAILS(EXEC, MSR_BITMAP);
	reset(); set(MSR_BITMAP, 1ULL << 38); PASSES();
	/* IA32_VMX_BASIC[48]: addresses are limited to 32 bits. */
	caps.basic |= VMX_BASIC_32BIT_ADDR; FAILS(EXEC, MSR_BITMAP);
	reset(); clr(CPU_BASED_VM_EXEC_CONTROL, CPU_USE_MSR_BITMAPS); set(MSR_BITMAP, 1); PASSES();
	reset(); or(PIN_BASED_VM_EXEC_CONTROL, PIN_VIRTUAL_NMIS); PASSES();
	clr(PIN_BASED_VM_EXEC_CONTROL, PIN_NMI_EXITING); FAILS(EXEC, PIN_BASED_VM_EXEC_CONTROL);
	reset(); or(CPU_BASED_VM_EXEC_CONTROL, CPU_NMI_WINDOW_EXITING); FAILS(EXEC, CPU_BASED_VM_EXEC_CONTROL);
	or(PIN_BASED_VM_EXEC_CONTROL, PIN_VIRTUAL_NMIS); PASSES();
}

static void test_apic_ctls(void)
{
	reset(); set(VIRTUAL_APIC_PAGE_ADDR, 0x101004); FAILS(EXEC, VIRTUAL_APIC_PAGE_ADDR);
	reset(); set(TPR_THRESHOLD, 0x10); FAILS(EXEC, TPR_THRESHOLD);
	or(SECONDARY_VM_EXEC_CONTROL, CPU2_VIRT_INTR_DELIVERY); PASSES();
	reset(); clr(CPU_BASED_VM_EXEC_CONTROL, CPU_TPR_SHADOW); set(VIRTUAL_APIC_PAGE_ADDR, 1); PASSES();
	or(SECONDARY_VM_EXEC_CONTROL, CPU2_VIRT_X2APIC_MODE); FAILS(EXEC, SECONDARY_VM_EXEC_CONTROL);
	reset(); or(SECONDARY_VM_EXEC_CONTROL, CPU2_VIRT_X2APIC_MODE | CPU2_VIRT_APIC_ACCESSES);
	set(APIC_ACCESS_ADDR, 0x102000); FAILS(EXEC, SECONDARY_VM_EXEC_CONTROL);
	reset(); or(SECONDARY_VM_EXEC_CONTROL, CPU2_VIRT_APIC_ACCESSES); set(APIC_ACCESS_ADDR, 0x102000);
	PASSES();
	set(APIC_ACCESS_ADDR, 0x102100); FAILS(EXEC, APIC_ACCESS_ADDR);
	reset(); or(SECONDARY_VM_EXEC_CONTROL, CPU2_VIRT_INTR_DELIVERY);
	clr(PIN_BASED_VM_EXEC_CONTROL, PIN_EXTINT_EXITING); FAILS(EXEC, PIN_BASED_VM_EXEC_CONTROL);
	/* Posted interrupts. */
	reset(); or(PIN_BASED_VM_EXEC_CONTROL, PIN_POSTED_INTR); or(SECONDARY_VM_EXEC_CONTROL, CPU2_VIRT_INTR_DELIVERY);
	set(POSTED_INTR_NV, 0xf2); set(POSTED_INTR_DESC_ADDR, 0x103040); PASSES();
	clr(SECONDARY_VM_EXEC_CONTROL, CPU2_VIRT_INTR_DELIVERY); FAILS(EXEC, PIN_BASED_VM_EXEC_CONTROL);
	or(SECONDARY_VM_EXEC_CONTROL, CPU2_VIRT_INTR_DELIVERY);
	clr(VM_EXIT_CONTROLS, EXIT_ACK_INTR_ON_EXIT); FAILS(EXEC, VM_EXIT_CONTROLS);
	or(VM_EXIT_CONTROLS, EXIT_ACK_INTR_ON_EXIT);
	set(POSTED_INTR_NV, 0x1f2); FAILS(EXEC, POSTED_INTR_NV);
	set(POSTED_INTR_NV, 0xf2); set(POSTED_INTR_DESC_ADDR, 0x103020); FAILS(EXEC, POSTED_INTR_DESC_ADDR);
}

static void test_ept_ctls(void)
{
	reset(); set(VIRTUAL_PROCESSOR_ID, 0); FAILS(EXEC, VIRTUAL_PROCESSOR_ID);
	clr(SECONDARY_VM_EXEC_CONTROL, CPU2_ENABLE_VPID); PASSES();
	reset(); set(EPT_POINTER, 0x200000 | 1 | (3 << 3)); FAILS(EXEC, EPT_POINTER);
	reset(); set(EPT_POINTER, 0x200000 | 0 | (3 << 3)); PASSES();
	caps.ept_vpid_cap &= ~EPT_CAP_MT_UC; FAILS(EXEC, EPT_POINTER);
	reset(); caps.ept_vpid_cap &= ~EPT_CAP_MT_WB; FAILS(EXEC, EPT_POINTER);
	reset(); set(EPT_POINTER, 0x200000 | 6 | (4 << 3)); FAILS(EXEC, EPT_POINTER);
	CHECK_CONTAINS(err.rule, "page-walk length 5");
	caps.ept_vpid_cap |= EPT_CAP_PWL5; PASSES();
	reset(); or(EPT_POINTER, 1 << 6); PASSES();
	caps.ept_vpid_cap &= ~EPT_CAP_AD; FAILS(EXEC, EPT_POINTER);
	reset(); or(EPT_POINTER, 1 << 8); FAILS(EXEC, EPT_POINTER);
	reset(); or(EPT_POINTER, 1ULL << 39); FAILS(EXEC, EPT_POINTER);
	reset(); clr(SECONDARY_VM_EXEC_CONTROL, CPU2_ENABLE_EPT); FAILS(EXEC, SECONDARY_VM_EXEC_CONTROL);
	reset(); restricted(); clr(SECONDARY_VM_EXEC_CONTROL, CPU2_ENABLE_EPT); PASSES();
	or(SECONDARY_VM_EXEC_CONTROL, CPU2_ENABLE_PML); FAILS(EXEC, SECONDARY_VM_EXEC_CONTROL);
	clr(SECONDARY_VM_EXEC_CONTROL, CPU2_ENABLE_PML);
	or(SECONDARY_VM_EXEC_CONTROL, CPU2_MODE_BASED_EPT_EXEC); FAILS(EXEC, SECONDARY_VM_EXEC_CONTROL);
	reset(); or(SECONDARY_VM_EXEC_CONTROL, CPU2_ENABLE_PML); set(PML_ADDRESS, 0x104000); PASSES();
	set(PML_ADDRESS, 0x104008); FAILS(EXEC, PML_ADDRESS);
	/* VM functions: only EPTP switching (bit 0) is allowed; it needs EPT and an EPTP list. */
	reset(); or(SECONDARY_VM_EXEC_CONTROL, CPU2_ENABLE_VMFUNC); set(VM_FUNCTION_CONTROL, 1);
	set(EPTP_LIST_ADDRESS, 0x105000); PASSES();
	set(VM_FUNCTION_CONTROL, 3); FAILS(EXEC, VM_FUNCTION_CONTROL);
	set(VM_FUNCTION_CONTROL, 1); set(EPTP_LIST_ADDRESS, 0x105800); FAILS(EXEC, EPTP_LIST_ADDRESS);
	set(EPTP_LIST_ADDRESS, 0x105000); restricted(); clr(SECONDARY_VM_EXEC_CONTROL, CPU2_ENABLE_EPT);
	FAILS(EXEC, VM_FUNCTION_CONTROL);
	reset(); or(SECONDARY_VM_EXEC_CONTROL, CPU2_SHADOW_VMCS); set(VMREAD_BITMAP, 0x106000);
	set(VMWRITE_BITMAP, 0x107000); PASSES();
	set(VMREAD_BITMAP, 0x106001); FAILS(EXEC, VMREAD_BITMAP);
	set(VMREAD_BITMAP, 0x106000); set(VMWRITE_BITMAP, 1ULL << 40); FAILS(EXEC, VMWRITE_BITMAP);
	reset(); or(SECONDARY_VM_EXEC_CONTROL, CPU2_EPT_VIOLATION_VE); set(VE_INFO_ADDRESS, 0x108000); PASSES();
	set(VE_INFO_ADDRESS, 0x108040); FAILS(EXEC, VE_INFO_ADDRESS);
}

static void test_exit_ctls(void)
{
	reset(); or(VM_EXIT_CONTROLS, 1u << 31); FAILS(EXIT, VM_EXIT_CONTROLS);
	reset(); clr(VM_EXIT_CONTROLS, 1u << 0); FAILS(EXIT, VM_EXIT_CONTROLS);
	reset(); or(VM_EXIT_CONTROLS, EXIT_SAVE_PREEMPTION_TIMER); FAILS(EXIT, VM_EXIT_CONTROLS);
	or(PIN_BASED_VM_EXEC_CONTROL, PIN_PREEMPTION_TIMER); PASSES();
	reset(); set(VM_EXIT_MSR_STORE_ADDR, 0x1008); PASSES(); /* count 0: unused */
	set(VM_EXIT_MSR_STORE_COUNT, 1); FAILS(EXIT, VM_EXIT_MSR_STORE_ADDR);
	set(VM_EXIT_MSR_STORE_ADDR, (1ULL << 39) - 32); set(VM_EXIT_MSR_STORE_COUNT, 2); PASSES();
	set(VM_EXIT_MSR_STORE_COUNT, 3); FAILS(EXIT, VM_EXIT_MSR_STORE_ADDR);
	reset(); set(VM_EXIT_MSR_LOAD_COUNT, 1); set(VM_EXIT_MSR_LOAD_ADDR, 0x2004); FAILS(EXIT, VM_EXIT_MSR_LOAD_ADDR);
}

static void test_entry_ctls(void)
{
	reset(); or(VM_ENTRY_CONTROLS, 1u << 20); FAILS(ENTRY, VM_ENTRY_CONTROLS);
	reset(); or(VM_ENTRY_CONTROLS, ENTRY_SMM); FAILS(ENTRY, VM_ENTRY_CONTROLS);
	reset(); or(VM_ENTRY_CONTROLS, ENTRY_DEACT_DUAL_MONITOR); FAILS(ENTRY, VM_ENTRY_CONTROLS);
	reset(); set(VM_ENTRY_MSR_LOAD_COUNT, 1); set(VM_ENTRY_MSR_LOAD_ADDR, 0x3000); PASSES();
	set(VM_ENTRY_MSR_LOAD_ADDR, 0x3001); FAILS(ENTRY, VM_ENTRY_MSR_LOAD_ADDR);
	set(VM_ENTRY_MSR_LOAD_ADDR, (1ULL << 39) - 8); FAILS(ENTRY, VM_ENTRY_MSR_LOAD_ADDR);
}

static void inject(uint32_t type, uint32_t vector, bool code)
{
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | type | vector | (code ? INTR_INFO_DELIVER_CODE : 0));
}

static void test_injection(void)
{
	reset(); inject(INTR_TYPE_HW_EXCEPTION, 13, true); PASSES();
	inject(1u << 8, 0, false); FAILS(ENTRY, VM_ENTRY_INTR_INFO_FIELD);
	reset(); inject(INTR_TYPE_OTHER_EVENT, 0, false); PASSES();
	inject(INTR_TYPE_OTHER_EVENT, 1, false); FAILS(ENTRY, VM_ENTRY_INTR_INFO_FIELD);
	inject(INTR_TYPE_OTHER_EVENT, 0, false);
	caps.true_procbased_ctls &= ~((uint64_t)CPU_MONITOR_TRAP_FLAG << 32); FAILS(ENTRY, VM_ENTRY_INTR_INFO_FIELD);
	reset(); inject(INTR_TYPE_NMI, 3, false); FAILS(ENTRY, VM_ENTRY_INTR_INFO_FIELD);
	reset(); inject(INTR_TYPE_NMI, 2, false); PASSES();
	reset(); inject(INTR_TYPE_HW_EXCEPTION, 32, false); FAILS(ENTRY, VM_ENTRY_INTR_INFO_FIELD);
	/* The error code: exactly for #DF #TS #NP #SS #GP #PF #AC in protected mode. */
	reset(); inject(INTR_TYPE_HW_EXCEPTION, 13, false); FAILS(ENTRY, VM_ENTRY_INTR_INFO_FIELD);
	reset(); inject(INTR_TYPE_HW_EXCEPTION, 6, true); FAILS(ENTRY, VM_ENTRY_INTR_INFO_FIELD);
	caps.basic |= 1ULL << 56; PASSES();
	reset(); clr(GUEST_CR0, 1); inject(INTR_TYPE_HW_EXCEPTION, 13, true); FAILS(ENTRY, VM_ENTRY_INTR_INFO_FIELD);
	inject(INTR_TYPE_HW_EXCEPTION, 13, false); PASSES();
	reset(); inject(INTR_TYPE_HW_EXCEPTION, 14, true); or(VM_ENTRY_INTR_INFO_FIELD, 1u << 12);
	FAILS(ENTRY, VM_ENTRY_INTR_INFO_FIELD);
	reset(); inject(INTR_TYPE_HW_EXCEPTION, 14, true); set(VM_ENTRY_EXCEPTION_ERROR_CODE, 0xffff); PASSES();
	set(VM_ENTRY_EXCEPTION_ERROR_CODE, 0x10000); FAILS(ENTRY, VM_ENTRY_EXCEPTION_ERROR_CODE);
	reset(); or(GUEST_RFLAGS, 1 << 9); inject(INTR_TYPE_SW_INTR, 0x80, false); set(VM_ENTRY_INSTRUCTION_LEN, 2);
	PASSES();
	set(VM_ENTRY_INSTRUCTION_LEN, 16); FAILS(ENTRY, VM_ENTRY_INSTRUCTION_LEN);
	inject(INTR_TYPE_SW_EXCEPTION, 3, false); set(VM_ENTRY_INSTRUCTION_LEN, 0); FAILS(ENTRY, VM_ENTRY_INSTRUCTION_LEN);
	caps.misc |= 1ULL << 30; PASSES(); /* IA32_VMX_MISC[30]: length 0 allowed */
}

static void test_host_regs(void)
{
	reset(); set(HOST_CR0, 0x180050033ULL); FAILS("27.2.2", HOST_CR0);
	reset(); clr(HOST_CR4, 1 << 13); FAILS("27.2.2", HOST_CR4);
	CHECK_CONTAINS(err.rule, "bit 13 (VMXE) clear, which IA32_VMX_CR4_FIXED0 requires");
	reset(); or(HOST_CR4, 1 << 12); FAILS("27.2.2", HOST_CR4);
	reset(); set(HOST_CR3, 1ULL << 39); FAILS("27.2.2", HOST_CR3);
	reset(); set(HOST_IA32_SYSENTER_ESP, 1ULL << 47); FAILS("27.2.2", HOST_IA32_SYSENTER_ESP);
	reset(); set(HOST_IA32_SYSENTER_EIP, 0x8000000000000000ULL); FAILS("27.2.2", HOST_IA32_SYSENTER_EIP);
	reset(); set(HOST_IA32_PAT, 0x0007040600070206ULL); FAILS("27.2.2", HOST_IA32_PAT);
	clr(VM_EXIT_CONTROLS, EXIT_LOAD_IA32_PAT); PASSES();
	reset(); or(HOST_IA32_EFER, 2); FAILS("27.2.2", HOST_IA32_EFER);
	reset(); clr(HOST_IA32_EFER, 1 << 10); FAILS("27.2.2", HOST_IA32_EFER);
	reset(); clr(HOST_IA32_EFER, 1 << 8); FAILS("27.2.2", HOST_IA32_EFER);
	clr(VM_EXIT_CONTROLS, EXIT_LOAD_IA32_EFER); PASSES();
}

static void test_host_segments(void)
{
	static const enum vmcs_field sel[] = { HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR,
					       HOST_DS_SELECTOR, HOST_FS_SELECTOR, HOST_GS_SELECTOR,
					       HOST_TR_SELECTOR };
	static const enum vmcs_field base[] = { HOST_FS_BASE, HOST_GS_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE,
						HOST_TR_BASE };

	for (unsigned i = 0; i < ARRAY_SIZE(sel); i++) {
		reset(); or(sel[i], 3); FAILS("27.2.3", sel[i]);
		reset(); or(sel[i], 4); FAILS("27.2.3", sel[i]);
	}
	reset(); set(HOST_CS_SELECTOR, 0); FAILS("27.2.3", HOST_CS_SELECTOR);
	reset(); set(HOST_TR_SELECTOR, 0); FAILS("27.2.3", HOST_TR_SELECTOR);
	reset(); set(HOST_SS_SELECTOR, 0); PASSES(); /* a 64-bit host may have a null SS */
	for (unsigned i = 0; i < ARRAY_SIZE(base); i++) {
		reset(); set(base[i], 0x0000800000000000ULL); FAILS("27.2.3", base[i]);
	}
}

static void test_host_size(void)
{
	/* Bolt's host is in IA-32e mode: host address-space size must be 1. */
	reset(); clr(VM_EXIT_CONTROLS, EXIT_HOST_ADDR_SPACE_SIZE | EXIT_LOAD_IA32_EFER); FAILS("27.2.4", VM_EXIT_CONTROLS);
	reset(); clr(HOST_CR4, 1 << 5); FAILS("27.2.4", HOST_CR4);
	reset(); set(HOST_RIP, 0x0000900000000000ULL); FAILS("27.2.4", HOST_RIP);
	caps.linaddr_bits = 57; PASSES(); /* 5-level paging widens canonical addresses */
}

void unit_main(void)
{
	TEST(test_good);
	TEST(test_exec_ctls);
	TEST(test_apic_ctls);
	TEST(test_ept_ctls);
	TEST(test_exit_ctls);
	TEST(test_entry_ctls);
	TEST(test_injection);
	TEST(test_host_regs);
	TEST(test_host_segments);
	TEST(test_host_size);
}
