/* SPDX-License-Identifier: MIT */
/*
 * Hypercall numbers the hypervisor does not implement return -ENOSYS
 * (Xen: an empty slot of the hypercall table, or a number at or above
 * NR_hypercalls). The hypercall page has 4096 / 32 = 128 stubs, so only
 * numbers below 128 can be called through it. Numbers chosen: PV-only
 * calls Xen does not offer HVM/PVH guests, and ones no Xen uses.
 */
#include "tests/xen/xc.h"

static const struct {
	unsigned nr;
	const char *what;
} xc_unknown[] = {
	{ __HYPERVISOR_set_trap_table, "set_trap_table (PV only)" },
	{ __HYPERVISOR_mmu_update, "mmu_update (PV only)" },
	{ __HYPERVISOR_set_gdt, "set_gdt (PV only)" },
	{ __HYPERVISOR_stack_switch, "stack_switch (PV only)" },
	{ __HYPERVISOR_arch_7, "arch_7 (unused)" },
	{ 63, "63 (unused)" },
	{ 100, "100 (above NR_hypercalls)" },
	{ 127, "127 (last stub of the page)" },
};

void xc_case_enosys(void)
{
	for (size_t i = 0; i < sizeof(xc_unknown) / sizeof(xc_unknown[0]); i++) {
		long ret = xc_hypercall(xc_unknown[i].nr, 0, 0, 0, 0, 0);

		XC_CHECK(ret == -XEN_ENOSYS, "hypercall %u, %s, returned %ld, expected %d",
			 xc_unknown[i].nr, xc_unknown[i].what, ret, -XEN_ENOSYS);
	}
}
