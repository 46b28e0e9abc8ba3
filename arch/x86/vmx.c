/* SPDX-License-Identifier: MIT */
/*
 * VMX operation: capability checks, VMXON on every CPU, VMCS creation and
 * the C side of the VM entry/exit path (the assembly is in vmexit.S).
 */
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/cpu_policy.h"
#include "arch/lapic.h"
#include "arch/msr.h"
#include "arch/mtrr.h"
#include "arch/safe_insn.h"
#include "arch/upcall_pending.h"
#include "arch/vmcs.h"
#include "arch/vmcs_build.h"
#include "arch/vmentry_check.h"
#include "arch/vmx_caps.h"
#include "arch/vmx.h"
#include "arch/vmexit.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "core/console.h"
#include "core/grant.h"
#include "core/guest.h"
#include "core/heap.h"
#include "core/lifecycle.h"
#include "core/panic.h"
#include "core/pcpu.h"
#include "core/vcpu_up.h"
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

/* What the boot CPU said (vmx_caps_read) and the controls chosen for it. */
static struct vmx_caps caps;
static struct vmx_ctls ctls;
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
 * Read the capability set. An MSR exists only where the SDM says (Vol. 3D,
 * Appendix A); reading one that does not would #GP into the firmware, so
 * each is read only when the one before says it is there.
 */
static void vmx_caps_read(struct vmx_caps *c)
{
	struct cpuid_regs r;

	memset(c, 0, sizeof(*c));
	cpuid(1, 0, &r);
	c->cpuid1_ecx = r.ecx;
	c->cpuid1_edx = r.edx;
	c->maxphyaddr = 36;
	c->linaddr_bits = 48;
	cpuid(0x80000000, 0, &r);
	if (r.eax >= 0x80000008) {
		cpuid(0x80000008, 0, &r);
		c->maxphyaddr = (uint8_t)r.eax;
		c->linaddr_bits = (uint8_t)(r.eax >> 8);
	}
	cpuid(0, 0, &r);
	if (r.eax >= 0xd && (c->cpuid1_ecx & (1u << 26))) {
		cpuid(0xd, 0, &r);
		c->xcr0_supported = (uint64_t)r.edx << 32 | r.eax;
	}
	if (!(c->cpuid1_ecx & (1u << 5)))
		return; /* no VMX: none of the MSRs below exists */
	c->feature_control = rdmsr(MSR_IA32_FEATURE_CONTROL);
	c->basic = rdmsr(MSR_IA32_VMX_BASIC);
	c->pinbased_ctls = rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
	c->procbased_ctls = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
	c->exit_ctls = rdmsr(MSR_IA32_VMX_EXIT_CTLS);
	c->entry_ctls = rdmsr(MSR_IA32_VMX_ENTRY_CTLS);
	c->misc = rdmsr(MSR_IA32_VMX_MISC);
	c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	c->vmcs_enum = rdmsr(MSR_IA32_VMX_VMCS_ENUM);
	if (c->basic & VMX_BASIC_TRUE_CTLS) {
		c->true_pinbased_ctls = rdmsr(MSR_IA32_VMX_TRUE_PINBASED_CTLS);
		c->true_procbased_ctls = rdmsr(MSR_IA32_VMX_TRUE_PROCBASED_CTLS);
		c->true_exit_ctls = rdmsr(MSR_IA32_VMX_TRUE_EXIT_CTLS);
		c->true_entry_ctls = rdmsr(MSR_IA32_VMX_TRUE_ENTRY_CTLS);
	}
	if (vmx_ctl_may1(c->procbased_ctls) & CPU_SECONDARY_CONTROLS)
		c->procbased_ctls2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
	if (vmx_ctl_may1(c->procbased_ctls) & CPU_TERTIARY_CONTROLS)
		c->procbased_ctls3 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS3);
	if (vmx_ctl_may1(c->procbased_ctls2) & (CPU2_ENABLE_EPT | CPU2_ENABLE_VPID))
		c->ept_vpid_cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (vmx_ctl_may1(c->procbased_ctls2) & CPU2_ENABLE_VMFUNC)
		c->vmfunc = rdmsr(MSR_IA32_VMX_VMFUNC);
}

int vmx_check_support(char *why, size_t len)
{
	vmx_caps_read(&caps);
	int rc = vmx_choose_ctls(&caps, &ctls, why, len);

	/* The rest of arch/x86 reads these as plain globals on hot paths. */
	vmx_maxphyaddr = ctls.maxphyaddr;
	vmx_linaddr_bits = ctls.linaddr_bits;
	vmx_cr0_must1 = ctls.cr0_must1;
	vmx_cr0_must0 = ctls.cr0_must0;
	vmx_cr4_must1 = ctls.cr4_must1;
	vmx_cr4_must0 = ctls.cr4_must0;
	host_xcr0_supported = ctls.xcr0_supported;
	return rc;
}

void vmx_cpuid_adjust(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	uint32_t regs[4] = { r->eax, r->ebx, r->ecx, r->edx };

	vmx_guest_cpuid_hide(&ctls, leaf, sub, regs);
	r->eax = regs[0];
	r->ebx = regs[1];
	r->ecx = regs[2];
	r->edx = regs[3];
}

static void log_caps_line(void *ctx, const char *line)
{
	(void)ctx;
	log_printf("vmx: %s", line);
}

void vmx_log_caps(void)
{
	vmx_caps_print(&caps, log_caps_line, NULL);
	log_printf("vmx: controls pin 0x%x proc 0x%x proc2 0x%x exit 0x%x entry 0x%x", ctls.pin,
		   ctls.proc, ctls.proc2, ctls.exit, ctls.entry);
	log_printf("vmx: VPID %s, TPR shadow %s, preemption timer %s (TSC >> %u), MAXPHYADDR %u",
		   ctls.have_vpid ? "on" : "off", ctls.have_tpr_shadow ? "on" : "off",
		   ctls.have_preemption_timer ? "on" : "off", ctls.preemption_timer_shift,
		   ctls.maxphyaddr);
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
	/* The guest's own, switched in vcpu_state.c; writes exit (msr_policy.c). */
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
	/* SDM 24.8: CR0 and CR4 must honour the VMX fixed bits (the boot CPU's: one model). */
	write_cr0(vmx_root_cr0(&caps, read_cr0()));
	write_cr4(vmx_root_cr4(&caps, read_cr4()));
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
	*(uint32_t *)p->arch.vmxon_region = ctls.revision;
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

/* This CPU's host state, as a VM exit must restore it (SDM 28.5). */
static void read_host_state(struct pcpu *p, struct vmcs_host_state *h)
{
	struct desc_ptr gdtr, idtr;

	read_gdt(&gdtr);
	read_idt(&idtr);
	*h = (struct vmcs_host_state){
		.cr0 = read_cr0(),
		.cr3 = read_cr3(),
		.cr4 = read_cr4(),
		.cs = SEL_CODE64,
		.ss = SEL_DATA,
		.ds = SEL_DATA,
		.es = SEL_DATA,
		.fs = SEL_DATA,
		.gs = SEL_DATA,
		.tr = SEL_TSS,
		.gs_base = (uint64_t)(uintptr_t)p,
		.tr_base = (uint64_t)(uintptr_t)&p->arch.tss,
		.gdtr_base = gdtr.base,
		.idtr_base = idtr.base,
		.efer = rdmsr(MSR_IA32_EFER),
		.pat = rdmsr(MSR_IA32_PAT),
		/* Exits land at the top of this CPU's stack; vmexit.S builds the frame there. */
		.rsp = (uint64_t)(uintptr_t)(p->arch.stack + HOST_STACK_SIZE),
		.rip = (uint64_t)(uintptr_t)vmx_exit_entry,
	};
}

/* VMWRITE every field of the image into the current VMCS. */
static void vmcs_image_load(const struct vmcs_image *img)
{
	for (unsigned i = 0; i < img->n; i++)
		vmcs_write_raw((enum vmcs_field)img->f[i].field, img->f[i].value);
}

int vcpu_arch_create(struct vcpu *v)
{
	struct pcpu *p = this_pcpu();

	if (!v->arch.vmcs) {
		v->arch.vmcs = heap_alloc_pages(1, 1);
		if (!v->arch.vmcs)
			return -XEN_ENOMEM;
	}
	*(uint32_t *)v->arch.vmcs = ctls.revision;
	if (!vmclear((uint64_t)(uintptr_t)v->arch.vmcs))
		panic("VMCLEAR failed for guest '%s'", v->guest->cfg->name);
	v->arch.launched = false;
	if (p->arch.loaded == v)
		p->arch.loaded = NULL;
	vmcs_load(v);
	return 0;
}

/*
 * The whole VMCS of a vCPU at its start (PVH entry, STARTUP IPI or
 * VCPUOP_initialise context): controls, host state and guest state, built
 * as an image and run through the VM-entry checks before a single VMWRITE.
 * A VMCS the CPU would refuse is then a clear line naming the rule and its
 * SDM section (or VCPUOP_initialise's -EINVAL) instead of a bare
 * VM-instruction error at the first VMLAUNCH. Runs on any CPU while v is
 * stopped; vcpu_arch_apply_start() loads it on v's own CPU.
 */
int vcpu_arch_prepare_start(struct vcpu *v, const struct vcpu_start *s)
{
	struct guest *g = v->guest;
	struct vmcs_host_state host;
	struct vmentry_error err;
	/* In the vCPU, not on the stack: 2.5 KiB is a lot for a host stack. */
	struct vmcs_image *img = &v->arch.image;
	struct vmcs_vcpu_addrs addrs;

	/* The TPR shadow's virtual-APIC page (zeroed by the heap; again at each start). */
	if (ctls.have_tpr_shadow && !v->arch.vapic) {
		v->arch.vapic = heap_alloc_pages(1, 1);
		if (!v->arch.vapic)
			return -XEN_ENOMEM;
	}
	addrs = (struct vmcs_vcpu_addrs){
		.msr_bitmap = (uint64_t)(uintptr_t)msr_bitmap,
		.vapic = (uint64_t)(uintptr_t)v->arch.vapic,
		.eptp = ept_eptp(&g->arch.ept),
		.vpid = g->arch.vpid,
	};
	read_host_state(v->pcpu, &host);
	vmcs_image_init(img);
	vmcs_build_controls(img, &ctls, &addrs);
	vmcs_build_host(img, &ctls, &host);
	switch (s->kind) {
	case VCPU_START_SIPI:
		vmcs_build_sipi_entry(img, &ctls, s->vector);
		break;
	case VCPU_START_CONTEXT:
		vmcs_build_hvm_context(img, &ctls, &s->ctx);
		vmcs_image_set(img, GUEST_RSP, s->ctx.mode == VCPU_HVM_MODE_64B
						       ? s->ctx.cpu_regs.x86_64.rsp
						       : s->ctx.cpu_regs.x86_32.esp);
		break;
	default:
		vmcs_build_pvh_entry(img, &ctls, s->entry);
		break;
	}
	if (vmentry_check(img, &caps, &err)) {
		/* A VCPUOP_initialise context is the guest's input: limited like its other lines. */
		if (guest_may_log(g))
			log_printf("guest '%s' vCPU %u: its VMCS would fail VM entry: %s (SDM Vol. 3C, %s; field 0x%x = 0x%lx)",
				   g->cfg->name, v->vcpu_id, err.rule, err.sdm, (unsigned)err.field,
				   (unsigned long)err.value);
		return -XEN_EINVAL;
	}
	return 0;
}

/*
 * The GPRs a start gives: RBX = the start info for a PVH boot, the
 * context's for VCPUOP_initialise (RSP is in the VMCS), zero otherwise.
 * Both context layouts list RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI in
 * that order.
 */
static void start_regs(struct guest_regs *r, const struct vcpu_start *s)
{
	const struct vcpu_hvm_x86_64 *r64 = &s->ctx.cpu_regs.x86_64;
	const struct vcpu_hvm_x86_32 *r32 = &s->ctx.cpu_regs.x86_32;
	uint64_t gpr[8];

	_Static_assert(offsetof(struct vcpu_hvm_x86_64, rdi) == 7 * 8 &&
			       offsetof(struct vcpu_hvm_x86_32, edi) == 7 * 4,
		       "both layouts start RAX..RDI");
	memset(r, 0, sizeof(*r));
	if (s->kind == VCPU_START_PVH)
		r->rbx = s->start_info;
	if (s->kind != VCPU_START_CONTEXT)
		return;
	for (unsigned i = 0; i < 8; i++)
		gpr[i] = s->ctx.mode == VCPU_HVM_MODE_64B ? (&r64->rax)[i] : (&r32->eax)[i];
	r->rax = gpr[0], r->rcx = gpr[1], r->rdx = gpr[2], r->rbx = gpr[3];
	r->rbp = gpr[5], r->rsi = gpr[6], r->rdi = gpr[7];
}

int vcpu_arch_apply_start(struct vcpu *v)
{
	struct guest *g = v->guest;
	struct vmcs_host_state host;

	if (!v->arch.vmcs && vcpu_arch_create(v))
		return -XEN_ENOMEM;
	vmcs_load(v);
	/* This CPU's own host state (prepared perhaps on another). */
	read_host_state(v->pcpu, &host);
	vmcs_build_host(&v->arch.image, &ctls, &host);
	vmcs_image_load(&v->arch.image);
	/*
	 * Its GPRs now, on its own CPU, flagged with reload_regs in the same
	 * breath: prepare_entry never saves an older frame over them.
	 */
	start_regs(&v->arch.regs, &v->start);
	v->arch.preemption_timer_on = false;
	v->arch.window_exiting = false;
	v->arch.xcr0 = 1; /* x87 only, the reset value */
	/* MSR_MISC_FEATURES_ENABLES resets to 0: CPUID faulting off. */
	memset(&v->arch.msr, 0, sizeof(v->arch.msr));
	/* TPR 0 after reset (SDM Vol. 3A, 11.4.7.1): nothing of the last incarnation's. */
	v->arch.tpr = 0;
	if (v->arch.vapic)
		memset(v->arch.vapic, 0, PAGE_SIZE);
	lapic_reset(v); /* after the TPR: the vLAPIC's is the shadow's */
	v->arch.reload_regs = true;
	v->arch.halted_clean = false;
	if (vcpu_state_init(v))
		return -XEN_ENOMEM;
	/* Drop translations the previous incarnation left tagged with this VPID. */
	if (ctls.have_vpid)
		invvpid(INVVPID_SINGLE_CONTEXT, g->arch.vpid);
	invept(INVEPT_SINGLE_CONTEXT, ept_eptp(&g->arch.ept));
	return 0;
}

/*
 * The VMX-preemption timer (SDM 26.5.1) brings the CPU back for the
 * earliest time event on it; it counts down at the TSC rate >> shift.
 */
static void arm_preemption_timer(struct pcpu *p, struct vcpu *v)
{
	uint64_t deadline = ctls.have_preemption_timer ? timer_deadline(p) : 0;
	bool on = deadline != 0;

	if (on != v->arch.preemption_timer_on) {
		uint32_t pin = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL);
		vmcs_write32(PIN_BASED_VM_EXEC_CONTROL,
			     on ? pin | PIN_PREEMPTION_TIMER : pin & ~PIN_PREEMPTION_TIMER);
		v->arch.preemption_timer_on = on;
	}
	if (on) {
		uint64_t when = time_ns_to_tsc(deadline), now = rdtsc();
		uint64_t ticks = when > now ? (when - now) >> ctls.preemption_timer_shift : 0;
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
	/*
	 * Grant mappings revoked by another CPU, and the EPT flush a CPU
	 * stopping one of our vCPUs or changing its guest's EPT waits for,
	 * go before any entry (core/grant_map.c, core/vcpu_up.c).
	 */
	if (gnt_work_pending(p))
		gnt_cpu_work(p);
	/* Started (boot, restart, STARTUP IPI, VCPUOP_up) since it last ran: its new VMCS. */
	if (__builtin_expect(next->start.kind != VCPU_START_NONE, 0)) {
		int rc = vcpu_arch_apply_start(next);

		next->start.kind = VCPU_START_NONE;
		if (rc) {
			guest_stop(next->guest, GUEST_STOP_CRASH,
				   "vCPU %u could not be started (error %d)", next->vcpu_id, rc);
			goto again;
		}
	}
	owner = p->arch.frame_owner;

	if (owner != next) {
		/*
		 * A reset (restarted) owner's regs are its new boot's: the frame
		 * still holds its last incarnation's and must not overwrite them,
		 * or it enters its new boot with stale GPRs (EBX not the start
		 * info) when another vCPU of this CPU runs first.
		 */
		if (owner && !owner->arch.reload_regs)
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
	upcall = (pending || next->arch.window_exiting || next->lapic.present) &&
		 vmx_deliver_upcall(next, pending);
	next->arch.halted_clean = false; /* good for the first entry after the HLT only */
	arm_preemption_timer(p, next);
	/*
	 * From here a remote wake-up sends an IPI instead of relying on us:
	 * announce it, then look once more at what a waker may have changed
	 * just before (see sched_kick() in sched/sched.c; tests/model/wake.pml
	 * checks this handshake: change the two together).
	 */
	__atomic_store_n(&p->in_guest, true, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&p->rq.resched, __ATOMIC_SEQ_CST) || (!upcall && upcall_is_pending(next)) ||
	    gnt_work_pending(p)) {
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
	vmx_skip_insn(vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
}

void vmx_skip_insn(unsigned len)
{
	vmcs_writenat(GUEST_RIP, vmcs_readnat(GUEST_RIP) + len);
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
