/* SPDX-License-Identifier: MIT */
/*
 * hostile catalogue: the CPU-level attacks a guest can make without a
 * hypercall. Sensitive MSRs (x2APIC IPIs, the APIC base, feature control,
 * EFER with reserved bits, SMM and VMX MSRs), CR4.VMXE and other bad
 * control-register values must come back as #GP; VMX instructions as #UD;
 * writes to reset and power-off ports are dropped and the machine stays up.
 * XSETBV follows every XCR0 rule of the SDM (a value the CPU would refuse
 * is a #GP for the guest, never a fault in Bolt: issue 8), CPUID's OSXSAVE
 * follows the guest's CR4, and CR8 is the guest's own.
 */
#include "tests/guests/hostile/hostile.h"
#include "lib/macros.h"

#define HOSTILE_GP 13
#define HOSTILE_UD 6

static int hostile_try_rdmsr(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	hostile_fault_arm();
	__asm__ volatile(HOSTILE_TRY_BEGIN "rdmsr" HOSTILE_TRY_END
			 : "+a"(lo), "+d"(hi)
			 : "c"(msr)
			 : "r11", "memory");
	*val = (uint64_t)hi << 32 | lo;
	return hostile_fault_take();
}

static uint64_t hostile_read_cr(int n)
{
	uint64_t v = 0;

	if (n == 0)
		__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	else
		__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static int hostile_try_write_cr(int n, uint64_t val)
{
	hostile_fault_arm();
	if (n == 0)
		__asm__ volatile(HOSTILE_TRY_BEGIN "mov %0, %%cr0" HOSTILE_TRY_END
				 :
				 : "r"(val)
				 : "r11", "memory");
	else
		__asm__ volatile(HOSTILE_TRY_BEGIN "mov %0, %%cr4" HOSTILE_TRY_END
				 :
				 : "r"(val)
				 : "r11", "memory");
	return hostile_fault_take();
}

static void hostile_msr_write_gp(const char *what, uint32_t msr, uint64_t val)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "WRMSR 0x%x = 0x%llx (%s)", msr, (unsigned long long)val,
		 what);
	hostile_expect_fault(buf, hostile_try_wrmsr(msr, val), HOSTILE_GP);
}

static void hostile_msr_read_gp(const char *what, uint32_t msr)
{
	char buf[96];
	uint64_t v;

	snprintf(buf, sizeof(buf), "RDMSR 0x%x (%s)", msr, what);
	hostile_expect_fault(buf, hostile_try_rdmsr(msr, &v), HOSTILE_GP);
}

static void hostile_cat_msrs(void)
{
	uint64_t efer, v;
	int f;

	/* x2APIC: ICR writes would send INIT, SIPI and NMI to other CPUs. */
	hostile_msr_write_gp("x2APIC ICR: INIT to all but self", 0x830, 0x000c4500);
	hostile_msr_write_gp("x2APIC ICR: SIPI vector 0x10 to all but self", 0x830, 0x000c4610);
	hostile_msr_write_gp("x2APIC ICR: NMI to all but self", 0x830, 0x000c4400);
	hostile_msr_write_gp("x2APIC ICR: INIT to APIC 0", 0x830, 0x0000000000004500ull);
	hostile_msr_write_gp("x2APIC EOI", 0x80b, 0);
	hostile_msr_read_gp("x2APIC ID", 0x802);
	/* The APIC base: enable x2APIC, move the xAPIC window. */
	hostile_msr_write_gp("APIC base: x2APIC + enable", 0x1b, 0xfee00c00);
	hostile_msr_write_gp("APIC base: move to 0x100000", 0x1b, 0x00100900);
	hostile_msr_read_gp("APIC base", 0x1b);
	/* Feature control reads as locked with VMX off; writes fault. */
	f = hostile_try_rdmsr(0x3a, &v);
	hostile_expect("RDMSR IA32_FEATURE_CONTROL (locked, VMX off)", "no fault, 0x1",
		       f < 0 && v == 1 ? "no fault, 0x1" : "something else", f < 0 && v == 1);
	hostile_msr_write_gp("IA32_FEATURE_CONTROL: lock + VMX", 0x3a, 0x5);
	hostile_msr_write_gp("IA32_FEATURE_CONTROL: clear", 0x3a, 0x0);
	/* EFER: reserved bits, SVME, LME toggled under paging. */
	if (hostile_try_rdmsr(0xc0000080, &efer) >= 0) {
		hostile_expect("RDMSR EFER", "no fault", "a fault", false);
		return;
	}
	hostile_msr_write_gp("EFER reserved bit 1", 0xc0000080, efer | 2);
	hostile_msr_write_gp("EFER.SVME", 0xc0000080, efer | (1ull << 12));
	hostile_msr_write_gp("EFER reserved bit 63", 0xc0000080, efer | (1ull << 63));
	hostile_msr_write_gp("EFER.LME cleared under paging", 0xc0000080, efer & ~(1ull << 8));
	f = hostile_try_rdmsr(0xc0000080, &v);
	hostile_expect("EFER unchanged after the refused writes", "unchanged",
		       f < 0 && v == efer ? "unchanged" : "changed", f < 0 && v == efer);
	/* SMM, VMX capability, microcode, debug and MTRR MSRs. */
	hostile_msr_write_gp("IA32_SMM_MONITOR_CTL", 0x9b, 1);
	hostile_msr_read_gp("IA32_VMX_BASIC", 0x480);
	hostile_msr_read_gp("IA32_VMX_PROCBASED_CTLS2", 0x48b);
	hostile_msr_write_gp("IA32_BIOS_UPDT_TRIG", 0x79, 0x100000);
	hostile_msr_write_gp("IA32_DEBUGCTL: BTS (bit 7), which Xen refuses", 0x1d9, 0x80);
	hostile_msr_write_gp("MSR_MISC_FEATURES_ENABLES bit 1", 0x140, 2);
	hostile_msr_write_gp("MSR_PLATFORM_INFO", 0xce, 0);
	f = hostile_try_rdmsr(0xce, &v);
	hostile_expect("RDMSR MSR_PLATFORM_INFO (Xen: CPUID faulting)", "no fault, 1<<32",
		       f < 0 && v == 1ull << 32 ? "no fault, 1<<32" : "something else",
		       f < 0 && v == 1ull << 32);
	hostile_msr_read_gp("IA32_TSC_ADJUST (CPUID.(7,0):EBX[1] hidden)", 0x3b);
	hostile_msr_write_gp("IA32_MTRR_PHYSBASE0", 0x200, 0x6);
	hostile_msr_write_gp("IA32_TSC", 0x10, 0);
	hostile_msr_write_gp("IA32_PAT with reserved type 2", 0x277, 0x0007040600070402ull);
	hostile_msr_write_gp("IA32_MC0_CTL", 0x400, ~0ull);
	hostile_msr_write_gp("IA32_PERF_CTL", 0x199, 0xffff);
}

static void hostile_cat_crs(void)
{
	uint64_t cr0 = hostile_read_cr(0), cr4 = hostile_read_cr(4);

	hostile_expect_fault("MOV CR4 |= VMXE", hostile_try_write_cr(4, cr4 | (1ull << 13)),
			     HOSTILE_GP);
	hostile_expect_fault("MOV CR4 reserved bit 31", hostile_try_write_cr(4, cr4 | (1ull << 31)),
			     HOSTILE_GP);
	hostile_expect_fault("MOV CR4 clearing PAE in long mode",
			     hostile_try_write_cr(4, cr4 & ~(1ull << 5)), HOSTILE_GP);
	hostile_expect_fault("MOV CR0 clearing PG in long mode",
			     hostile_try_write_cr(0, cr0 & ~(1ull << 31)), HOSTILE_GP);
	/*
	 * Toggling NE makes the write exit to Bolt (NE is a VMX fixed bit):
	 * clearing PG with it from 64-bit code must be the CPU's #GP, not an
	 * exit from IA-32e mode that fails the next VM entry.
	 */
	hostile_expect_fault("MOV CR0 clearing PG, toggling NE, in 64-bit code",
			     hostile_try_write_cr(0, (cr0 ^ (1ull << 5)) & ~(1ull << 31)), HOSTILE_GP);
	hostile_expect_fault("MOV CR0 bit 32", hostile_try_write_cr(0, cr0 | (1ull << 32)),
			     HOSTILE_GP);
	hostile_expect_fault("MOV CR0 NW without CD", hostile_try_write_cr(0, cr0 | (1ull << 29)),
			     HOSTILE_GP);
	hostile_expect("CR0/CR4 unchanged", "unchanged",
		       hostile_read_cr(0) == cr0 && hostile_read_cr(4) == cr4 ? "unchanged"
									      : "changed",
		       hostile_read_cr(0) == cr0 && hostile_read_cr(4) == cr4);
}

static int hostile_try_xsetbv(uint32_t xcr, uint64_t val)
{
	hostile_fault_arm();
	__asm__ volatile(HOSTILE_TRY_BEGIN "xsetbv" HOSTILE_TRY_END
			 :
			 : "c"(xcr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
			 : "r11", "memory");
	return hostile_fault_take();
}

static uint64_t hostile_xgetbv(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static bool hostile_cpuid_osxsave(void)
{
	uint32_t r[4];

	bolt_cpuid(1, 0, r);
	return r[2] & (1u << 27);
}

/*
 * XCR0 rules (SDM Vol. 1, 13.3): x87 always on, AVX needs SSE, the three
 * AVX-512 bits together and only with AVX, MPX and AMX bits in pairs, only
 * supported bits, only XCR0 (ECX = 0). 0x23 (x87|SSE|opmask) is the value
 * that made Bolt's own XSETBV fault and panic CPU 0.
 */
static void hostile_cat_xcr0(void)
{
	static const struct {
		const char *what;
		uint32_t xcr;
		uint64_t val;
	} bad[] = {
		{"XSETBV 0x23: opmask without AVX (panicked CPU 0)", 0, 0x23},
		{"XSETBV 0: x87 off", 0, 0},
		{"XSETBV 0x2: x87 off", 0, 0x2},
		{"XSETBV 0x5: AVX without SSE", 0, 0x5},
		{"XSETBV 0xe3: AVX-512 without AVX", 0, 0xe3},
		{"XSETBV 0x27: opmask alone", 0, 0x27},
		{"XSETBV 0x47: ZMM_Hi256 alone", 0, 0x47},
		{"XSETBV 0x87: Hi16_ZMM alone", 0, 0x87},
		{"XSETBV 0x67: two of three AVX-512 bits", 0, 0x67},
		{"XSETBV 0xc7: two of three AVX-512 bits", 0, 0xc7},
		{"XSETBV 0xb: BNDREGS without BNDCSR", 0, 0xb},
		{"XSETBV 0x13: BNDCSR without BNDREGS", 0, 0x13},
		{"XSETBV XTILECFG without XTILEDATA", 0, 0x20003},
		{"XSETBV bit 63", 0, 0x8000000000000003ull},
		{"XSETBV all ones", 0, ~0ull},
		{"XSETBV ECX=1 (XCR1)", 1, 0x3},
	};
	uint64_t cr4 = hostile_read_cr(4), xcr0;
	uint32_t r[4];
	char buf[64];

	if (hostile_try_write_cr(4, cr4 | (1ull << 18)) >= 0) {
		hostile_expect("MOV CR4 |= OSXSAVE", "no fault", "a fault", false);
		return;
	}
	/* The walker and CPUID must see the CR4 the guest set, not a stale shadow. */
	hostile_expect("CPUID.1:ECX.OSXSAVE after CR4.OSXSAVE = 1", "set",
		       hostile_cpuid_osxsave() ? "set" : "clear", hostile_cpuid_osxsave());
	xcr0 = hostile_xgetbv();
	bolt_cpuid(0xd, 0, r);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		hostile_expect_fault(bad[i].what, hostile_try_xsetbv(bad[i].xcr, bad[i].val),
				     HOSTILE_GP);
	hostile_expect("XCR0 unchanged after the refused XSETBVs", "unchanged",
		       hostile_xgetbv() == xcr0 ? "unchanged" : "changed", hostile_xgetbv() == xcr0);
	/* Valid values the CPU reports: x87|SSE, then AVX, then AVX-512 (Bochs has both). */
	static const uint64_t good[] = {0x3, 0x7, 0xe7};
	for (unsigned i = 0; i < 3; i++) {
		if ((good[i] & ~(uint64_t)r[0]) != 0)
			continue;
		snprintf(buf, sizeof(buf), "XSETBV 0x%llx (supported)",
			 (unsigned long long)good[i]);
		hostile_expect_fault(buf, hostile_try_xsetbv(0, good[i]), -1);
		hostile_expect("XGETBV reads back the value set", "equal",
			       hostile_xgetbv() == good[i] ? "equal" : "different",
			       hostile_xgetbv() == good[i]);
	}
	hostile_try_xsetbv(0, xcr0);
	hostile_try_write_cr(4, cr4);
	hostile_expect("CPUID.1:ECX.OSXSAVE follows CR4 back to its old value", "follows",
		       hostile_cpuid_osxsave() == !!(cr4 & (1ull << 18)) ? "follows" : "stale",
		       hostile_cpuid_osxsave() == !!(cr4 & (1ull << 18)));
}

static int hostile_try_write_cr8(uint64_t val)
{
	hostile_fault_arm();
	__asm__ volatile(HOSTILE_TRY_BEGIN "mov %0, %%cr8" HOSTILE_TRY_END
			 :
			 : "r"(val)
			 : "r11", "memory");
	return hostile_fault_take();
}

static uint64_t hostile_read_cr8(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

/* CR8 is the guest's own task priority: read back, reserved bits 63:4 refused. */
static void hostile_cat_cr8(void)
{
	hostile_expect_fault("MOV CR8 = 15", hostile_try_write_cr8(15), -1);
	hostile_expect("CR8 reads back 15", "15", hostile_read_cr8() == 15 ? "15" : "other",
		       hostile_read_cr8() == 15);
	hostile_expect_fault("MOV CR8 = 16 (reserved bit 4)", hostile_try_write_cr8(16), HOSTILE_GP);
	hostile_expect_fault("MOV CR8 bit 63", hostile_try_write_cr8(1ull << 63), HOSTILE_GP);
	hostile_expect("CR8 still 15 after the refused writes", "15",
		       hostile_read_cr8() == 15 ? "15" : "other", hostile_read_cr8() == 15);
	hostile_try_write_cr8(0);
}

long hostile_pae_call(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t pdpt);

/*
 * A hypercall with a pointer argument from 32-bit PAE paging (pae.S). The
 * PAE PDPT points at the SDK's four page directories (2 MiB pages, the same
 * identity map); PDPTEs take only P (RW/US are reserved there).
 */
static void hostile_cat_pae(void)
{
	static uint64_t pdpt[4] __attribute__((aligned(32)));
	static const char msg[] = "hostile: pae: this line was copied through PAE tables\n";
	uint64_t cr3, *pml4, *lm_pdpt;
	long ret;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(uintptr_t)(cr3 & ~0xfffull);
	lm_pdpt = (uint64_t *)(uintptr_t)(pml4[0] & 0x000ffffffffff000ull);
	for (unsigned i = 0; i < 4; i++)
		pdpt[i] = (lm_pdpt[i] & 0x000ffffffffff000ull) | 1;
	ret = hostile_pae_call(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
			       (uint32_t)(uintptr_t)msg, (uint32_t)(uintptr_t)pdpt);
	hostile_expect_rc("32-bit PAE paging: console_io(write) of a buffer", ret, 0);
}

/* One VMX (or SMX) instruction that must raise #UD. */
#define HOSTILE_VMX_CASE(name, insn, ...)                                                          \
	do {                                                                                       \
		hostile_fault_arm();                                                               \
		__asm__ volatile(HOSTILE_TRY_BEGIN insn HOSTILE_TRY_END : : __VA_ARGS__);          \
		hostile_expect_fault(name, hostile_fault_take(), HOSTILE_UD);                      \
	} while (0)

static void hostile_cat_vmx(void)
{
	static uint8_t region[4096] __attribute__((aligned(4096)));
	static struct {
		uint64_t a, b;
	} desc;
	uint64_t pa = (uint64_t)(uintptr_t)region, field = 0x4402; /* exit reason */

	HOSTILE_VMX_CASE("VMXON", "vmxon %0", "m"(pa) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("VMXOFF", "vmxoff", "i"(0) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("VMCLEAR", "vmclear %0", "m"(pa) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("VMPTRLD", "vmptrld %0", "m"(pa) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("VMPTRST", "vmptrst %0", "m"(pa) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("VMREAD", "vmread %0, %%rax", "r"(field) : "r11", "rax", "memory", "cc");
	HOSTILE_VMX_CASE("VMWRITE", "vmwrite %0, %0", "r"(field) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("VMLAUNCH", "vmlaunch", "i"(0) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("VMRESUME", "vmresume", "i"(0) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("INVEPT", "invept %0, %1", "m"(desc), "r"(1ull) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("INVVPID", "invvpid %0, %1", "m"(desc), "r"(1ull) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("VMFUNC", "vmfunc", "a"(0), "c"(0) : "r11", "memory", "cc");
	HOSTILE_VMX_CASE("GETSEC", "getsec", "a"(0) : "r11", "rbx", "rcx", "memory", "cc");
}

/*
 * The guest's debug registers across a VM exit: DR7 = 0x401 (DR0 enabled
 * as an execute breakpoint), then CPUID, which always exits, then the
 * breakpointed instruction. Bolt ran without the VM-exit control "save
 * debug controls" and the VM-entry control "load debug controls": every
 * exit set DR7 to 400H (SDM 28.5.1) for good, so the breakpoint never
 * fired and DR7 read back as 0x400. hostile-exits hit it only when an
 * interrupt exit fell between its DR7 write and the breakpoint.
 */
static void hostile_cat_debug(void)
{
	uint64_t save0, save7, dr7 = 0;
	int got;

	__asm__ volatile("mov %%dr0, %0" : "=r"(save0));
	__asm__ volatile("mov %%dr7, %0" : "=r"(save7));
	__asm__ volatile("movq $0x401, %%rax\n\tmov %%rax, %%dr7\n\t"
			 "xorl %%eax, %%eax\n\tcpuid\n\t"
			 "mov %%dr7, %0\n\t"
			 "xorl %%eax, %%eax\n\tmov %%rax, %%dr7"
			 : "=r"(dr7) : : "rax", "rbx", "rcx", "rdx", "memory");
	hostile_expect("DR7 after a VM exit (CPUID)", "0x401", dr7 == 0x401 ? "0x401" : "another value",
		       dr7 == 0x401);
	hostile_fault_arm();
	__asm__ volatile("leaq 2f(%%rip), %%rax\n\tmov %%rax, %%dr0\n\t"
			 "movq $0x401, %%rax\n\tmov %%rax, %%dr7\n\t"
			 HOSTILE_TRY_BEGIN
			 "xorl %%eax, %%eax\n\tcpuid\n\t"
			 "2:\n\tnop" HOSTILE_TRY_END
			 "xorl %%eax, %%eax\n\tmov %%rax, %%dr7"
			 : : : "rax", "rbx", "rcx", "rdx", "r11", "memory");
	got = hostile_fault_take();
	__asm__ volatile("mov %0, %%dr0" : : "r"(save0));
	__asm__ volatile("mov %0, %%dr7" : : "r"(save7));
	hostile_expect_fault("DR0 execute breakpoint after a VM exit (CPUID)", got, 1);
}

void hostile_cat_cpu(const struct hostile_args *a)
{
	(void)a;
	hostile_cat_msrs();
	hostile_cat_crs();
	hostile_cat_xcr0();
	hostile_cat_cr8();
	hostile_cat_pae();
	hostile_cat_vmx();
	hostile_cat_debug();
}

/*
 * Reset and power-off ports: the PCI reset register, the keyboard
 * controller's reset line, port 92's fast reset, ACPI PM1a_CNT sleep (S5)
 * at the PIIX4 (Bochs, QEMU i440fx: 0xb004) and ICH9 (QEMU q35: 0x604)
 * places, QEMU's isa-debug-exit. Bolt drops them all; if one got through
 * the machine would reset or power off and every later line would be
 * missing.
 */
void hostile_cat_ports(const struct hostile_args *a)
{
	static const struct {
		uint16_t port;
		uint16_t val;
		uint8_t size;
		const char *what;
	} w[] = {
		{0xcf9, 0x02, 1, "0xCF9 = 0x02 (reset prep)"},
		{0xcf9, 0x06, 1, "0xCF9 = 0x06 (hard reset)"},
		{0xcf9, 0x0e, 1, "0xCF9 = 0x0E (full reset)"},
		{0x64, 0xfe, 1, "0x64 = 0xFE (keyboard controller reset)"},
		{0x92, 0x01, 1, "0x92 = 0x01 (fast reset)"},
		{0xb004, 0x3400, 2, "PM1a_CNT 0xB004 = SLP_EN | S5"},
		{0x604, 0x3400, 2, "PM1a_CNT 0x604 = SLP_EN | S5"},
		{0x4004, 0x3400, 2, "PM1a_CNT 0x4004 = SLP_EN | S5"},
		{0xf4, 0x00, 1, "0xF4 = 0 (isa-debug-exit)"},
	};
	uint8_t b;

	(void)a;
	for (size_t i = 0; i < ARRAY_SIZE(w); i++) {
		char what[80];

		if (w[i].size == 1)
			__asm__ volatile("outb %b0, %w1" : : "a"(w[i].val), "Nd"(w[i].port));
		else
			__asm__ volatile("outw %w0, %w1" : : "a"(w[i].val), "Nd"(w[i].port));
		snprintf(what, sizeof(what), "OUT %s", w[i].what);
		hostile_expect(what, "dropped, still running", "dropped, still running", true);
	}
	__asm__ volatile("inb %w1, %b0" : "=a"(b) : "Nd"((uint16_t)0xcf9));
	hostile_expect("IN 0xCF9 reads as an unassigned port", "0xff", b == 0xff ? "0xff" : "other",
		       b == 0xff);
}
