/* SPDX-License-Identifier: MIT */
/*
 * Ending the run. UEFI's ResetSystem is a runtime service, callable after
 * ExitBootServices with the identity map Bolt keeps; if it returns, ACPI S5
 * through the FADT's PM1 control ports, then the emulators' exit ports.
 */
#include <efi.h>

#include "arch/cpu.h"
#include "arch/x86.h"
#include "boot/boot.h"

#define SLP_EN (1u << 13)

static void acpi_s5(void)
{
	if (!boot_info.have_s5)
		return;
	outw(boot_info.s5.pm1a_cnt, (uint16_t)(boot_info.s5.slp_typa << 10 | SLP_EN));
	if (boot_info.s5.pm1b_cnt)
		outw(boot_info.s5.pm1b_cnt, (uint16_t)(boot_info.s5.slp_typb << 10 | SLP_EN));
}

void arch_poweroff(void)
{
	EFI_RESET_SYSTEM reset = (EFI_RESET_SYSTEM)boot_info.reset_system;

	if (reset)
		reset(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	acpi_s5();
	outw(0x604, 0x2000);  /* QEMU q35 ACPI PM1a_CNT, S5 */
	outw(0xb004, 0x2000); /* Bochs/QEMU PIIX4 PM1a_CNT, S5 */
	for (const char *s = "Shutdown"; *s; s++)
		outb(0x8900, (uint8_t)*s); /* legacy Bochs shutdown port */
	cpu_halt_forever();
}

void arch_halt_all(void)
{
	/* Other CPUs are idle in MWAIT or halted already; this one stops too. */
	cpu_halt_forever();
}
