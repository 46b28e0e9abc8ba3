/* SPDX-License-Identifier: MIT */
/*
 * lapic: the virtual local APIC of a guest with `lapic = yes`
 * (docs/abi.md, "Local APIC"). case= chooses:
 *   case=x2apic  (default) CPUID shows APIC/x2APIC/TSC-deadline; then in
 *                x2APIC mode: the mode rules (#GP on x2APIC -> xAPIC, on
 *                write-only/absent registers), two self-IPIs of different
 *                priority delivered highest first with the lower one held
 *                until the EOI, an event-channel upcall (0xf3) and a
 *                vLAPIC vector pending together (upcall first), the TPR (through CR8 and through MSR 0x808,
 *                the same register) holding a vector back until lowered,
 *                the timer one-shot, periodic (5 ticks, then stopped) and
 *                TSC-deadline, each waited for in HLT; then the APIC is
 *                disabled, re-enabled in xAPIC mode, and the xAPIC page
 *                read (ID, version) and used (SVR, one-shot timer, a
 *                self-IPI through the ICR, EOI).
 *   case=none    a guest with `lapic = no`: no APIC in CPUID.1:EDX[9],
 *                IA32_APIC_BASE is #GP, the APIC page reads all-ones.
 */
#include <bolt/sdk.h>
#include <bolt/sdk/evtchn.h>
#include <string.h>

#define MSR_APIC_BASE 0x1bu
#define MSR_TSC_DEADLINE 0x6e0u
#define X2(off) (0x800u + ((off) >> 4))
#define APIC_PAGE 0xfee00000ul
#define MS 1000000ull

#define APIC_ID 0x20
#define APIC_VERSION 0x30
#define APIC_TPR 0x80
#define APIC_PPR 0xa0
#define APIC_EOI 0xb0
#define APIC_DFR 0xe0
#define APIC_SVR 0xf0
#define APIC_ISR 0x100
#define APIC_IRR 0x200
#define APIC_ICR 0x300
#define APIC_ICR2 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_ICR 0x380
#define APIC_TIMER_CCR 0x390
#define APIC_TIMER_DCR 0x3e0
#define APIC_SELF_IPI 0x3f0

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

struct stub {
	uint64_t vector, entry;
};
extern const struct stub lapic_stubs[];
extern const uint64_t lapic_nr_stubs;
void lapic_isr(uint64_t vector);

static unsigned failures;
static volatile unsigned gp_count;
static volatile unsigned ticks[256];
static volatile uint64_t fired_tsc[256];
static volatile uint8_t order[16];
static volatile unsigned norder;
static volatile bool auto_eoi = true, xapic;

#define EXPECT(what, cond)                                    \
	do {                                                  \
		if (!(cond)) {                                \
			failures++;                           \
			printf("lapic: FAILED: %s\n", (what)); \
		}                                             \
	} while (0)

#define EXPECT_EQ(what, got, want)                                                          \
	do {                                                                                \
		unsigned long long g_ = (got), w_ = (want);                                 \
		if (g_ != w_) {                                                             \
			failures++;                                                         \
			printf("lapic: FAILED: %s: got 0x%llx, expected 0x%llx\n", (what), g_, w_); \
		}                                                                           \
	} while (0)

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo = 0, hi = 0;

	__asm__ volatile("rdmsr" : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
			 : "memory");
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* #GP from RDMSR/WRMSR (both 2 bytes): counted and skipped. */
static bool gp_hook(struct bolt_exception_frame *f)
{
	gp_count++;
	f->rip += 2;
	return true;
}

static bool rd_faults(uint32_t msr)
{
	unsigned before = gp_count;

	(void)rdmsr(msr);
	return gp_count != before;
}

static bool wr_faults(uint32_t msr, uint64_t val)
{
	unsigned before = gp_count;

	wrmsr(msr, val);
	return gp_count != before;
}

static volatile uint32_t *mmio(unsigned off)
{
	return (volatile uint32_t *)(APIC_PAGE + off);
}

static void eoi(void)
{
	if (xapic)
		*mmio(APIC_EOI) = 0;
	else
		wrmsr(X2(APIC_EOI), 0);
}

void lapic_isr(uint64_t vector)
{
	if (norder < sizeof(order))
		order[norder++] = (uint8_t)vector;
	ticks[vector & 0xff]++;
	fired_tsc[vector & 0xff] = rdtsc();
	if (auto_eoi)
		eoi();
}

/* Interrupts on for a few instructions: whatever is deliverable is taken. */
static void window(void)
{
	__asm__ volatile("sti; nop; nop; nop; cli" : : : "memory");
}

/* Wait in HLT (interrupts on) until ticks[vector] reaches want: false after timeout_ns. */
static bool hlt_until(uint8_t vector, unsigned want, uint64_t timeout_ns)
{
	uint64_t t0 = bolt_now_ns();

	while (ticks[vector] < want) {
		if (bolt_now_ns() - t0 > timeout_ns)
			return false;
		__asm__ volatile("sti; hlt; cli" : : : "memory");
	}
	return true;
}

static void install_gates(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr;
	uint16_t cs;

	__asm__ volatile("sidt %0" : "=m"(idtr));
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (uint64_t i = 0; i < lapic_nr_stubs; i++) {
		struct idt_gate *g = (struct idt_gate *)(uintptr_t)idtr.base + lapic_stubs[i].vector;
		uint64_t h = lapic_stubs[i].entry;

		*g = (struct idt_gate){ .off_lo = (uint16_t)h, .sel = cs, .type = 0x8e,
					.off_mid = (uint16_t)(h >> 16), .off_hi = (uint32_t)(h >> 32) };
	}
}

static void check_cpuid(bool apic)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	EXPECT_EQ("CPUID.1:EDX[9] (APIC)", (d >> 9) & 1, apic);
	if (!apic)
		return;
	EXPECT("CPUID.1:ECX[21] (x2APIC)", c & (1u << 21));
	EXPECT("CPUID.1:ECX[24] (TSC-deadline)", c & (1u << 24));
	EXPECT_EQ("CPUID.1:EBX[31:24] (initial APIC ID)", b >> 24, 0);
}

static void x2apic_modes(void)
{
	EXPECT_EQ("IA32_APIC_BASE at reset", rdmsr(MSR_APIC_BASE), 0xfee00900ull);
	EXPECT("x2APIC MSR in xAPIC mode: #GP", rd_faults(X2(APIC_VERSION)));
	EXPECT("EXTD without EN: #GP", wr_faults(MSR_APIC_BASE, 0xfee00400ull));
	wrmsr(MSR_APIC_BASE, 0xfee00c00ull);
	EXPECT_EQ("IA32_APIC_BASE in x2APIC mode", rdmsr(MSR_APIC_BASE), 0xfee00d00ull);
	EXPECT("x2APIC -> xAPIC: #GP", wr_faults(MSR_APIC_BASE, 0xfee00800ull));
	EXPECT_EQ("x2APIC ID", rdmsr(X2(APIC_ID)), 0);
	EXPECT_EQ("version", rdmsr(X2(APIC_VERSION)), 0x00050014ull);
	EXPECT("DFR in x2APIC mode: #GP", rd_faults(X2(APIC_DFR)));
	EXPECT("EOI read: #GP", rd_faults(X2(APIC_EOI)));
	EXPECT("EOI of 1: #GP", wr_faults(X2(APIC_EOI), 1));
	EXPECT("write to the version: #GP", wr_faults(X2(APIC_VERSION), 0));
	wrmsr(X2(APIC_SVR), 0x1ff);
	EXPECT_EQ("SVR", rdmsr(X2(APIC_SVR)), 0x1ff);
}

static void x2apic_priorities(void)
{
	norder = 0;
	auto_eoi = false;
	wrmsr(X2(APIC_SELF_IPI), 0x41);
	wrmsr(X2(APIC_ICR), (1u << 18) | 0x81); /* shorthand self, fixed */
	EXPECT_EQ("IRR 0x40-0x5f", rdmsr(X2(APIC_IRR + 0x20)), 1u << 1);
	EXPECT_EQ("IRR 0x80-0x9f", rdmsr(X2(APIC_IRR + 0x40)), 1u << 1);
	window();
	EXPECT_EQ("interrupts before EOI", norder, 1);
	EXPECT_EQ("first vector", order[0], 0x81);
	EXPECT_EQ("ISR 0x80-0x9f", rdmsr(X2(APIC_ISR + 0x40)), 1u << 1);
	EXPECT_EQ("PPR with 0x81 in service", rdmsr(X2(APIC_PPR)), 0x80);
	__asm__ volatile("sti" : : : "memory");
	eoi(); /* 0x81: now 0x41 is deliverable, and goes in right after the WRMSR */
	__asm__ volatile("nop; cli" : : : "memory");
	EXPECT_EQ("interrupts after EOI", norder, 2);
	EXPECT_EQ("second vector", order[1], 0x41);
	eoi();
	EXPECT_EQ("ISR after both EOIs", rdmsr(X2(APIC_ISR + 0x20)) | rdmsr(X2(APIC_ISR + 0x40)), 0);
	auto_eoi = true;
}

static void upcall_handler(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	if (norder < sizeof(order))
		order[norder++] = BOLT_UPCALL_VECTOR;
}

/*
 * The event-channel upcall and a vLAPIC vector pending together: one
 * injection path, the higher vector (the upcall's 0xf3) first, then 0x81
 * as soon as the upcall handler returns.
 */
static void x2apic_with_upcall(void)
{
	evtchn_port_t port;
	long rc = bolt_evtchn_bind_ipi(&port);

	EXPECT_EQ("EVTCHNOP_bind_ipi", rc, 0);
	if (rc)
		return;
	bolt_evtchn_set_handler(port, upcall_handler, NULL);
	norder = 0;
	wrmsr(X2(APIC_SELF_IPI), 0x81);
	EXPECT_EQ("EVTCHNOP_send", bolt_evtchn_send(port), 0);
	window();
	EXPECT_EQ("upcall + vLAPIC: interrupts taken", norder, 2);
	EXPECT_EQ("upcall + vLAPIC: the upcall (0xf3) first", order[0], BOLT_UPCALL_VECTOR);
	EXPECT_EQ("upcall + vLAPIC: then 0x81", order[1], 0x81);
	EXPECT_EQ("upcall + vLAPIC: ISR empty (the upcall needs no EOI)",
		  rdmsr(X2(APIC_ISR + 0x40)) | rdmsr(X2(APIC_ISR + 0xe0)), 0);
	bolt_evtchn_close(port);
}

static void x2apic_tpr(void)
{
	uint64_t cr8;

	/* CR8 and the TPR are one register (CR8 = TPR[7:4]). */
	__asm__ volatile("mov %0, %%cr8" : : "r"(5ull));
	EXPECT_EQ("TPR after CR8 = 5", rdmsr(X2(APIC_TPR)), 0x50);
	wrmsr(X2(APIC_SELF_IPI), 0x45);
	window();
	EXPECT_EQ("0x45 held back by TPR 0x50", ticks[0x45], 0);
	__asm__ volatile("sti; mov %0, %%cr8; nop; nop; cli" : : "r"(0ull) : "memory");
	EXPECT_EQ("0x45 after CR8 = 0", ticks[0x45], 1);
	wrmsr(X2(APIC_TPR), 0x60);
	__asm__ volatile("mov %%cr8, %0" : "=r"(cr8));
	EXPECT_EQ("CR8 after TPR = 0x60", cr8, 6);
	wrmsr(X2(APIC_SELF_IPI), 0x55);
	window();
	EXPECT_EQ("0x55 held back by TPR 0x60", ticks[0x55], 0);
	__asm__ volatile("sti" : : : "memory");
	wrmsr(X2(APIC_TPR), 0);
	__asm__ volatile("nop; cli" : : : "memory");
	EXPECT_EQ("0x55 after TPR = 0", ticks[0x55], 1);
}

static void x2apic_timer(void)
{
	uint64_t t0, dt, ccr, d;
	unsigned n;

	/* One-shot, divide by 1: 2,000,000 counts at 1 GHz = 2 ms. */
	wrmsr(X2(APIC_TIMER_DCR), 0xb);
	wrmsr(X2(APIC_LVT_TIMER), 0x30);
	t0 = bolt_now_ns();
	wrmsr(X2(APIC_TIMER_ICR), 2 * MS);
	ccr = rdmsr(X2(APIC_TIMER_CCR));
	EXPECT("one-shot: current count counting", ccr > 0 && ccr <= 2 * MS);
	EXPECT("one-shot: fired in HLT", hlt_until(0x30, 1, 1000 * MS));
	dt = bolt_now_ns() - t0;
	printf("lapic: one-shot 2 ms fired after %llu ns\n", (unsigned long long)dt);
	EXPECT("one-shot: not before 2 ms", dt >= 2 * MS);
	EXPECT_EQ("one-shot: current count at the end", rdmsr(X2(APIC_TIMER_CCR)), 0);

	/* Periodic, divide by 2: 500,000 counts = 1 ms a tick; 5 ticks, then stopped. */
	wrmsr(X2(APIC_TIMER_DCR), 0);
	wrmsr(X2(APIC_LVT_TIMER), (1u << 17) | 0x31);
	t0 = bolt_now_ns();
	wrmsr(X2(APIC_TIMER_ICR), 500000);
	EXPECT("periodic: 5 ticks in HLT", hlt_until(0x31, 5, 1000 * MS));
	dt = bolt_now_ns() - t0;
	wrmsr(X2(APIC_TIMER_ICR), 0);
	window(); /* a tick that fired before the stop is still taken */
	n = ticks[0x31];
	printf("lapic: periodic 1 ms: 5 ticks after %llu ns\n", (unsigned long long)dt);
	EXPECT("periodic: not before 5 ms", dt >= 5 * MS);
	t0 = bolt_now_ns();
	while (bolt_now_ns() - t0 < 3 * MS)
		window();
	EXPECT_EQ("periodic: no tick once stopped", ticks[0x31], n);

	/* TSC deadline: fires once the TSC has passed it, then the MSR reads 0. */
	wrmsr(X2(APIC_LVT_TIMER), (2u << 17) | 0x32);
	d = rdtsc() + 200000;
	wrmsr(MSR_TSC_DEADLINE, d);
	EXPECT_EQ("TSC deadline reads back", rdmsr(MSR_TSC_DEADLINE), d);
	EXPECT("TSC deadline: fired in HLT", hlt_until(0x32, 1, 1000 * MS));
	EXPECT("TSC deadline: not before the deadline", fired_tsc[0x32] >= d);
	EXPECT_EQ("TSC deadline: 0 once fired", rdmsr(MSR_TSC_DEADLINE), 0);
	printf("lapic: TSC deadline fired %llu ticks after it\n",
	       (unsigned long long)(fired_tsc[0x32] - d));
}

static void xapic_page(void)
{
	uint64_t t0, dt;

	/* x2APIC -> disabled -> xAPIC (SDM Figure 11-27). */
	wrmsr(MSR_APIC_BASE, 0xfee00000ull);
	EXPECT("disabled: x2APIC MSRs #GP", rd_faults(X2(APIC_ID)));
	EXPECT_EQ("disabled: page reads all-ones", *mmio(APIC_VERSION), 0xffffffffu);
	wrmsr(MSR_APIC_BASE, 0xfee00800ull);
	xapic = true;
	EXPECT_EQ("xAPIC ID", *mmio(APIC_ID), 0);
	EXPECT_EQ("xAPIC version", *mmio(APIC_VERSION), 0x00050014u);
	EXPECT_EQ("xAPIC SVR after the reset", *mmio(APIC_SVR), 0xff);
	EXPECT_EQ("xAPIC DFR", *mmio(APIC_DFR), 0xffffffffu);
	*mmio(APIC_SVR) = 0x1ff;
	EXPECT_EQ("xAPIC SVR", *mmio(APIC_SVR), 0x1ff);
	*mmio(APIC_TPR) = 0x20;
	EXPECT_EQ("xAPIC TPR", *mmio(APIC_TPR), 0x20);
	*mmio(APIC_TPR) = 0;
	/* One-shot 2 ms. */
	*mmio(APIC_TIMER_DCR) = 0xb;
	*mmio(APIC_LVT_TIMER) = 0x33;
	t0 = bolt_now_ns();
	*mmio(APIC_TIMER_ICR) = 2 * MS;
	EXPECT("xAPIC one-shot: fired in HLT", hlt_until(0x33, 1, 1000 * MS));
	dt = bolt_now_ns() - t0;
	printf("lapic: xAPIC one-shot 2 ms fired after %llu ns\n", (unsigned long long)dt);
	EXPECT("xAPIC one-shot: not before 2 ms", dt >= 2 * MS);
	/* A self-IPI by physical destination 0 (its own APIC ID). */
	*mmio(APIC_ICR2) = 0;
	*mmio(APIC_ICR) = 0x44;
	window();
	EXPECT_EQ("xAPIC self-IPI", ticks[0x44], 1);
	EXPECT_EQ("xAPIC ISR empty after EOI", *mmio(APIC_ISR + 0x20), 0);
}

static int lapic_none(void)
{
	check_cpuid(false);
	EXPECT("IA32_APIC_BASE: #GP", rd_faults(MSR_APIC_BASE));
	EXPECT("x2APIC version MSR: #GP", rd_faults(X2(APIC_VERSION)));
	EXPECT_EQ("APIC page reads all-ones", *mmio(APIC_VERSION), 0xffffffffu);
	printf("RESULT lapic-none %s (%u failures)\n", failures ? "FAIL" : "PASS", failures);
	return failures != 0;
}

int main(void)
{
	char cas[16] = "x2apic";

	(void)bolt_cmdline_get(bolt_start_info(), "case", cas, sizeof(cas));
	bolt_set_exception_hook(13, gp_hook);
	__asm__ volatile("cli" : : : "memory");
	if (strcmp(cas, "none") == 0)
		return lapic_none();
	install_gates();
	check_cpuid(true);
	x2apic_modes();
	x2apic_priorities();
	x2apic_with_upcall();
	x2apic_tpr();
	x2apic_timer();
	xapic_page();
	__asm__ volatile("sti" : : : "memory");
	printf("RESULT lapic %s (%u failures)\n", failures ? "FAIL" : "PASS", failures);
	return failures != 0;
}
