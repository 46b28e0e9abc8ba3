/* SPDX-License-Identifier: MIT */
/*
 * CPU enumeration with the UEFI PI MP Services protocol, cross-checked with
 * the ACPI MADT where the firmware publishes one (Bochs+OVMF does not).
 * Debian's gnu-efi has no header for the protocol: it is declared here from
 * the UEFI Platform Initialization specification (vol. 2, "MP Services").
 */
#include <efi.h>
#include <efilib.h>

#include "boot/acpi.h"
#include "boot/boot.h"
#include "core/console.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define MP_SERVICES_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }
#define PROCESSOR_AS_BSP_BIT 0x1
#define PROCESSOR_ENABLED_BIT 0x2

struct mp_cpu_location { UINT32 package, core, thread; };
/* PI 1.7 appended the 24-byte extended location: size the buffer for it. */
struct mp_processor_info {
	UINT64 processor_id;
	UINT32 status_flag;
	struct mp_cpu_location location;
	UINT32 extended[6];
};

struct mp_services;
typedef EFI_STATUS(EFIAPI *mp_get_count_fn)(struct mp_services *, UINTN *, UINTN *);
typedef EFI_STATUS(EFIAPI *mp_get_info_fn)(struct mp_services *, UINTN, struct mp_processor_info *);
struct mp_services {
	mp_get_count_fn get_number_of_processors;
	mp_get_info_fn get_processor_info;
	void *startup_all_aps, *startup_this_ap, *switch_bsp, *enable_disable_ap, *who_am_i;
};

static const void *acpi_map_identity(void *ctx, uint64_t phys, size_t len)
{
	(void)ctx;
	(void)len;
	return (const void *)(uintptr_t)phys; /* UEFI identity-maps all memory */
}

/* The FADT's S5 power-off ports (arch/x86/power.c's fallback after ResetSystem). */
static void fadt_s5(struct boot_info *bi, const void *rsdp)
{
	const void *fadt;
	int rc = acpi_find_table(rsdp, acpi_map_identity, NULL, "FACP", &fadt);

	if (rc == 0)
		rc = acpi_s5_info(fadt, acpi_map_identity, NULL, &bi->s5);
	if (rc) {
		log_printf("ACPI: no S5 power-off (%s)", acpi_last_error());
		return;
	}
	bi->have_s5 = true;
	if (bi->s5.pm1b_cnt)
		log_printf("ACPI: FADT: S5 power-off through PM1a_CNT 0x%x (SLP_TYP %u), "
			   "PM1b_CNT 0x%x (SLP_TYP %u)", bi->s5.pm1a_cnt, bi->s5.slp_typa,
			   bi->s5.pm1b_cnt, bi->s5.slp_typb);
	else
		log_printf("ACPI: FADT: S5 power-off through PM1a_CNT 0x%x (SLP_TYP %u)",
			   bi->s5.pm1a_cnt, bi->s5.slp_typa);
}

static void madt_cross_check(struct boot_info *bi, const void *rsdp)
{
	const void *madt;
	struct acpi_cpu cpus[64];
	unsigned count = 0;
	int rc;

	fadt_s5(bi, rsdp);
	rc = acpi_find_table(rsdp, acpi_map_identity, NULL, "APIC", &madt);
	if (rc == -XEN_ENOENT) {
		log_printf("ACPI: no MADT; using the MP Services CPU list as is");
		return;
	}
	/* Found only corrupt copies (or a corrupt RSDP/XSDT): say what, not "no MADT". */
	if (rc || (acpi_madt_cpus(madt, cpus, ARRAY_SIZE(cpus), &count) < 0 &&
		   count <= ARRAY_SIZE(cpus))) {
		log_printf("ACPI: MADT unreadable (%s); using the MP Services CPU list",
			   acpi_last_error());
		return;
	}
	unsigned enabled = 0;
	for (unsigned i = 0; i < count && i < ARRAY_SIZE(cpus); i++) {
		if (!cpus[i].enabled)
			continue;
		enabled++;
		bool found = false;
		for (unsigned j = 0; j < bi->nr_cpus; j++)
			found |= bi->apic_ids[j] == cpus[i].apic_id;
		if (!found)
			log_printf("ACPI: MADT lists enabled CPU with APIC ID %u that MP Services does not report",
				   cpus[i].apic_id);
	}
	if (enabled != bi->nr_cpus)
		log_printf("ACPI: MADT has %u enabled CPUs, MP Services %u", enabled, bi->nr_cpus);
	else
		log_printf("ACPI: MADT agrees: %u CPU%s", enabled, enabled == 1 ? "" : "s");
}

int efi_enumerate_cpus(struct boot_info *bi)
{
	EFI_GUID guid = MP_SERVICES_GUID;
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	struct mp_services *mp;
	UINTN total = 0, enabled = 0;
	void *rsdp = NULL;

	bi->nr_cpus = 0;
	if (BS->LocateProtocol(&guid, NULL, (void **)&mp) != EFI_SUCCESS ||
	    mp->get_number_of_processors(mp, &total, &enabled) != EFI_SUCCESS) {
		log_printf("UEFI MP Services protocol not found: running on the boot CPU only");
		struct cpuid_regs_min { uint32_t a, b, c, d; } r;
		__asm__ volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(1), "c"(0));
		bi->apic_ids[0] = r.b >> 24;
		bi->nr_cpus = 1;
	} else {
		/* The boot CPU first: Bolt's CPU 0 is always the one running now. */
		for (int pass = 0; pass < 2; pass++) {
			for (UINTN i = 0; i < total; i++) {
				struct mp_processor_info info;
				if (mp->get_processor_info(mp, i, &info) != EFI_SUCCESS)
					continue;
				bool bsp = info.status_flag & PROCESSOR_AS_BSP_BIT;
				if (!(info.status_flag & PROCESSOR_ENABLED_BIT) || bsp != (pass == 0))
					continue;
				if (bi->nr_cpus == ARRAY_SIZE(bi->apic_ids)) {
					log_printf("more than %u CPUs: using the first %u",
						   (unsigned)ARRAY_SIZE(bi->apic_ids), bi->nr_cpus);
					break;
				}
				bi->apic_ids[bi->nr_cpus++] = (uint32_t)info.processor_id;
			}
		}
	}
	if (LibGetSystemConfigurationTable(&acpi20, &rsdp) == EFI_SUCCESS ||
	    LibGetSystemConfigurationTable(&AcpiTableGuid, &rsdp) == EFI_SUCCESS)
		madt_cross_check(bi, rsdp);
	else
		log_printf("ACPI: no tables published by the firmware; CPUs from MP Services only");
	return bi->nr_cpus ? 0 : -XEN_ENODEV;
}
