/* SPDX-License-Identifier: MIT */
/*
 * arch/x86/vmentry_check*.c, guest state (SDM Vol. 3C, 27.3.1): each rule
 * fails on a change to Bolt's PVH entry state that breaks exactly it.
 */
#include "vmentry_world.h"

#define REGS "27.3.1.1"
#define SEG "27.3.1.2"
#define RIP "27.3.1.4"
#define STATE "27.3.1.5"

static void test_guest_regs(void)
{
	reset(); clr(GUEST_CR0, 1 << 5); FAILS(REGS, GUEST_CR0);
	CHECK_STR(err.rule, "GUEST_CR0 0x11 has bit 5 (NE) clear, which IA32_VMX_CR0_FIXED0 requires");
	/* Unrestricted guest frees PE and PG; without it both are required. */
	reset(); clr(GUEST_CR0, 1); PASSES();
	reset(); clr(SECONDARY_VM_EXEC_CONTROL, CPU2_UNRESTRICTED_GUEST); FAILS(REGS, GUEST_CR0);
	CHECK_CONTAINS(err.rule, "bit 31 (PG) clear");
	reset(); restricted(); PASSES();
	reset(); set(GUEST_CR0, 0x80000030); FAILS(REGS, GUEST_CR0); /* PG without PE */
	reset(); or(GUEST_CR0, 1ULL << 32); FAILS(REGS, GUEST_CR0);
	reset(); set(GUEST_CR4, 0); FAILS(REGS, GUEST_CR4);
	reset(); or(GUEST_CR4, 1 << 11); FAILS(REGS, GUEST_CR4);
	reset(); set(GUEST_IA32_DEBUGCTL, 1 << 2); FAILS(REGS, GUEST_IA32_DEBUGCTL);
	clr(VM_ENTRY_CONTROLS, ENTRY_LOAD_DEBUG_CONTROLS); PASSES();
	reset(); set(GUEST_IA32_DEBUGCTL, 1ULL << 16); FAILS(REGS, GUEST_IA32_DEBUGCTL);
	reset(); set(GUEST_IA32_DEBUGCTL, 0x3); PASSES();
	reset(); long_mode(); PASSES();
	clr(GUEST_CR0, 1ULL << 31); FAILS(REGS, GUEST_CR0);
	reset(); long_mode(); clr(GUEST_CR4, 1 << 5); FAILS(REGS, GUEST_CR4);
	reset(); long_mode(); or(GUEST_CR4, 1 << 17); PASSES();
	reset(); or(GUEST_CR4, 1 << 17); FAILS(REGS, GUEST_CR4);
	reset(); set(GUEST_CR3, 1ULL << 39); FAILS(REGS, GUEST_CR3);
	reset(); set(GUEST_CR3, (1ULL << 39) - 4096); PASSES();
	reset(); set(GUEST_DR7, 1ULL << 32); FAILS(REGS, GUEST_DR7);
	clr(VM_ENTRY_CONTROLS, ENTRY_LOAD_DEBUG_CONTROLS); PASSES();
	reset(); set(GUEST_SYSENTER_ESP, 1ULL << 47); FAILS(REGS, GUEST_SYSENTER_ESP);
	reset(); set(GUEST_SYSENTER_EIP, 0xfff0000000000000ULL); FAILS(REGS, GUEST_SYSENTER_EIP);
	reset(); set(GUEST_SYSENTER_EIP, 0xffff800000000000ULL); PASSES();
	reset(); set(GUEST_IA32_PAT, 0x0807040600070406ULL); FAILS(REGS, GUEST_IA32_PAT);
	clr(VM_ENTRY_CONTROLS, ENTRY_LOAD_IA32_PAT); PASSES();
	reset(); set(GUEST_IA32_EFER, 1 << 9); FAILS(REGS, GUEST_IA32_EFER);
	reset(); set(GUEST_IA32_EFER, 1 << 10); FAILS(REGS, GUEST_IA32_EFER);
	clr(VM_ENTRY_CONTROLS, ENTRY_LOAD_IA32_EFER); PASSES();
	reset(); long_mode(); set(GUEST_IA32_EFER, 0x100); FAILS(REGS, GUEST_IA32_EFER);
	/* LME with paging on but not IA-32e mode; with paging off LME is free. */
	reset(); set(GUEST_IA32_EFER, 0x100); PASSES();
	restricted(); FAILS(REGS, GUEST_IA32_EFER);
}

static void test_rip_rflags(void)
{
	reset(); set(GUEST_RIP, 1ULL << 32); FAILS(RIP, GUEST_RIP);
	reset(); long_mode(); set(GUEST_RIP, 0xffff800000000000ULL); PASSES();
	set(GUEST_RIP, 0x0000800000000000ULL); FAILS(RIP, GUEST_RIP);
	/* Compatibility mode (CS.L = 0) keeps RIP to 32 bits. */
	set(GUEST_CS_AR_BYTES, 0xc09b); set(GUEST_RIP, 1ULL << 32); FAILS(RIP, GUEST_RIP);
	reset(); or(GUEST_RFLAGS, 1 << 3); FAILS(RIP, GUEST_RFLAGS);
	reset(); or(GUEST_RFLAGS, 1ULL << 22); FAILS(RIP, GUEST_RFLAGS);
	reset(); set(GUEST_RFLAGS, 0); FAILS(RIP, GUEST_RFLAGS);
	reset(); long_mode(); or(GUEST_RFLAGS, 1 << 17); FAILS(RIP, GUEST_RFLAGS);
	reset(); clr(GUEST_CR0, 1); or(GUEST_RFLAGS, 1 << 17); FAILS(RIP, GUEST_RFLAGS);
	reset(); set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_EXT_INTR | 0x30);
	FAILS(RIP, GUEST_RFLAGS);
	or(GUEST_RFLAGS, 1 << 9); PASSES();
}

static void test_segments_selectors_bases(void)
{
	reset(); or(GUEST_TR_SELECTOR, 4); FAILS(SEG, GUEST_TR_SELECTOR);
	reset(); seg(GUEST_LDTR_SELECTOR, 0x2c, 0x9000, 0xff, 0x82); FAILS(SEG, GUEST_LDTR_SELECTOR);
	reset(); seg(GUEST_LDTR_SELECTOR, 0x2c, 0x9000, 0xff, 0x10082); PASSES(); /* unusable */
	reset(); set(GUEST_SS_SELECTOR, 0x1b); PASSES(); /* unrestricted guest: RPLs are free */
	restricted(); FAILS(SEG, GUEST_SS_SELECTOR);
	reset(); set(GUEST_TR_BASE, 1ULL << 47); FAILS(SEG, GUEST_TR_BASE);
	reset(); set(GUEST_FS_BASE, 1ULL << 47); FAILS(SEG, GUEST_FS_BASE);
	reset(); set(GUEST_GS_BASE, 1ULL << 50); FAILS(SEG, GUEST_GS_BASE);
	reset(); seg(GUEST_LDTR_SELECTOR, 0x28, 1ULL << 47, 0xff, 0x82); FAILS(SEG, GUEST_LDTR_BASE);
	reset(); seg(GUEST_LDTR_SELECTOR, 0x28, 0x9000, 0xff, 0x82); PASSES();
	reset(); set(GUEST_CS_BASE, 1ULL << 32); FAILS(SEG, GUEST_CS_BASE);
	reset(); set(GUEST_DS_BASE, 1ULL << 32); FAILS(SEG, GUEST_DS_BASE);
	reset(); set(GUEST_SS_BASE, 1ULL << 32); FAILS(SEG, GUEST_SS_BASE);
	reset(); set(GUEST_ES_BASE, 1ULL << 32); FAILS(SEG, GUEST_ES_BASE);
	set(GUEST_ES_AR_BYTES, 0x10000); PASSES();
	reset(); set(GUEST_FS_BASE, 1ULL << 32); PASSES(); /* FS/GS bases are 64-bit */
}

static void v86(void)
{
	static const enum vmcs_field s[] = { GUEST_ES_SELECTOR, GUEST_CS_SELECTOR, GUEST_SS_SELECTOR,
					     GUEST_DS_SELECTOR, GUEST_FS_SELECTOR, GUEST_GS_SELECTOR };

	or(GUEST_RFLAGS, 1 << 17);
	for (unsigned i = 0; i < ARRAY_SIZE(s); i++)
		seg(s[i], (uint16_t)(0x1000 + i), (0x1000 + i) << 4, 0xffff, 0xf3);
}

static void test_segments_v86(void)
{
	reset(); v86(); PASSES();
	set(GUEST_SS_BASE, 0x10000); FAILS(SEG, GUEST_SS_BASE);
	reset(); v86(); set(GUEST_DS_LIMIT, 0xfffff); FAILS(SEG, GUEST_DS_LIMIT);
	reset(); v86(); set(GUEST_CS_AR_BYTES, 0xfb); FAILS(SEG, GUEST_CS_AR_BYTES);
}

static void test_segments_cs_ss(void)
{
	reset(); set(GUEST_CS_AR_BYTES, 0xc099); PASSES(); /* execute-only, accessed */
	reset(); set(GUEST_CS_AR_BYTES, 0xc09a); FAILS(SEG, GUEST_CS_AR_BYTES); /* not accessed */
	/* Read/write data in CS: unrestricted guest only, DPL 0. */
	reset(); set(GUEST_CS_AR_BYTES, 0xc093); PASSES();
	restricted(); FAILS(SEG, GUEST_CS_AR_BYTES);
	reset(); set(GUEST_CS_AR_BYTES, 0xc0f3); FAILS(SEG, GUEST_CS_AR_BYTES);
	CHECK_CONTAINS(err.rule, "DPL 3, not 0");
	reset(); set(GUEST_CS_AR_BYTES, 0xc08b); FAILS(SEG, GUEST_CS_AR_BYTES); /* S clear */
	reset(); set(GUEST_CS_AR_BYTES, 0xc01b); FAILS(SEG, GUEST_CS_AR_BYTES); /* P clear */
	reset(); set(GUEST_CS_AR_BYTES, 0xc0fb); FAILS(SEG, GUEST_CS_AR_BYTES); /* DPL 3 != SS.DPL 0 */
	reset(); set(GUEST_CS_AR_BYTES, 0xc0ff); FAILS(SEG, GUEST_CS_AR_BYTES); /* conforming, DPL above */
	reset(); set(GUEST_CS_AR_BYTES, 0xc09f); PASSES();
	reset(); long_mode(); set(GUEST_CS_AR_BYTES, 0xe09b); FAILS(SEG, GUEST_CS_AR_BYTES); /* L and D */
	reset(); set(GUEST_CS_AR_BYTES, 0xe09b); PASSES(); /* L is ignored outside IA-32e mode */
	reset(); set(GUEST_CS_AR_BYTES, 0xc19b); FAILS(SEG, GUEST_CS_AR_BYTES); /* bits 11:8 */
	reset(); set(GUEST_CS_AR_BYTES, 0x2c09b); FAILS(SEG, GUEST_CS_AR_BYTES); /* bits 31:17 */
	reset(); set(GUEST_CS_LIMIT, 0xffffe); FAILS(SEG, GUEST_CS_AR_BYTES); /* G with limit[11:0] != fff */
	reset(); set(GUEST_CS_AR_BYTES, 0x409b); FAILS(SEG, GUEST_CS_AR_BYTES); /* no G, limit > 1 MiB */
	set(GUEST_CS_LIMIT, 0xfffff); PASSES();
	/* SS */
	reset(); set(GUEST_SS_AR_BYTES, 0xc09b); FAILS(SEG, GUEST_SS_AR_BYTES);
	reset(); set(GUEST_SS_AR_BYTES, 0xc097); PASSES(); /* expand-down */
	reset(); set(GUEST_SS_AR_BYTES, 0xc083); FAILS(SEG, GUEST_SS_AR_BYTES); /* S clear */
	reset(); set(GUEST_SS_AR_BYTES, 0xc013); FAILS(SEG, GUEST_SS_AR_BYTES); /* P clear */
	reset(); set(GUEST_SS_AR_BYTES, 0x1c013); PASSES(); /* unusable */
	reset(); set(GUEST_SS_LIMIT, 0xfffe); FAILS(SEG, GUEST_SS_AR_BYTES); /* G rule */
	/* SS.DPL = SS.RPL without unrestricted guest (CS conforming so CS.DPL passes). */
	reset(); set(GUEST_CS_AR_BYTES, 0xc09f); set(GUEST_SS_AR_BYTES, 0xc0f3); PASSES();
	restricted(); FAILS(SEG, GUEST_SS_AR_BYTES);
	/* SS.DPL 0 in real mode. */
	reset(); set(GUEST_CS_AR_BYTES, 0xc09f); set(GUEST_SS_AR_BYTES, 0xc0f3); clr(GUEST_CR0, 1);
	FAILS(SEG, GUEST_SS_AR_BYTES);
	/* SS.DPL 0 with a data CS. */
	reset(); set(GUEST_CS_AR_BYTES, 0xc093); set(GUEST_SS_AR_BYTES, 0xc0f3); FAILS(SEG, GUEST_SS_AR_BYTES);
}

static void test_segments_data(void)
{
	reset(); set(GUEST_DS_AR_BYTES, 0xc092); FAILS(SEG, GUEST_DS_AR_BYTES); /* not accessed */
	reset(); set(GUEST_ES_AR_BYTES, 0xc099); FAILS(SEG, GUEST_ES_AR_BYTES); /* unreadable code */
	reset(); set(GUEST_FS_AR_BYTES, 0xc09b); PASSES(); /* readable code */
	reset(); set(GUEST_GS_AR_BYTES, 0xc083); FAILS(SEG, GUEST_GS_AR_BYTES); /* S clear */
	reset(); set(GUEST_GS_AR_BYTES, 0xc013); FAILS(SEG, GUEST_GS_AR_BYTES); /* P clear */
	reset(); set(GUEST_DS_AR_BYTES, 0xc393); FAILS(SEG, GUEST_DS_AR_BYTES); /* bits 11:8 */
	reset(); set(GUEST_DS_AR_BYTES, 0x1ffff); PASSES(); /* unusable: the rest is ignored */
	/* DPL >= RPL without unrestricted guest. */
	reset(); set(GUEST_DS_SELECTOR, 0x1b); PASSES();
	restricted(); FAILS(SEG, GUEST_DS_AR_BYTES);
	reset(); restricted(); set(GUEST_DS_SELECTOR, 0x1b); set(GUEST_DS_AR_BYTES, 0xc09f); PASSES(); /* conforming */
}

static void test_segments_system(void)
{
	reset(); set(GUEST_TR_AR_BYTES, 0x83); PASSES(); /* busy 16-bit TSS outside IA-32e mode */
	long_mode(); FAILS(SEG, GUEST_TR_AR_BYTES);
	reset(); long_mode(); PASSES();
	reset(); set(GUEST_TR_AR_BYTES, 0x89); FAILS(SEG, GUEST_TR_AR_BYTES); /* not busy */
	reset(); set(GUEST_TR_AR_BYTES, 0x9b); FAILS(SEG, GUEST_TR_AR_BYTES); /* S set */
	reset(); set(GUEST_TR_AR_BYTES, 0x0b); FAILS(SEG, GUEST_TR_AR_BYTES); /* P clear */
	reset(); set(GUEST_TR_AR_BYTES, 0x1008b); FAILS(SEG, GUEST_TR_AR_BYTES); /* unusable */
	reset(); set(GUEST_TR_AR_BYTES, 0x808b); FAILS(SEG, GUEST_TR_AR_BYTES); /* G, limit 0x67 */
	reset(); set(GUEST_TR_AR_BYTES, 0x18b); FAILS(SEG, GUEST_TR_AR_BYTES); /* bits 11:8 */
	reset(); seg(GUEST_LDTR_SELECTOR, 0x28, 0x9000, 0xff, 0x83); FAILS(SEG, GUEST_LDTR_AR_BYTES);
	reset(); seg(GUEST_LDTR_SELECTOR, 0x28, 0x9000, 0xff, 0x92); FAILS(SEG, GUEST_LDTR_AR_BYTES);
	reset(); seg(GUEST_LDTR_SELECTOR, 0x28, 0x9000, 0xff, 0x02); FAILS(SEG, GUEST_LDTR_AR_BYTES);
	reset(); seg(GUEST_LDTR_SELECTOR, 0x28, 0x9000, 0xff, 0x8082); FAILS(SEG, GUEST_LDTR_AR_BYTES);
}

static void test_descriptor_tables(void)
{
	reset(); set(GUEST_GDTR_BASE, 1ULL << 47); FAILS("27.3.1.3", GUEST_GDTR_BASE);
	reset(); set(GUEST_IDTR_BASE, 1ULL << 47); FAILS("27.3.1.3", GUEST_IDTR_BASE);
	reset(); set(GUEST_GDTR_LIMIT, 0x10000); FAILS("27.3.1.3", GUEST_GDTR_LIMIT);
	reset(); set(GUEST_IDTR_LIMIT, 0x10000); FAILS("27.3.1.3", GUEST_IDTR_LIMIT);
	reset(); set(GUEST_IDTR_LIMIT, 0xffff); set(GUEST_GDTR_BASE, 0xffff800000000000ULL); PASSES();
}

static void test_activity(void)
{
	reset(); set(GUEST_ACTIVITY_STATE, 4); FAILS(STATE, GUEST_ACTIVITY_STATE);
	for (unsigned s = 1; s <= 3; s++) {
		reset(); set(GUEST_ACTIVITY_STATE, s); PASSES();
		caps.misc &= ~(1ULL << (5 + s)); FAILS(STATE, GUEST_ACTIVITY_STATE);
	}
	/* HLT needs CPL 0 (CS conforming so SS.DPL 3 passes the segment rules). */
	reset(); set(GUEST_CS_AR_BYTES, 0xc09f); set(GUEST_SS_AR_BYTES, 0xc0f3); PASSES();
	set(GUEST_ACTIVITY_STATE, ACTIVITY_HLT); FAILS(STATE, GUEST_ACTIVITY_STATE);
	reset(); or(GUEST_RFLAGS, 1 << 9); set(GUEST_INTERRUPTIBILITY_INFO, INTERRUPTIBILITY_STI); PASSES();
	set(GUEST_ACTIVITY_STATE, ACTIVITY_HLT); FAILS(STATE, GUEST_ACTIVITY_STATE);
	reset(); set(GUEST_INTERRUPTIBILITY_INFO, INTERRUPTIBILITY_MOV_SS);
	set(GUEST_ACTIVITY_STATE, ACTIVITY_SHUTDOWN); FAILS(STATE, GUEST_ACTIVITY_STATE);
	/* What each state lets be injected. */
	reset(); or(GUEST_RFLAGS, 1 << 9); set(GUEST_ACTIVITY_STATE, ACTIVITY_HLT);
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_EXT_INTR | 0x30); PASSES();
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | 18); PASSES();
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | 6);
	FAILS(STATE, GUEST_ACTIVITY_STATE);
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_SW_INTR | 0x80);
	set(VM_ENTRY_INSTRUCTION_LEN, 2); FAILS(STATE, GUEST_ACTIVITY_STATE);
	set(GUEST_ACTIVITY_STATE, ACTIVITY_SHUTDOWN);
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_NMI | 2); PASSES();
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_EXT_INTR | 0x30);
	FAILS(STATE, GUEST_ACTIVITY_STATE);
	set(GUEST_ACTIVITY_STATE, ACTIVITY_WAIT_SIPI);
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_NMI | 2); FAILS(STATE, GUEST_ACTIVITY_STATE);
}

static void test_interruptibility(void)
{
	const enum vmcs_field f = GUEST_INTERRUPTIBILITY_INFO;

	reset(); set(f, 1 << 4); FAILS(STATE, f);
	reset(); or(GUEST_RFLAGS, 1 << 9); set(f, 3); FAILS(STATE, f);
	reset(); set(f, INTERRUPTIBILITY_STI); FAILS(STATE, f);
	or(GUEST_RFLAGS, 1 << 9); PASSES();
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_EXT_INTR | 0x30); FAILS(STATE, f);
	set(f, INTERRUPTIBILITY_MOV_SS); FAILS(STATE, f);
	set(f, INTERRUPTIBILITY_NMI); PASSES();
	reset(); set(f, INTERRUPTIBILITY_MOV_SS); PASSES();
	set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_NMI | 2); FAILS(STATE, f);
	reset(); set(f, INTERRUPTIBILITY_SMI); FAILS(STATE, f);
	reset(); set(f, INTERRUPTIBILITY_NMI); set(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO_VALID | INTR_TYPE_NMI | 2);
	PASSES();
	or(PIN_BASED_VM_EXEC_CONTROL, PIN_VIRTUAL_NMIS); FAILS(STATE, f);
}

static void test_pending_dbg(void)
{
	const enum vmcs_field f = GUEST_PENDING_DBG_EXCEPTIONS;

	reset(); set(f, 0x500f); PASSES(); /* B0-B3, enabled breakpoint, BS */
	set(f, 1 << 4); FAILS(STATE, f);
	set(f, 1 << 13); FAILS(STATE, f);
	set(f, 1ULL << 17); FAILS(STATE, f);
	/* Blocking by MOV SS: BS must say whether single-stepping (TF without BTF) is pending. */
	reset(); set(GUEST_INTERRUPTIBILITY_INFO, INTERRUPTIBILITY_MOV_SS); or(GUEST_RFLAGS, 1 << 8);
	FAILS(STATE, f);
	set(f, 1 << 14); PASSES();
	set(GUEST_IA32_DEBUGCTL, 2); FAILS(STATE, f);
	set(f, 0); PASSES();
	reset(); set(GUEST_ACTIVITY_STATE, ACTIVITY_HLT); set(f, 1 << 14); FAILS(STATE, f);
	/* RTM: bit 12 alone besides it, and no STI/MOV SS blocking. */
	reset(); set(f, (1ULL << 16) | (1 << 12)); PASSES();
	set(f, (1ULL << 16) | (1 << 12) | 1); FAILS(STATE, f);
	set(f, 1ULL << 16); FAILS(STATE, f);
	set(f, (1ULL << 16) | (1 << 12)); or(GUEST_RFLAGS, 1 << 9); set(GUEST_INTERRUPTIBILITY_INFO, 1);
	FAILS(STATE, f);
}

static void test_link_pdptes(void)
{
	reset(); set(VMCS_LINK_POINTER, 0x109000); PASSES();
	set(VMCS_LINK_POINTER, 0x109008); FAILS("27.3.1.6", VMCS_LINK_POINTER);
	set(VMCS_LINK_POINTER, 1ULL << 39); FAILS("27.3.1.6", VMCS_LINK_POINTER);
	/* PAE paging with EPT loads the PDPTEs from the VMCS. */
	reset(); or(GUEST_CR0, 1ULL << 31); or(GUEST_CR4, 1 << 5); set(GUEST_CR3, 0x1000);
	set(GUEST_PDPTE0, 0x2001); set(GUEST_PDPTE1, 0x2006); PASSES(); /* PDPTE1 not present */
	set(GUEST_PDPTE2, 0x3003); FAILS("27.3.1.7", GUEST_PDPTE2);
	set(GUEST_PDPTE2, 0x3021); FAILS("27.3.1.7", GUEST_PDPTE2);
	set(GUEST_PDPTE2, 0); set(GUEST_PDPTE3, (1ULL << 39) | 1); FAILS("27.3.1.7", GUEST_PDPTE3);
	clr(GUEST_CR4, 1 << 5); PASSES(); /* 32-bit paging: no PDPTEs */
}

void unit_main(void)
{
	TEST(test_guest_regs);
	TEST(test_rip_rflags);
	TEST(test_segments_selectors_bases);
	TEST(test_segments_v86);
	TEST(test_segments_cs_ss);
	TEST(test_segments_data);
	TEST(test_segments_system);
	TEST(test_descriptor_tables);
	TEST(test_activity);
	TEST(test_interruptibility);
	TEST(test_pending_dbg);
	TEST(test_link_pdptes);
}
