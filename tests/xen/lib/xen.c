/* SPDX-License-Identifier: MIT */
/*
 * Finding Xen and installing the hypercall page, as any Xen HVM/PVH guest
 * does (Xen's arch-x86/cpuid.h): scan CPUID 0x40000000 + k * 0x100 for
 * "XenVMMXenVMM", read the version from base + 1, and write the page's
 * address to the MSR that base + 2 EBX names.
 */
#include "tests/xen/xc.h"

#include <xen/sched.h>
#include <xen/arch-x86/cpuid.h>

/* Xen may place its leaves at any 0x100 step up to 0x40010000 (cpuid.h). */
#define XC_CPUID_LAST 0x40010000u
#define XC_CPUID_STEP 0x100u

/* Written by the hypervisor, never by C: not static, so never assumed zero. */
uint8_t xc_hcall_page[4096] __attribute__((aligned(4096)));
struct xc_xen xc_xen;

static uint32_t xc_find_base(void)
{
	uint32_t base, r[4];

	for (base = XEN_CPUID_FIRST_LEAF; base < XC_CPUID_LAST; base += XC_CPUID_STEP) {
		xc_cpuid(base, 0, r);
		if (r[1] == XEN_CPUID_SIGNATURE_EBX && r[2] == XEN_CPUID_SIGNATURE_ECX &&
		    r[3] == XEN_CPUID_SIGNATURE_EDX && r[0] >= base + 2)
			return base;
	}
	return 0;
}

const char *xc_xen_init(struct xc_xen *x)
{
	uint32_t r[4];

	x->base = xc_find_base();
	if (!x->base)
		return "no XenVMMXenVMM CPUID leaf with base + 2 behind it";
	xc_cpuid(x->base, 0, r);
	x->max_leaf = r[0];
	xc_cpuid(x->base + 1, 0, r);
	x->version = r[0];
	xc_cpuid(x->base + 2, 0, r);
	x->hcall_pages = r[0];
	x->hcall_msr = r[1];
	if (x->hcall_pages < 1)
		return "CPUID base + 2 offers no hypercall page";
	/* Bits 11:0 select the page of the area: page 0 is the one we have. */
	xc_wrmsr(x->hcall_msr, (uint64_t)XC_ULONG(xc_hcall_page));
	/* A page left empty would run every call into zeroes: check first. */
	if (*(volatile uint8_t *)xc_hcall_page == 0)
		return "the hypercall page is still empty after the MSR write";
	return NULL;
}

long xc_shutdown(unsigned reason)
{
	struct sched_shutdown s = { .reason = reason };

	return xc_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, XC_ULONG(&s), 0, 0, 0);
}
