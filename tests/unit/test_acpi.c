/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the ACPI readers (boot/acpi.c): the captured Firecracker
 * tables in tests/data/acpi (see the README there) reached through a fake
 * RSDP/XSDT/RSDT "physical memory", the tables QEMU q35 + OVMF publish
 * (what tests/tcg/run.sh boots on), plus small synthetic tables for the
 * x2APIC, S5 and corruption cases.
 */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"

#include "boot/acpi.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define PHYS_RSDT 0x1000u
#define PHYS_XSDT 0x2000u
#define PHYS_FACP 0x10000u
#define PHYS_APIC 0x20000u
#define PHYS_APIC2 0x28000u
#define PHYS_DSDT_CAPTURED 0x9fd44u /* X_DSDT in the captured FACP */
#define PHYS_DSDT 0x30000u

/* A fake physical address space: a few regions backed by host buffers. */
struct region {
	uint64_t phys;
	const void *ptr;
	size_t len;
};

struct memmap {
	struct region r[8];
	unsigned n;
};

static const void *fake_map(void *ctx, uint64_t phys, size_t len)
{
	struct memmap *m = ctx;

	for (unsigned i = 0; i < m->n; i++) {
		const struct region *r = &m->r[i];

		if (phys >= r->phys && phys - r->phys <= r->len && len <= r->len - (phys - r->phys))
			return (const uint8_t *)r->ptr + (phys - r->phys);
	}
	return NULL;
}

static void add_region(struct memmap *m, uint64_t phys, const void *ptr, size_t len)
{
	m->r[m->n++] = (struct region){ phys, ptr, len };
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

static void fix_sum(uint8_t *t, size_t len, size_t sum_off)
{
	uint8_t s = 0;

	t[sum_off] = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + t[i]);
	t[sum_off] = (uint8_t)-s;
}

/* Table with a header, the given body and a correct checksum (malloc'd). */
static uint8_t *make_table(const char *sig, const void *body, size_t body_len, uint8_t rev)
{
	size_t len = 36 + body_len;
	uint8_t *t = calloc(1, len);

	memcpy(t, sig, 4);
	wr32(t + 4, (uint32_t)len);
	t[8] = rev;
	memcpy(t + 10, "BOLTT ", 6);
	memcpy(t + 16, "UNITTEST", 8);
	memcpy(t + 36, body, body_len);
	fix_sum(t, len, 9);
	return t;
}

struct fixture {
	char *apic, *facp, *dsdt;
	size_t apic_len, facp_len, dsdt_len;
	uint8_t rsdp[36];
	uint8_t *xsdt, *rsdt;
	struct memmap mem;
};

/*
 * The captured tables at fixed physical addresses, an XSDT listing
 * FACP and APIC, an RSDT listing APIC only, and a revision-2 RSDP.
 */
static void fixture_init(struct fixture *f)
{
	uint8_t ents[16];

	memset(f, 0, sizeof(*f));
	f->apic = unit_read_file("tests/data/acpi/APIC.bin", &f->apic_len);
	f->facp = unit_read_file("tests/data/acpi/FACP.bin", &f->facp_len);
	f->dsdt = unit_read_file("tests/data/acpi/DSDT.bin", &f->dsdt_len);
	wr64(ents, PHYS_FACP);
	wr64(ents + 8, PHYS_APIC);
	f->xsdt = make_table("XSDT", ents, 16, 1);
	wr32(ents, PHYS_APIC);
	f->rsdt = make_table("RSDT", ents, 4, 1);

	memcpy(f->rsdp, "RSD PTR ", 8);
	memcpy(f->rsdp + 9, "BOLTT ", 6);
	f->rsdp[15] = 2;
	wr32(f->rsdp + 16, PHYS_RSDT);
	wr32(f->rsdp + 20, 36);
	wr64(f->rsdp + 24, PHYS_XSDT);
	fix_sum(f->rsdp, 20, 8);
	fix_sum(f->rsdp, 36, 32);

	add_region(&f->mem, PHYS_RSDT, f->rsdt, 40);
	add_region(&f->mem, PHYS_XSDT, f->xsdt, 52);
	add_region(&f->mem, PHYS_FACP, f->facp, f->facp_len);
	add_region(&f->mem, PHYS_APIC, f->apic, f->apic_len);
	add_region(&f->mem, PHYS_DSDT_CAPTURED, f->dsdt, f->dsdt_len);
}

static void fixture_free(struct fixture *f)
{
	free(f->apic);
	free(f->facp);
	free(f->dsdt);
	free(f->xsdt);
	free(f->rsdt);
}

static void test_captured_madt(void)
{
	struct fixture f;
	struct acpi_cpu cpus[8];
	unsigned n = 99;

	fixture_init(&f);
	memset(cpus, 0xee, sizeof(cpus));
	CHECK_EQ(acpi_madt_cpus(f.apic, cpus, 8, &n), 0);
	CHECK_STR(acpi_last_error(), "");
	CHECK_EQ(n, 2);
	CHECK_EQ(cpus[0].apic_id, 0);
	CHECK_EQ(cpus[0].uid, 0);
	CHECK(cpus[0].enabled);
	CHECK(!cpus[0].online_capable);
	CHECK_EQ(cpus[1].apic_id, 1);
	CHECK_EQ(cpus[1].uid, 1);
	CHECK(cpus[1].enabled);
	CHECK_EQ(cpus[2].apic_id, 0xeeeeeeee); /* nothing written past n */

	/* Too small an array: the first entry filled, the total reported. */
	memset(cpus, 0xee, sizeof(cpus));
	CHECK_EQ(acpi_madt_cpus(f.apic, cpus, 1, &n), -XEN_E2BIG);
	CHECK_EQ(n, 2);
	CHECK_EQ(cpus[0].apic_id, 0);
	CHECK_EQ(cpus[1].apic_id, 0xeeeeeeee);
	CHECK_CONTAINS(acpi_last_error(), "2 CPUs, only room for 1");
	/* Counting only. */
	CHECK_EQ(acpi_madt_cpus(f.apic, NULL, 0, &n), -XEN_E2BIG);
	CHECK_EQ(n, 2);
	fixture_free(&f);
}

/* MADT body: LAPIC address, flags, then the given entries. */
static uint8_t *make_madt(const uint8_t *ents, size_t len)
{
	uint8_t body[256];

	wr32(body, 0xfee00000);
	wr32(body + 4, 1);
	memcpy(body + 8, ents, len);
	return make_table("APIC", body, 8 + len, 5);
}

static void test_madt_x2apic_override(void)
{
	const uint8_t ents[] = {
		0, 8, 3, 2, 1, 0, 0, 0,                      /* LAPIC uid 3 id 2 */
		0, 8, 4, 0xff, 0, 0, 0, 0,                   /* disabled placeholder */
		9, 16, 0, 0, 0x00, 0x01, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, /* x2APIC 0x100 */
		5, 12, 0, 0, 0, 0, 0xd0, 0xfe, 1, 0, 0, 0,   /* LAPIC override: no CPU */
		1, 12, 9, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0,   /* I/O APIC: ignored */
	};
	uint8_t *m = make_madt(ents, sizeof(ents));
	struct acpi_cpu cpus[4];
	unsigned n;

	CHECK_EQ(acpi_madt_cpus(m, cpus, 4, &n), 0);
	CHECK_EQ(n, 3);
	CHECK_EQ(cpus[0].apic_id, 2);
	CHECK_EQ(cpus[0].uid, 3);
	CHECK(cpus[0].enabled);
	CHECK_EQ(cpus[1].apic_id, 0xff);
	CHECK(!cpus[1].enabled);
	CHECK(!cpus[1].online_capable);
	CHECK_EQ(cpus[2].apic_id, 0x100);
	CHECK_EQ(cpus[2].uid, 7);
	CHECK(!cpus[2].enabled);
	CHECK(cpus[2].online_capable);
	free(m);
}

static void expect_bad_madt(const uint8_t *ents, size_t len, const char *msg)
{
	uint8_t *m = make_madt(ents, len);
	struct acpi_cpu cpus[4];
	unsigned n = 7;

	CHECK_EQ(acpi_madt_cpus(m, cpus, 4, &n), -XEN_EINVAL);
	CHECK_EQ(n, 0);
	CHECK_CONTAINS(acpi_last_error(), msg);
	if (!strstr(acpi_last_error(), msg))
		fprintf(stderr, "  got: %s\n", acpi_last_error());
	free(m);
}

static void test_madt_malformed(void)
{
	const uint8_t zero_len[] = { 0, 8, 0, 0, 1, 0, 0, 0, 2, 0 };
	const uint8_t short_lapic[] = { 0, 6, 0, 0, 1, 0 };
	const uint8_t short_x2[] = { 9, 12, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0 };
	const uint8_t past_end[] = { 0, 8, 0, 0, 1, 0, 0, 0, 0, 9, 0, 0, 1, 0, 0, 0 };
	const uint8_t half_hdr[] = { 0, 8, 0, 0, 1, 0, 0, 0, 0 };

	expect_bad_madt(zero_len, sizeof(zero_len),
			"entry type 2 at offset 52 has length 0 (need 2)");
	expect_bad_madt(short_lapic, sizeof(short_lapic),
			"entry type 0 at offset 44 has length 6 (need 8)");
	expect_bad_madt(short_x2, sizeof(short_x2),
			"entry type 9 at offset 44 has length 12 (need 16)");
	expect_bad_madt(past_end, sizeof(past_end),
			"entry type 0 at offset 52 (length 9) runs past the table end (60)");
	expect_bad_madt(half_hdr, sizeof(half_hdr), "truncated entry header at offset 52");

	/* Captured MADT: length cut to mid-entry, bad checksum, wrong table. */
	struct fixture f;
	unsigned n;

	fixture_init(&f);
	wr32((uint8_t *)f.apic + 4, 50);
	fix_sum((uint8_t *)f.apic, 50, 9);
	CHECK_EQ(acpi_madt_cpus(f.apic, NULL, 0, &n), -XEN_EINVAL);
	CHECK_CONTAINS(acpi_last_error(), "entry type 1 at offset 44 (length 12) runs past");
	wr32((uint8_t *)f.apic + 4, 40);
	fix_sum((uint8_t *)f.apic, 40, 9);
	CHECK_EQ(acpi_madt_cpus(f.apic, NULL, 0, &n), -XEN_EINVAL);
	CHECK_CONTAINS(acpi_last_error(), "ACPI MADT: length 40 is too short");
	wr32((uint8_t *)f.apic + 4, 72);
	f.apic[60] ^= 1;
	CHECK_EQ(acpi_madt_cpus(f.apic, NULL, 0, &n), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI APIC: bad checksum");
	CHECK_EQ(acpi_madt_cpus(f.facp, NULL, 0, &n), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI: expected a APIC table, found \"FACP\"");
	fixture_free(&f);
}

static void test_find_xsdt(void)
{
	struct fixture f;
	const void *t = NULL;

	fixture_init(&f);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), 0);
	CHECK(t == f.apic);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "FACP", &t), 0);
	CHECK(t == f.facp);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "DSDT", &t), 0);
	CHECK(t == f.dsdt);
	t = NULL;
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "MCFG", &t), -XEN_ENOENT);
	CHECK(t == NULL);
	CHECK_STR(acpi_last_error(), "ACPI: no MCFG table");
	fixture_free(&f);
}

static void test_find_rsdt(void)
{
	struct fixture f;
	const void *t = NULL;

	fixture_init(&f);
	/* Revision 0 RSDP: the RSDT (APIC only), XSDT address ignored. */
	f.rsdp[15] = 0;
	fix_sum(f.rsdp, 20, 8);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), 0);
	CHECK(t == f.apic);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "FACP", &t), -XEN_ENOENT);
	/* Revision 2 with a zero XSDT address also falls back to the RSDT. */
	f.rsdp[15] = 2;
	wr64(f.rsdp + 24, 0);
	fix_sum(f.rsdp, 20, 8);
	fix_sum(f.rsdp, 36, 32);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "FACP", &t), -XEN_ENOENT);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), 0);
	fixture_free(&f);
}

static void test_find_corrupt_rsdp(void)
{
	struct fixture f;
	const void *t;

	fixture_init(&f);
	f.rsdp[0] = 'r';
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI RSDP: bad signature");
	f.rsdp[0] = 'R';
	f.rsdp[8]++;
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI RSDP: bad checksum");
	f.rsdp[8]--;
	f.rsdp[32]++;
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI RSDP: bad extended checksum");
	f.rsdp[32]--;
	wr32(f.rsdp + 20, 20);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI RSDP: bad length 20");
	CHECK_EQ(acpi_find_table(NULL, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	fixture_free(&f);
}

static void test_find_corrupt_tables(void)
{
	struct fixture f;
	const void *t = NULL;

	fixture_init(&f);
	/* Corrupt XSDT checksum. */
	f.xsdt[40] ^= 0x80;
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI XSDT at 0x2000: bad checksum");
	f.xsdt[40] ^= 0x80;
	/* XSDT length larger than what is mapped. */
	wr32(f.xsdt + 4, 4096);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI XSDT at 0x2000: 4096 bytes cannot be mapped");
	/* XSDT length shorter than its header. */
	wr32(f.xsdt + 4, 20);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_CONTAINS(acpi_last_error(), "length 20 is shorter than the table header");
	/* XSDT truncated to one entry (checksum fixed): APIC now unlisted. */
	wr32(f.xsdt + 4, 44);
	fix_sum(f.xsdt, 44, 9);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_ENOENT);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "FACP", &t), 0);
	wr32(f.xsdt + 4, 52);
	fix_sum(f.xsdt, 52, 9);
	/* XSDT signature wrong. */
	f.xsdt[0] = 'R';
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_CONTAINS(acpi_last_error(), "expected XSDT, found \"RSDT\"");
	f.xsdt[0] = 'X';

	/* Corrupt APIC checksum; then a good copy later in the XSDT wins. */
	f.apic[50] ^= 1;
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI APIC at 0x20000: bad checksum");
	/* APIC table length cut short of its header. */
	f.apic[50] ^= 1;
	wr32((uint8_t *)f.apic + 4, 30);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_CONTAINS(acpi_last_error(), "ACPI APIC at 0x20000: length 30 is shorter");
	/* ... and longer than mapped. */
	wr32((uint8_t *)f.apic + 4, 73);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_EINVAL);
	CHECK_CONTAINS(acpi_last_error(), "73 bytes cannot be mapped");
	wr32((uint8_t *)f.apic + 4, 72);

	uint8_t *ents = f.xsdt + 36, *good = malloc(f.apic_len);
	memcpy(good, f.apic, f.apic_len);
	f.apic[50] ^= 1;
	add_region(&f.mem, PHYS_APIC2, good, f.apic_len);
	wr64(ents, PHYS_APIC); /* XSDT: APIC (bad), APIC2 (good) */
	wr64(ents + 8, PHYS_APIC2);
	fix_sum(f.xsdt, 52, 9);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), 0);
	CHECK(t == good);
	CHECK_STR(acpi_last_error(), "");
	/* Unmappable and zero entries are skipped. */
	wr64(ents, 0xdead0000);
	wr64(ents + 8, 0);
	fix_sum(f.xsdt, 52, 9);
	CHECK_EQ(acpi_find_table(f.rsdp, fake_map, &f.mem, "APIC", &t), -XEN_ENOENT);
	free(good);
	fixture_free(&f);
}

static void test_captured_s5(void)
{
	struct fixture f;
	struct acpi_s5 s5 = { 1, 2, 3, 4 };
	uint8_t a = 9, b = 9;

	fixture_init(&f);
	/* Firecracker: hardware-reduced ACPI, no PM1 block, no \_S5. */
	CHECK_EQ(acpi_s5_info(f.facp, fake_map, &f.mem, &s5), -XEN_ENODEV);
	CHECK_STR(acpi_last_error(), "ACPI FACP: no PM1a control block (hardware-reduced ACPI)");
	CHECK_EQ(s5.pm1a_cnt, 1);
	CHECK_EQ(acpi_dsdt_find_s5(f.dsdt, &a, &b), -XEN_ENOENT);
	CHECK_STR(acpi_last_error(), "ACPI DSDT: no \\_S5 object");
	CHECK_EQ(a, 9);

	/* With a PM1a port patched in, the DSDT is found via X_DSDT. */
	wr32((uint8_t *)f.facp + 64, 0x604);
	fix_sum((uint8_t *)f.facp, f.facp_len, 9);
	CHECK_EQ(acpi_s5_info(f.facp, fake_map, &f.mem, &s5), -XEN_ENOENT);
	CHECK_STR(acpi_last_error(), "ACPI DSDT: no \\_S5 object");
	/* ... and when X_DSDT points nowhere that fails precisely. */
	wr64((uint8_t *)f.facp + 140, 0x7000000);
	fix_sum((uint8_t *)f.facp, f.facp_len, 9);
	CHECK_EQ(acpi_s5_info(f.facp, fake_map, &f.mem, &s5), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI DSDT table at 0x7000000 cannot be mapped");
	fixture_free(&f);
}

/* A FADT (copied from the captured one) pointing at a synthetic DSDT. */
static uint8_t *make_fadt(const char *facp, size_t len, uint32_t pm1a, uint32_t pm1b)
{
	uint8_t *t = malloc(len);

	memcpy(t, facp, len);
	wr32(t + 64, pm1a);
	wr32(t + 68, pm1b);
	wr32(t + 112, 0);           /* not hardware-reduced */
	wr64(t + 140, PHYS_DSDT);   /* X_DSDT */
	wr32(t + 40, 0x12345678);   /* legacy DSDT: must be ignored */
	fix_sum(t, len, 9);
	return t;
}

static int s5_from_aml(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	uint8_t *d = make_table("DSDT", aml, len, 2);
	int rc = acpi_dsdt_find_s5(d, a, b);

	free(d);
	return rc;
}

static void test_synthetic_s5(void)
{
	struct fixture f;
	struct acpi_s5 s5;
	/* Method (X, 0) { _S5_ } reference, then Name (\_S5, Package () {5, One, 0, 0}) */
	const uint8_t aml[] = {
		0x14, 0x09, 'X', 'X', 'X', 'X', 0x00, 0x70, '_', 'S', '5', '_',
		0x08, '\\', '_', 'S', '5', '_', 0x12, 0x07, 0x04, 0x0a, 0x05, 0x01, 0x00, 0x00,
		0x10, 0x05, '_', 'S', 'B', '_',
	};
	uint8_t *dsdt = make_table("DSDT", aml, sizeof(aml), 2);
	uint8_t *fadt;

	fixture_init(&f);
	add_region(&f.mem, PHYS_DSDT, dsdt, 36 + sizeof(aml));
	fadt = make_fadt(f.facp, f.facp_len, 0x604, 0);
	memset(&s5, 0xee, sizeof(s5));
	CHECK_EQ(acpi_s5_info(fadt, fake_map, &f.mem, &s5), 0);
	CHECK_STR(acpi_last_error(), "");
	CHECK_EQ(s5.pm1a_cnt, 0x604);
	CHECK_EQ(s5.pm1b_cnt, 0);
	CHECK_EQ(s5.slp_typa, 5);
	CHECK_EQ(s5.slp_typb, 1);
	free(fadt);

	/* PM1b present; legacy fields zero but X_PM1a_CNT_BLK in I/O space. */
	fadt = make_fadt(f.facp, f.facp_len, 0, 0xb005);
	fadt[172] = 1;             /* SystemIO */
	wr64(fadt + 176, 0xb004);
	fix_sum(fadt, f.facp_len, 9);
	CHECK_EQ(acpi_s5_info(fadt, fake_map, &f.mem, &s5), 0);
	CHECK_EQ(s5.pm1a_cnt, 0xb004);
	CHECK_EQ(s5.pm1b_cnt, 0xb005);
	/* X_PM1a in memory space is not a port: no usable PM1a. */
	fadt[172] = 0;
	fix_sum(fadt, f.facp_len, 9);
	CHECK_EQ(acpi_s5_info(fadt, fake_map, &f.mem, &s5), -XEN_ENODEV);
	CHECK_STR(acpi_last_error(), "ACPI FACP: no PM1a control block");
	/* An I/O address above 0xffff is rejected. */
	fadt[172] = 1;
	wr64(fadt + 176, 0x10000);
	fix_sum(fadt, f.facp_len, 9);
	CHECK_EQ(acpi_s5_info(fadt, fake_map, &f.mem, &s5), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(),
		  "ACPI FACP: PM1a control block 0x10000 is not an I/O port");
	free(fadt);

	/* A DSDT with a wrong checksum is still used (as Linux does). */
	fadt = make_fadt(f.facp, f.facp_len, 0x604, 0);
	dsdt[9]++;
	CHECK_EQ(acpi_s5_info(fadt, fake_map, &f.mem, &s5), 0);
	CHECK_EQ(s5.slp_typa, 5);
	dsdt[9]--;
	/* Corrupt FADT checksum, truncated FADT. */
	fadt[100] ^= 1;
	CHECK_EQ(acpi_s5_info(fadt, fake_map, &f.mem, &s5), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI FACP: bad checksum");
	fadt[100] ^= 1;
	wr32(fadt + 4, 100);
	fix_sum(fadt, 100, 9);
	CHECK_EQ(acpi_s5_info(fadt, fake_map, &f.mem, &s5), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI FACP: length 100 is too short");
	/* Old, short FADT: legacy DSDT pointer used (X_DSDT beyond its length). */
	wr32(fadt + 4, 116);
	wr32(fadt + 40, PHYS_DSDT);
	fix_sum(fadt, 116, 9);
	CHECK_EQ(acpi_s5_info(fadt, fake_map, &f.mem, &s5), 0);
	CHECK_EQ(s5.slp_typb, 1);
	free(fadt);
	free(dsdt);
	fixture_free(&f);
}

static void test_s5_encodings(void)
{
	uint8_t a = 0, b = 0;

	/* Two-byte PkgLength (23 bytes), Word and DWord constants. */
	const uint8_t wide[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x47, 0x01, 0x05,
				 0x0b, 0x03, 0x00, 0x0c, 0x06, 0x00, 0x00, 0x00,
				 0x0c, 0, 0, 0, 0, 0x0c, 0, 0, 0, 0, 0x0a, 0 };
	CHECK_EQ(s5_from_aml(wide, sizeof(wide), &a, &b), 0);
	CHECK_EQ(a, 3);
	CHECK_EQ(b, 6);
	/* Ones, QWord; values kept to 3 bits. */
	const uint8_t ones[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x0c, 0x02, 0xff,
				 0x0e, 0x0c, 0, 0, 0, 0, 0, 0, 0 };
	CHECK_EQ(s5_from_aml(ones, sizeof(ones), &a, &b), 0);
	CHECK_EQ(a, 7);
	CHECK_EQ(b, 4);
	/* One element: used for both. */
	const uint8_t one[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x02 };
	CHECK_EQ(s5_from_aml(one, sizeof(one), &a, &b), 0);
	CHECK_EQ(a, 2);
	CHECK_EQ(b, 2);
	/* Zero, Zero (QEMU's PIIX4/ICH9 values). */
	const uint8_t zeros[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0 };
	CHECK_EQ(s5_from_aml(zeros, sizeof(zeros), &a, &b), 0);
	CHECK_EQ(a, 0);
	CHECK_EQ(b, 0);
	/* A malformed first definition, then a good one. */
	const uint8_t second[] = { 0x08, '_', 'S', '5', '_', 0x0a, 0x05,
				   0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x01, 0x0a, 0x03 };
	CHECK_EQ(s5_from_aml(second, sizeof(second), &a, &b), 0);
	CHECK_EQ(a, 1);
	CHECK_EQ(b, 3);
}

static void expect_bad_s5(const uint8_t *aml, size_t len, int rc, const char *msg)
{
	uint8_t a = 0x55, b = 0x55;

	CHECK_EQ(s5_from_aml(aml, len, &a, &b), rc);
	CHECK_STR(acpi_last_error(), msg);
	CHECK_EQ(a, 0x55);
	CHECK_EQ(b, 0x55);
}

static void test_s5_malformed(void)
{
	const uint8_t not_pkg[] = { 0x08, '_', 'S', '5', '_', 0x0a, 0x05, 0x00 };
	const uint8_t method[] = { 0x14, 0x09, '_', 'S', '5', '_', 0x00, 0xa4, 0x01, 0xa3 };
	const uint8_t too_long[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x3f, 0x02, 0x00, 0x00 };
	const uint8_t cut_pkglen[] = { 0x08, '_', 'S', '5', '_', 0x12, 0xc0, 0x01 };
	const uint8_t empty[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00, 0x00 };
	const uint8_t string[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0d, 'a', 0 };
	const uint8_t cut_elem[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x00, 0x0b, 0x01 };
	const uint8_t at_end[] = { 0x00, 0x08, '_', 'S', '5', '_' };

	expect_bad_s5(not_pkg, sizeof(not_pkg), -XEN_EINVAL, "ACPI DSDT: \\_S5 is not a Package");
	expect_bad_s5(method, sizeof(method), -XEN_ENOENT, "ACPI DSDT: no \\_S5 object");
	expect_bad_s5(too_long, sizeof(too_long), -XEN_EINVAL,
		      "ACPI DSDT: \\_S5 package length 63 does not fit the table");
	expect_bad_s5(cut_pkglen, sizeof(cut_pkglen), -XEN_EINVAL,
		      "ACPI DSDT: \\_S5 package is truncated");
	expect_bad_s5(empty, sizeof(empty), -XEN_EINVAL, "ACPI DSDT: \\_S5 package is empty");
	expect_bad_s5(string, sizeof(string), -XEN_EINVAL,
		      "ACPI DSDT: \\_S5 element 0 is not an integer constant");
	expect_bad_s5(cut_elem, sizeof(cut_elem), -XEN_EINVAL,
		      "ACPI DSDT: \\_S5 element 1 is not an integer constant");
	expect_bad_s5(at_end, sizeof(at_end), -XEN_EINVAL, "ACPI DSDT: \\_S5 is not a Package");

	uint8_t a, b;
	uint8_t *d = make_table("SSDT", not_pkg, sizeof(not_pkg), 2);
	CHECK_EQ(acpi_dsdt_find_s5(d, &a, &b), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI: not a DSDT");
	memcpy(d, "DSDT", 4);
	wr32(d + 4, 10);
	CHECK_EQ(acpi_dsdt_find_s5(d, &a, &b), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI DSDT: length 10 is too short");
	free(d);
}

/* QEMU 7.2 q35 -smp 4 -m 512 under OVMF, where OVMF put them (README). */
#define QEMU_DIR "tests/data/acpi/qemu-q35-smp4/"
#define QEMU_RSDT 0x1fb7d000u
#define QEMU_DSDT 0x1fb7a000u
#define QEMU_FACP 0x1fb79000u
#define QEMU_APIC 0x1fb78000u

static void test_qemu_q35_tables(void)
{
	size_t rsdp_len, rsdt_len, facp_len, apic_len, dsdt_len;
	char *rsdp = unit_read_file(QEMU_DIR "RSDP.bin", &rsdp_len);
	char *rsdt = unit_read_file(QEMU_DIR "RSDT.bin", &rsdt_len);
	char *facp = unit_read_file(QEMU_DIR "FACP.bin", &facp_len);
	char *apic = unit_read_file(QEMU_DIR "APIC.bin", &apic_len);
	char *dsdt = unit_read_file(QEMU_DIR "DSDT.bin", &dsdt_len);
	struct memmap mem = { .n = 0 };
	const void *madt, *fadt, *t;
	struct acpi_cpu cpus[8];
	struct acpi_s5 s5;
	unsigned n = 0;

	/* HPET, MCFG, WAET and BGRT are listed in the RSDT but not mapped. */
	add_region(&mem, QEMU_RSDT, rsdt, rsdt_len);
	add_region(&mem, QEMU_FACP, facp, facp_len);
	add_region(&mem, QEMU_APIC, apic, apic_len);
	add_region(&mem, QEMU_DSDT, dsdt, dsdt_len);
	CHECK_EQ(rsdp_len, 20); /* revision 0: an RSDT, no XSDT */

	CHECK_EQ(acpi_find_table(rsdp, fake_map, &mem, "APIC", &madt), 0);
	CHECK(madt == apic);
	CHECK_EQ(acpi_madt_cpus(madt, cpus, ARRAY_SIZE(cpus), &n), 0);
	CHECK_EQ(n, 4);
	for (unsigned i = 0; i < 4 && i < n; i++) {
		CHECK_EQ(cpus[i].apic_id, i);
		CHECK_EQ(cpus[i].uid, i);
		CHECK(cpus[i].enabled);
	}
	/* "ACPI: FADT: S5 power-off through PM1a_CNT 0x604 (SLP_TYP 0)" */
	CHECK_EQ(acpi_find_table(rsdp, fake_map, &mem, "FACP", &fadt), 0);
	CHECK_EQ(acpi_s5_info(fadt, fake_map, &mem, &s5), 0);
	CHECK_EQ(s5.pm1a_cnt, 0x604);
	CHECK_EQ(s5.pm1b_cnt, 0);
	CHECK_EQ(s5.slp_typa, 0);
	CHECK_EQ(s5.slp_typb, 0);
	CHECK_EQ(acpi_find_table(rsdp, fake_map, &mem, "DSDT", &t), 0);
	CHECK(t == dsdt);
	CHECK_EQ(acpi_find_table(rsdp, fake_map, &mem, "MCFG", &t), -XEN_ENOENT);

	/*
	 * The only MADT with a bad checksum is -XEN_EINVAL, not -XEN_ENOENT:
	 * boot/efi_mp.c says "MADT unreadable (<this>)" rather than "no MADT".
	 */
	apic[0x30] ^= 1;
	CHECK_EQ(acpi_find_table(rsdp, fake_map, &mem, "APIC", &t), -XEN_EINVAL);
	CHECK_CONTAINS(acpi_last_error(), "APIC");
	CHECK_CONTAINS(acpi_last_error(), "checksum");
	apic[0x30] ^= 1;
	/* A CPU entry cut short (checksum fixed): the MADT walk names it. */
	apic[0x2d] = 4;
	fix_sum((uint8_t *)apic, apic_len, 9);
	CHECK_EQ(acpi_find_table(rsdp, fake_map, &mem, "APIC", &madt), 0);
	CHECK_EQ(acpi_madt_cpus(madt, cpus, ARRAY_SIZE(cpus), &n), -XEN_EINVAL);
	CHECK_STR(acpi_last_error(), "ACPI MADT: entry type 0 at offset 44 has length 4 (need 8)");
	free(rsdp);
	free(rsdt);
	free(facp);
	free(apic);
	free(dsdt);
}

void unit_main(void)
{
	TEST(test_captured_madt);
	TEST(test_madt_x2apic_override);
	TEST(test_madt_malformed);
	TEST(test_find_xsdt);
	TEST(test_find_rsdt);
	TEST(test_find_corrupt_rsdp);
	TEST(test_find_corrupt_tables);
	TEST(test_captured_s5);
	TEST(test_synthetic_s5);
	TEST(test_s5_encodings);
	TEST(test_s5_malformed);
	TEST(test_qemu_q35_tables);
}
