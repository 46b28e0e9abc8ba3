/* SPDX-License-Identifier: MIT */
/*
 * ACPI table readers (see boot/acpi.h). Firmware tables are trusted no
 * more than a file: every length is checked before bytes are read, fields
 * are read byte-wise (tables are not necessarily aligned), and nothing is
 * written. Only the small part of AML needed to decode \_S5 is understood.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "boot/acpi.h"
#include "lib/bytes.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/lib.h"

/* Offsets into the RSDP, the MADT and the FADT (ACPI 6.x layouts). */
#define RSDP_V1_SIZE 20u
#define RSDP_V2_SIZE 36u
#define RSDP_MAX_SIZE 256u
#define RSDP_REVISION 15
#define RSDP_RSDT 16
#define RSDP_LENGTH 20
#define RSDP_XSDT 24

#define SDT_LENGTH 4

#define MADT_ENTRIES 44u
#define MADT_LAPIC 0
#define MADT_LAPIC_OVERRIDE 5
#define MADT_X2APIC 9

#define FADT_DSDT 40
#define FADT_PM1A_CNT 64
#define FADT_PM1B_CNT 68
#define FADT_FLAGS 112
#define FADT_X_DSDT 140
#define FADT_X_PM1A_CNT 172
#define FADT_X_PM1B_CNT 184
#define FADT_HW_REDUCED (1u << 20)
#define GAS_SIZE 12u
#define GAS_SYSTEM_IO 1

/* AML opcodes used by \_S5. */
#define AML_ZERO 0x00
#define AML_ONE 0x01
#define AML_NAME 0x08
#define AML_BYTE 0x0a
#define AML_WORD 0x0b
#define AML_DWORD 0x0c
#define AML_QWORD 0x0e
#define AML_PACKAGE 0x12
#define AML_ROOT '\\'
#define AML_ONES 0xff

static char acpi_err[192];

const char *acpi_last_error(void)
{
	return acpi_err;
}

__attribute__((format(printf, 2, 3)))
static int acpi_fail(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bolt_vsnprintf(acpi_err, sizeof(acpi_err), fmt, ap);
	va_end(ap);
	return rc;
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

int acpi_check_table(const void *table, const char *sig)
{
	const uint8_t *t = table;
	uint32_t len;

	acpi_err[0] = '\0';
	if (!t)
		return acpi_fail(-XEN_EINVAL, "ACPI: no table");
	if (sig && memcmp(t, sig, 4))
		return acpi_fail(-XEN_EINVAL, "ACPI: expected a %.4s table, found \"%.4s\"",
				 sig, (const char *)t);
	len = le32(t + SDT_LENGTH);
	if (len < ACPI_SDT_HEADER_SIZE)
		return acpi_fail(-XEN_EINVAL,
				 "ACPI %.4s: length %u is shorter than the table header",
				 (const char *)t, len);
	if (sum8(t, len))
		return acpi_fail(-XEN_EINVAL, "ACPI %.4s: bad checksum", (const char *)t);
	return 0;
}

/*
 * Map the table at phys: its header first to learn the length, then all
 * of it. sig (NULL: any) must match; the checksum is verified unless
 * skip_sum: DSDT checksums are not enforced because firmware often ships
 * wrong ones and Linux only warns about them.
 */
static int acpi_map_table(acpi_map_fn map, void *ctx, uint64_t phys, const char *sig,
			  bool skip_sum, const uint8_t **out)
{
	const uint8_t *hdr = map(ctx, phys, ACPI_SDT_HEADER_SIZE), *t;
	char name[5] = "";
	uint32_t len;

	if (!hdr)
		return acpi_fail(-XEN_EINVAL, "ACPI %s table at 0x%llx cannot be mapped",
				 sig ? sig : "", (unsigned long long)phys);
	memcpy(name, hdr, 4);
	if (sig && memcmp(name, sig, 4))
		return acpi_fail(-XEN_EINVAL,
				 "ACPI table at 0x%llx: expected %.4s, found \"%s\"",
				 (unsigned long long)phys, sig, name);
	len = le32(hdr + SDT_LENGTH);
	if (len < ACPI_SDT_HEADER_SIZE)
		return acpi_fail(-XEN_EINVAL,
				 "ACPI %s at 0x%llx: length %u is shorter than the table header",
				 name, (unsigned long long)phys, len);
	t = map(ctx, phys, len);
	if (!t)
		return acpi_fail(-XEN_EINVAL, "ACPI %s at 0x%llx: %u bytes cannot be mapped",
				 name, (unsigned long long)phys, len);
	if (!skip_sum && sum8(t, len))
		return acpi_fail(-XEN_EINVAL, "ACPI %s at 0x%llx: bad checksum", name,
				 (unsigned long long)phys);
	*out = t;
	return 0;
}

/* The DSDT's address from a FADT: X_DSDT when present and non-zero. */
static uint64_t fadt_dsdt_addr(const uint8_t *fadt)
{
	uint32_t len = le32(fadt + SDT_LENGTH);
	uint64_t x = len >= FADT_X_DSDT + 8 ? le64(fadt + FADT_X_DSDT) : 0;

	return x ? x : le32(fadt + FADT_DSDT);
}

static int acpi_find_dsdt(const void *rsdp, acpi_map_fn map, void *ctx,
			  const void **table)
{
	const void *fadt;
	const uint8_t *dsdt;
	uint64_t addr;
	int rc;

	rc = acpi_find_table(rsdp, map, ctx, "FACP", &fadt);
	if (rc)
		return rc;
	addr = fadt_dsdt_addr(fadt);
	if (!addr)
		return acpi_fail(-XEN_ENOENT, "ACPI FACP: no DSDT address");
	rc = acpi_map_table(map, ctx, addr, "DSDT", true, &dsdt);
	if (!rc)
		*table = dsdt;
	return rc;
}

static int acpi_check_rsdp(const uint8_t *r, uint64_t *root, unsigned *entsize)
{
	uint32_t len;

	if (memcmp(r, "RSD PTR ", 8))
		return acpi_fail(-XEN_EINVAL, "ACPI RSDP: bad signature");
	if (sum8(r, RSDP_V1_SIZE))
		return acpi_fail(-XEN_EINVAL, "ACPI RSDP: bad checksum");
	*root = le32(r + RSDP_RSDT);
	*entsize = 4;
	if (r[RSDP_REVISION] < 2)
		goto out;
	len = le32(r + RSDP_LENGTH);
	if (len < RSDP_V2_SIZE || len > RSDP_MAX_SIZE)
		return acpi_fail(-XEN_EINVAL, "ACPI RSDP: bad length %u", len);
	if (sum8(r, len))
		return acpi_fail(-XEN_EINVAL, "ACPI RSDP: bad extended checksum");
	if (le64(r + RSDP_XSDT)) {
		*root = le64(r + RSDP_XSDT);
		*entsize = 8;
	}
out:
	if (!*root)
		return acpi_fail(-XEN_EINVAL, "ACPI RSDP: no RSDT or XSDT address");
	return 0;
}

int acpi_find_table(const void *rsdp, acpi_map_fn map, void *ctx, const char sig[4],
		    const void **table)
{
	const uint8_t *root, *t;
	uint64_t root_addr, addr;
	unsigned entsize, i, n;
	char want[5];
	bool corrupt = false;
	int rc;

	acpi_err[0] = '\0';
	if (!rsdp || !map || !sig || !table)
		return acpi_fail(-XEN_EINVAL, "ACPI: bad arguments");
	memcpy(want, sig, 4);
	want[4] = '\0';
	if (!memcmp(want, "DSDT", 4))
		return acpi_find_dsdt(rsdp, map, ctx, table);

	rc = acpi_check_rsdp(rsdp, &root_addr, &entsize);
	if (rc)
		return rc;
	rc = acpi_map_table(map, ctx, root_addr, entsize == 8 ? "XSDT" : "RSDT", false, &root);
	if (rc)
		return rc;

	n = (le32(root + SDT_LENGTH) - ACPI_SDT_HEADER_SIZE) / entsize;
	for (i = 0; i < n; i++) {
		const uint8_t *e = root + ACPI_SDT_HEADER_SIZE + i * entsize;

		addr = entsize == 8 ? le64(e) : le32(e);
		if (!addr)
			continue;
		t = map(ctx, addr, ACPI_SDT_HEADER_SIZE);
		if (!t || memcmp(t, want, 4))
			continue;
		/* A corrupt copy is remembered but a later good one wins. */
		if (acpi_map_table(map, ctx, addr, want, false, &t)) {
			corrupt = true;
			continue;
		}
		acpi_err[0] = '\0';
		*table = t;
		return 0;
	}
	if (corrupt)
		return -XEN_EINVAL; /* acpi_err names the corrupt table */
	return acpi_fail(-XEN_ENOENT, "ACPI: no %s table", want);
}

/* Walk the MADT's entries; fn sees each one, already length-checked. */
static int madt_walk(const uint8_t *m, int (*fn)(const uint8_t *e, void *arg), void *arg)
{
	uint32_t len, off;
	int rc;

	rc = acpi_check_table(m, "APIC");
	if (rc)
		return rc;
	len = le32(m + SDT_LENGTH);
	if (len < MADT_ENTRIES)
		return acpi_fail(-XEN_EINVAL, "ACPI MADT: length %u is too short", len);
	for (off = MADT_ENTRIES; off < len; off += m[off + 1]) {
		unsigned type, elen, need = 2;

		if (len - off < 2)
			return acpi_fail(-XEN_EINVAL,
					 "ACPI MADT: truncated entry header at offset %u", off);
		type = m[off];
		elen = m[off + 1];
		if (type == MADT_LAPIC)
			need = 8;
		else if (type == MADT_X2APIC)
			need = 16;
		else if (type == MADT_LAPIC_OVERRIDE)
			need = 12;
		if (elen < need)
			return acpi_fail(-XEN_EINVAL,
					 "ACPI MADT: entry type %u at offset %u has length %u (need %u)",
					 type, off, elen, need);
		if (elen > len - off)
			return acpi_fail(-XEN_EINVAL,
					 "ACPI MADT: entry type %u at offset %u (length %u) runs past the table end (%u)",
					 type, off, elen, len);
		rc = fn(m + off, arg);
		if (rc)
			return rc;
	}
	return 0;
}

struct madt_cpu_acc {
	struct acpi_cpu *cpus;
	unsigned max, n;
};

static int madt_cpu_entry(const uint8_t *e, void *arg)
{
	struct madt_cpu_acc *a = arg;
	struct acpi_cpu c;
	uint32_t flags;

	if (e[0] == MADT_LAPIC) {
		c.uid = e[2];
		c.apic_id = e[3];
		flags = le32(e + 4);
	} else if (e[0] == MADT_X2APIC) {
		c.apic_id = le32(e + 4);
		flags = le32(e + 8);
		c.uid = le32(e + 12);
	} else {
		return 0;
	}
	c.enabled = flags & 1;
	c.online_capable = !c.enabled && (flags & 2);
	if (a->n < a->max)
		a->cpus[a->n] = c;
	a->n++;
	return 0;
}

int acpi_madt_cpus(const void *madt, struct acpi_cpu *cpus, unsigned max,
		   unsigned *count)
{
	struct madt_cpu_acc a = { .cpus = cpus, .max = cpus ? max : 0 };
	int rc;

	acpi_err[0] = '\0';
	if (count)
		*count = 0;
	rc = madt_walk(madt, madt_cpu_entry, &a);
	if (rc)
		return rc;
	if (count)
		*count = a.n;
	if (a.n > a.max)
		return acpi_fail(-XEN_E2BIG, "ACPI MADT: %u CPUs, only room for %u", a.n,
				 a.max);
	return 0;
}

/*
 * Decode one AML integer constant at p (before end). Returns the number of
 * bytes used, or 0 if it is not a constant this parser understands.
 */
static unsigned aml_int(const uint8_t *p, const uint8_t *end, uint64_t *val)
{
	size_t left = (size_t)(end - p), n;

	if (!left)
		return 0;
	switch (p[0]) {
	case AML_ZERO:
		*val = 0;
		return 1;
	case AML_ONE:
		*val = 1;
		return 1;
	case AML_ONES:
		*val = UINT64_MAX;
		return 1;
	case AML_BYTE:
		n = 1;
		break;
	case AML_WORD:
		n = 2;
		break;
	case AML_DWORD:
		n = 4;
		break;
	case AML_QWORD:
		n = 8;
		break;
	default:
		return 0;
	}
	return le_get(p + 1, left - 1, n, val) ? (unsigned)(1 + n) : 0;
}

/*
 * Decode the Package at p (the byte after the name). Returns 0, or
 * -XEN_EINVAL with acpi_err set if this is not a package we understand.
 */
static int aml_s5_package(const uint8_t *p, const uint8_t *end, uint8_t *a, uint8_t *b)
{
	uint32_t pkglen, nbytes, i;
	uint64_t va, vb;
	unsigned used;

	if (end - p < 3 || p[0] != AML_PACKAGE)
		return acpi_fail(-XEN_EINVAL, "ACPI DSDT: \\_S5 is not a Package");
	p++;
	/* PkgLength: bits 7:6 count the extra bytes; it includes itself. */
	nbytes = p[0] >> 6;
	if (nbytes == 0) {
		pkglen = p[0] & 0x3f;
	} else {
		if ((uint32_t)(end - p) < nbytes + 1)
			return acpi_fail(-XEN_EINVAL, "ACPI DSDT: \\_S5 package is truncated");
		pkglen = p[0] & 0x0f;
		for (i = 0; i < nbytes; i++)
			pkglen |= (uint32_t)p[1 + i] << (4 + 8 * i);
	}
	if (pkglen > (uint32_t)(end - p) || pkglen < nbytes + 2)
		return acpi_fail(-XEN_EINVAL,
				 "ACPI DSDT: \\_S5 package length %u does not fit the table", pkglen);
	end = p + pkglen;
	p += nbytes + 1;
	if (p[0] < 1) /* NumElements */
		return acpi_fail(-XEN_EINVAL, "ACPI DSDT: \\_S5 package is empty");
	i = p[0];
	p++;
	used = aml_int(p, end, &va);
	if (!used)
		return acpi_fail(-XEN_EINVAL,
				 "ACPI DSDT: \\_S5 element 0 is not an integer constant");
	p += used;
	vb = va;
	if (i >= 2 && !aml_int(p, end, &vb))
		return acpi_fail(-XEN_EINVAL,
				 "ACPI DSDT: \\_S5 element 1 is not an integer constant");
	/* SLP_TYPx is a 3-bit field: ACPICA keeps the low bits the same way. */
	*a = (uint8_t)(va & 7);
	*b = (uint8_t)(vb & 7);
	return 0;
}

int acpi_dsdt_find_s5(const void *dsdt, uint8_t *slp_typa, uint8_t *slp_typb)
{
	const uint8_t *t = dsdt, *end;
	uint32_t len, i;
	int last = -XEN_ENOENT;
	char why[sizeof(acpi_err)] = "";

	acpi_err[0] = '\0';
	if (!t || memcmp(t, "DSDT", 4))
		return acpi_fail(-XEN_EINVAL, "ACPI: not a DSDT");
	len = le32(t + SDT_LENGTH);
	if (len < ACPI_SDT_HEADER_SIZE)
		return acpi_fail(-XEN_EINVAL, "ACPI DSDT: length %u is too short", len);
	end = t + len;
	for (i = ACPI_SDT_HEADER_SIZE + 1; i + 4 <= len; i++) {
		bool named;

		if (memcmp(t + i, "_S5_", 4))
			continue;
		named = t[i - 1] == AML_NAME ||
			(t[i - 1] == AML_ROOT && i >= ACPI_SDT_HEADER_SIZE + 2 &&
			 t[i - 2] == AML_NAME);
		if (!named)
			continue; /* a reference to _S5_, not its definition */
		last = aml_s5_package(t + i + 4, end, slp_typa, slp_typb);
		if (!last) {
			acpi_err[0] = '\0';
			return 0;
		}
		memcpy(why, acpi_err, sizeof(why));
	}
	if (last == -XEN_ENOENT)
		return acpi_fail(-XEN_ENOENT, "ACPI DSDT: no \\_S5 object");
	memcpy(acpi_err, why, sizeof(acpi_err));
	return last;
}

/* A PM1 control port from the legacy field or, if zero, the X_ GAS. */
static int fadt_pm1_port(const uint8_t *f, uint32_t len, unsigned legacy, unsigned gas,
			 const char *which, uint16_t *port)
{
	uint64_t addr = le32(f + legacy);

	if (!addr && len >= gas + GAS_SIZE && f[gas] == GAS_SYSTEM_IO)
		addr = le64(f + gas + 4);
	if (addr > 0xffff)
		return acpi_fail(-XEN_EINVAL,
				 "ACPI FACP: %s control block 0x%llx is not an I/O port", which,
				 (unsigned long long)addr);
	*port = (uint16_t)addr;
	return 0;
}

int acpi_s5_info(const void *fadt, acpi_map_fn map, void *ctx, struct acpi_s5 *out)
{
	const uint8_t *f = fadt, *dsdt;
	struct acpi_s5 s5 = { 0 };
	uint64_t dsdt_addr;
	uint32_t len;
	int rc;

	rc = acpi_check_table(f, "FACP");
	if (rc)
		return rc;
	len = le32(f + SDT_LENGTH);
	if (len < FADT_FLAGS + 4)
		return acpi_fail(-XEN_EINVAL, "ACPI FACP: length %u is too short", len);
	rc = fadt_pm1_port(f, len, FADT_PM1A_CNT, FADT_X_PM1A_CNT, "PM1a", &s5.pm1a_cnt);
	if (!rc)
		rc = fadt_pm1_port(f, len, FADT_PM1B_CNT, FADT_X_PM1B_CNT, "PM1b",
				   &s5.pm1b_cnt);
	if (rc)
		return rc;
	if (!s5.pm1a_cnt)
		return acpi_fail(-XEN_ENODEV, "ACPI FACP: no PM1a control block%s",
				 le32(f + FADT_FLAGS) & FADT_HW_REDUCED ?
				 " (hardware-reduced ACPI)" : "");

	dsdt_addr = fadt_dsdt_addr(f);
	if (!dsdt_addr)
		return acpi_fail(-XEN_EINVAL, "ACPI FACP: no DSDT address");
	rc = acpi_map_table(map, ctx, dsdt_addr, "DSDT", true, &dsdt);
	if (rc)
		return rc;
	rc = acpi_dsdt_find_s5(dsdt, &s5.slp_typa, &s5.slp_typb);
	if (rc)
		return rc;
	*out = s5;
	return 0;
}
