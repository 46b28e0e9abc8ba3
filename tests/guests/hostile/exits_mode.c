/* SPDX-License-Identifier: MIT */
/*
 * hostile-exits: exit-causing instructions from a 32-bit compatibility-mode
 * code segment and from a 16-bit code segment (exits_asm.S), where Bolt
 * must use the 32-bit register convention for VMCALL (EBX, ECX, ...), the
 * instruction's own operand and address sizes for I/O and string I/O, and
 * 32-bit operands for MOV CR. A fault in those modes resumes at the mode's
 * way back to 64-bit code.
 */
#include "tests/guests/hostile/exits.h"
#include "lib/macros.h"

#define BUF16_SIZE 0x11000u
#define XEN_VERSION_NR 17u

/* exits_asm.S stubs */
#define STUBS(m)                                                                                   \
	extern const char m##_cpuid[], m##_inb[], m##_inw[], m##_inl[], m##_outb[], m##_outw[],   \
		m##_outl[], m##_insb[], m##_vmcall[], m##_wrcr0[], m##_rdcr0[], m##_rdmsr[],       \
		m##_xsetbv[], m##_ud[], m##_back[]
STUBS(exits32);
STUBS(exits16);
extern const char exits16_start[];

/* The data segment (selector 0x28) of the 16-bit code's string I/O; 64 KiB and a guard. */
static uint8_t exits_buf16[BUF16_SIZE] __attribute__((aligned(4096)));

static uint64_t seg_desc(uint64_t base, uint64_t limit, uint64_t access, uint64_t flags)
{
	return (limit & 0xffff) | ((base & 0xffffff) << 16) | (access << 40) |
	       (((limit >> 16) & 0xf) << 48) | (flags << 52) | (((base >> 24) & 0xff) << 56);
}

void exits_mode_setup(uint64_t *gdt)
{
	gdt[EXITS_SEL_CS16 >> 3] = seg_desc((uint64_t)(uintptr_t)exits16_start, 0xffff, 0x9a, 0);
	gdt[EXITS_SEL_DS16 >> 3] = seg_desc((uint64_t)(uintptr_t)exits_buf16, 0xffff, 0x92, 0);
}

struct mode {
	enum exits_class cls;
	uint16_t cs;
	uint64_t base; /* of the code segment: the stubs' offsets are relative to it */
	const char *cpuid, *inb, *inw, *inl, *outb, *outw, *outl, *insb, *vmcall, *wrcr0, *rdcr0,
		*rdmsr, *xsetbv, *ud, *back;
};

static bool console_port(uint32_t port)
{
	return port == 0xe9 || (port >= 0x3f8 && port < 0x400);
}

static uint32_t mode_port(struct exits_ctx *c)
{
	uint32_t p;

	do
		p = (uint32_t)exits_below(c, 0x10000);
	while (console_port(p));
	return p;
}

/* The string-I/O case: REP INSB into exits_buf16 with the mode's address size. */
static void mode_insb_setup(struct exits_ctx *c, const struct mode *m, struct exits_mode_regs *r,
			    uint32_t *off, uint32_t *count)
{
	*count = (uint32_t)exits_below(c, 300);
	memset(exits_buf16, 0x5a, sizeof(exits_buf16));
	if (m->cls == EXC_MODE16) {
		/* DI near 0xFFFF now and then: the offset must wrap inside the segment. */
		*off = exits_below(c, 4) ? (uint32_t)exits_below(c, 0x10000 - 300)
					 : 0x10000u - 1 - (uint32_t)exits_below(c, 200);
		r->edi = *off | ((uint32_t)exits_rand(c) & 0xffff0000u);
		r->ecx = *count | ((uint32_t)exits_rand(c) & 0xffff0000u);
	} else {
		*off = (uint32_t)exits_below(c, 0x10000 - 300);
		r->edi = (uint32_t)(uintptr_t)exits_buf16 + *off;
		r->ecx = *count;
	}
	r->edx = mode_port(c);
}

static void mode_insb_check(struct exits_ctx *c, const struct mode *m, const struct exits_mode_regs *r,
			    const struct exits_mode_regs *in, uint32_t off, uint32_t count)
{
	bool m16 = m->cls == EXC_MODE16;
	uint32_t want_di = m16 ? (in->edi & 0xffff0000u) | ((off + count) & 0xffff)
			       : in->edi + count;
	uint32_t want_cx = m16 ? in->ecx & 0xffff0000u : 0;

	if (r->edi != want_di || r->ecx != want_cx) {
		exits_wrong(c, m->cls, "REP INSB count %u at offset 0x%x: EDI 0x%x ECX 0x%x, want 0x%x 0x%x",
			    count, off, r->edi, r->ecx, want_di, want_cx);
		return;
	}
	for (uint32_t a = 0; a < sizeof(exits_buf16); a++) {
		uint32_t rel = (a - off) & (m16 ? 0xffffu : 0xffffffffu);
		uint8_t w = a < 0x10000 && rel < count ? 0xff : 0x5a;

		if (exits_buf16[a] != w) {
			exits_wrong(c, m->cls,
				    "REP INSB count %u at offset 0x%x: byte at segment offset 0x%x is 0x%x, want 0x%x",
				    count, off, a, exits_buf16[a], w);
			return;
		}
	}
}

static void mode_op(struct exits_ctx *c, const struct mode *m)
{
	static const uint32_t xcr0s[] = {1, 3, 7, 0x23, 0xe7, 0xe3, 0x207, 0x2e7, 5, 0};
	struct exits_mode_regs r = {0}, in;
	unsigned kind = (unsigned)exits_below(c, 11), size = 0;
	uint64_t cr0, f = 0;
	uint32_t off = 0, count = 0;
	const char *stub, *what;
	int want = EX_NONE, got;
	long xenver = hostile_vmcall5(XEN_VERSION_NR, XENVER_version, 0, 0, 0, 0);

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	r.eax = (uint32_t)exits_rand(c);
	switch (kind) {
	case 0:
		stub = m->cpuid;
		what = "CPUID";
		r.eax = exits_below(c, 2) ? 0x40000000u : (uint32_t)exits_below(c, 0x20);
		break;
	case 1:
		size = 1u << exits_below(c, 3);
		stub = size == 1 ? m->inb : size == 2 ? m->inw : m->inl;
		what = "IN";
		r.edx = mode_port(c);
		break;
	case 2:
		size = 1u << exits_below(c, 3);
		stub = size == 1 ? m->outb : size == 2 ? m->outw : m->outl;
		what = "OUT";
		r.edx = mode_port(c);
		break;
	case 3:
		stub = m->insb;
		what = "REP INSB";
		mode_insb_setup(c, m, &r, &off, &count);
		break;
	case 4:
		stub = m->vmcall;
		what = "VMCALL xen_version";
		r.eax = XEN_VERSION_NR;
		r.ebx = XENVER_version;
		break;
	case 5:
		stub = m->vmcall;
		what = "VMCALL 63";
		r.eax = 63;
		break;
	case 6:
		stub = m->wrcr0;
		what = "MOV CR0";
		switch (exits_below(c, 3)) {
		case 0:
			r.eax = (uint32_t)cr0 ^ (1u << 30); /* CD */
			break;
		case 1:
			r.eax = ((uint32_t)cr0 & ~(1u << 30)) | (1u << 29); /* NW without CD */
			want = EX_GP;
			break;
		default:
			r.eax = (uint32_t)cr0 | (1u << (6 + exits_below(c, 10))); /* reserved */
			want = EX_GP_OR_NONE;
			break;
		}
		f = 1;
		break;
	case 7:
		stub = m->rdcr0;
		what = "MOV from CR0";
		break;
	case 8:
		stub = m->rdmsr;
		what = "RDMSR";
		r.ecx = exits_below(c, 2) ? 0x3a : exits_below(c, 2) ? 0x830 : 0x480;
		want = r.ecx == 0x3a ? EX_NONE : EX_GP;
		break;
	case 9:
		stub = m->xsetbv;
		what = "XSETBV";
		r.ecx = exits_below(c, 8) ? 0 : 1;
		r.eax = xcr0s[exits_below(c, ARRAY_SIZE(xcr0s))];
		r.edx = 0;
		want = !c->cpu.xsave ? EX_UD : !r.ecx && exits_xcr0_valid(&c->cpu, r.eax) ? EX_NONE : EX_GP;
		break;
	default:
		stub = m->ud;
		what = "VMXOFF";
		want = EX_UD;
		break;
	}
	in = r;
	if (c->op >= c->trace_from)
		printf("hostile: exits: %s %s eax 0x%x ecx 0x%x edx 0x%x\n", m->cls == EXC_MODE16 ? "code16" : "compat32",
		       what, r.eax, r.ecx, r.edx);
	if (f) {
		__asm__ volatile("pushfq; popq %0; cli" : "=r"(f) : : "memory");
		f |= 1;
	}
	exits_arm();
	exits_resume = (uint64_t)(uintptr_t)m->back - m->base;
	if (m->cls == EXC_MODE16)
		__asm__ volatile("movl %0, %%es" : : "r"((uint32_t)EXITS_SEL_DS16) : "memory");
	exits_mode_call(&r, m->cs, (uint64_t)(uintptr_t)stub - m->base);
	got = (int)exits_vec;
	if (kind == 6) {
		__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
		if (f & (1u << 9))
			__asm__ volatile("sti" : : : "memory");
	}
	if (kind == 9 && got < 0 && c->cpu.xsave)
		__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)c->cpu.xcr0_orig),
				 "d"((uint32_t)(c->cpu.xcr0_orig >> 32)) : "memory");
	exits_result(c, m->cls, got, want, "%s%s%u eax 0x%x ebx 0x%x ecx 0x%x edx 0x%x", what,
		     size ? " size " : "", size, in.eax, in.ebx, in.ecx, in.edx);
	if (got >= 0)
		return;
	switch (kind) {
	case 0:
		if (in.eax == 0x40000000u && (r.ebx != 0x746c6f42u || r.ecx != 0x746c6f42u || r.edx != 0x746c6f42u))
			exits_wrong(c, m->cls, "CPUID 0x40000000: %08x %08x %08x", r.ebx, r.ecx, r.edx);
		break;
	case 1: {
		uint32_t mask = 0xffffffffu >> (32 - 8 * size);

		if ((r.eax & mask) != mask || (r.eax & ~mask) != (in.eax & ~mask))
			exits_wrong(c, m->cls, "IN%u port 0x%x: EAX 0x%x -> 0x%x", size, in.edx, in.eax,
				    r.eax);
		break;
	}
	case 3:
		mode_insb_check(c, m, &r, &in, off, count);
		break;
	case 4:
		if (r.eax != (uint32_t)xenver)
			exits_wrong(c, m->cls, "xen_version from %s: 0x%x, 64-bit code got 0x%lx",
				    m->cls == EXC_MODE16 ? "16-bit code" : "compatibility mode", r.eax,
				    xenver);
		break;
	case 5:
		if (r.eax != (uint32_t)-XEN_ENOSYS)
			exits_wrong(c, m->cls, "unknown hypercall 63: 0x%x", r.eax);
		break;
	case 7:
		if (r.eax != (uint32_t)cr0)
			exits_wrong(c, m->cls, "MOV from CR0: 0x%x, 64-bit code reads 0x%llx", r.eax,
				    (unsigned long long)cr0);
		break;
	case 8:
		if (r.eax != 1 || r.edx != 0)
			exits_wrong(c, m->cls, "RDMSR IA32_FEATURE_CONTROL: 0x%x:%x", r.edx, r.eax);
		break;
	default:
		break;
	}
}

void exits_op_mode32(struct exits_ctx *c)
{
	static const struct mode m = {
		EXC_MODE32,	EXITS_SEL_CS32, 0,	       exits32_cpuid,  exits32_inb,
		exits32_inw,	exits32_inl,	exits32_outb,  exits32_outw,   exits32_outl,
		exits32_insb,	exits32_vmcall, exits32_wrcr0, exits32_rdcr0,  exits32_rdmsr,
		exits32_xsetbv, exits32_ud,	exits32_back,
	};

	mode_op(c, &m);
}

void exits_op_mode16(struct exits_ctx *c)
{
	struct mode m = {
		EXC_MODE16,	EXITS_SEL_CS16, (uint64_t)(uintptr_t)exits16_start, exits16_cpuid,
		exits16_inb,	exits16_inw,	exits16_inl,	exits16_outb,	exits16_outw,
		exits16_outl,	exits16_insb,	exits16_vmcall, exits16_wrcr0,	exits16_rdcr0,
		exits16_rdmsr,	exits16_xsetbv, exits16_ud,	exits16_back,
	};

	mode_op(c, &m);
}
