/* SPDX-License-Identifier: MIT */
/*
 * UEFI entry point (docs/boot.md). Everything that can fail is done while
 * the firmware is still there to report it and to return to: check VT-x,
 * read and validate bolt.cfg, enumerate CPUs (a CPU without VT-x still
 * gets these, so every problem is reported in one boot), read and check
 * every guest image, take all memory from the UEFI memory map. Then ExitBootServices, start the
 * APs, and every CPU enters VMX root and runs its guests.
 */
#include <efi.h>
#include <efilib.h>

#include "arch/apic.h"
#include "arch/mtrr.h"
#include "arch/paging.h"
#include "arch/tsc_freq.h"
#include "arch/vmx_setup.h"
#include "arch/x86.h"
#include "bolt/bolt.h"
#include "boot/boot.h"
#include "config/config.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/heap.h"
#include "core/main.h"
#include "core/pcpu.h"
#include "core/summary.h"
#include "core/time.h"
#include "core/wallclock.h"
#include "core/wiring.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/lib.h"
#include "sched/sched.h"

#define HEAP_SIZE MiB(8)
#define CFG_PATH "bolt.cfg"

struct boot_info boot_info;
struct pcpu *pcpus;
unsigned nr_pcpus;
void cpu_tables_init(struct pcpu *p);

static void *heap_base;

/*
 * Bolt is not starting: give back what it took from the firmware (the
 * heap, guest images and RAM; config text and the font are freed where
 * they are read), let a person at a screen read why, and return.
 */
static EFI_STATUS give_up(EFI_STATUS st)
{
	for (unsigned i = 0; guests && i < nr_guests; i++) {
		struct guest *g = &guests[i];

		if (g->image) /* efi_read_file() allocated one more byte for a NUL */
			BS->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)g->image,
				      EFI_SIZE_TO_PAGES(g->image_len + 1));
		if (g->initrd)
			BS->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)g->initrd,
				      EFI_SIZE_TO_PAGES(g->initrd_len + 1));
		if (g->ram)
			BS->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)g->ram,
				      EFI_SIZE_TO_PAGES(g->ram_size));
	}
	guests = NULL;
	nr_guests = 0;
	if (heap_base)
		BS->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)heap_base, EFI_SIZE_TO_PAGES(HEAP_SIZE));
	heap_base = NULL;
	log_printf("not starting: returning to the firmware");
	efi_console_give_up(boot_info.cfg ? boot_info.cfg->console : 0);
	return st;
}

static void *alloc_pages(EFI_ALLOCATE_TYPE type, uint64_t max, uint64_t bytes)
{
	EFI_PHYSICAL_ADDRESS a = max;

	if (BS->AllocatePages(type, EfiLoaderData, EFI_SIZE_TO_PAGES(bytes), &a) != EFI_SUCCESS)
		return NULL;
	return (void *)(uintptr_t)a;
}

/* Guest RAM, 2 MiB aligned so EPT can use large pages; the slack is given back. */
static uint8_t *alloc_guest_ram(uint64_t size)
{
	uint64_t slack = MiB(2);
	uint8_t *raw = alloc_pages(AllocateAnyPages, 0, size + slack);

	if (!raw)
		return NULL;
	uint64_t start = ALIGN_UP((uint64_t)(uintptr_t)raw, MiB(2));
	uint64_t head = start - (uint64_t)(uintptr_t)raw, tail = slack - head;
	if (head)
		BS->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)raw, EFI_SIZE_TO_PAGES(head));
	if (tail)
		BS->FreePages(start + size, EFI_SIZE_TO_PAGES(tail));
	return (uint8_t *)(uintptr_t)start;
}

/* Shared memory regions: plain UEFI pages, kept after ExitBootServices. */
static void *alloc_shared(uint64_t bytes)
{
	return alloc_pages(AllocateAnyPages, 0, bytes);
}

static void calibrate_tsc(void)
{
	uint64_t t0 = rdtsc(), per_us;

	BS->Stall(10000);
	per_us = (rdtsc() - t0) / 10000;
	/* CPUID's figure when it agrees: exact, where Stall's 10 ms are not (arch/x86/tsc_freq.c). */
	tsc_per_us = tsc_pick_at_boot(per_us ? per_us : 1);
}

/*
 * The wallclock guests see (core/wallclock.c): the RTC through UEFI's
 * GetTime, right before time_init() makes the same moment system time 0.
 * A firmware without a usable clock leaves guests' real time at the epoch.
 */
static void read_wallclock(EFI_SYSTEM_TABLE *st)
{
	EFI_TIME t;
	EFI_STATUS s = st->RuntimeServices->GetTime(&t, NULL);
	struct civil_time c;
	uint64_t ns;

	if (EFI_ERROR(s)) {
		log_printf("no wallclock: GetTime failed (%lu); guests' real time starts at 1970",
			   (unsigned long)s);
		return;
	}
	c = (struct civil_time){
		.year = t.Year, .month = t.Month, .day = t.Day, .hour = t.Hour,
		.minute = t.Minute, .second = t.Second, .nanosecond = t.Nanosecond,
		/* Unspecified: the RTC keeps local time of an unknown zone; take it as UTC. */
		.utc_offset_known = t.TimeZone != EFI_UNSPECIFIED_TIMEZONE,
		.utc_offset_min = t.TimeZone,
	};
	if (wallclock_from_civil(&c, &ns)) {
		log_printf("no wallclock: the RTC says %04u-%02u-%02u %02u:%02u:%02u (zone %d), "
			   "not a valid time; guests' real time starts at 1970",
			   t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.TimeZone);
		return;
	}
	wallclock_set(ns);
	if (c.utc_offset_known)
		log_printf("wallclock: RTC %04u-%02u-%02u %02u:%02u:%02u at UTC%+d min (UEFI GetTime)",
			   t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.TimeZone);
	else
		log_printf("wallclock: RTC %04u-%02u-%02u %02u:%02u:%02u, no zone given: taken as UTC",
			   t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second);
}

static int load_config(EFI_HANDLE image, struct bolt_config *cfg)
{
	struct cfg_error err;
	void *text;
	size_t len;
	int rc = efi_read_file(image, CFG_PATH, &text, &len);

	if (rc) {
		log_printf("%s: cannot read the configuration from the boot volume (error %d)",
			   CFG_PATH, rc);
		return rc;
	}
	rc = cfg_parse(text, len, CFG_PATH, cfg, &err);
	/* The parsed config holds copies of every string: the text can go. */
	BS->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)text, EFI_SIZE_TO_PAGES(len + 1));
	if (rc)
		log_printf("%s", err.msg);
	return rc;
}

static int load_guests(EFI_HANDLE image, struct bolt_config *cfg)
{
	nr_guests = cfg->nr_guests;
	guests = heap_zalloc(sizeof(*guests) * nr_guests);
	if (!guests)
		return -XEN_ENOMEM;
	for (unsigned i = 0; i < nr_guests; i++) {
		struct guest *g = &guests[i];
		const struct cfg_guest *c = &cfg->guests[i];
		struct elf_pvh_info info;
		char err[160];
		void *img;
		size_t len;
		int rc;

		g->domid = i + 1;
		g->cfg = c;
		g->con.prefix = c->name;
		rc = efi_read_file(image, c->image, &img, &len);
		if (rc) {
			log_printf("%s:%u: guest '%s': cannot read image '%s' from the boot volume (error %d)",
				   CFG_PATH, c->image_line, c->name, c->image, rc);
			return rc;
		}
		g->image = img; /* before the checks: give_up() frees it */
		g->image_len = len;
		rc = elf_probe_pvh(img, len, c->image, c->memory, BOLT_GUEST_LOAD_MIN, &info, err,
				   sizeof(err));
		if (rc) {
			log_printf("%s:%u: guest '%s': %s", CFG_PATH, c->image_line, c->name, err);
			return rc;
		}
		if (c->initrd[0]) {
			rc = efi_read_file(image, c->initrd, &img, &len);
			if (rc) {
				log_printf("%s:%u: guest '%s': cannot read initrd '%s' from the boot volume (error %d)",
					   CFG_PATH, c->initrd_line, c->name, c->initrd, rc);
				return rc;
			}
			g->initrd = img;
			g->initrd_len = len;
			/* It goes at the top of RAM, above the kernel (core/lifecycle.c). */
			if (info.load_hi + ALIGN_UP((uint64_t)len, PAGE_SIZE) > c->memory) {
				log_printf("%s:%u: guest '%s': initrd '%s' (%lu KiB) does not fit in its "
					   "memory above the kernel (which ends at %lu KiB of %lu MiB)",
					   CFG_PATH, c->initrd_line, c->name, c->initrd,
					   (unsigned long)(len >> 10), (unsigned long)(info.load_hi >> 10),
					   (unsigned long)(c->memory >> 20));
				return -XEN_E2BIG;
			}
		}
		g->ram_size = c->memory;
		g->ram = alloc_guest_ram(c->memory);
		if (!g->ram) {
			log_printf("%s:%u: guest '%s': cannot allocate %lu MiB of memory", CFG_PATH,
				   c->memory_line, c->name, (unsigned long)(c->memory >> 20));
			return -XEN_ENOMEM;
		}
		g->vcpus = heap_zalloc(c->nr_vcpus * sizeof(*g->vcpus));
		if (!g->vcpus) {
			log_printf("%s:%u: guest '%s': out of memory for its %u vCPUs", CFG_PATH,
				   c->cpu_line, c->name, c->nr_vcpus);
			return -XEN_ENOMEM;
		}
		g->nr_vcpus = c->nr_vcpus;
		for (unsigned n = 0; n < c->nr_vcpus; n++) {
			struct vcpu *v = &g->vcpus[n];

			v->guest = g;
			v->vcpu_id = n;
			v->pcpu = &pcpus[c->cpus[n]];
			v->state = VCPU_STOPPED;
		}
		rc = guest_arch_create(g);
		if (rc) {
			log_printf("guest '%s': cannot build its EPT (error %d)", c->name, rc);
			return rc;
		}
	}
	return 0;
}

static int setup_cpus(void)
{
	nr_pcpus = boot_info.nr_cpus;
	pcpus = heap_zalloc(sizeof(*pcpus) * nr_pcpus);
	if (!pcpus)
		return -XEN_ENOMEM;
	for (unsigned i = 0; i < nr_pcpus; i++) {
		pcpus[i].index = i;
		pcpus[i].apic_id = boot_info.apic_ids[i];
		pcpus[i].arch.stack = heap_alloc_pages(HOST_STACK_SIZE / PAGE_SIZE, 1);
		if (!pcpus[i].arch.stack)
			return -XEN_ENOMEM;
		sched_init_cpu(&pcpus[i]);
	}
	return 0;
}

/* Highest physical address in the memory map: what the identity map must cover. */
static uint64_t memory_top(void)
{
	UINTN size = 0, key, dsize;
	UINT32 dver;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&size, &key, &dsize, &dver);
	uint64_t top = GiB(4);

	for (UINTN off = 0; map && off < size * dsize; off += dsize) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((char *)map + off);
		top = MAX(top, d->PhysicalStart + d->NumberOfPages * PAGE_SIZE);
	}
	if (map)
		FreePool(map);
	return top;
}

static int exit_boot_services(EFI_HANDLE image)
{
	/* The map key changes with every allocation: get the map and exit at once, twice at most. */
	for (int tries = 0; tries < 2; tries++) {
		UINTN size = 0, key, dsize;
		UINT32 dver;
		EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&size, &key, &dsize, &dver);
		if (map && BS->ExitBootServices(image, key) == EFI_SUCCESS)
			return 0;
	}
	return -1;
}

/* Passed to bolt_cpu_main(): CPU 0 starts the APs once it is in VMX root. */
static void start_aps(void)
{
	boot_start_aps(&boot_info);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	static struct bolt_config cfg;
	char why[256];

	InitializeLib(image, st);
	efi_console_early(st);
	/* The TSC: Linux boot time (docs/linux.md) counts from this line. */
	log_printf("Bolt %u.%u micro-hypervisor starting at TSC %llu", BOLT_VERSION_MAJOR,
		   BOLT_VERSION_MINOR, (unsigned long long)rdtsc());

	/*
	 * Checked first, reported after the rest: without usable VT-x Bolt
	 * still reads the config and counts the CPUs (MP Services against the
	 * ACPI MADT), so one boot shows a person every problem, not just the
	 * first. Only then does it return to the firmware.
	 */
	EFI_STATUS bad = EFI_SUCCESS;
	bool have_vmx = vmx_check_support(why, sizeof(why)) == 0;

	heap_base = alloc_pages(AllocateMaxAddress, 0xffffffffULL, HEAP_SIZE);
	if (!heap_base || heap_init((uint64_t)(uintptr_t)heap_base, HEAP_SIZE)) {
		log_printf("cannot allocate %lu MiB for the hypervisor", (unsigned long)(HEAP_SIZE >> 20));
		bad = EFI_OUT_OF_RESOURCES;
	} else if (load_config(image, &cfg)) {
		bad = EFI_LOAD_ERROR;
	} else {
		if (cfg.console & CFG_CONSOLE_GOP)
			efi_console_setup_gop(image); /* logs why when the sink stays off */
		/* The lines of a capability file (docs/vmxcaps.md), also when VT-x is unusable. */
		if (cfg.debug & CFG_DEBUG_VMX)
			vmx_log_caps();
	}
	boot_info.cfg = &cfg;
	if (efi_enumerate_cpus(&boot_info)) {
		log_printf("no CPUs found");
		bad = EFI_UNSUPPORTED;
	} else if (bad == EFI_SUCCESS) {
		struct cfg_error cerr;

		if (cfg_check_cpus(&cfg, CFG_PATH, boot_info.nr_cpus, &cerr)) {
			log_printf("%s", cerr.msg);
			bad = EFI_LOAD_ERROR;
		}
	}
	if (!have_vmx) {
		log_printf("cannot run on this CPU: missing %s", why);
		bad = EFI_UNSUPPORTED;
	}
	if (bad != EFI_SUCCESS)
		return give_up(bad);
	calibrate_tsc();
	read_wallclock(st);
	time_init(rdtsc(), tsc_per_us);
	mtrr_host_init(); /* before load_guests() maps guest RAM with the MTRRs' types */
	if (setup_cpus() || load_guests(image, &cfg) || wiring_setup(&cfg, CFG_PATH, alloc_shared))
		return give_up(EFI_LOAD_ERROR);
	boot_info.trampoline = (uint64_t)(uintptr_t)alloc_pages(AllocateMaxAddress, 0x9f000, PAGE_SIZE);
	boot_info.cr3 = paging_build_identity(memory_top());
	if (!boot_info.trampoline || !boot_info.cr3) {
		log_printf("cannot allocate the AP trampoline or page tables below 4 GiB");
		return give_up(EFI_OUT_OF_RESOURCES);
	}
	boot_info.reset_system = (void *)st->RuntimeServices->ResetSystem;
	log_printf("%u CPUs, %u guests, TSC %lu ticks/us; exiting boot services", boot_info.nr_cpus,
		   nr_guests, (unsigned long)tsc_per_us);
	summary_init(nr_guests, cfg.on_all_stopped, tsc_per_us);

	if (exit_boot_services(image)) {
		log_printf("ExitBootServices failed");
		return give_up(EFI_ABORTED);
	}
	/* From here on: no firmware services but the runtime ones. */
	irq_disable();
	efi_console_exit_boot_services(cfg.console);
	write_cr3(boot_info.cr3);
	cpu_tables_init(&pcpus[0]);
	bolt_cpu_main(0, start_aps);
}
