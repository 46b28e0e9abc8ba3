/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the guest ACPI table builder (core/acpi_tables.c): the
 * built tables are read back with the hypervisor's own readers
 * (boot/acpi.c), as a guest's ACPICA would walk them from rsdp_paddr.
 */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"

#include "bolt/bolt.h"
#include "boot/acpi.h"
#include "core/acpi_tables.h"
#include "lib/bytes.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_X_DSDT 140
#define FADT_HW_REDUCED (1u << 20)

/* The guest's view: one buffer at guest-physical base. */
struct guest_mem {
	uint64_t base;
	uint8_t *buf;
	size_t len;
};

static const void *gmap(void *ctx, uint64_t phys, size_t len)
{
	struct guest_mem *m = ctx;

	if (phys < m->base || phys - m->base > m->len || len > m->len - (phys - m->base))
		return NULL;
	return m->buf + (phys - m->base);
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Build for nr vCPUs at base and check everything a guest relies on. */
static void check_tables(uint64_t base, unsigned nr)
{
	static struct acpi_cpu cpus[ACPI_TABLES_MAX_VCPUS];
	struct guest_mem m = { base, malloc(BOLT_GUEST_ACPI_SIZE), BOLT_GUEST_ACPI_SIZE };
	const uint8_t *rsdp, *xsdt, *madt, *fadt, *dsdt;
	const void *t;
	struct acpi_s5 s5;
	uint64_t rsdp_gpa = 0;
	unsigned n = 0;
	size_t size = acpi_tables_size(nr);
	int rc;

	memset(m.buf, 0xaa, m.len);
	CHECK(size <= BOLT_GUEST_ACPI_SIZE);
	rc = acpi_tables_build(m.buf, m.len, base, nr, &rsdp_gpa);
	CHECK_EQ(rc, 0);
	if (rc)
		goto out;
	/* The RSDP leads (16-byte aligned); the bytes after the tables are zero. */
	CHECK_EQ(rsdp_gpa, base);
	for (size_t i = size; i < m.len; i++)
		if (m.buf[i]) {
			CHECK_EQ(i, 0);
			break;
		}

	rsdp = gmap(&m, rsdp_gpa, 36);
	CHECK(rsdp != NULL);
	if (!rsdp)
		goto out;
	CHECK(!memcmp(rsdp, "RSD PTR ", 8));
	CHECK(!memcmp(rsdp + 9, "BOLT  ", 6));
	CHECK_EQ(rsdp[15], 2);
	CHECK_EQ(le32(rsdp + 20), 36);
	CHECK_EQ(sum8(rsdp, 20), 0);
	CHECK_EQ(sum8(rsdp, 36), 0);
	xsdt = gmap(&m, le64(rsdp + 24), 36);
	CHECK(xsdt != NULL);
	if (!xsdt)
		goto out;
	CHECK_EQ(acpi_check_table(xsdt, "XSDT"), 0);
	/* Exactly two entries: FACP and APIC, nothing Bolt does not emulate. */
	CHECK_EQ(le32(xsdt + 4), 36 + 2 * 8);

	/* A failed lookup leaves nothing to look at: later checks would read NULL. */
	rc = acpi_find_table(rsdp, gmap, &m, "APIC", &t);
	CHECK_EQ(rc, 0);
	if (rc)
		goto out;
	madt = t;
	CHECK_STR(acpi_last_error(), "");
	CHECK_EQ(le32(madt + 36), 0xfee00000u);
	CHECK_EQ(le32(madt + 40), 0); /* no PCAT_COMPAT */
	CHECK_EQ(le32(madt + 4), 44 + 8 * nr); /* local APIC entries only: no IO-APIC, ISO, NMI */
	CHECK_EQ(acpi_madt_cpus(madt, cpus, ARRAY_SIZE(cpus), &n), 0);
	CHECK_EQ(n, nr);
	for (unsigned i = 0; i < n; i++) {
		CHECK_EQ(madt[44 + 8 * i], 0); /* Processor Local APIC */
		CHECK_EQ(cpus[i].apic_id, i);
		CHECK_EQ(cpus[i].uid, i);
		CHECK(cpus[i].enabled);
	}

	rc = acpi_find_table(rsdp, gmap, &m, "FACP", &t);
	CHECK_EQ(rc, 0);
	if (rc)
		goto out;
	fadt = t;
	CHECK_EQ(le32(fadt + 4), 276);
	CHECK_EQ(fadt[8], 6);
	CHECK(le32(fadt + FADT_FLAGS) & FADT_HW_REDUCED);
	/* VGA not present (bit 2), CMOS RTC not present (bit 5); no legacy devices, no 8042. */
	CHECK_EQ(le16(fadt + FADT_IAPC_BOOT_ARCH), (1u << 2) | (1u << 5));
	/* Hardware-reduced: no PM1 blocks, so Bolt's own S5 reader finds no port. */
	CHECK_EQ(acpi_s5_info(fadt, gmap, &m, &s5), -XEN_ENODEV);

	/* DSDT through X_DSDT, with a valid checksum (acpi_find_table does not check it). */
	rc = acpi_find_table(rsdp, gmap, &m, "DSDT", &t);
	CHECK_EQ(rc, 0);
	if (rc)
		goto out;
	dsdt = t;
	CHECK_EQ(le64(fadt + FADT_X_DSDT), base + (uint64_t)(dsdt - m.buf));
	CHECK_EQ(acpi_check_table(dsdt, "DSDT"), 0);
	CHECK(le32(dsdt + 4) >= 36);

	CHECK_EQ(acpi_find_table(rsdp, gmap, &m, "HPET", &t), -XEN_ENOENT);
	CHECK_EQ(acpi_find_table(rsdp, gmap, &m, "MCFG", &t), -XEN_ENOENT);
	CHECK_EQ(acpi_find_table(rsdp, gmap, &m, "SRAT", &t), -XEN_ENOENT);
out:
	free(m.buf);
}

static void test_build_round_trip(void)
{
	check_tables(BOLT_GUEST_ACPI, 1);
	check_tables(BOLT_GUEST_ACPI, 2);
	check_tables(BOLT_GUEST_ACPI, 4);
	check_tables(BOLT_GUEST_ACPI, ACPI_TABLES_MAX_VCPUS);
	/* Pointers follow the base, above 4 GiB too (the XSDT and X_DSDT are 64-bit). */
	check_tables(0x123450000ull, 3);
}

/* Every checksum is needed: a wrong one makes the reader reject that table. */
static void test_build_checksums(void)
{
	uint8_t buf[BOLT_GUEST_ACPI_SIZE];
	struct guest_mem m = { BOLT_GUEST_ACPI, buf, sizeof(buf) };
	const uint8_t *xsdt;
	uint8_t *tbl[4];
	const char *sigs[4] = { "XSDT", "FACP", "APIC", "DSDT" };
	const void *t;
	uint64_t rsdp = 0;

	CHECK_EQ(acpi_tables_build(buf, sizeof(buf), BOLT_GUEST_ACPI, 2, &rsdp), 0);
	/* RSDP: the ACPI 1.0 checksum (byte 8), then the extended one (byte 32). */
	buf[8]++;
	CHECK_EQ(acpi_find_table(buf, gmap, &m, "APIC", &t), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI RSDP: bad checksum");
	buf[8]--;
	buf[32]++;
	CHECK_EQ(acpi_find_table(buf, gmap, &m, "APIC", &t), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI RSDP: bad extended checksum");
	buf[32]--;

	xsdt = gmap(&m, le64(buf + 24), 36);
	CHECK(xsdt != NULL);
	if (!xsdt)
		return;
	tbl[0] = buf + (le64(buf + 24) - BOLT_GUEST_ACPI);
	tbl[1] = buf + (le64(xsdt + 36) - BOLT_GUEST_ACPI);
	tbl[2] = buf + (le64(xsdt + 44) - BOLT_GUEST_ACPI);
	tbl[3] = buf + (le64(tbl[1] + FADT_X_DSDT) - BOLT_GUEST_ACPI);
	for (unsigned i = 0; i < 4; i++) {
		CHECK(!memcmp(tbl[i], sigs[i], 4));
		CHECK_EQ(acpi_check_table(tbl[i], sigs[i]), 0);
		tbl[i][9]++;
		CHECK_EQ(acpi_check_table(tbl[i], sigs[i]), -XEN_EINVAL);
		CHECK_CONTAINS(acpi_last_error(), "bad checksum");
		tbl[i][9]--;
	}
	/* Through the RSDP: a bad XSDT, FADT or MADT checksum fails the lookup. */
	tbl[0][9]++;
	CHECK_EQ(acpi_find_table(buf, gmap, &m, "APIC", &t), -XEN_EINVAL);
	CHECK_CONTAINS(acpi_last_error(), "XSDT");
	tbl[0][9]--;
	tbl[1][9]++;
	CHECK_EQ(acpi_find_table(buf, gmap, &m, "FACP", &t), -XEN_EINVAL);
	tbl[1][9]--;
	tbl[2][9]++;
	CHECK_EQ(acpi_find_table(buf, gmap, &m, "APIC", &t), -XEN_EINVAL);
	tbl[2][9]--;
	CHECK_EQ(acpi_find_table(buf, gmap, &m, "APIC", &t), 0);
}

static void test_build_errors(void)
{
	uint8_t buf[BOLT_GUEST_ACPI_SIZE];
	uint64_t rsdp = 7;

	CHECK_EQ(acpi_tables_build(buf, sizeof(buf), BOLT_GUEST_ACPI, 0, &rsdp), -XEN_EINVAL);
	CHECK_EQ(acpi_tables_build(buf, sizeof(buf), BOLT_GUEST_ACPI, ACPI_TABLES_MAX_VCPUS + 1,
				   &rsdp), -XEN_EINVAL);
	CHECK_EQ(acpi_tables_build(buf, sizeof(buf), BOLT_GUEST_ACPI + 8, 1, &rsdp), -XEN_EINVAL);
	CHECK_EQ(acpi_tables_build(buf, acpi_tables_size(4) - 1, BOLT_GUEST_ACPI, 4, &rsdp),
		 -XEN_ENOSPC);
	CHECK_EQ(rsdp, 7);
	CHECK_EQ(acpi_tables_build(buf, acpi_tables_size(4), BOLT_GUEST_ACPI, 4, &rsdp), 0);
	CHECK_EQ(rsdp, BOLT_GUEST_ACPI);
}

void unit_main(void)
{
	TEST(test_build_round_trip);
	TEST(test_build_checksums);
	TEST(test_build_errors);
}
