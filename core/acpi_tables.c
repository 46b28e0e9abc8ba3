/* SPDX-License-Identifier: MIT */
/*
 * Guest ACPI tables (core/acpi_tables.h). Layouts and offsets are those of
 * the ACPI 6.0 specification (section 5.2: RSDP 5.2.5.3, table header
 * 5.2.6, XSDT 5.2.8, FADT 5.2.9, DSDT 5.2.11.1, MADT 5.2.12). What the
 * guest is told follows what Bolt emulates, nothing more:
 *
 * - FADT: HW_REDUCED_ACPI (5.2.9.3, flag bit 20). There is no PM timer,
 *   no SCI, no SMI command port, no PM1/GPE blocks and no FACS. Power
 *   off and reset go through the two registers a hardware-reduced
 *   platform has for them (4.8.3.7, 4.8.3.6), I/O ports that Bolt
 *   emulates (core/acpi_pm.c): SLEEP_CONTROL_REG (with \_S5 in the DSDT)
 *   and RESET_REG (RESET_REG_SUP, flag bit 10). Linux's PVH guests power
 *   off and reboot this way; SCHEDOP_shutdown works too. IAPC_BOOT_ARCH
 *   (5.2.9.3, table 5-35) says "no VGA" and "no CMOS RTC" (a guest must
 *   not probe port 0x70: Bolt gives time through pvclock and the shared
 *   wall clock), and neither LEGACY_DEVICES nor 8042.
 * - DSDT: Scope (\_SB) {} and Name (\_S5, Package () { 5, 0 }): ACPICA
 *   insists on a DSDT, and \_S5 gives the SLP_TYP value that the sleep
 *   control register takes for soft-off (7.3.4.5).
 * - MADT: the local APIC at its architectural 0xFEE00000, flags 0 (no
 *   PCAT_COMPAT: there are no 8259 PICs), one Processor Local APIC per
 *   vCPU, enabled, APIC ID = ACPI processor UID = vCPU index. No IO-APIC,
 *   interrupt source override or NMI entries.
 */
#include <stdbool.h>
#include <stdint.h>

#include "bolt/bolt.h"
#include "core/acpi_tables.h"
#include "lib/bytes.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define OEM_ID "BOLT  "        /* 6 bytes */
#define OEM_TABLE_ID "BOLTGUES" /* 8 bytes */
#define CREATOR_ID "BOLT"
#define OEM_REVISION 1u

/* RSDP (5.2.5.3). */
#define RSDP_SIZE 36u
#define RSDP_CHECKSUM 8
#define RSDP_OEM_ID 9
#define RSDP_REVISION 15
#define RSDP_RSDT 16
#define RSDP_LENGTH 20
#define RSDP_XSDT 24
#define RSDP_EXT_CHECKSUM 32
#define RSDP_V1_SIZE 20u

/* System description table header (5.2.6). */
#define HDR_SIZE 36u
#define HDR_LENGTH 4
#define HDR_REVISION 8
#define HDR_CHECKSUM 9
#define HDR_OEM_ID 10
#define HDR_OEM_TABLE_ID 16
#define HDR_OEM_REVISION 24
#define HDR_CREATOR_ID 28
#define HDR_CREATOR_REVISION 32

#define XSDT_ENTRIES 2u /* FACP, APIC */

/* FADT, revision 6 (5.2.9, table 5-34). */
#define FADT_SIZE 276u
#define FADT_REVISION 6u
#define FADT_MINOR_VERSION 0u
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_RESET_REG 116       /* Generic Address Structure (5.2.3.2), 12 bytes */
#define FADT_RESET_VALUE 128
#define FADT_SLEEP_CONTROL 244
#define FADT_SLEEP_STATUS 256
#define FADT_RESET_REG_SUP (1u << 10)
#define GAS_SYSTEM_IO 1u
#define GAS_ACCESS_BYTE 1u
#define FADT_MINOR 131
#define FADT_X_DSDT 140
#define IAPC_VGA_NOT_PRESENT (1u << 2)
#define IAPC_CMOS_RTC_NOT_PRESENT (1u << 5)
#define FADT_HW_REDUCED_ACPI (1u << 20)

/*
 * DSDT AML (ACPI 6.0, 20.2): Scope (\_SB) {}: ScopeOp 0x10, PkgLength 5
 * (itself + NameSeg), "_SB_". Then Name (\_S5, Package () { 5, 0 }):
 * NameOp 0x08, "_S5_", PackageOp 0x12, PkgLength 5 (itself, NumElements,
 * BytePrefix 0x0A + 5, ZeroOp), NumElements 2: SLP_TYPa = 5, SLP_TYPb = 0.
 */
static const uint8_t dsdt_aml[] = { 0x10, 0x05, '_', 'S', 'B', '_',
				    0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a,
				    BOLT_ACPI_SLP_TYP_S5, 0x00 };
#define DSDT_REVISION 2u /* 2+: AML integers are 64 bits (5.2.11.1) */

/* MADT (5.2.12, revision 4 in ACPI 6.0 Errata A). */
#define MADT_REVISION 4u
#define MADT_LAPIC_ADDR 36
#define MADT_FLAGS 40
#define MADT_ENTRIES 44u
#define MADT_LAPIC_TYPE 0u
#define MADT_LAPIC_LEN 8u
#define MADT_LAPIC_ENABLED 1u
#define LAPIC_BASE 0xfee00000u

/* Where each table sits in the buffer: RSDP first (16-byte aligned), the rest 8-byte aligned. */
#define OFF_RSDP 0u
#define OFF_XSDT ALIGN_UP(OFF_RSDP + RSDP_SIZE, 8u)
#define XSDT_SIZE (HDR_SIZE + 8u * XSDT_ENTRIES)
#define OFF_FADT ALIGN_UP(OFF_XSDT + XSDT_SIZE, 8u)
#define OFF_DSDT ALIGN_UP(OFF_FADT + FADT_SIZE, 8u)
#define DSDT_SIZE (HDR_SIZE + (unsigned)sizeof(dsdt_aml))
#define OFF_MADT ALIGN_UP(OFF_DSDT + DSDT_SIZE, 8u)

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* The byte that makes the n bytes at p sum to zero (5.2.6, "Checksum"). */
static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return (uint8_t)-s;
}

static void header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + HDR_LENGTH, len);
	t[HDR_REVISION] = rev;
	memcpy(t + HDR_OEM_ID, OEM_ID, 6);
	memcpy(t + HDR_OEM_TABLE_ID, OEM_TABLE_ID, 8);
	put32(t + HDR_OEM_REVISION, OEM_REVISION);
	memcpy(t + HDR_CREATOR_ID, CREATOR_ID, 4);
	put32(t + HDR_CREATOR_REVISION, (uint32_t)BOLT_VERSION_MAJOR << 16 | BOLT_VERSION_MINOR);
}

/* Last, once every other byte of the table is in place. */
static void seal(uint8_t *t)
{
	t[HDR_CHECKSUM] = 0;
	t[HDR_CHECKSUM] = checksum(t, le32(t + HDR_LENGTH));
}

size_t acpi_tables_size(unsigned nr_vcpus)
{
	return OFF_MADT + MADT_ENTRIES + (size_t)nr_vcpus * MADT_LAPIC_LEN;
}

static void build_madt(uint8_t *t, unsigned nr_vcpus)
{
	uint32_t len = MADT_ENTRIES + nr_vcpus * MADT_LAPIC_LEN;

	header(t, "APIC", len, MADT_REVISION);
	put32(t + MADT_LAPIC_ADDR, LAPIC_BASE);
	put32(t + MADT_FLAGS, 0); /* no PCAT_COMPAT: no 8259s to mask */
	for (unsigned i = 0; i < nr_vcpus; i++) {
		uint8_t *e = t + MADT_ENTRIES + i * MADT_LAPIC_LEN;

		e[0] = MADT_LAPIC_TYPE;
		e[1] = MADT_LAPIC_LEN;
		e[2] = (uint8_t)i; /* ACPI processor UID */
		e[3] = (uint8_t)i; /* APIC ID */
		put32(e + 4, MADT_LAPIC_ENABLED);
	}
	seal(t);
}

/* A Generic Address Structure for an 8-bit I/O port (ACPI 6.0, 5.2.3.2). */
static void gas_io8(uint8_t *g, uint16_t port)
{
	g[0] = GAS_SYSTEM_IO;
	g[1] = 8; /* register bit width */
	g[2] = 0; /* bit offset */
	g[3] = GAS_ACCESS_BYTE;
	put64(g + 4, port);
}

static void build_fadt(uint8_t *t, uint64_t dsdt_gpa)
{
	header(t, "FACP", FADT_SIZE, FADT_REVISION);
	/*
	 * Every block, port and FACS field stays 0: hardware-reduced ACPI
	 * has none (5.2.9: "ignored by OSPM" with HW_REDUCED_ACPI). The
	 * 32-bit DSDT field too, since X_DSDT is set (OSPM uses X_DSDT
	 * when it is non-zero).
	 */
	put16(t + FADT_IAPC_BOOT_ARCH, IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT);
	put32(t + FADT_FLAGS, FADT_HW_REDUCED_ACPI | FADT_RESET_REG_SUP);
	gas_io8(t + FADT_RESET_REG, BOLT_ACPI_RESET_PORT);
	t[FADT_RESET_VALUE] = BOLT_ACPI_RESET_VALUE;
	gas_io8(t + FADT_SLEEP_CONTROL, BOLT_ACPI_SLEEP_CONTROL_PORT);
	gas_io8(t + FADT_SLEEP_STATUS, BOLT_ACPI_SLEEP_STATUS_PORT);
	t[FADT_MINOR] = FADT_MINOR_VERSION;
	put64(t + FADT_X_DSDT, dsdt_gpa);
	seal(t);
}

static void build_dsdt(uint8_t *t)
{
	header(t, "DSDT", DSDT_SIZE, DSDT_REVISION);
	memcpy(t + HDR_SIZE, dsdt_aml, sizeof(dsdt_aml));
	seal(t);
}

static void build_xsdt(uint8_t *t, uint64_t fadt_gpa, uint64_t madt_gpa)
{
	header(t, "XSDT", XSDT_SIZE, 1);
	put64(t + HDR_SIZE, fadt_gpa);
	put64(t + HDR_SIZE + 8, madt_gpa);
	seal(t);
}

static void build_rsdp(uint8_t *r, uint64_t xsdt_gpa)
{
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + RSDP_OEM_ID, OEM_ID, 6);
	r[RSDP_REVISION] = 2; /* ACPI 2.0+: Length, XsdtAddress, extended checksum */
	put32(r + RSDP_RSDT, 0); /* no RSDT: every PVH-capable OS reads the XSDT */
	put32(r + RSDP_LENGTH, RSDP_SIZE);
	put64(r + RSDP_XSDT, xsdt_gpa);
	/* The first checksum covers the ACPI 1.0 part, the extended one all of it. */
	r[RSDP_CHECKSUM] = checksum(r, RSDP_V1_SIZE);
	r[RSDP_EXT_CHECKSUM] = checksum(r, RSDP_SIZE);
}

int acpi_tables_build(void *buf, size_t size, uint64_t gpa, unsigned nr_vcpus,
		      uint64_t *rsdp_gpa)
{
	uint8_t *b = buf;
	int rc = -XEN_EINVAL;

	if (!nr_vcpus || nr_vcpus > ACPI_TABLES_MAX_VCPUS || !IS_ALIGNED(gpa, 16u))
		goto out;
	rc = -XEN_ENOSPC;
	if (size < acpi_tables_size(nr_vcpus))
		goto out;
	memset(b, 0, size);
	build_dsdt(b + OFF_DSDT);
	build_fadt(b + OFF_FADT, gpa + OFF_DSDT);
	build_madt(b + OFF_MADT, nr_vcpus);
	build_xsdt(b + OFF_XSDT, gpa + OFF_FADT, gpa + OFF_MADT);
	build_rsdp(b + OFF_RSDP, gpa + OFF_XSDT);
	*rsdp_gpa = gpa + OFF_RSDP;
	rc = 0;
out:
	return rc;
}
