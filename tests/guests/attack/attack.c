/* SPDX-License-Identifier: MIT */
/*
 * attack: a test guest that tries one thing it must not be allowed to do,
 * selected by mode= on the command line. Bolt must either stop the guest
 * (memory attacks, triple fault) or reflect a fault back to it (VMXON ->
 * #UD, forbidden WRMSR -> #GP), which an exception hook turns into PASS.
 * A guest that survives an attack prints "RESULT <name> FAIL: survived".
 *
 *   mode=read-oob            read 4 bytes at RAM size + 0x1000
 *   mode=write-oob           write 4 bytes there
 *   mode=write-gpa addr=A    write 4 bytes at guest-physical A (below 4 GiB)
 *   mode=vmxon               VMXON must raise #UD
 *   mode=vmcall-bad          hypercall 63 must return -ENOSYS
 *   mode=wrmsr msr=M [value=V]  WRMSR must raise #GP (default value 0x5)
 *   mode=triple              zero-limit IDT + int3: triple fault
 *   mode=crash-once          crash on boot 0, PASS after on_crash=restart
 *   mode=pio                 string I/O, COM1 status, unassigned and reset ports
 *
 * name=X overrides the RESULT name (default "attack-<mode>").
 */
#include <bolt/sdk.h>
#include "lib/macros.h"

#define ATTACK_OOB_OFFSET 0x1000u
#define ATTACK_UNKNOWN_HYPERCALL 63
#define ATTACK_MSR_DEFAULT_VALUE 0x5u /* IA32_FEATURE_CONTROL: lock + VMX outside SMX */

static char attack_name[BOLT_GUEST_NAME_MAX];

/* The identity map from entry.S covers the first 4 GiB only. */
static bool attack_mapped(uint64_t addr)
{
	return addr + 4 <= GiB(4);
}

static const char *attack_oob_addr(const struct hvm_start_info *si, uint64_t *addr)
{
	uint64_t top = bolt_ram_top(si);

	if (!top)
		return "no RAM in the memory map";
	*addr = top + ATTACK_OOB_OFFSET;
	if (!attack_mapped(*addr))
		return "out-of-bounds address above the 4 GiB identity map";
	return NULL;
}

static const char *attack_read_oob(const struct hvm_start_info *si)
{
	const char *why;
	uint64_t addr;
	uint32_t v;

	why = attack_oob_addr(si, &addr);
	if (why)
		return why;
	printf("attack: about to read 0x%llx\n", (unsigned long long)addr);
	v = *(volatile uint32_t *)(uintptr_t)addr;
	printf("attack: read 0x%x from 0x%llx\n", v, (unsigned long long)addr);
	return "survived";
}

static const char *attack_write(uint64_t addr)
{
	printf("attack: about to write 0x%llx\n", (unsigned long long)addr);
	*(volatile uint32_t *)(uintptr_t)addr = 0xdeadbeef;
	printf("attack: wrote 0x%llx\n", (unsigned long long)addr);
	return "survived";
}

static const char *attack_write_oob(const struct hvm_start_info *si)
{
	const char *why;
	uint64_t addr;

	why = attack_oob_addr(si, &addr);
	if (why)
		return why;
	return attack_write(addr);
}

static const char *attack_write_gpa(const struct hvm_start_info *si)
{
	uint64_t addr;

	if (bolt_cmdline_get_u64(si, "addr", &addr) < 0)
		return "write-gpa needs addr=<number>";
	if (!attack_mapped(addr))
		return "addr= is above the 4 GiB identity map";
	return attack_write(addr);
}

/* Hook for the faults we provoke on purpose: the expected one is a PASS. */
static bool attack_expected_fault(struct bolt_exception_frame *frame)
{
	(void)frame;
	printf("RESULT %s PASS\n", attack_name);
	bolt_shutdown(SHUTDOWN_crash);
}

static const char *attack_vmxon(const struct hvm_start_info *si)
{
	static uint8_t region[4096] __attribute__((aligned(4096)));
	uint64_t pa = (uint64_t)(uintptr_t)region;

	(void)si;
	bolt_set_exception_hook(6, attack_expected_fault);
	printf("attack: about to execute vmxon\n");
	__asm__ volatile("vmxon %0" : : "m"(pa) : "memory", "cc");
	return "vmxon did not fault";
}

static const char *attack_vmcall_bad(const struct hvm_start_info *si)
{
	long ret;

	(void)si;
	ret = bolt_hypercall5(ATTACK_UNKNOWN_HYPERCALL, 0, 0, 0, 0, 0);
	printf("attack: hypercall %d returned %ld\n", ATTACK_UNKNOWN_HYPERCALL, ret);
	if (ret != -XEN_ENOSYS)
		return "unknown hypercall did not return -ENOSYS";
	return NULL;
}

static const char *attack_wrmsr(const struct hvm_start_info *si)
{
	uint64_t msr, value = ATTACK_MSR_DEFAULT_VALUE;
	int ret;

	if (bolt_cmdline_get_u64(si, "msr", &msr) < 0 || msr > UINT32_MAX)
		return "wrmsr needs msr=<32-bit number>";
	ret = bolt_cmdline_get_u64(si, "value", &value);
	if (ret < 0 && ret != -XEN_ENOENT)
		return "bad value=";
	bolt_set_exception_hook(13, attack_expected_fault);
	printf("attack: about to wrmsr 0x%llx = 0x%llx\n", (unsigned long long)msr,
	       (unsigned long long)value);
	__asm__ volatile("wrmsr"
			 :
			 : "c"((uint32_t)msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
			 : "memory");
	return "survived";
}

static const char *attack_triple(const struct hvm_start_info *si)
{
	/* Every vector is past a zero limit: #BP -> #GP -> #DF -> shutdown. */
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idt = { 0, 0 };

	(void)si;
	printf("attack: about to triple fault\n");
	__asm__ volatile("lidt %0; int3" : : "m"(idt) : "memory");
	return "survived";
}

/* Port I/O as Bolt emulates it: string I/O, COM1 status, unassigned ports. */
static const char *attack_pio(const struct hvm_start_info *si)
{
	static const char msg[] = "attack: rep outsb reached the log\n";
	uint8_t buf[16];
	const void *src = msg;
	void *dst = buf;
	size_t n = sizeof(msg) - 1;
	uint8_t lsr;
	uint16_t w;
	uint32_t l;

	(void)si;
	__asm__ volatile("cld; rep outsb" : "+S"(src), "+c"(n) : "d"((uint16_t)0xe9) : "memory");
	if (n != 0 || src != msg + sizeof(msg) - 1)
		return "rep outsb did not consume RCX/RSI";
	memset(buf, 0, sizeof(buf));
	n = sizeof(buf);
	__asm__ volatile("cld; rep insb" : "+D"(dst), "+c"(n) : "d"((uint16_t)0x80) : "memory");
	for (size_t i = 0; i < sizeof(buf); i++)
		if (buf[i] != 0xff)
			return "rep insb from an unassigned port did not read all-ones";
	__asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((uint16_t)0x3fd));
	if ((lsr & 0x60) != 0x60)
		return "COM1 line status is not 'transmitter empty'";
	__asm__ volatile("inw %1, %0" : "=a"(w) : "d"((uint16_t)0x1234));
	__asm__ volatile("inl %1, %0" : "=a"(l) : "d"((uint16_t)0xcf8));
	if (w != 0xffff || l != 0xffffffffu)
		return "unassigned ports do not read as all-ones";
	/* Reset and power ports are unassigned too: writes are dropped. */
	__asm__ volatile("outb %0, %1" : : "a"((uint8_t)0x06), "Nd"((uint16_t)0xcf9));
	__asm__ volatile("outb %0, %1" : : "a"((uint8_t)0xfe), "Nd"((uint16_t)0x64));
	return NULL;
}

static const char *attack_crash_once(const struct hvm_start_info *si)
{
	struct bolt_info info;

	(void)si;
	if (bolt_info(&info) < 0)
		return "no Bolt CPUID signature";
	if (info.boot_count == 0) {
		printf("crashing on first boot\n");
		bolt_shutdown(SHUTDOWN_crash);
	}
	printf("RESULT restart PASS (boot %u)\n", info.boot_count);
	bolt_shutdown(SHUTDOWN_poweroff);
}

static const struct {
	const char *mode;
	const char *(*run)(const struct hvm_start_info *si);
} attacks[] = {
	{ "read-oob", attack_read_oob },     { "write-oob", attack_write_oob },
	{ "write-gpa", attack_write_gpa },   { "vmxon", attack_vmxon },
	{ "vmcall-bad", attack_vmcall_bad }, { "wrmsr", attack_wrmsr },
	{ "triple", attack_triple },	     { "crash-once", attack_crash_once },
	{ "pio", attack_pio },
};

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	char mode[BOLT_GUEST_NAME_MAX - sizeof("attack-") + 1]; /* "attack-MODE" fits a name */
	const char *why = NULL;
	size_t i;

	if (bolt_cmdline_get(si, "mode", mode, sizeof(mode)) < 0) {
		printf("RESULT attack FAIL: no mode= on the command line\n");
		return 1;
	}
	if (bolt_cmdline_get(si, "name", attack_name, sizeof(attack_name)) < 0)
		snprintf(attack_name, sizeof(attack_name), "attack-%s", mode);
	for (i = 0; i < ARRAY_SIZE(attacks); i++)
		if (strcmp(attacks[i].mode, mode) == 0)
			break;
	if (i == ARRAY_SIZE(attacks)) {
		printf("RESULT %s FAIL: unknown mode '%s'\n", attack_name, mode);
		return 1;
	}
	why = attacks[i].run(si);
	if (why) {
		printf("RESULT %s FAIL: %s\n", attack_name, why);
		return 1;
	}
	printf("RESULT %s PASS\n", attack_name);
	return 0;
}
