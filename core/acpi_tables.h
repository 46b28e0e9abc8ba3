/* SPDX-License-Identifier: MIT */
/*
 * The ACPI tables Bolt gives every PVH guest (docs/abi.md, "ACPI tables"):
 * RSDP, XSDT, a hardware-reduced FADT with a minimal DSDT, and a MADT with
 * one Processor Local APIC entry per vCPU. Nothing else: no IO-APIC, no
 * HPET, no MCFG, because Bolt emulates none of them. The guest finds the
 * RSDP through hvm_start_info.rsdp_paddr.
 *
 * Generic and freestanding (compiles on the host for unit tests): the
 * caller passes the buffer that will sit at guest-physical gpa; every
 * pointer inside the tables is computed from gpa.
 */
#ifndef CORE_ACPI_TABLES_H
#define CORE_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

/*
 * xAPIC IDs are 8 bits and 0xFF is the broadcast ID, so a Processor Local
 * APIC entry (ACPI 6.0, 5.2.12.2) can name vCPUs 0..254.
 */
#define ACPI_TABLES_MAX_VCPUS 255u

/* Bytes the tables take for nr_vcpus vCPUs (at most 2516 for 255). */
size_t acpi_tables_size(unsigned nr_vcpus);

/*
 * Build the tables into buf (size bytes, which will be guest-physical gpa,
 * 16-byte aligned). Bytes of buf the tables do not use are zeroed.
 * Returns 0 and sets *rsdp_gpa, or -XEN_EINVAL (nr_vcpus 0 or above
 * ACPI_TABLES_MAX_VCPUS, gpa not 16-byte aligned: the ACPI spec wants the
 * RSDP on a 16-byte boundary) or -XEN_ENOSPC (buf too small).
 */
int acpi_tables_build(void *buf, size_t size, uint64_t gpa, unsigned nr_vcpus,
		      uint64_t *rsdp_gpa);

#endif
