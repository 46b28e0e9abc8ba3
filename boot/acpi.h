/* SPDX-License-Identifier: MIT */
/*
 * Minimal ACPI table readers: locate a table through the RSDP (RSDT or
 * XSDT), list the CPUs in the MADT (to cross-check UEFI MP Services), and
 * find the PM1 control ports and \_S5 sleep types in the FADT/DSDT (to
 * power off through ACPI S5). Generic and freestanding: tables are reached
 * through a caller-supplied mapping callback, so host tests can feed
 * captured bytes (in the hypervisor physical == virtual).
 *
 * Every function returns 0 or a negative Xen errno; on failure
 * acpi_last_error() says precisely what was wrong. Table parsing happens
 * once, on the boot CPU, which is why one static message buffer is enough.
 */
#ifndef BOOT_ACPI_H
#define BOOT_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_SDT_HEADER_SIZE 36u

/* Return a pointer to len readable bytes at physical address phys, or NULL. */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, size_t len);

/*
 * Find the table with signature sig ("APIC", "FACP", "MCFG", ... and
 * "DSDT", which is reached through the FADT) via the RSDP: the XSDT when
 * the RSDP is revision 2+ and has one, else the RSDT. The RSDP, the root
 * table and the returned table have their checksums verified (a table with
 * a bad checksum is skipped in favour of a later good copy).
 * Returns 0, -XEN_ENOENT (no such table), or -XEN_EINVAL (corrupt RSDP,
 * root table, or only corrupt copies of the table).
 */
int acpi_find_table(const void *rsdp, acpi_map_fn map, void *ctx, const char sig[4],
		    const void **table);

/* Length and checksum of a mapped table with signature sig (NULL: any). */
int acpi_check_table(const void *table, const char *sig);

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t uid;        /* ACPI processor UID */
	bool enabled;        /* usable now */
	bool online_capable; /* disabled, but may be brought online later */
};

/*
 * CPUs of a (checksummed) MADT: every Processor Local APIC (type 0) and
 * Local x2APIC (type 9) entry, in table order, enabled or not. Fills up to
 * max entries and sets *count to the number of CPU entries in the table;
 * returns -XEN_E2BIG if that is more than max, -XEN_EINVAL on a malformed
 * table.
 */
int acpi_madt_cpus(const void *madt, struct acpi_cpu *cpus, unsigned max,
		   unsigned *count);

/* What ACPI S5 power-off needs: write (slp_typ << 10) | (1 << 13) to PM1x_CNT. */
struct acpi_s5 {
	uint16_t pm1a_cnt, pm1b_cnt; /* I/O ports; pm1b_cnt 0 if absent */
	uint8_t slp_typa, slp_typb;
};

/*
 * From the FADT: PM1a/PM1b control ports (legacy fields, or the X_ fields
 * when those are zero and name I/O space), then the DSDT (X_DSDT if
 * non-zero) and its \_S5 package. Returns -XEN_ENODEV when there is no PM1
 * control port (hardware-reduced ACPI, e.g. Firecracker), -XEN_ENOENT when
 * the DSDT has no \_S5, -XEN_EINVAL on malformed tables.
 */
int acpi_s5_info(const void *fadt, acpi_map_fn map, void *ctx, struct acpi_s5 *out);

/*
 * Find "Name (\_S5, Package () { a, b, ... })" in DSDT AML and decode the
 * first two elements (Zero/One/Ones or Byte/Word/DWord/QWord constants,
 * low 3 bits kept, as ACPICA does). A one-element package gives a == b.
 * Only the DSDT's signature and length are checked, not its checksum.
 * Returns -XEN_ENOENT when there is no \_S5 definition.
 */
int acpi_dsdt_find_s5(const void *dsdt, uint8_t *slp_typa, uint8_t *slp_typb);

/* Message for the last failure of an acpi_* call ("" if none). */
const char *acpi_last_error(void);

#endif
