/* SPDX-License-Identifier: MIT */
/*
 * The guest's ACPI tables as a PVH kernel finds them: hvm_start_info
 * (version 1) rsdp_paddr -> RSDP -> XSDT -> FADT (-> DSDT) and MADT
 * (ACPI 6.0, section 5.2). Read byte-wise, every checksum verified, as
 * Linux's ACPICA does before it trusts a table. What Bolt lists is what it
 * emulates (docs/abi.md): exactly FACP and APIC in the XSDT, one enabled
 * local APIC (ID 0) per vCPU and no IO-APIC, a hardware-reduced FADT; and
 * no table may sit in memory the map calls RAM, where a guest would
 * allocate over it.
 */
#include "tests/xen/xc.h"

#include <xen/arch-x86/hvm/start_info.h>

#define XC_4G 0x100000000ull
#define XC_MADT_LAPIC 0
#define XC_MADT_IOAPIC 1
#define XC_FADT_FLAGS 112
#define XC_FADT_X_DSDT 140
#define XC_FADT_HW_REDUCED (1u << 20)

const struct hvm_start_info *xc_start_info;

static uint32_t xc_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t xc_le64(const uint8_t *p)
{
	return (uint64_t)xc_le32(p) | (uint64_t)xc_le32(p + 4) << 32;
}

static uint8_t xc_sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* [pa, pa + len) must lie in one ACPI or reserved memory-map entry and touch no RAM entry. */
static void xc_check_not_ram(const char *what, uint64_t pa, uint64_t len)
{
	const struct hvm_memmap_table_entry *mm = XC_PTR(xc_start_info->memmap_paddr);
	bool covered = false;

	for (uint32_t i = 0; i < xc_start_info->memmap_entries; i++) {
		const struct hvm_memmap_table_entry *e = &mm[i];

		if (e->type == XEN_HVM_MEMMAP_TYPE_RAM)
			XC_CHECK(pa + len <= e->addr || pa >= e->addr + e->size,
				 "%s at 0x%llx (%llu bytes) overlaps RAM entry %u [0x%llx, 0x%llx)",
				 what, (unsigned long long)pa, (unsigned long long)len, i,
				 (unsigned long long)e->addr, (unsigned long long)(e->addr + e->size));
		if ((e->type == XEN_HVM_MEMMAP_TYPE_ACPI || e->type == XEN_HVM_MEMMAP_TYPE_RESERVED) &&
		    pa >= e->addr && pa + len <= e->addr + e->size)
			covered = true;
	}
	XC_CHECK(covered, "%s at 0x%llx is in no ACPI or reserved memory-map entry", what,
		 (unsigned long long)pa);
}

/*
 * The table at pa: below 4 GiB (identity-mapped in every build), its
 * signature, a length of at least min and a zero checksum. NULL if not.
 */
static const uint8_t *xc_table(uint64_t pa, const char *sig, uint32_t min)
{
	const uint8_t *t;
	uint32_t len;

	if (!XC_CHECK(pa && pa < XC_4G - 36, "%s address 0x%llx", sig, (unsigned long long)pa))
		return NULL;
	t = XC_PTR((uintptr_t)pa);
	if (!XC_CHECK(!memcmp(t, sig, 4), "table at 0x%llx is \"%c%c%c%c\", expected %s",
		      (unsigned long long)pa, t[0], t[1], t[2], t[3], sig))
		return NULL;
	len = xc_le32(t + 4);
	if (!XC_CHECK(len >= min && pa + len <= XC_4G, "%s length %u (want >= %u)", sig, len, min))
		return NULL;
	if (!XC_CHECK(xc_sum(t, len) == 0, "%s checksum: bytes sum to 0x%x", sig, xc_sum(t, len)))
		return NULL;
	xc_check_not_ram(sig, pa, len);
	return t;
}

static void xc_check_madt(const uint8_t *m)
{
	uint32_t len = xc_le32(m + 4), lapics = 0;

	XC_CHECK(xc_le32(m + 36) == 0xfee00000u, "MADT local APIC address 0x%x",
		 xc_le32(m + 36));
	for (uint32_t off = 44; off + 2 <= len; off += m[off + 1]) {
		const uint8_t *e = m + off;

		if (!XC_CHECK(e[1] >= 2 && off + e[1] <= len, "MADT entry at %u: length %u", off,
			      e[1]))
			return;
		XC_CHECK(e[0] != XC_MADT_IOAPIC, "MADT lists an IO-APIC (ID %u)", e[2]);
		if (e[0] != XC_MADT_LAPIC) {
			xc_fail(__FILE__, __LINE__, "MADT entry type %u: Bolt emulates nothing but local APICs",
				 e[0]);
			continue;
		}
		if (!XC_CHECK(e[1] == 8, "MADT local APIC entry length %u", e[1]))
			continue;
		XC_CHECK(e[3] == lapics, "MADT local APIC %u has APIC ID %u", lapics, e[3]);
		XC_CHECK(xc_le32(e + 4) & 1, "MADT local APIC %u not enabled (flags 0x%x)", lapics,
			 xc_le32(e + 4));
		lapics++;
	}
	XC_CHECK(lapics == 1, "MADT lists %u local APICs, the guest has 1 vCPU", lapics);
}

static void xc_check_fadt(const uint8_t *f)
{
	uint64_t dsdt;

	XC_CHECK(xc_le32(f + XC_FADT_FLAGS) & XC_FADT_HW_REDUCED,
		 "FADT flags 0x%x: HW_REDUCED_ACPI (bit 20) clear", xc_le32(f + XC_FADT_FLAGS));
	dsdt = xc_le64(f + XC_FADT_X_DSDT);
	if (!dsdt)
		dsdt = xc_le32(f + 40);
	xc_table(dsdt, "DSDT", 36);
}

void xc_case_acpi(void)
{
	const struct hvm_start_info *si = xc_start_info;
	const uint8_t *r, *x, *t;
	bool fadt = false, madt = false;
	uint32_t n;

	if (!XC_CHECK(si && si->version >= 1, "start info version %u: no rsdp_paddr",
		      si ? si->version : 0))
		return;
	if (!XC_CHECK(si->rsdp_paddr && si->rsdp_paddr < XC_4G - 36, "rsdp_paddr 0x%llx",
		      (unsigned long long)si->rsdp_paddr))
		return;
	r = XC_PTR((uintptr_t)si->rsdp_paddr);
	if (!XC_CHECK(!memcmp(r, "RSD PTR ", 8), "no \"RSD PTR \" at rsdp_paddr 0x%llx",
		      (unsigned long long)si->rsdp_paddr))
		return;
	XC_CHECK(xc_sum(r, 20) == 0, "RSDP checksum: bytes 0-19 sum to 0x%x", xc_sum(r, 20));
	XC_CHECK(r[15] >= 2, "RSDP revision %u: no XSDT", r[15]);
	XC_CHECK(xc_le32(r + 20) == 36, "RSDP length %u", xc_le32(r + 20));
	XC_CHECK(xc_sum(r, 36) == 0, "RSDP extended checksum: bytes 0-35 sum to 0x%x",
		 xc_sum(r, 36));
	xc_check_not_ram("RSDP", si->rsdp_paddr, 36);

	x = xc_table(xc_le64(r + 24), "XSDT", 36);
	if (!x)
		return;
	n = (xc_le32(x + 4) - 36) / 8;
	XC_CHECK(n == 2, "XSDT lists %u tables, expected 2 (FACP, APIC)", n);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t pa = xc_le64(x + 36 + 8 * i);
		const uint8_t *h;

		if (!XC_CHECK(pa && pa < XC_4G - 36, "XSDT entry %u: 0x%llx", i,
			      (unsigned long long)pa))
			continue;
		h = XC_PTR((uintptr_t)pa);
		if (!memcmp(h, "FACP", 4) && !fadt) {
			fadt = true;
			t = xc_table(pa, "FACP", XC_FADT_X_DSDT + 8);
			if (t)
				xc_check_fadt(t);
		} else if (!memcmp(h, "APIC", 4) && !madt) {
			madt = true;
			t = xc_table(pa, "APIC", 44);
			if (t)
				xc_check_madt(t);
		} else {
			xc_fail(__FILE__, __LINE__, "XSDT entry %u: unexpected \"%c%c%c%c\"", i, h[0], h[1],
				 h[2], h[3]);
		}
	}
	XC_CHECK(fadt, "XSDT lists no FACP");
	XC_CHECK(madt, "XSDT lists no APIC (MADT)");
}
