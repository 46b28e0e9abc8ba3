/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's MTRRs, read once under UEFI (the firmware programs the
 * same values on every CPU, SDM Vol. 3A 12.11.8), logged, and used for
 * every guest's RAM. Real firmware typically sets default WB with UC
 * variable ranges over the MMIO hole below 4 GiB, or default UC with WB
 * variable ranges over RAM; Bolt's RAM comes from the UEFI memory map and
 * should be WB either way. Bochs: see docs/running.md.
 */
#include "arch/mtrr.h"
#include "arch/msr.h"
#include "arch/x86.h"
#include "core/console.h"
#include "core/guest.h"
#include "config/config.h"
#include "lib/lib.h"

#define MSR_MTRR_PHYSBASE0 0x200
#define CPUID1_EDX_MTRR (1u << 12)

/* IA32_MTRR_FIX64K_00000, FIX16K_80000, FIX16K_A0000, FIX4K_C0000 .. FIX4K_F8000 (SDM Vol. 4). */
static const uint32_t fixed_msrs[MTRR_NR_FIXED] = {
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f,
};

static struct mtrr_state host;

static unsigned read_maxphyaddr(void)
{
	struct cpuid_regs r;

	cpuid(0x80000000, 0, &r);
	if (r.eax < 0x80000008)
		return 36;
	cpuid(0x80000008, 0, &r);
	return r.eax & 0xff;
}

void mtrr_host_init(void)
{
	struct cpuid_regs r;
	unsigned nvar, used = 0;

	host.maxphyaddr = read_maxphyaddr();
	cpuid(1, 0, &r);
	if (!(r.edx & CPUID1_EDX_MTRR)) {
		/* No MTRRs: only the page tables' PAT types apply, and the host's are WB. */
		host.def_type = MTRR_DEF_E | MTRR_TYPE_WB;
		log_printf("MTRR: none on this CPU (CPUID.1:EDX.MTRR = 0); guest RAM is mapped WB");
		return;
	}
	host.cap = rdmsr(MSR_IA32_MTRRCAP);
	host.def_type = rdmsr(MSR_IA32_MTRR_DEF_TYPE);
	if (host.cap & MTRRCAP_FIX)
		for (unsigned i = 0; i < MTRR_NR_FIXED; i++)
			host.fixed[i] = rdmsr(fixed_msrs[i]);
	nvar = MIN((unsigned)(host.cap & MTRRCAP_VCNT_MASK), (unsigned)MTRR_MAX_VAR);
	for (unsigned i = 0; i < nvar; i++) {
		host.physbase[i] = rdmsr(MSR_MTRR_PHYSBASE0 + 2 * i);
		host.physmask[i] = rdmsr(MSR_MTRR_PHYSBASE0 + 2 * i + 1);
		used += !!(host.physmask[i] & MTRR_PHYSMASK_V);
	}
	log_printf("MTRR: %s, default type %s, fixed ranges %s, %u of %u variable ranges in use",
		   host.def_type & MTRR_DEF_E ? "enabled" : "DISABLED (all memory UC)",
		   mtrr_type_name((unsigned)(host.def_type & MTRR_DEF_TYPE_MASK)),
		   !(host.cap & MTRRCAP_FIX) ? "absent" :
		   host.def_type & MTRR_DEF_FE ? "on" : "off",
		   used, (unsigned)(host.cap & MTRRCAP_VCNT_MASK));
	for (unsigned i = 0; i < nvar; i++)
		if (host.physmask[i] & MTRR_PHYSMASK_V)
			log_printf("MTRR: variable %u: base 0x%lx mask 0x%lx %s", i,
				   (unsigned long)(host.physbase[i] & ~0xfffULL),
				   (unsigned long)(host.physmask[i] & ~0xfffULL),
				   mtrr_type_name((unsigned)(host.physbase[i] & 0xff)));
}

static void note_non_wb(void *ctx, uint64_t gpa, uint64_t size, unsigned type)
{
	const struct guest *g = ctx;

	log_printf("guest '%s': RAM 0x%lx-0x%lx (host 0x%lx) is %s in the host MTRRs, not WB: "
		   "EPT maps it %s to match, so the guest runs slowly there "
		   "(check the firmware's memory setup)",
		   g->cfg->name, (unsigned long)gpa, (unsigned long)(gpa + size - 1),
		   (unsigned long)((uint64_t)(uintptr_t)g->ram + gpa), mtrr_type_name(type),
		   mtrr_type_name(type));
}

int ept_map_guest_ram(struct guest *g)
{
	return ept_map_ram(&g->arch.ept, &host, 0, (uint64_t)(uintptr_t)g->ram, g->ram_size,
			   note_non_wb, g);
}
