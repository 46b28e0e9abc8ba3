/* SPDX-License-Identifier: MIT */
/*
 * The guest's ACPI power registers (hardware-reduced: the FADT's sleep
 * control/status and reset registers, core/acpi_tables.h): power off on
 * S5, restart on reset, as bolt.cfg says for that guest.
 */
#ifndef CORE_ACPI_PM_H
#define CORE_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>

struct guest;

/*
 * A port write: true if port is one of them (the write may have stopped
 * or restarted the guest: check its vCPU before moving RIP).
 */
bool acpi_pm_write(struct guest *g, uint16_t port, unsigned size, uint32_t val);

#endif
