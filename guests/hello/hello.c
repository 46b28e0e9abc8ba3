/* SPDX-License-Identifier: MIT */
/*
 * hello: the smallest useful guest. Prints who and where it is and what
 * Bolt handed it, and checks that the PVH start info makes sense.
 * Command line: name=X (RESULT name), expect_cpu=N (CPU index to insist on).
 * Ends with "RESULT <name> PASS" or "RESULT <name> FAIL: <reason>".
 */
#include <bolt/sdk.h>

extern char __image_start[], __image_end[];

static const char *memmap_type_name(uint32_t type)
{
	switch (type) {
	case XEN_HVM_MEMMAP_TYPE_RAM:
		return "ram";
	case XEN_HVM_MEMMAP_TYPE_RESERVED:
		return "reserved";
	case XEN_HVM_MEMMAP_TYPE_ACPI:
		return "acpi";
	case XEN_HVM_MEMMAP_TYPE_NVS:
		return "nvs";
	case XEN_HVM_MEMMAP_TYPE_UNUSABLE:
		return "unusable";
	case XEN_HVM_MEMMAP_TYPE_DISABLED:
		return "disabled";
	case XEN_HVM_MEMMAP_TYPE_PMEM:
		return "pmem";
	default:
		return "unknown";
	}
}

/* Is [base, end) inside one entry of the given type? */
static bool memmap_covers(const struct hvm_memmap_table_entry *e, uint32_t n, uint32_t type,
			  uint64_t base, uint64_t end)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (e[i].type == type && base >= e[i].addr && end <= e[i].addr + e[i].size)
			return true;
	return false;
}

/* Print and check the memory map; returns NULL or why it is wrong. */
static const char *check_memmap(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *e;
	uint64_t image_start = (uint64_t)(uintptr_t)__image_start;
	uint64_t image_end = (uint64_t)(uintptr_t)__image_end;
	uint64_t si_addr = (uint64_t)(uintptr_t)si;
	uint32_t i, n = si->memmap_entries;

	if (!si->memmap_paddr || n == 0)
		return "no memory map";
	if (n > BOLT_GUEST_MEMMAP_MAX)
		return "too many memory map entries";
	e = (const struct hvm_memmap_table_entry *)(uintptr_t)si->memmap_paddr;
	printf("memmap: %u entries at 0x%llx\n", n, (unsigned long long)si->memmap_paddr);
	for (i = 0; i < n; i++)
		printf("  [0x%08llx, 0x%08llx) %s\n", (unsigned long long)e[i].addr,
			    (unsigned long long)(e[i].addr + e[i].size), memmap_type_name(e[i].type));
	for (i = 0; i < n; i++) {
		if (e[i].size == 0)
			return "empty memory map entry";
		if (e[i].addr + e[i].size < e[i].addr)
			return "memory map entry wraps";
		if (e[i].reserved != 0)
			return "memory map entry reserved field not zero";
		if (i > 0 && e[i].addr < e[i - 1].addr + e[i - 1].size)
			return "memory map entries unsorted or overlapping";
	}
	if (!memmap_covers(e, n, XEN_HVM_MEMMAP_TYPE_RAM, image_start, image_end))
		return "guest image not inside a RAM entry";
	/* Bolt's own structures must be reserved so an OS would not reuse them. */
	if (!memmap_covers(e, n, XEN_HVM_MEMMAP_TYPE_RESERVED, si_addr, si_addr + sizeof(*si)))
		return "start info not inside a reserved entry";
	if (!memmap_covers(e, n, XEN_HVM_MEMMAP_TYPE_RESERVED, si->memmap_paddr,
			   si->memmap_paddr + n * sizeof(*e)))
		return "memory map not inside a reserved entry";
	return NULL;
}

static const char *check(const struct hvm_start_info *si)
{
	struct bolt_info info;
	uint32_t r[4];
	uint64_t expect_cpu;
	const char *why;
	int ret;

	if (!si)
		return "no start info";
	printf("start info at 0x%llx: magic 0x%x version %u flags 0x%x\n",
	       (unsigned long long)(uintptr_t)si, si->magic, si->version, si->flags);
	printf("cmdline: \"%s\"\n", bolt_cmdline(si));
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		return "bad start info magic";
	if (si->version < 1)
		return "start info version < 1 (no memory map)";
	why = check_memmap(si);
	if (why)
		return why;
	printf("ram top 0x%llx\n", (unsigned long long)bolt_ram_top(si));

	/* Bolt's own view last, so the start info is printed even off Bolt. */
	if (bolt_info(&info) < 0)
		return "no Bolt CPUID signature";
	bolt_cpuid(1, 0, r);
	printf("bolt %u.%u, domid %u, cpu %u, apic id %u, boot %u\n", info.version >> 16,
	       info.version & 0xffff, info.domid, info.cpu, r[1] >> 24, info.boot_count);

	ret = bolt_cmdline_get_u64(si, "expect_cpu", &expect_cpu);
	if (ret == -XEN_EINVAL)
		return "bad expect_cpu= value";
	if (ret == 0 && expect_cpu != info.cpu) {
		printf("expected cpu %llu, running on cpu %u\n",
		       (unsigned long long)expect_cpu, info.cpu);
		return "wrong cpu";
	}
	return NULL;
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	char name[BOLT_GUEST_NAME_MAX];
	const char *why;

	if (bolt_cmdline_get(si, "name", name, sizeof(name)) < 0)
		strlcpy(name, "hello", sizeof(name));
	why = check(si);
	if (why) {
		printf("RESULT %s FAIL: %s\n", name, why);
		return 1;
	}
	printf("RESULT %s PASS\n", name);
	return 0;
}
