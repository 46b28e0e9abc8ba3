/* SPDX-License-Identifier: MIT */
/*
 * hostile catalogue: the driver. Without case= one instance runs every
 * attack that Bolt answers with an error, a fault or by ignoring it, and
 * counts the failures. Attacks that must end the guest (memory outside
 * its RAM, a triple fault, HLT with interrupts off) run one per instance
 * with case=NAME: Bolt's "stopped (...)" line is the PASS
 * (hostile-catalogue.cfg expects it); a line from us after the attack
 * means it survived. case=xapic is the exception: the xAPIC page is in the
 * MMIO hole, so the INIT IPI must vanish and the guest go on.
 *
 *   case=read  [addr=A]   4-byte read at A (default: 4 KiB past our RAM)
 *   case=write [addr=A]   4-byte write at A (same default)
 *   case=exec  [addr=A]   jump to A (default: the read-only region "ro")
 *   case=xapic            write INIT to the xAPIC ICR at 0xFEE00300: ignored,
 *                         the ICR reads all-ones (RESULT PASS)
 *   case=triple           empty IDT + int3
 *   case=hlt-if0          cli; hlt
 */
#include "tests/guests/hostile/hostile.h"
#include "lib/macros.h"

static const char *hostile_addr(const struct hostile_args *a, uint64_t *addr, uint64_t def)
{
	*addr = def;
	if (bolt_cmdline_get_u64(a->si, "addr", addr) == -XEN_EINVAL)
		return "bad addr=";
	if (*addr + 8 > GiB(4))
		return "addr= is above the SDK's 4 GiB identity map";
	return NULL;
}

const char *hostile_catalogue_case(const struct hostile_args *a, const char *name)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = {0, 0};
	struct bolt_shm ro;
	uint64_t addr;
	const char *why;

	printf("hostile: case %s: attacking now\n", name);
	if (strcmp(name, "read") == 0) {
		if ((why = hostile_addr(a, &addr, a->ram_top + 0x1000)))
			return why;
		printf("hostile: read: reading guest-physical 0x%llx\n",
		       (unsigned long long)addr);
		(void)*(volatile uint32_t *)(uintptr_t)addr;
	} else if (strcmp(name, "write") == 0) {
		if ((why = hostile_addr(a, &addr, a->ram_top + 0x1000)))
			return why;
		printf("hostile: write: writing guest-physical 0x%llx\n",
		       (unsigned long long)addr);
		*(volatile uint32_t *)(uintptr_t)addr = 0xdeadbeef;
	} else if (strcmp(name, "exec") == 0) {
		uint64_t def = bolt_shm_find(a->si, "ro", &ro) == 0 ? ro.gpa : a->ram_top + 0x1000;

		if ((why = hostile_addr(a, &addr, def)))
			return why;
		printf("hostile: exec: jumping to guest-physical 0x%llx\n",
		       (unsigned long long)addr);
		((void (*)(void))(uintptr_t)addr)();
	} else if (strcmp(name, "xapic") == 0) {
		uint32_t icr;

		/* The MMIO hole: the writes vanish, the ICR reads all-ones (docs/abi.md). */
		printf("hostile: xapic: INIT IPI through the xAPIC ICR at 0xfee00300\n");
		*(volatile uint32_t *)(uintptr_t)0xfee00310u = 0;
		*(volatile uint32_t *)(uintptr_t)0xfee00300u = 0x000c4500;
		icr = *(volatile uint32_t *)(uintptr_t)0xfee00300u;
		printf("hostile: xapic: expected the ICR to read 0xffffffff, got 0x%x\n", icr);
		return icr == 0xffffffffu ? NULL : "the xAPIC ICR kept a value";
	} else if (strcmp(name, "triple") == 0) {
		printf("hostile: triple: empty IDT, then int3\n");
		__asm__ volatile("lidt %0; int3" : : "m"(no_idt) : "memory");
	} else if (strcmp(name, "hlt-if0") == 0) {
		printf("hostile: hlt-if0: cli; hlt\n");
		__asm__ volatile("cli; hlt" : : : "memory");
	} else {
		return "unknown case= (read, write, exec, xapic, triple, hlt-if0)";
	}
	printf("hostile: %s: expected Bolt to stop this guest, got survived\n", name);
	return "survived";
}

const char *hostile_catalogue(const struct hostile_args *a)
{
	static char why[64];

	hostile_cat_cpu(a);
	hostile_cat_ports(a);
	hostile_cat_evtchn(a);
	hostile_cat_pages(a);
	hostile_cat_user(a);
	hostile_cat_console(a);
	printf("hostile: catalogue: %u cases, %u failed\n", hostile_cases, hostile_failures);
	if (!hostile_failures)
		return NULL;
	snprintf(why, sizeof(why), "%u of %u cases failed", hostile_failures, hostile_cases);
	return why;
}
