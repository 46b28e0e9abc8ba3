/* SPDX-License-Identifier: MIT */
/*
 * First C code of a guest: install the IDT, set up the Xen interface
 * (hypercall page, shared_info, event-channel upcall) when Bolt offers it,
 * run main(), and turn its return value into a shutdown so a guest never
 * falls off the end.
 */
#include "guests/sdk/sdk-internal.h"

void sdk_start(struct hvm_start_info *si)
{
	int ret;

	sdk_console_init();
	sdk_idt_install();
	sdk_xen_init();
	ret = main(si);
	if (ret != 0) {
		bolt_printf("main returned %d: shutting down with SHUTDOWN_crash\n", ret);
		bolt_shutdown(SHUTDOWN_crash);
	}
	bolt_shutdown(SHUTDOWN_poweroff);
}
