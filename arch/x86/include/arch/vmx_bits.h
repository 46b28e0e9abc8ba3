/* SPDX-License-Identifier: MIT */
/*
 * VMX architectural numbers (SDM Vol. 3C, ch. 25-28): control bits, event
 * types, access rights, activity states, exit reasons. Plain definitions,
 * shared by the hypervisor's VMX code (vmx.h) and the pure VMCS
 * construction and VM-entry checks the host tests also compile.
 */
#ifndef ARCH_VMX_BITS_H
#define ARCH_VMX_BITS_H

/* Pin-based controls (SDM 25.6.1) */
#define PIN_EXTINT_EXITING (1u << 0)
#define PIN_NMI_EXITING (1u << 3)
#define PIN_VIRTUAL_NMIS (1u << 5)
#define PIN_PREEMPTION_TIMER (1u << 6)
#define PIN_POSTED_INTR (1u << 7)

/* Primary processor-based controls (SDM 25.6.2) */
#define CPU_INTR_WINDOW_EXITING (1u << 2)
#define CPU_HLT_EXITING (1u << 7)
#define CPU_INVLPG_EXITING (1u << 9)
#define CPU_MWAIT_EXITING (1u << 10)
#define CPU_RDPMC_EXITING (1u << 11)
#define CPU_CR3_LOAD_EXITING (1u << 15)
#define CPU_TERTIARY_CONTROLS (1u << 17)
#define CPU_CR3_STORE_EXITING (1u << 16)
#define CPU_CR8_LOAD_EXITING (1u << 19)
#define CPU_CR8_STORE_EXITING (1u << 20)
#define CPU_TPR_SHADOW (1u << 21)
#define CPU_NMI_WINDOW_EXITING (1u << 22)
#define CPU_MOV_DR_EXITING (1u << 23)
#define CPU_UNCOND_IO_EXITING (1u << 24)
#define CPU_USE_IO_BITMAPS (1u << 25)
#define CPU_MONITOR_TRAP_FLAG (1u << 27)
#define CPU_USE_MSR_BITMAPS (1u << 28)
#define CPU_MONITOR_EXITING (1u << 29)
#define CPU_SECONDARY_CONTROLS (1u << 31)

/* Secondary processor-based controls (SDM 25.6.2) */
#define CPU2_VIRT_APIC_ACCESSES (1u << 0)
#define CPU2_ENABLE_EPT (1u << 1)
#define CPU2_DESC_TABLE_EXITING (1u << 2)
#define CPU2_ENABLE_RDTSCP (1u << 3)
#define CPU2_VIRT_X2APIC_MODE (1u << 4)
#define CPU2_ENABLE_VPID (1u << 5)
#define CPU2_WBINVD_EXITING (1u << 6)
#define CPU2_UNRESTRICTED_GUEST (1u << 7)
#define CPU2_APIC_REG_VIRT (1u << 8)
#define CPU2_VIRT_INTR_DELIVERY (1u << 9)
#define CPU2_ENABLE_INVPCID (1u << 12)
#define CPU2_ENABLE_VMFUNC (1u << 13)
#define CPU2_SHADOW_VMCS (1u << 14)
#define CPU2_ENABLE_PML (1u << 17)
#define CPU2_EPT_VIOLATION_VE (1u << 18)
#define CPU2_ENABLE_XSAVES (1u << 20)
#define CPU2_MODE_BASED_EPT_EXEC (1u << 22)

/* VM-exit controls (SDM 25.7.1) */
#define EXIT_SAVE_DEBUG_CONTROLS (1u << 2)
#define EXIT_HOST_ADDR_SPACE_SIZE (1u << 9)
#define EXIT_ACK_INTR_ON_EXIT (1u << 15)
#define EXIT_SAVE_IA32_PAT (1u << 18)
#define EXIT_LOAD_IA32_PAT (1u << 19)
#define EXIT_SAVE_IA32_EFER (1u << 20)
#define EXIT_LOAD_IA32_EFER (1u << 21)
#define EXIT_SAVE_PREEMPTION_TIMER (1u << 22)

/* VM-entry controls (SDM 25.8.1) */
#define ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define ENTRY_IA32E_MODE (1u << 9)
#define ENTRY_SMM (1u << 10)
#define ENTRY_DEACT_DUAL_MONITOR (1u << 11)
#define ENTRY_LOAD_IA32_PAT (1u << 14)
#define ENTRY_LOAD_IA32_EFER (1u << 15)

/* VM-entry/exit interruption information (SDM 25.8.3, 26.9.2) */
#define INTR_INFO_VALID (1u << 31)
#define INTR_INFO_DELIVER_CODE (1u << 11)
#define INTR_TYPE_EXT_INTR (0u << 8)
#define INTR_TYPE_NMI (2u << 8)
#define INTR_TYPE_HW_EXCEPTION (3u << 8)
#define INTR_TYPE_SW_INTR (4u << 8)
#define INTR_TYPE_PRIV_SW_EXCEPTION (5u << 8)
#define INTR_TYPE_SW_EXCEPTION (6u << 8)
#define INTR_TYPE_OTHER_EVENT (7u << 8)
#define INTR_TYPE_MASK (7u << 8)

/* Guest activity states (SDM 25.4.2) */
/* Segment access rights in the VMCS (SDM 25.4.1, Table 25-2): CS.L, 64-bit code. */
#define VMX_AR_L (1u << 13)
#define VMX_AR_S (1u << 4)         /* descriptor type: 1 code/data, 0 system */
#define VMX_AR_P (1u << 7)
#define VMX_AR_DB (1u << 14)
#define VMX_AR_G (1u << 15)
#define VMX_AR_UNUSABLE (1u << 16)
#define VMX_AR_DPL_MASK (3u << 5) /* segment DPL; SS.DPL is the CPL */

#define ACTIVITY_ACTIVE 0u
#define ACTIVITY_HLT 1u
#define ACTIVITY_SHUTDOWN 2u
#define ACTIVITY_WAIT_SIPI 3u

/* Guest interruptibility state (SDM 25.4.2, Table 25-3) */
#define INTERRUPTIBILITY_STI (1u << 0)
#define INTERRUPTIBILITY_MOV_SS (1u << 1)
#define INTERRUPTIBILITY_SMI (1u << 2)
#define INTERRUPTIBILITY_NMI (1u << 3)
#define INTERRUPTIBILITY_ENCLAVE (1u << 4)

/* Basic exit reasons (SDM Appendix C) */
enum vmx_exit_reason {
	EXIT_REASON_EXCEPTION_NMI = 0,
	EXIT_REASON_EXTERNAL_INTERRUPT = 1,
	EXIT_REASON_TRIPLE_FAULT = 2,
	EXIT_REASON_INIT_SIGNAL = 3,
	EXIT_REASON_SIPI = 4,
	EXIT_REASON_IO_SMI = 5,
	EXIT_REASON_OTHER_SMI = 6,
	EXIT_REASON_INTERRUPT_WINDOW = 7,
	EXIT_REASON_NMI_WINDOW = 8,
	EXIT_REASON_TASK_SWITCH = 9,
	EXIT_REASON_CPUID = 10,
	EXIT_REASON_GETSEC = 11,
	EXIT_REASON_HLT = 12,
	EXIT_REASON_INVD = 13,
	EXIT_REASON_INVLPG = 14,
	EXIT_REASON_RDPMC = 15,
	EXIT_REASON_RDTSC = 16,
	EXIT_REASON_RSM = 17,
	EXIT_REASON_VMCALL = 18,
	EXIT_REASON_VMCLEAR = 19,
	EXIT_REASON_VMLAUNCH = 20,
	EXIT_REASON_VMPTRLD = 21,
	EXIT_REASON_VMPTRST = 22,
	EXIT_REASON_VMREAD = 23,
	EXIT_REASON_VMRESUME = 24,
	EXIT_REASON_VMWRITE = 25,
	EXIT_REASON_VMXOFF = 26,
	EXIT_REASON_VMXON = 27,
	EXIT_REASON_CR_ACCESS = 28,
	EXIT_REASON_DR_ACCESS = 29,
	EXIT_REASON_IO_INSTRUCTION = 30,
	EXIT_REASON_MSR_READ = 31,
	EXIT_REASON_MSR_WRITE = 32,
	EXIT_REASON_INVALID_GUEST_STATE = 33,
	EXIT_REASON_MSR_LOADING = 34,
	EXIT_REASON_MWAIT = 36,
	EXIT_REASON_MONITOR_TRAP = 37,
	EXIT_REASON_MONITOR = 39,
	EXIT_REASON_PAUSE = 40,
	EXIT_REASON_MCE_DURING_ENTRY = 41,
	EXIT_REASON_TPR_BELOW_THRESHOLD = 43,
	EXIT_REASON_APIC_ACCESS = 44,
	EXIT_REASON_EOI_INDUCED = 45,
	EXIT_REASON_GDTR_IDTR = 46,
	EXIT_REASON_LDTR_TR = 47,
	EXIT_REASON_EPT_VIOLATION = 48,
	EXIT_REASON_EPT_MISCONFIG = 49,
	EXIT_REASON_INVEPT = 50,
	EXIT_REASON_RDTSCP = 51,
	EXIT_REASON_PREEMPTION_TIMER = 52,
	EXIT_REASON_INVVPID = 53,
	EXIT_REASON_WBINVD = 54,
	EXIT_REASON_XSETBV = 55,
	EXIT_REASON_APIC_WRITE = 56,
	EXIT_REASON_RDRAND = 57,
	EXIT_REASON_INVPCID = 58,
	EXIT_REASON_VMFUNC = 59,
	EXIT_REASON_ENCLS = 60,
	EXIT_REASON_RDSEED = 61,
	EXIT_REASON_PML_FULL = 62,
	EXIT_REASON_XSAVES = 63,
	EXIT_REASON_XRSTORS = 64,
	EXIT_REASON_MAX = 80,
};

#define EXIT_REASON_FAILED_ENTRY (1u << 31)

#endif
