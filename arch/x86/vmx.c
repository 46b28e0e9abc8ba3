/* SPDX-License-Identifier: MIT */
/*
 * VMX operation: capability checks, VMXON on every CPU, VMCS creation and
 * the C side of the VM entry/exit path (the assembly is in vmexit.S).
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/cpu_policy.h"
#include "arch/msr.h"
#include "arch/mtrr.h"
#include "arch/safe_insn.h"
#include "arch/upcall_pending.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmexit.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/heap.h"
#include "core/lifecycle.h"
#include "core/panic.h"
#include "core/pcpu.h"
#include "core/stats.h"
#include "core/time.h"
#include "core/trace.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/lib.h"
#include "sched/idle.h"
#include "sched/sched.h"
#include "sched/timer.h"

#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

static uint32_t vmcs_revision;
static uint32_t ctl_pin, ctl_proc, ctl_proc2, ctl_exit, ctl_entry;
static bool have_vpid;
static bool have_preemption_timer;
static bool have_tpr_shadow;
static unsigned preemption_timer_shift; /* the timer counts TSC >> this (VMX_MISC[4:0]) */
static void *msr_bitmap;
unsigned vmx_maxphyaddr = 36;
unsigned vmx_linaddr_bits = 48;
uint64_t vmx_cr0_must1, vmx_cr0_must0, vmx_cr4_must1, vmx_cr4_must0;
uint64_t host_xcr0_supported;

extern const char vmx_exit_entry[];
__attribute__((noreturn)) void vmx_start(uint64_t stack_top);
int vmx_handle_exit(struct guest_regs *regs);
int vmx_first_entry(struct guest_regs *regs);
int vmx_entry_failed(struct guest_regs *regs);

/* SDM Vol. 3C, 31.4 "VM Instruction Error Numbers". */
static const char *vm_instruction_error_name(uint32_t e)
{
	static const char *const names[] = {
		[1] = "VMCALL executed in VMX root operation",
		[2] = "VMCLEAR with invalid physical address",
		[3] = "VMCLEAR with VMXON pointer",
		[4] = "VMLAUNCH with non-clear VMCS",
		[5] = "VMRESUME with non-launched VMCS",
		[6] = "VMRESUME after VMXOFF",
		[7] = "VM entry with invalid control field(s)",
		[8] = "VM entry with invalid host-state field(s)",
		[9] = "VMPTRLD with invalid physical address",
		[10] = "VMPTRLD with VMXON pointer",
		[11] = "VMPTRLD with incorrect VMCS revision identifier",
		[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
		[13] = "VMWRITE to read-only VMCS component",
		[15] = "VMXON executed in VMX root operation",
		[26] = "VM entry with events blocked by MOV SS",
		[28] = "Invalid operand to INVEPT/INVVPID",
	};
	return e < ARRAY_SIZE(names) && names[e] ? names[e] : "unknown error";
}

void vmcs_read_failed(enum vmcs_field f)
{
	panic("VMREAD of field 0x%x failed", (unsigned)f);
}

void vmcs_write_failed(enum vmcs_field f, uint64_t v)
{
	uint64_t err;

	__asm__ volatile("vmread %1, %0" : "=r"(err) : "r"((uint64_t)VM_INSTRUCTION_ERROR) : "cc");
	panic("VMWRITE of field 0x%x = 0x%lx failed: VM-instruction error %lu (%s)", (unsigned)f,
	      (unsigned long)v, (unsigned long)err, vm_instruction_error_name((uint32_t)err));
}

/*
 * Combine wanted controls with a capability MSR (SDM Appendix A.3-A.5):
 * bits 31:0 are the allowed 0-settings (must be 1), bits 63:32 the allowed
 * 1-settings. Returns false if a required bit is not allowed.
 */
static bool adjust_controls(uint32_t msr, uint32_t required, uint32_t optional, uint32_t *out)
{
	uint64_t cap = rdmsr(msr);
	uint32_t must1 = (uint32_t)cap, may1 = (uint32_t)(cap >> 32);

	*out = (required | (optional & may1) | must1) & may1;
	return (*out & required) == required;
}

static void append(char *why, size_t len, const char *what)
{
	size_t n = strnlen(why, len);

	bolt_snprintf(why + n, len - n, "%s%s", n ? ", " : "", what);
}

int vmx_check_support(char *why, size_t len)
{
	struct cpuid_regs r;
	uint64_t basic;

	why[0] = '\0';
	cpuid(1, 0, &r);
	if (!(r.ecx & (1u << 5))) {
		append(why, len, "VT-x (VMX) is not supported by this CPU");
		return -1;
	}
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if ((fc & FEATURE_CONTROL_LOCK) && !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		append(why, len, "VT-x, which the firmware disabled and locked (enable it in the firmware setup)");
		return -1;
	}
	basic = rdmsr(MSR_IA32_VMX_BASIC);
	/* Bochs sets bit 55; the non-TRUE MSRs would force CR3 exiting. */
	bool true_msrs = basic & (1ULL << 55);
	vmcs_revision = (uint32_t)basic & 0x7fffffff;

	if (!adjust_controls(true_msrs ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS,
			     PIN_EXTINT_EXITING | PIN_NMI_EXITING, PIN_PREEMPTION_TIMER, &ctl_pin))
		append(why, len, "external-interrupt/NMI exiting");
	/* Armed per entry only when a time event is due (sched/timer.c). */
	have_preemption_timer = ctl_pin & PIN_PREEMPTION_TIMER;
	ctl_pin &= ~PIN_PREEMPTION_TIMER;
	preemption_timer_shift = rdmsr(MSR_IA32_VMX_MISC) & 0x1f;
	/*
	 * MONITOR/MWAIT exiting only where the CPU has the instructions: a
	 * CPU without them (or with MWAIT disabled, CPUID.1:ECX[3] clear)
	 * raises #UD for a guest's MONITOR/MWAIT before any exit, and Bochs
	 * offers no such controls then (docs/running.md, "Real machines").
	 */
	uint32_t mon = CPU_MWAIT_EXITING | CPU_MONITOR_EXITING;
	uint32_t mon_req = cpu_idle_mwait_usable(r.ecx) ? mon : 0;
	if (!adjust_controls(true_msrs ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS,
			     CPU_HLT_EXITING | CPU_UNCOND_IO_EXITING | CPU_USE_MSR_BITMAPS |
				     CPU_SECONDARY_CONTROLS | mon_req,
			     CPU_RDPMC_EXITING | (mon & ~mon_req), &ctl_proc))
		append(why, len, "secondary controls/HLT/IO/MSR-bitmap exiting");
	/* We never want CR3 exits: unrestricted guests manage their own paging. */
	ctl_proc &= ~(CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING);
	/*
	 * CR8 is the local APIC's TPR: a guest must never reach the real one
	 * (it would leak to the next guest on the CPU, and TPR = 15 would hold
	 * off Bolt's kick IPI). Give each vCPU its own: the TPR shadow keeps it
	 * in the virtual-APIC page without exits (SDM Vol. 3C, "Virtualizing
	 * CR8-Based TPR Accesses"); without one, CR8 loads and stores exit.
	 */
	if (!adjust_controls(true_msrs ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS,
			     ctl_proc, CPU_TPR_SHADOW, &ctl_proc) ||
	    !(ctl_proc & CPU_TPR_SHADOW)) {
		if (!adjust_controls(true_msrs ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS
					       : MSR_IA32_VMX_PROCBASED_CTLS,
				     ctl_proc | CPU_CR8_LOAD_EXITING | CPU_CR8_STORE_EXITING, 0, &ctl_proc))
			append(why, len, "TPR shadow or CR8 exiting");
	}
	have_tpr_shadow = ctl_proc & CPU_TPR_SHADOW;
	if (have_tpr_shadow)
		ctl_proc &= ~(CPU_CR8_LOAD_EXITING | CPU_CR8_STORE_EXITING);
	if (ctl_proc & CPU_SECONDARY_CONTROLS) {
		if (!adjust_controls(MSR_IA32_VMX_PROCBASED_CTLS2, CPU2_ENABLE_EPT, 0, &ctl_proc2))
			append(why, len, "EPT");
		if (!adjust_controls(MSR_IA32_VMX_PROCBASED_CTLS2, CPU2_UNRESTRICTED_GUEST, 0, &ctl_proc2))
			append(why, len, "unrestricted guest");
		adjust_controls(MSR_IA32_VMX_PROCBASED_CTLS2, CPU2_ENABLE_EPT | CPU2_UNRESTRICTED_GUEST,
				CPU2_ENABLE_VPID | CPU2_ENABLE_RDTSCP | CPU2_ENABLE_INVPCID |
					CPU2_ENABLE_XSAVES | CPU2_WBINVD_EXITING, &ctl_proc2);
		have_vpid = ctl_proc2 & CPU2_ENABLE_VPID;
	}
	/*
	 * Debug controls: DR7 and IA32_DEBUGCTL are guest state in the VMCS
	 * only with these (SDM 28.3.1, 26.3.2.1); without them a VM exit sets
	 * DR7 to 400H (SDM 28.5.1) and the next entry keeps it, so a guest's
	 * breakpoints vanished at its next exit. The TRUE capability MSRs
	 * (Bochs, KVM) let them be 0, which is how that happened.
	 */
	if (!adjust_controls(true_msrs ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS,
			     EXIT_SAVE_DEBUG_CONTROLS | EXIT_HOST_ADDR_SPACE_SIZE | EXIT_ACK_INTR_ON_EXIT |
				     EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER,
			     EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT, &ctl_exit))
		append(why, len, "VM-exit debug-control and EFER save/load");
	if (!adjust_controls(true_msrs ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS,
			     ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_LOAD_IA32_EFER, ENTRY_LOAD_IA32_PAT,
			     &ctl_entry))
		append(why, len, "VM-entry debug-control and EFER load");
	ctl_entry &= ~ENTRY_IA32E_MODE; /* PVH guests start in 32-bit mode */

	uint64_t ept_cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if ((ctl_proc2 & CPU2_ENABLE_EPT) &&
	    (!(ept_cap & (1ULL << 6)) || !(ept_cap & (1ULL << 14)) || !(ept_cap & (1ULL << 20))))
		append(why, len, "EPT 4-level walk with write-back tables and INVEPT");

	/* CR fixed bits (SDM Appendix A.7, A.8); PE/PG are free with unrestricted guest. */
	uint64_t f0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0), f1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	vmx_cr0_must1 = f0 & ~(X86_CR0_PE | X86_CR0_PG);
	vmx_cr0_must0 = ~f1 & 0xffffffffULL;
	vmx_cr4_must1 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	vmx_cr4_must0 = ~rdmsr(MSR_IA32_VMX_CR4_FIXED1) & 0xffffffffULL;

	cpuid(0x80000000, 0, &r);
	if (r.eax >= 0x80000008) {
		cpuid(0x80000008, 0, &r);
		vmx_maxphyaddr = r.eax & 0xff;
		vmx_linaddr_bits = (r.eax >> 8) & 0xff;
	}
	cpuid(0, 0, &r);
	if (r.eax >= 0xd) {
		cpuid(0xd, 0, &r);
		host_xcr0_supported = (uint64_t)r.edx << 32 | r.eax;
	}
	return why[0] ? -1 : 0;
}

/* The MSR bitmap (SDM 25.6.9): a set bit makes RDMSR/WRMSR of that MSR exit. */
static void msr_passthrough(uint8_t *bm, uint32_t msr, bool read, bool write)
{
	unsigned base = msr >= 0xc0000000 ? 1024 : 0;
	unsigned bit = msr & 0x1fff;

	if (read)
		bm[base + bit / 8] &= (uint8_t)~(1u << (bit % 8));
	if (write)
		bm[2048 + base + bit / 8] &= (uint8_t)~(1u << (bit % 8));
}

static void build_msr_bitmap(void)
{
	uint8_t *bm = heap_alloc_pages(1, 1);

	if (!bm)
		panic("out of memory for the MSR bitmap");
	memset(bm, 0xff, PAGE_SIZE);
	/* Registers the VMCS or the guest alone owns: no exit needed. */
	msr_passthrough(bm, MSR_IA32_FS_BASE, true, true);
	msr_passthrough(bm, MSR_IA32_GS_BASE, true, true);
	msr_passthrough(bm, MSR_IA32_KERNEL_GS_BASE, true, true);
	msr_passthrough(bm, MSR_IA32_STAR, true, true);
	msr_passthrough(bm, MSR_IA32_LSTAR, true, true);
	msr_passthrough(bm, MSR_IA32_CSTAR, true, true);
	msr_passthrough(bm, MSR_IA32_FMASK, true, true);
	msr_passthrough(bm, MSR_IA32_TSC, true, false);
	msr_passthrough(bm, MSR_IA32_TSC_AUX, true, false);
	msr_bitmap = bm;
}

void vmx_cpu_enable(struct pcpu *p)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	/* SDM 24.7: VMXON #GPs unless the lock bit and "VMX outside SMX" are set. */
	if (!(fc & FEATURE_CONTROL_LOCK)) {
		fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
	} else if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		panic("CPU %u: VMX is disabled and locked in IA32_FEATURE_CONTROL (0x%lx): "
		      "enable VT-x in the firmware setup", p->index, (unsigned long)fc);
	}
	/* SDM 24.8: CR0 and CR4 must honour the VMX fixed bits. */
	uint64_t cr0 = read_cr0() | rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	write_cr0(cr0 & rdmsr(MSR_IA32_VMX_CR0_FIXED1));
	uint64_t cr4 = read_cr4() | X86_CR4_VMXE | rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	struct cpuid_regs r;
	cpuid(1, 0, &r);
	if (r.ecx & (1u << 26))
		cr4 |= X86_CR4_OSXSAVE; /* so XSETBV can be emulated for guests */
	write_cr4(cr4 & rdmsr(MSR_IA32_VMX_CR4_FIXED1));
	/*
	 * Guests' XSETBV/WRMSR/XRSTOR values go through the fault-safe
	 * instructions (safe_insn.S). Prove the fix-up on this CPU before any
	 * guest relies on it: XSETBV to XCR1 always faults (#GP, or #UD
	 * without OSXSAVE) and must come back as an error, not a panic.
	 */
	if (!(safe_xsetbv(1, 0) & SAFE_FAULT))
		panic("CPU %u: the fault-safe XSETBV did not report its fault", p->index);

	if (!p->arch.vmxon_region) {
		p->arch.vmxon_region = heap_alloc_pages(1, 1);
		if (!p->arch.vmxon_region)
			panic("CPU %u: out of memory for the VMXON region", p->index);
	}
	*(uint32_t *)p->arch.vmxon_region = vmcs_revision;
	if (!vmxon((uint64_t)(uintptr_t)p->arch.vmxon_region))
		panic("CPU %u: VMXON failed (CR0 0x%lx CR4 0x%lx FEATURE_CONTROL 0x%lx)", p->index,
		      (unsigned long)read_cr0(), (unsigned long)read_cr4(),
		      (unsigned long)rdmsr(MSR_IA32_FEATURE_CONTROL));
	if (p->index == 0 && !msr_bitmap)
		build_msr_bitmap();
}

static void vmcs_load(struct vcpu *v)
{
	struct pcpu *p = this_pcpu();

	if (p->arch.loaded == v)
		return;
	if (!vmptrld((uint64_t)(uintptr_t)v->arch.vmcs))
		panic("VMPTRLD of guest '%s' failed", v->guest->cfg->name);
	p->arch.loaded = v;
}

static void setup_host_state(struct pcpu *p)
{
	struct desc_ptr gdtr, idtr;

	read_gdt(&gdtr);
	read_idt(&idtr);
	vmcs_writenat(HOST_CR0, read_cr0());
	vmcs_writenat(HOST_CR3, read_cr3());
	vmcs_writenat(HOST_CR4, read_cr4());
	vmcs_write16(HOST_CS_SELECTOR, SEL_CODE64);
	vmcs_write16(HOST_SS_SELECTOR, SEL_DATA);
	vmcs_write16(HOST_DS_SELECTOR, SEL_DATA);
	vmcs_write16(HOST_ES_SELECTOR, SEL_DATA);
	vmcs_write16(HOST_FS_SELECTOR, SEL_DATA);
	vmcs_write16(HOST_GS_SELECTOR, SEL_DATA);
	vmcs_write16(HOST_TR_SELECTOR, SEL_TSS);
	vmcs_writenat(HOST_FS_BASE, 0);
	vmcs_writenat(HOST_GS_BASE, (uint64_t)(uintptr_t)p);
	vmcs_writenat(HOST_TR_BASE, (uint64_t)(uintptr_t)&p->arch.tss);
	vmcs_writenat(HOST_GDTR_BASE, gdtr.base);
	vmcs_writenat(HOST_IDTR_BASE, idtr.base);
	vmcs_write32(HOST_IA32_SYSENTER_CS, 0);
	vmcs_writenat(HOST_IA32_SYSENTER_ESP, 0);
	vmcs_writenat(HOST_IA32_SYSENTER_EIP, 0);
	vmcs_write64(HOST_IA32_EFER, rdmsr(MSR_IA32_EFER));
	if (ctl_exit & EXIT_LOAD_IA32_PAT)
		vmcs_write64(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	/* Exits land at the top of this CPU's stack; vmexit.S builds the frame there. */
	vmcs_writenat(HOST_RSP, (uint64_t)(uintptr_t)(p->arch.stack + HOST_STACK_SIZE));
	vmcs_writenat(HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_entry);
}

int vmx_setup_controls(struct vcpu *v);
int vmx_setup_controls(struct vcpu *v)
{
	struct guest *g = v->guest;

	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, ctl_pin);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, ctl_proc);
	v->arch.preemption_timer_on = false;
	v->arch.window_exiting = false;
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, ctl_proc2);
	vmcs_write32(VM_EXIT_CONTROLS, ctl_exit);
	vmcs_write32(VM_ENTRY_CONTROLS, ctl_entry);
	vmcs_write32(EXCEPTION_BITMAP, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write64(MSR_BITMAP, (uint64_t)(uintptr_t)msr_bitmap);
	if (have_tpr_shadow) {
		/* Threshold 0: no TPR-below-threshold exits (SDM 27.2.1.1: VTPR[7:4] must not be below it). */
		vmcs_write64(VIRTUAL_APIC_PAGE_ADDR, (uint64_t)(uintptr_t)v->arch.vapic);
		vmcs_write32(TPR_THRESHOLD, 0);
	}
	vmcs_write64(EPT_POINTER, ept_eptp(&g->arch.ept));
	if (have_vpid)
		vmcs_write16(VIRTUAL_PROCESSOR_ID, g->arch.vpid);
	vmcs_write64(VMCS_LINK_POINTER, ~0ULL);
	/* The guest owns every CR0/CR4 bit except those VMX fixes (SDM 25.6.6). */
	vmcs_writenat(CR0_GUEST_HOST_MASK, vmx_cr0_must1 | vmx_cr0_must0);
	vmcs_writenat(CR4_GUEST_HOST_MASK, vmx_cr4_must1 | vmx_cr4_must0);
	setup_host_state(v->pcpu);
	return 0;
}

int vcpu_arch_create(struct vcpu *v)
{
	struct pcpu *p = this_pcpu();

	if (!v->arch.vmcs) {
		v->arch.vmcs = heap_alloc_pages(1, 1);
		if (!v->arch.vmcs)
			return -XEN_ENOMEM;
	}
	if (have_tpr_shadow && !v->arch.vapic) {
		v->arch.vapic = heap_alloc_pages(1, 1);
		if (!v->arch.vapic)
			return -XEN_ENOMEM;
		memset(v->arch.vapic, 0, PAGE_SIZE);
	}
	*(uint32_t *)v->arch.vmcs = vmcs_revision;
	if (!vmclear((uint64_t)(uintptr_t)v->arch.vmcs))
		panic("VMCLEAR failed for guest '%s'", v->guest->cfg->name);
	v->arch.launched = false;
	if (p->arch.loaded == v)
		p->arch.loaded = NULL;
	vmcs_load(v);
	return vmx_setup_controls(v);
}

static void set_segment(enum vmcs_field sel, uint16_t s, uint64_t base, uint32_t limit, uint32_t ar)
{
	/* Selector, base, limit and access rights are laid out in parallel (B.1.2-B.4.3). */
	vmcs_write_raw(sel, s);
	vmcs_write_raw((enum vmcs_field)(GUEST_ES_BASE + (sel - GUEST_ES_SELECTOR)), base);
	vmcs_write_raw((enum vmcs_field)(GUEST_ES_LIMIT + (sel - GUEST_ES_SELECTOR)), limit);
	vmcs_write_raw((enum vmcs_field)(GUEST_ES_AR_BYTES + (sel - GUEST_ES_SELECTOR)), ar);
}

/*
 * The Xen PVH entry state (docs/pvh.pandoc in Xen): 32-bit protected mode,
 * paging off, flat 4 GiB CS (execute/read) and DS/ES/SS (read/write), a
 * valid TR, EBX = start info, everything else zero.
 */
void vcpu_arch_reset(struct vcpu *v, uint32_t entry, uint32_t start_info)
{
	vmcs_load(v);
	set_segment(GUEST_CS_SELECTOR, 0x10, 0, 0xffffffff, 0xc09b);
	set_segment(GUEST_DS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(GUEST_ES_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(GUEST_SS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(GUEST_FS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(GUEST_GS_SELECTOR, 0x18, 0, 0xffffffff, 0xc093);
	set_segment(GUEST_TR_SELECTOR, 0x20, 0, 0x67, 0x008b);
	set_segment(GUEST_LDTR_SELECTOR, 0, 0, 0, 0x10000); /* unusable */
	vmcs_writenat(GUEST_GDTR_BASE, 0);
	vmcs_write32(GUEST_GDTR_LIMIT, 0);
	vmcs_writenat(GUEST_IDTR_BASE, 0);
	vmcs_write32(GUEST_IDTR_LIMIT, 0);
	vmcs_writenat(CR0_READ_SHADOW, X86_CR0_PE | X86_CR0_ET);
	vmcs_writenat(GUEST_CR0, (X86_CR0_PE | X86_CR0_ET | vmx_cr0_must1) & ~vmx_cr0_must0);
	vmcs_writenat(CR4_READ_SHADOW, 0);
	vmcs_writenat(GUEST_CR4, vmx_cr4_must1);
	vmcs_writenat(GUEST_CR3, 0);
	vmcs_write64(GUEST_IA32_EFER, 0);
	vmcs_write64(GUEST_IA32_PAT, 0x0007040600070406ULL);
	vmcs_write32(VM_ENTRY_CONTROLS, ctl_entry);
	vmcs_writenat(GUEST_DR7, 0x400);
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_writenat(GUEST_RSP, 0);
	vmcs_writenat(GUEST_RIP, entry);
	vmcs_writenat(GUEST_RFLAGS, X86_RFLAGS_RESERVED1);
	vmcs_writenat(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writenat(GUEST_SYSENTER_ESP, 0);
	vmcs_writenat(GUEST_SYSENTER_EIP, 0);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	memset(&v->arch.regs, 0, sizeof(v->arch.regs));
	v->arch.regs.rbx = start_info;
	v->arch.xcr0 = 1; /* x87 only, the reset value */
	/* TPR 0 after reset (SDM Vol. 3A, 11.4.7.1): nothing of the last incarnation's. */
	v->arch.tpr = 0;
	if (v->arch.vapic)
		memset(v->arch.vapic, 0, PAGE_SIZE);
	v->arch.reload_regs = true;
	v->arch.halted_clean = false;
	if (vcpu_state_init(v))
		panic("out of memory for guest '%s''s FPU state", v->guest->cfg->name);
	/* Drop translations the previous incarnation left tagged with this VPID. */
	if (have_vpid)
		invvpid(INVVPID_SINGLE_CONTEXT, v->guest->arch.vpid);
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&v->guest->arch.ept));
}

/*
 * The VMX-preemption timer (SDM 26.5.1) brings the CPU back for the
 * earliest time event on it; it counts down at the TSC rate >> shift.
 */
static void arm_preemption_timer(struct pcpu *p, struct vcpu *v)
{
	uint64_t deadline = have_preemption_timer ? timer_deadline(p) : 0;
	bool on = deadline != 0;

	if (on != v->arch.preemption_timer_on) {
		uint32_t pin = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL);
		vmcs_write32(PIN_BASED_VM_EXEC_CONTROL,
			     on ? pin | PIN_PREEMPTION_TIMER : pin & ~PIN_PREEMPTION_TIMER);
		v->arch.preemption_timer_on = on;
	}
	if (on) {
		uint64_t when = time_ns_to_tsc(deadline), now = rdtsc();
		uint64_t ticks = when > now ? (when - now) >> preemption_timer_shift : 0;
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, ticks > 0xffffffffULL ? 0xffffffffu : (uint32_t)ticks);
	}
}

/*
 * hv_send and hv_wake (struct bolt_stats) end at VM entry, which only the
 * stub can stamp (vmexit.S), after C has returned. So each entry notes
 * where its windows started, and the next exit of the same vCPU adds the
 * samples (account_entry), a stretch vmx_handle_exit cuts out of that
 * exit's own window: the histogram updates are measurement, not path.
 *   hv_send: the sender's exit that sent an event -> its VMRESUME.
 *   hv_wake: the kick's arrival (the idle loop's wait ends, or the kick
 *            IPI's exit for a running receiver whose upcall this entry
 *            injects) -> the receiver's VMRESUME/VMLAUNCH.
 */
static void arm_account(struct pcpu *p, struct vcpu *next, struct vcpu *exited, bool upcall)
{
	next->arch.send_from = 0;
	next->arch.wake_from = 0;
	if (next->sent) {
		if (next == exited)
			next->arch.send_from = p->exit_tsc;
		next->sent = false;
	}
	if (next->woken) {
		next->arch.wake_from = MAX(p->kick_tsc, next->wake_tsc);
		next->wakeups++;
		next->woken = false;
		next->wake_traced = false;
	} else if (p->arch.kick_exit && next == exited && upcall) {
		next->arch.wake_from = p->kick_tsc;
	}
	p->arch.kick_exit = false;
}

static void account_window(struct bolt_timing *t, uint64_t from, uint64_t to)
{
	if (from)
		timing_add(t, to > from ? to - from : 0);
}

/* At v's exit: add the windows its last entry (v->entry_tsc) ended. */
static void account_entry(struct vcpu *v)
{
	account_window(&v->hv_send, v->arch.send_from, v->entry_tsc);
	account_window(&v->hv_wake, v->arch.wake_from, v->entry_tsc);
	v->arch.send_from = v->arch.wake_from = 0;
}

/*
 * Pick the vCPU to enter and make the register frame and the current VMCS
 * its own. Returns 1 when it must be VMLAUNCHed, 0 for VMRESUME.
 */
static int prepare_entry(struct pcpu *p, struct guest_regs *regs)
{
	struct vcpu *exited = p->arch.loaded;
	struct vcpu *next;
	struct vcpu *owner;
	bool upcall, pending;

again:
	next = sched_next(p);
	owner = p->arch.frame_owner;

	if (owner != next) {
		if (owner)
			owner->arch.regs = *regs;
		*regs = next->arch.regs;
		p->arch.frame_owner = next;
	} else if (next->arch.reload_regs) {
		*regs = next->arch.regs;
	}
	next->arch.reload_regs = false;
	vmcs_load(next);
	if (p->arch.state_owner != next)
		vcpu_state_switch(p, next); /* also loads its XCR0 */
	/* Traced before the upcall's inject record: the order of the path. */
	if (trace_enabled && next->woken && !next->wake_traced && next->guest->trace_active) {
		trace_record(TRACE_WAKE, (uint16_t)next->guest->domid, 0);
		next->wake_traced = true;
	}
	/* Nothing pending and no window exiting to turn off: nothing to deliver. */
	pending = upcall_is_pending(next);
	upcall = (pending || next->arch.window_exiting) && vmx_deliver_upcall(next, pending);
	next->arch.halted_clean = false; /* good for the first entry after the HLT only */
	arm_preemption_timer(p, next);
	/*
	 * From here a remote wake-up sends an IPI instead of relying on us:
	 * announce it, then look once more at what a waker may have changed
	 * just before (see sched_kick() in sched/sched.c; tests/model/wake.pml
	 * checks this handshake: change the two together).
	 */
	__atomic_store_n(&p->in_guest, true, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&p->rq.resched, __ATOMIC_SEQ_CST) || (!upcall && upcall_is_pending(next))) {
		p->in_guest = false;
		goto again;
	}
	arm_account(p, next, exited, upcall);
	if (!next->arch.launched) {
		next->arch.launched = true;
		return 1;
	}
	return 0;
}

int vmx_first_entry(struct guest_regs *regs)
{
	struct pcpu *p = this_pcpu();

	p->arch.frame_owner = NULL;
	return prepare_entry(p, regs);
}

int vmx_handle_exit(struct guest_regs *regs)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *v = p->arch.loaded;
	uint32_t reason = vmcs_read32(VM_EXIT_REASON);

	p->in_guest = false;
	/* The stub's stamps, moved to its first instruction and to VMRESUME. */
	p->exit_tsc -= VMEXIT_INSNS_BEFORE_TSC;
	v->entry_tsc = p->arch.entry_tsc + VMENTRY_INSNS_FROM_TSC;
	v->guest_ticks += p->exit_tsc - v->entry_tsc;
	if (v->arch.send_from | v->arch.wake_from) {
		uint64_t t = rdtsc();

		account_entry(v);
		p->exit_tsc += rdtsc() - t; /* this exit's windows leave the accounting out */
	}
	if ((reason & 0xffff) == EXIT_REASON_EXTERNAL_INTERRUPT) {
		p->kick_tsc = p->exit_tsc;
		p->arch.kick_exit = true;
	}
	v->nr_exits++;
	if (reason & EXIT_REASON_FAILED_ENTRY) {
		/* SDM 27.8: the guest state was invalid or an MSR load failed. */
		guest_stop(v->guest, GUEST_STOP_CRASH, "VM entry failed: exit reason %u (%s), qualification 0x%lx",
			   reason & 0xffff, arch_exit_reason_name(reason & 0xffff),
			   (unsigned long)vmcs_readnat(EXIT_QUALIFICATION));
	} else {
		reason &= 0xffff;
		if (reason < ARCH_NR_EXIT_REASONS)
			v->exits[reason]++;
		if (!vmx_fast_exit(v, regs, reason))
			vmx_dispatch_exit(v, regs, reason);
	}
	return prepare_entry(p, regs);
}

int vmx_entry_failed(struct guest_regs *regs)
{
	struct pcpu *p = this_pcpu();
	struct vcpu *v = p->arch.loaded;
	uint32_t err = vmcs_read32(VM_INSTRUCTION_ERROR);

	v->arch.send_from = v->arch.wake_from = 0; /* no entry: nothing to time */

	/* VMfailValid: the VMCS stays current and names the error (SDM 31.4). */
	guest_stop(v->guest, GUEST_STOP_CRASH, "VM entry failed: VM-instruction error %u (%s)", err,
		   vm_instruction_error_name(err));
	return prepare_entry(p, regs);
}

void vmx_run(struct pcpu *p)
{
	p->arch.xcr0 = (read_cr4() & X86_CR4_OSXSAVE) ? xgetbv(0) : 1;
	vmx_start((uint64_t)(uintptr_t)(p->arch.stack + HOST_STACK_SIZE));
}

void vmx_advance_rip(void)
{
	vmcs_writenat(GUEST_RIP, vmcs_readnat(GUEST_RIP) + vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
	/* Executing an instruction ends STI/MOV-SS blocking (SDM 25.4.2). */
	uint32_t intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	if (intr & 3)
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, intr & ~3u);
}

void vmx_inject_exception(unsigned vector, int error_code)
{
	uint32_t info = INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | vector;

	if (error_code >= 0) {
		info |= INTR_INFO_DELIVER_CODE;
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, (uint32_t)error_code);
	}
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, info);
}

void arch_cpu_init(struct pcpu *p)
{
	p->arch.x2apic = apic_init_cpu();
	p->apic_id = apic_id();
	idle_mode_init(p);
	vmx_cpu_enable(p);
}

void arch_cpu_run(struct pcpu *p)
{
	vmx_run(p);
}

static void *ept_page_alloc(void *ctx)
{
	(void)ctx;
	return heap_alloc_pages(1, 1);
}

int guest_arch_create(struct guest *g)
{
	int rc = ept_init(&g->arch.ept, ept_page_alloc, NULL, vmx_maxphyaddr, 0);

	if (rc)
		return rc;
	g->arch.vpid = (uint16_t)g->domid; /* VPID 0 is the host's */
	return ept_map_guest_ram(g); /* the host MTRRs' types: WB on sane firmware */
}

void arch_kick_cpu(struct pcpu *p)
{
	apic_send_ipi(p->apic_id, ICR_DM_FIXED | APIC_KICK_VECTOR);
}
