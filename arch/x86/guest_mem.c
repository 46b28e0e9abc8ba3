/* SPDX-License-Identifier: MIT */
/*
 * Access to guest memory on behalf of a vCPU: guest-virtual addresses are
 * translated by walking the guest's own page tables (guest_pt.c), and every
 * guest-physical page through the guest's EPT, so a pointer can only ever
 * reach memory the guest itself may access.
 */
#include "arch/cpu.h"
#include "arch/exits.h"
#include "arch/guest_pt.h"
#include "arch/vmcs.h"
#include "arch/vmx.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "core/guest.h"
#include "core/lifecycle.h"
#include "lib/errno.h"
#include "lib/lib.h"

static int gpa_access(struct guest *g, uint64_t gpa, void *buf, size_t len, bool write)
{
	while (len) {
		uint64_t hpa, chunk = MIN(len, PAGE_SIZE - (gpa & (PAGE_SIZE - 1)));
		unsigned prot;

		if (ept_translate(&g->arch.ept, gpa, &hpa, &prot, NULL))
			return -XEN_EFAULT;
		if (!(prot & (write ? EPT_W : EPT_R)))
			return -XEN_EFAULT;
		if (write)
			memcpy((void *)(uintptr_t)hpa, buf, chunk);
		else
			memcpy(buf, (const void *)(uintptr_t)hpa, chunk);
		gpa += chunk;
		buf = (uint8_t *)buf + chunk;
		len -= chunk;
	}
	return 0;
}

static int read_gpa(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	return gpa_access(ctx, gpa, buf, len, false);
}

static int write_gpa(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	return gpa_access(ctx, gpa, (void *)buf, len, true);
}

static void gpt_ctx_of(struct vcpu *v, struct gpt_ctx *c)
{
	*c = (struct gpt_ctx){
		.cr0 = vmcs_readnat(GUEST_CR0),
		.cr3 = vmcs_readnat(GUEST_CR3),
		.cr4 = vmx_guest_cr4(),
		.efer = vmcs_read64(GUEST_IA32_EFER),
		.read_gpa = read_gpa,
		.write_gpa = write_gpa,
		.ctx = v->guest,
		.maxphyaddr = vmx_maxphyaddr,
	};
}

int vcpu_copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
	struct gpt_ctx c;

	gpt_ctx_of(v, &c);
	return gpt_copy_from_guest(&c, dst, gva, len, 0);
}

int vcpu_copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
	struct gpt_ctx c;

	gpt_ctx_of(v, &c);
	return gpt_copy_to_guest(&c, gva, src, len, GPT_WRITE);
}

int vcpu_fetch_insn(struct vcpu *v, uint8_t *buf, size_t max, unsigned *mode)
{
	uint32_t ar = vmcs_read32(GUEST_CS_AR_BYTES);
	bool lma = vmcs_read64(GUEST_IA32_EFER) & (1ull << 10);
	uint64_t rip = vmcs_readnat(GUEST_RIP), lin;
	size_t first;
	struct gpt_ctx c;

	/* CS.L with EFER.LMA: 64-bit code, CS base ignored (SDM Vol. 3A 3.4.4); else CS.D. */
	*mode = lma && (ar & (1u << 13)) ? 64 : (ar & (1u << 14)) ? 32 : 16;
	lin = *mode == 64 ? rip : (uint32_t)(vmcs_readnat(GUEST_CS_BASE) + rip);
	gpt_ctx_of(v, &c);
	if (!gpt_copy_from_guest(&c, buf, lin, max, GPT_FETCH))
		return (int)max;
	/* The instruction may end before a page that does not translate. */
	first = MIN(max, PAGE_SIZE - (lin & (PAGE_SIZE - 1)));
	if (first == max || gpt_copy_from_guest(&c, buf, lin, first, GPT_FETCH))
		return -XEN_EFAULT;
	return (int)first;
}

void vcpu_inject_access_fault(struct vcpu *v, uint64_t gva, size_t len, bool write)
{
	struct gpt_ctx c;
	uint64_t gpa;
	uint32_t pfec = 0;

	gpt_ctx_of(v, &c);
	/*
	 * The access may straddle two pages: the fault belongs to the first
	 * byte that does not translate, which is where the CPU points CR2.
	 */
	if (!gpt_translate_pfec(&c, gva, write ? GPT_WRITE : 0, &gpa, &pfec)) {
		uint64_t next = (gva | (PAGE_SIZE - 1)) + 1;

		if (len < 2 || next > gva + len - 1 ||
		    !gpt_translate_pfec(&c, next, write ? GPT_WRITE : 0, &gpa, &pfec)) {
			/* Every byte translated: the guest-physical page is not its memory. */
			guest_stop(v->guest, GUEST_STOP_CRASH,
				   "string I/O to guest-physical 0x%lx outside its memory",
				   (unsigned long)gpa);
			return;
		}
		gva = next;
	}
	if (pfec & GPT_PFEC_GP) {
		vmx_inject_exception(X86_EXC_GP, 0);
		return;
	}
	/* VM entry does not load CR2 and the host never touches it (SDM 27.3.1). */
	write_cr2(gva);
	vmx_inject_exception(X86_EXC_PF, (int)pfec);
}
