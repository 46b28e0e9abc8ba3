/* SPDX-License-Identifier: MIT */
/*
 * EPT violations: the guest touched a guest-physical address its EPT does
 * not allow. In the MMIO hole (BOLT_GUEST_MMIO_HOLE_START to 4 GiB) with
 * nothing mapped there, Bolt does what Xen does for a guest without a
 * device model behind the address: a read returns all-ones, a write is
 * dropped, so a guest may probe for the HPET or an I/O APIC. Everything
 * else stops the guest (docs/abi.md, "Guest-physical address space"): RAM
 * it does not have, an address above 4 GiB, a read-only or never-executable
 * shared region, an instruction fetch, a page-table walk into the hole, and
 * any instruction arch/x86/mmio_decode.c does not emulate.
 */
#include "arch/cpu.h"
#include "arch/exits.h"
#include "arch/lapic.h"
#include "arch/mmio_decode.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "bolt/bolt.h"
#include "core/guest.h"
#include "core/lifecycle.h"
#include "lib/errno.h"

/* SDM Vol. 3C 28.2.1, Table 28-7: exit qualification for EPT violations. */
#define EPTV_READ (1ull << 0)
#define EPTV_WRITE (1ull << 1)
#define EPTV_FETCH (1ull << 2)
#define EPTV_MAPPED (7ull << 3)      /* the EPT entry allows read/write/execute */
#define EPTV_LINEAR_VALID (1ull << 7)
#define EPTV_TRANSLATED (1ull << 8)  /* the final access, not a paging-structure read */

/* The register numbered as in ModRM.reg; RSP is in the VMCS (arch/regs.h). */
static uint64_t *reg_slot(struct guest_regs *regs, unsigned n)
{
	uint64_t *r = &regs->rax;

	return n == 4 ? NULL : &r[n];
}

static uint64_t reg_get(struct guest_regs *regs, unsigned n)
{
	uint64_t *p = reg_slot(regs, n);

	return p ? *p : vmcs_readnat(GUEST_RSP);
}

static void reg_set(struct guest_regs *regs, unsigned n, uint64_t val)
{
	uint64_t *p = reg_slot(regs, n);

	if (p)
		*p = val;
	else
		vmcs_writenat(GUEST_RSP, val);
}

static bool in_mmio_hole(uint64_t gpa, unsigned size)
{
	return gpa >= BOLT_GUEST_MMIO_HOLE_START && gpa + size <= BOLT_GUEST_MMIO_HOLE_END;
}

static void stop_outside(struct vcpu *v, const char *access, uint64_t gpa)
{
	guest_stop(v->guest, GUEST_STOP_CRASH,
		   "EPT violation: %s at guest-physical 0x%lx (outside its memory), RIP 0x%lx",
		   access, (unsigned long)gpa, (unsigned long)vmcs_readnat(GUEST_RIP));
}

/* The hole, but an instruction Bolt does not emulate: name its bytes. */
static void stop_undecoded(struct vcpu *v, const char *access, uint64_t gpa, const uint8_t *b,
			   int n, const char *why)
{
	static const char digits[] = "0123456789abcdef";
	char hex[3 * MMIO_INSN_MAX + 1] = "";
	size_t pos = 0;

	for (int i = 0; i < n && i < MMIO_INSN_MAX; i++) {
		if (i)
			hex[pos++] = ' ';
		hex[pos++] = digits[b[i] >> 4];
		hex[pos++] = digits[b[i] & 15];
	}
	hex[pos] = 0;
	guest_stop(v->guest, GUEST_STOP_CRASH,
		   "EPT violation: %s at guest-physical 0x%lx (MMIO hole): %s, bytes [%s], RIP 0x%lx",
		   access, (unsigned long)gpa, why, hex, (unsigned long)vmcs_readnat(GUEST_RIP));
}

EXIT_HANDLER(exit_ept_violation)
{
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);
	uint64_t gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
	const char *access = (q & EPTV_FETCH) ? "instruction fetch" : (q & EPTV_WRITE) ? "write" : "read";
	uint8_t bytes[MMIO_INSN_MAX];
	struct mmio_insn in;
	unsigned mode;
	int n, rc;

	/*
	 * Only an unmapped address in the hole, reached by a data access to
	 * the address the guest's own translation produced. A mapped page
	 * (a read-only region, Bolt's pages) keeps its protection.
	 */
	if ((q & (EPTV_FETCH | EPTV_MAPPED)) || !(q & EPTV_LINEAR_VALID) ||
	    !(q & EPTV_TRANSLATED) || !in_mmio_hole(gpa, 1)) {
		stop_outside(v, access, gpa);
		return;
	}
	n = vcpu_fetch_insn(v, bytes, sizeof(bytes), &mode);
	if (n < 0) {
		stop_undecoded(v, access, gpa, bytes, 0, "instruction bytes unreadable");
		return;
	}
	rc = mmio_decode(bytes, (size_t)n, mode, &in);
	if (rc) {
		stop_undecoded(v, access, gpa, bytes, n,
			       rc == -XEN_EFAULT ? "instruction cut short" : "instruction not emulated");
		return;
	}
	if (in.kind == MMIO_MOVS) {
		stop_undecoded(v, access, gpa, bytes, (int)in.len, "MOVS not emulated");
		return;
	}
	/* A read must be a load, a write a store; and the access must stay in the hole. */
	if (((q & EPTV_WRITE) != 0) != (in.kind != MMIO_LOAD) || !in_mmio_hole(gpa, in.size)) {
		stop_undecoded(v, access, gpa, bytes, (int)in.len, "access does not match");
		return;
	}
	if (lapic_mmio_claims(v, gpa)) {
		/* The xAPIC page of a guest with `lapic = yes` (arch/x86/lapic.c). */
		if (in.kind == MMIO_LOAD) {
			reg_set(regs, in.reg, mmio_load_result(&in, reg_get(regs, in.reg),
							       lapic_mmio_load(v, gpa, in.size)));
		} else {
			uint64_t src = in.kind == MMIO_STOS ? regs->rax : reg_get(regs, in.reg);
			bool df = vmcs_readnat(GUEST_RFLAGS) & X86_RFLAGS_DF;

			lapic_mmio_store(v, gpa, in.size, mmio_store_data(&in, src));
			if (in.kind == MMIO_STOS &&
			    !mmio_string_step(&in, df, &regs->rdi, &regs->rsi, &regs->rcx))
				return;
		}
	} else if (in.kind == MMIO_LOAD) {
		reg_set(regs, in.reg, mmio_load_result(&in, reg_get(regs, in.reg), ~0ull));
	} else if (in.kind == MMIO_STOS) {
		bool df = vmcs_readnat(GUEST_RFLAGS) & X86_RFLAGS_DF;

		/* One element per exit: a REP re-executes for the rest (SDM Vol. 2B, REP). */
		if (!mmio_string_step(&in, df, &regs->rdi, &regs->rsi, &regs->rcx))
			return;
	}
	vmx_skip_insn(in.len);
}
