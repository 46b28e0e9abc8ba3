/* SPDX-License-Identifier: MIT */
/* Things the UEFI boot path hands to the rest of Bolt. */
#ifndef BOOT_BOOT_H
#define BOOT_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "boot/acpi.h"
#include "config/config.h"

struct boot_info {
	struct bolt_config *cfg;
	unsigned nr_cpus;
	uint32_t apic_ids[64];
	uint64_t cr3;               /* Bolt's identity page tables (below 4 GiB) */
	uint64_t trampoline;        /* page below 1 MiB for the AP trampoline */
	bool have_s5;
	struct acpi_s5 s5;
	void *reset_system;         /* EFI_RESET_SYSTEM from the runtime services */
};

extern struct boot_info boot_info;

/* boot/efi_console.c: console sinks before and after ExitBootServices. */
void efi_console_early(void *system_table);
void efi_console_exit_boot_services(unsigned console_mask);
int efi_console_setup_gop(void *image_handle);
/*
 * Bolt is returning to the firmware: free the font, and when the GOP
 * sink was set up (a person is looking at a screen), say so and wait for
 * a key press or 15 s so the lines above can be read. No wait without it.
 */
void efi_console_give_up(unsigned console_mask);

/* boot/efi_file.c: read a whole file from the volume Bolt was loaded from. */
int efi_read_file(void *image_handle, const char *path, void **data, size_t *len);

/* boot/efi_mp.c: CPUs from the UEFI MP Services protocol (and ACPI MADT). */
int efi_enumerate_cpus(struct boot_info *bi);

/* boot/ap_start.c: INIT-SIPI-SIPI every application processor. */
void boot_start_aps(struct boot_info *bi);

#endif
