/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the VM-entry checker's tests (test_vmentry*.c): a
 * Bochs-like capability set and the VMCS image Bolt builds for it, which
 * each case then breaks in one place.
 */
#ifndef TESTS_UNIT_VMENTRY_WORLD_H
#define TESTS_UNIT_VMENTRY_WORLD_H

#include "arch/vmentry_check.h"
#include "arch/vmx_bits.h"
#include "lib/macros.h"
#include "unit.h"

static struct vmx_caps caps;
static struct vmcs_image img;
static struct vmentry_error err;

/* Bochs-like (corei7_skylake_x) with TRUE controls, and room for every control the rules name. */
static inline void good_caps(void)
{
	memset(&caps, 0, sizeof(caps));
	caps.cpuid1_ecx = 1u << 5;
	caps.maxphyaddr = 39;
	caps.linaddr_bits = 48;
	caps.basic = 1 | (0x1000ULL << 32) | (6ULL << 50) | (1ULL << 54) | VMX_BASIC_TRUE_CTLS;
	caps.pinbased_ctls = 0x000000ff00000016ULL;
	caps.true_pinbased_ctls = 0x000000ff00000016ULL;
	/* The non-TRUE primary MSR forces CR3-load/store exiting (bits 15, 16). */
	caps.procbased_ctls = 0xfffdfffe0401e172ULL;
	caps.true_procbased_ctls = 0xfffdfffe04006172ULL;
	caps.procbased_ctls2 = 0x00ffffff00000000ULL;
	caps.exit_ctls = 0x007fffff00036dffULL;
	caps.true_exit_ctls = 0x007fffff00036dfbULL;
	caps.entry_ctls = 0x0003ffff000011ffULL;
	caps.true_entry_ctls = 0x0003ffff000011fbULL;
	/* Timer rate 5, LMA store, HLT/shutdown/wait-for-SIPI, 4 CR3 targets. */
	caps.misc = 5 | (1 << 5) | (7 << 6) | (4 << 16);
	caps.cr0_fixed0 = 0x80000021;
	caps.cr0_fixed1 = 0xffffffff;
	caps.cr4_fixed0 = 0x2000;
	caps.cr4_fixed1 = 0x003727ff;
	caps.ept_vpid_cap = 0xf0106334141ULL;
	caps.vmfunc = 1;
}

static inline void set(enum vmcs_field f, uint64_t v) { vmcs_image_set(&img, f, v); }
static inline void or(enum vmcs_field f, uint64_t v) { set(f, vmcs_image_val(&img, f) | v); }
static inline void clr(enum vmcs_field f, uint64_t v) { set(f, vmcs_image_val(&img, f) & ~v); }

static inline void seg(enum vmcs_field sel, uint16_t s, uint64_t base, uint32_t limit, uint32_t ar)
{
	set(sel, s);
	set((enum vmcs_field)(GUEST_ES_BASE + (sel - GUEST_ES_SELECTOR)), base);
	set((enum vmcs_field)(GUEST_ES_LIMIT + (sel - GUEST_ES_SELECTOR)), limit);
	set((enum vmcs_field)(GUEST_ES_AR_BYTES + (sel - GUEST_ES_SELECTOR)), ar);
}

/* What arch/x86/vmx.c writes: controls, a 64-bit host, the PVH entry state. */
static inline void reset(void)
{
	good_caps();
	vmcs_image_init(&img);
	set(PIN_BASED_VM_EXEC_CONTROL, 0x16 | PIN_EXTINT_EXITING | PIN_NMI_EXITING);
	set(CPU_BASED_VM_EXEC_CONTROL, 0x04006172 | CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING |
					       CPU_USE_MSR_BITMAPS | CPU_SECONDARY_CONTROLS |
					       CPU_MWAIT_EXITING | CPU_MONITOR_EXITING | CPU_TPR_SHADOW);
	set(SECONDARY_VM_EXEC_CONTROL, CPU2_ENABLE_EPT | CPU2_UNRESTRICTED_GUEST | CPU2_ENABLE_VPID);
	set(VM_EXIT_CONTROLS, 0x00036dfb | EXIT_SAVE_DEBUG_CONTROLS | EXIT_HOST_ADDR_SPACE_SIZE |
				      EXIT_ACK_INTR_ON_EXIT | EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER |
				      EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT);
	set(VM_ENTRY_CONTROLS, 0x11fb | ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_LOAD_IA32_EFER | ENTRY_LOAD_IA32_PAT);
	set(EXCEPTION_BITMAP, 0);
	set(CR3_TARGET_COUNT, 0);
	set(VM_EXIT_MSR_STORE_COUNT, 0);
	set(VM_EXIT_MSR_LOAD_COUNT, 0);
	set(VM_ENTRY_MSR_LOAD_COUNT, 0);
	set(VM_ENTRY_INTR_INFO_FIELD, 0);
	set(MSR_BITMAP, 0x100000);
	set(VIRTUAL_APIC_PAGE_ADDR, 0x101000);
	set(TPR_THRESHOLD, 0);
	set(EPT_POINTER, 0x200000 | 6 | (3 << 3));
	set(VIRTUAL_PROCESSOR_ID, 1);
	set(VMCS_LINK_POINTER, ~0ULL);
	set(CR0_GUEST_HOST_MASK, 0xffffffff00000020ULL);
	set(CR4_GUEST_HOST_MASK, 0xffffffffffc8d800ULL);

	set(HOST_CR0, 0x80050033);
	set(HOST_CR3, 0x1000);
	set(HOST_CR4, 0x2620);
	set(HOST_CS_SELECTOR, 0x08);
	set(HOST_SS_SELECTOR, 0x10);
	set(HOST_DS_SELECTOR, 0x10);
	set(HOST_ES_SELECTOR, 0x10);
	set(HOST_FS_SELECTOR, 0x10);
	set(HOST_GS_SELECTOR, 0x10);
	set(HOST_TR_SELECTOR, 0x18);
	set(HOST_FS_BASE, 0);
	set(HOST_GS_BASE, 0xffff800000001000ULL);
	set(HOST_TR_BASE, 0x5000);
	set(HOST_GDTR_BASE, 0x6000);
	set(HOST_IDTR_BASE, 0x7000);
	set(HOST_IA32_SYSENTER_CS, 0);
	set(HOST_IA32_SYSENTER_ESP, 0);
	set(HOST_IA32_SYSENTER_EIP, 0);
	set(HOST_IA32_EFER, 0xd01);
	set(HOST_IA32_PAT, 0x0007040600070406ULL);
	set(HOST_RSP, 0x8000);
	set(HOST_RIP, 0xffffffff80001000ULL);

	seg(GUEST_CS_SELECTOR, 0x10, 0, 0xffffffff, 0xc09b);
	seg(GUEST_DS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	seg(GUEST_ES_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	seg(GUEST_SS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	seg(GUEST_FS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	seg(GUEST_GS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	seg(GUEST_TR_SELECTOR, 0x20, 0, 0x67, 0x008b);
	seg(GUEST_LDTR_SELECTOR, 0, 0, 0, 0x10000);
	set(GUEST_GDTR_BASE, 0);
	set(GUEST_GDTR_LIMIT, 0);
	set(GUEST_IDTR_BASE, 0);
	set(GUEST_IDTR_LIMIT, 0);
	set(CR0_READ_SHADOW, 0x11);
	set(GUEST_CR0, 0x31); /* PE, ET, and NE that FIXED0 demands; PG off under unrestricted guest */
	set(CR4_READ_SHADOW, 0);
	set(GUEST_CR4, 0x2000);
	set(GUEST_CR3, 0);
	set(GUEST_IA32_EFER, 0);
	set(GUEST_IA32_PAT, 0x0007040600070406ULL);
	set(GUEST_DR7, 0x400);
	set(GUEST_IA32_DEBUGCTL, 0);
	set(GUEST_RSP, 0);
	set(GUEST_RIP, 0x100000);
	set(GUEST_RFLAGS, 2);
	set(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	set(GUEST_SYSENTER_CS, 0);
	set(GUEST_SYSENTER_ESP, 0);
	set(GUEST_SYSENTER_EIP, 0);
	set(GUEST_INTERRUPTIBILITY_INFO, 0);
	set(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
}

/* The image as a 64-bit guest: IA-32e mode, paging on, a 64-bit code segment. */
static inline void long_mode(void)
{
	or(VM_ENTRY_CONTROLS, ENTRY_IA32E_MODE);
	or(GUEST_CR0, 1ULL << 31);
	or(GUEST_CR4, 1 << 5);
	set(GUEST_CR3, 0x1000);
	set(GUEST_IA32_EFER, 0x500);
	set(GUEST_CS_AR_BYTES, 0xa09b);
}

/* Without unrestricted guest (EPT stays): CR0.PG is then required. */
static inline void restricted(void)
{
	clr(SECONDARY_VM_EXEC_CONTROL, CPU2_UNRESTRICTED_GUEST);
	or(GUEST_CR0, 1ULL << 31);
}

static inline int check(void)
{
	return vmentry_check(&img, &caps, &err);
}

#define PASSES()                                                               \
	do {                                                                   \
		int rc_ = check();                                             \
		CHECK_EQ(rc_, 0);                                              \
		if (rc_)                                                       \
			fprintf(stderr, "  %s: %s\n", err.sdm, err.rule);      \
	} while (0)

#define FAILS(sdm_, field_)                                                    \
	do {                                                                   \
		int rc_ = check();                                             \
		CHECK_EQ(rc_, -1);                                             \
		CHECK_STR(rc_ ? err.sdm : "(passed)", sdm_);                   \
		CHECK_EQ(err.field, field_);                                   \
		CHECK(err.rule[0] != 0);                                       \
		if (err.field != (field_) || (rc_ && strcmp(err.sdm, sdm_)))   \
			fprintf(stderr, "  got %s: %s\n", err.sdm, err.rule);  \
	} while (0)

#endif
