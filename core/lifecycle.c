/* SPDX-License-Identifier: MIT */
/*
 * Guest lifecycle: PVH boot (image, start info, memory map), stop with a
 * reason, restart per on_crash, and the machine-wide end when every guest
 * has stopped (core/summary.c).
 */
#include <stdarg.h>
#include <stdint.h>
#include <xen/arch-x86/hvm/start_info.h>

#include "arch/cpu.h"
#include "arch/lapic.h"
#include "core/acpi_tables.h"
#include "bolt/bolt.h"
#include "core/console.h"
#include "core/evtchn_host.h"
#include "core/grant.h"
#include "core/guest.h"
#include "core/heap.h"
#include "core/lifecycle.h"
#include "core/pcpu.h"
#include "core/pvconsole.h"
#include "core/shinfo_layout.h"
#include "core/summary.h"
#include "core/time.h"
#include "core/vcpu_info.h"
#include "core/vcpu_up.h"
#include "core/wallclock.h"
#include "evtchn/evtchn.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/lib.h"
#include "sched/sched.h"


/* Entries guest_memmap writes before the shared regions. */
#define MEMMAP_FIXED 4u
_Static_assert(MEMMAP_FIXED + CFG_MAX_SHMS <= BOLT_GUEST_MEMMAP_MAX,
	       "a guest mapping every [shm] region must find each in its memory map");
_Static_assert(BOLT_GUEST_MEMMAP + BOLT_GUEST_MEMMAP_MAX * sizeof(struct hvm_memmap_table_entry) <=
		       BOLT_GUEST_CMDLINE,
	       "the memory map must end before the command line");

/* docs/boot.md, "Guest memory": the memory map, for the start info and XENMEM_memory_map. */
unsigned guest_memmap(const struct guest *g, struct hvm_memmap_table_entry *mm)
{
	unsigned n = 0;

	mm[n++] = (struct hvm_memmap_table_entry){ 0, BOLT_GUEST_RESERVED_END,
						   XEN_HVM_MEMMAP_TYPE_RESERVED, 0 };
	mm[n++] = (struct hvm_memmap_table_entry){ BOLT_GUEST_RESERVED_END,
						   0xa0000 - BOLT_GUEST_RESERVED_END,
						   XEN_HVM_MEMMAP_TYPE_RAM, 0 };
	/* The ACPI tables, in the legacy hole (include/bolt/bolt.h says why there). */
	mm[n++] = (struct hvm_memmap_table_entry){ BOLT_GUEST_ACPI, BOLT_GUEST_ACPI_SIZE,
						   XEN_HVM_MEMMAP_TYPE_ACPI, 0 };
	mm[n++] = (struct hvm_memmap_table_entry){ BOLT_GUEST_LOAD_MIN,
						   g->ram_size - BOLT_GUEST_LOAD_MIN,
						   XEN_HVM_MEMMAP_TYPE_RAM, 0 };
	/* Shared regions: reserved in the map (and named on the command line). */
	for (unsigned i = 0; i < g->nr_shms && n < BOLT_GUEST_MEMMAP_MAX; i++)
		mm[n++] = (struct hvm_memmap_table_entry){ g->shms[i]->gpa, g->shms[i]->size,
							   XEN_HVM_MEMMAP_TYPE_RESERVED, 0 };
	return n;
}

static int write_start_info(struct guest *g)
{
	struct hvm_start_info *si = (void *)(g->ram + BOLT_GUEST_START_INFO);
	struct hvm_memmap_table_entry *mm = (void *)(g->ram + BOLT_GUEST_MEMMAP);
	char *cmdline = (char *)(g->ram + BOLT_GUEST_CMDLINE);
	unsigned n = guest_memmap(g, mm);
	size_t len = strlen(g->cfg->cmdline);
	uint64_t rsdp = 0;
	int rc;

	/* Its MADT lists one local APIC per vCPU, APIC ID = vCPU index. */
	rc = acpi_tables_build(g->ram + BOLT_GUEST_ACPI, BOLT_GUEST_ACPI_SIZE, BOLT_GUEST_ACPI,
			       g->nr_vcpus, &rsdp);
	if (rc) {
		log_printf("guest '%s': cannot build its ACPI tables (%d)", g->cfg->name, rc);
		return rc;
	}
	memcpy(cmdline, g->cfg->cmdline, len);
	for (unsigned i = 0; i < g->nr_shms && MEMMAP_FIXED + i < BOLT_GUEST_MEMMAP_MAX; i++) {
		const struct cfg_shm *shm = g->shms[i];

		len += (size_t)bolt_snprintf(cmdline + len, BOLT_GUEST_CMDLINE_AREA - len,
					     "%sbolt.shm=%s:0x%lx:0x%lx:%s", len ? " " : "", shm->name,
					     (unsigned long)shm->gpa, (unsigned long)shm->size,
					     shm->writable ? "rw" : "ro");
	}
	/* Channels it binds at run time: where the offered end is (core/wiring.c). */
	for (unsigned i = 0; i < g->nr_bind_chans && len < BOLT_GUEST_CMDLINE_AREA; i++) {
		const struct cfg_channel *c = g->bind_chans[i];
		unsigned owner = c->port[0] ? 0 : 1;

		len += (size_t)bolt_snprintf(cmdline + len, BOLT_GUEST_CMDLINE_AREA - len,
					     "%sbolt.evtchn=%s:%u:%u", len ? " " : "", c->name,
					     c->guest[owner] + 1, (unsigned)c->port[owner]);
	}
	cmdline[MIN(len, BOLT_GUEST_CMDLINE_AREA - 1)] = '\0';
	*si = (struct hvm_start_info){
		.magic = XEN_HVM_START_MAGIC_VALUE,
		.version = 1,
		.cmdline_paddr = BOLT_GUEST_CMDLINE,
		.memmap_paddr = BOLT_GUEST_MEMMAP,
		.memmap_entries = n,
		.rsdp_paddr = rsdp,
	};
	if (g->initrd) {
		struct hvm_modlist_entry *mod = (void *)(g->ram + BOLT_GUEST_MODLIST);

		*mod = (struct hvm_modlist_entry){ .paddr = g->initrd_gpa, .size = g->initrd_len };
		si->nr_modules = 1;
		si->modlist_paddr = BOLT_GUEST_MODLIST;
	}
	return 0;
}

int guest_xen_create(struct guest *g)
{
	struct vcpu *vcpu_ptrs[EVTCHN_MAX_VCPUS];
	int rc;

	_Static_assert(CFG_MAX_VCPUS <= EVTCHN_MAX_VCPUS, "every vCPU gets its events");
	for (unsigned i = 0; i < g->nr_vcpus; i++)
		vcpu_ptrs[i] = &g->vcpus[i];

	g->shinfo = heap_alloc_pages(1, 1);
	g->evtchn_ports = heap_zalloc(EVTCHN_NR_PORTS * sizeof(struct evtchn_port));
	if (!g->shinfo || !g->evtchn_ports)
		return -XEN_ENOMEM;
	g->shinfo_gfn = ~0ULL;
	balloon_init(&g->balloon, g->ram_size >> 12);
	rc = gnt_guest_create(g);
	if (rc)
		return rc;
	rc = evtchn_domain_init(&g->evtchn, (uint16_t)g->domid, g->shinfo, g->evtchn_ports,
				g->cfg->delivery == CFG_DELIVERY_LAZY ? EVTCHN_DELIVERY_LAZY
								       : EVTCHN_DELIVERY_IMMEDIATE,
				vcpu_ptrs, g->nr_vcpus);
	if (rc)
		return rc;
	evtchn_domain_set_host(&g->evtchn, &guest_evtchn_host, g);
	vcpu_info_reset(g);
	evtchn_domain_set_max_ports(&g->evtchn, g->cfg->max_event_channels);
	for (unsigned i = 0; i < g->nr_vcpus; i++)
		time_fill_pvclock(&g->shinfo->vcpu_info[i].time);
	wallclock_fill(g->shinfo);
	return 0;
}

/*
 * A restarted guest starts with a clean Xen interface: its channels are
 * closed (peers see them unbound and get VIRQ_DOM_EXC), shared_info is
 * zeroed and no longer mapped, vcpu_info is back in it, no upcall vector,
 * no timers.
 */
static void guest_xen_reset(struct guest *g)
{
	if (g->boot_count == 0)
		return;
	evtchn_domain_close_all(&g->evtchn);
	if (g->shinfo_gfn != ~0ULL)
		guest_arch_restore_ram_page(g, g->shinfo_gfn << 12);
	g->shinfo_gfn = ~0ULL;
	if (g->trace_acks_gfn)
		guest_arch_restore_ram_page(g, g->trace_acks_gfn << 12);
	g->trace_acks_gfn = 0;
	/* Ballooned-out frames: the new boot gets its whole configured RAM back. */
	for (unsigned i = 0; i < BALLOON_REGIONS_MAX; i++)
		if (g->balloon.r[i].holes)
			guest_arch_restore_ram(g, g->balloon.r[i].base << 12,
					       (uint64_t)BALLOON_REGION_FRAMES << 12, false);
	balloon_init(&g->balloon, g->ram_size >> 12);
	if (g->trace_acks)
		memset(g->trace_acks, 0, PAGE_SIZE);
	memset(g->shinfo, 0, PAGE_SIZE);
	shinfo_reset_layout(g);
	wallclock_fill(g->shinfo);
	g->callback_vector = 0;
	for (unsigned i = 0; i < g->nr_vcpus; i++) {
		struct vcpu *v = &g->vcpus[i];

		time_fill_pvclock(&g->shinfo->vcpu_info[i].time);
		v->upcall_vector = 0;
		v->upcall_own = false;
		v->timer_ns = 0;
		v->periodic_ns = v->periodic_next_ns = 0;
		v->poll_ns = 0;
	}
}

int guest_load(struct guest *g)
{
	struct elf_pvh_info info;
	char err[160];
	int rc;

	/*
	 * Events for the new boot go to shared_info again before its RAM is
	 * cleared: a peer sending now must not set bits in the old
	 * registered vcpu_info inside the new image (a sender that read the
	 * old place a moment ago can still set one bit there: the guest's
	 * own RAM either way, never Bolt's or another guest's).
	 */
	vcpu_info_reset(g);
	/* A restart must not leak the previous run's memory into the new one. */
	memset(g->ram, 0, g->ram_size);
	rc = elf_load_pvh(g->image, g->image_len, g->cfg->image, g->ram, g->ram_size,
			  BOLT_GUEST_LOAD_MIN, &info, err, sizeof(err));
	if (rc) {
		log_printf("guest '%s': cannot load image: %s", g->cfg->name, err);
		return rc;
	}
	if (g->initrd) {
		/*
		 * The initrd goes at the top of RAM, page-aligned, where the
		 * kernel's own early allocations do not look first (Linux
		 * reserves the module's range itself); load_guests() checked
		 * that it clears the kernel.
		 */
		g->initrd_gpa = ALIGN_DOWN(g->ram_size - g->initrd_len, (uint64_t)PAGE_SIZE);
		memcpy(g->ram + g->initrd_gpa, g->initrd, g->initrd_len);
	}
	rc = write_start_info(g);
	if (rc)
		return rc;
	guest_xen_reset(g);
	pvconsole_boot(g);
	g->log_lines = 0;
	/*
	 * A fresh budget of moves each boot is safe for the heap: a move
	 * splits a 2 MiB EPT page for the hypervisor page, and mapping the
	 * RAM back (on the next move, or in guest_xen_reset above) folds the
	 * table back into the large page and keeps it as the guest's spare
	 * (arch/x86/ept.c). Across any number of boots the guest's EPT holds
	 * at most its boot-time tables plus one per hypervisor page mapped
	 * (shared_info, trace acks) and one spare, never a table per region
	 * it ever touched. A page put above RAM (core/physmap.h) may need a
	 * PDPT, PD and PT; unmapping it there, on a move or in
	 * guest_xen_reset and gnt_guest_release, puts the emptied tables on
	 * the spare list too. Reusing rather than freeing: the next boot's
	 * first move needs a table again anyway.
	 */
	g->page_remaps = 0;
	g->uart = (struct pio_uart){ 0 };
	g->stop_reason = GUEST_STOP_NONE;
	g->has_exit_status = false;
	g->boot_ns = time_now_ns();
	/*
	 * The others' local APICs at power-up state now, so vCPU 0's INIT and
	 * STARTUP IPIs find them by APIC ID (their own CPUs reset them again
	 * when they start).
	 */
	for (unsigned i = 1; i < g->nr_vcpus; i++)
		lapic_reset(&g->vcpus[i]);
	/* vCPU 0 boots at the PVH entry; the others wait for a STARTUP IPI or VCPUOP_up. */
	return vcpu_request_start(&g->vcpus[0],
				  &(struct vcpu_start){ .kind = VCPU_START_PVH, .entry = info.entry,
							.start_info = BOLT_GUEST_START_INFO });
}


static bool should_restart(struct guest *g, enum guest_stop why)
{
	if (why == GUEST_STOP_REBOOT)
		return g->boot_count < g->cfg->max_restarts;
	return why == GUEST_STOP_CRASH && g->cfg->on_crash == CFG_ON_CRASH_RESTART &&
	       g->boot_count < g->cfg->max_restarts;
}

void guest_stop(struct guest *g, enum guest_stop why, const char *fmt, ...)
{
	struct pcpu *me = this_pcpu();
	va_list ap;

	/*
	 * Every vCPU off its CPU first (the caller's own included): the
	 * restart rewrites RAM no sibling may still be running on. A sibling
	 * that got here first has done all of this already.
	 */
	if (!vcpus_stop_all(g, me->current && me->current->guest == g ? me->current : NULL))
		return;
	va_start(ap, fmt);
	bolt_vsnprintf(g->stop_msg, sizeof(g->stop_msg), fmt, ap);
	va_end(ap);
	g->stop_reason = why;
	/* What it wrote to its PV console but did not notify is still its output. */
	pvconsole_drain(g);
	console_linebuf_flush(&g->con);
	/* Before its RAM is reused or left: no peer may still map it (core/grant_map.c). */
	gnt_guest_release(g);

	if (should_restart(g, why)) {
		g->boot_count++;
		log_printf("guest '%s' stopped (%s): %s; restarting (boot %u of at most %u)",
			   g->cfg->name, guest_stop_name(why), g->stop_msg, g->boot_count + 1,
			   g->cfg->max_restarts + 1);
		if (guest_load(g) == 0) {
			vcpus_stop_done(g);
			return;
		}
	} else {
		log_printf("guest '%s' stopped (%s): %s", g->cfg->name, guest_stop_name(why),
			   g->stop_msg);
	}
	/* Its peers see their channels unbound and get VIRQ_DOM_EXC, as on a restart. */
	evtchn_domain_close_all(&g->evtchn);
	vcpus_stop_done(g);
	summary_guest_stopped(g);
}

/* "1, 2": the CPUs of vCPUs 1.. (for the start line). */
static const char *cpu_list(const struct guest *g)
{
	static char buf[CFG_MAX_VCPUS * 5];
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 1; i < g->nr_vcpus && n < sizeof(buf); i++)
		n += (size_t)bolt_snprintf(buf + n, sizeof(buf) - n, "%s%u", i > 1 ? ", " : "",
					   g->vcpus[i].pcpu->index);
	return buf;
}

void guests_start_on_cpu(struct pcpu *p)
{
	for (unsigned i = 0; i < nr_guests; i++) {
		struct guest *g = &guests[i];

		if (g->vcpus[0].pcpu != p)
			continue;
		for (unsigned v = 1; v < g->nr_vcpus; v++)
			g->vcpus[v].wait_sipi = true;
		if (guest_load(g)) {
			g->stop_reason = GUEST_STOP_CRASH;
			bolt_snprintf(g->stop_msg, sizeof(g->stop_msg), "could not be started");
			log_printf("guest '%s' stopped (crash): could not be started", g->cfg->name);
			summary_guest_stopped(g);
			continue;
		}
		if (g->nr_vcpus > 1)
			log_printf("guest '%s' (domain %u) starting on CPU %u: %s, %lu MiB, %u vCPUs "
				   "(the others on CPU %s)", g->cfg->name, g->domid, p->index,
				   g->cfg->image, (unsigned long)(g->ram_size >> 20), g->nr_vcpus,
				   cpu_list(g));
		else
			log_printf("guest '%s' (domain %u) starting on CPU %u: %s, %lu MiB",
				   g->cfg->name, g->domid, p->index, g->cfg->image,
				   (unsigned long)(g->ram_size >> 20));
	}
}
