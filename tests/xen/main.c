/* SPDX-License-Identifier: MIT */
/*
 * The conformance guest: find Xen, install the hypercall page, run every
 * case in order, report, and power off with SCHEDOP_shutdown. To add a
 * case: write a void function in cases/, declare it in xc.h, list it here.
 * The paging cases exist only in the PSE and PAE builds (XC_PAGING).
 */
#include "tests/xen/xc.h"
#include "tests/xen/paging.h"

#include <xen/sched.h>
#include <xen/arch-x86/hvm/start_info.h>

static const struct xc_case xc_cases[] = {
	/* First: it only reads what Bolt built before entry (start info, ACPI tables). */
	{ "acpi-tables", xc_case_acpi },
	{ "cpuid", xc_case_cpuid },
	{ "version", xc_case_version },
	{ "version-features", xc_case_version_features },
	{ "version-strings", xc_case_version_strings },
	{ "hvm-param-callback", xc_case_hvm_param },
	{ "evtchn-alloc-unbound", xc_case_evtchn_alloc },
	{ "evtchn-status", xc_case_evtchn_status },
	{ "evtchn-close", xc_case_evtchn_close },
	{ "enosys", xc_case_enosys },
	{ "shinfo-add-to-physmap", xc_case_shinfo },
	/* From here on the cases read shared_info (lib/events.c). */
	{ "shinfo-wallclock", xc_case_shinfo_wallclock },
	{ "shinfo-vcpu-time", xc_case_shinfo_time },
	{ "shinfo-evtchn-selector", xc_case_shinfo_selector },
	{ "set-timer-op", xc_case_set_timer_op },
	{ "sched-poll", xc_case_sched_poll },
	{ "vcpu-singleshot-timer", xc_case_vcpu_singleshot },
	{ "vcpu-runstate", xc_case_vcpu_runstate },
	{ "memory-reservation", xc_case_memory_reservation },
	{ "memory-balloon", xc_case_memory_balloon },
#if XC_PAGING != XC_PAGING_NONE
	{ "paging-alias", xc_case_paging_alias },
	{ "paging-straddle", xc_case_paging_straddle },
#endif
	{ "gnttab-version", xc_case_gnttab_version },
	{ "gnttab-frames", xc_case_gnttab_frames },
	{ "gnttab-self", xc_case_gnttab_self },
	{ "vcpu-register-vcpu-info", xc_case_vcpu_info },
	{ "vcpu-periodic-timer", xc_case_periodic },
	/* Last: it switches the guest to FIFO and back (EVTCHNOP_reset closes every port). */
	{ "evtchn-fifo", xc_case_evtchn_fifo },
};

void xc_main(uint32_t start_info_pa);

void xc_main(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = XC_PTR(start_info_pa);
	const char *why = xc_xen_init(&xc_xen);

	if (why) {
		/* No hypercalls without the page: nothing to print with, so stop. */
		xc_arch_halt();
	}
	xc_log("xen: conformance guest, %s-bit PVH; Xen %u.%u at CPUID 0x%x, hypercall MSR 0x%x",
	       xc_arch_name, xc_xen.version >> 16, xc_xen.version & 0xffff, xc_xen.base,
	       xc_xen.hcall_msr);
	if (si->magic != XEN_HVM_START_MAGIC_VALUE) {
		xc_log("RESULT xen/start-info FAIL: magic 0x%x at 0x%x, want 0x%x", si->magic,
		       start_info_pa, XEN_HVM_START_MAGIC_VALUE);
	} else {
		xc_log("RESULT xen/start-info PASS");
		xc_start_info = si;
	}
	xc_run_cases(xc_cases, sizeof(xc_cases) / sizeof(xc_cases[0]));
	xc_log("xen: SCHEDOP_shutdown returned %ld", xc_shutdown(SHUTDOWN_poweroff));
	xc_arch_halt();
}
