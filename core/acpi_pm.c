/* SPDX-License-Identifier: MIT */
/*
 * Hardware-reduced ACPI power registers (ACPI 6.0, 4.8.3.6 reset register,
 * 4.8.3.7 sleep control and status registers), as the FADT of
 * core/acpi_tables.c describes them:
 * - sleep control: SLP_EN (bit 5) with SLP_TYP (bits 4:2) = 5, \_S5, is
 *   soft-off: the guest stops as "poweroff", like SCHEDOP_shutdown
 *   (poweroff). Other sleep states are not offered (no \_S1-\_S4) and
 *   are ignored, so the OS finds itself still running.
 * - reads give all-ones, as from any port Bolt does not emulate: OSPM
 *   only writes these for soft-off and reset, and never reads them back;
 * - reset: RESET_VALUE written to the reset register restarts the guest
 *   as SCHEDOP_shutdown (reboot) does, within bolt.cfg's max_restarts.
 */
#include "core/acpi_pm.h"
#include "bolt/bolt.h"
#include "core/guest.h"
#include "core/lifecycle.h"

bool acpi_pm_write(struct guest *g, uint16_t port, unsigned size, uint32_t val)
{
	if (size != 1)
		return false;
	switch (port) {
	case BOLT_ACPI_SLEEP_CONTROL_PORT:
		if ((val & BOLT_ACPI_SLP_EN) && ((val >> 2) & 7) == BOLT_ACPI_SLP_TYP_S5)
			guest_stop(g, GUEST_STOP_POWEROFF, "ACPI S5 (soft-off)");
		return true;
	case BOLT_ACPI_SLEEP_STATUS_PORT:
		return true; /* write-1-to-clear of a status that is never set */
	case BOLT_ACPI_RESET_PORT:
		if ((val & 0xff) == BOLT_ACPI_RESET_VALUE)
			guest_stop(g, GUEST_STOP_REBOOT, "ACPI reset register");
		return true;
	default:
		return false;
	}
}
