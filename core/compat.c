/* SPDX-License-Identifier: MIT */
/*
 * Conversions between the 32-bit (compat) and native layouts of the
 * hypercall argument structs that differ (core/compat.h). Xen does the
 * same in its generated XLAT_* macros (xen/include/compat/xlat.h); the
 * sizes and offsets below are those of the i386 build of the public
 * headers (gcc -m32 on xen/memory.h, sched.h, vcpu.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "core/compat.h"

#define CHECK_LAYOUT(s, m, off) _Static_assert(offsetof(struct s, m) == (off), #s "." #m)
#define CHECK_SIZE(s, sz) _Static_assert(sizeof(struct s) == (sz), "sizeof " #s)

CHECK_SIZE(compat_add_to_physmap, 16);
CHECK_LAYOUT(compat_add_to_physmap, space, 4);
CHECK_LAYOUT(compat_add_to_physmap, idx, 8);
CHECK_LAYOUT(compat_add_to_physmap, gpfn, 12);
CHECK_SIZE(compat_memory_reservation, 20);
CHECK_LAYOUT(compat_memory_reservation, nr_extents, 4);
CHECK_LAYOUT(compat_memory_reservation, extent_order, 8);
CHECK_LAYOUT(compat_memory_reservation, mem_flags, 12);
CHECK_LAYOUT(compat_memory_reservation, domid, 16);
CHECK_SIZE(compat_memory_map, 8);
CHECK_LAYOUT(compat_memory_map, buffer, 4);
CHECK_SIZE(compat_sched_poll, 16);
CHECK_LAYOUT(compat_sched_poll, nr_ports, 4);
CHECK_LAYOUT(compat_sched_poll, timeout, 8);
CHECK_SIZE(compat_vcpu_set_singleshot_timer, 12);
CHECK_LAYOUT(compat_vcpu_set_singleshot_timer, flags, 8);
CHECK_SIZE(compat_vcpu_runstate_info, 44);
CHECK_LAYOUT(compat_vcpu_runstate_info, state_entry_time, 4);
CHECK_LAYOUT(compat_vcpu_runstate_info, time, 12);

/* shared_info of a 32-bit guest (i386 xen.h: gcc -m32 offsetof). */
CHECK_SIZE(compat_vcpu_info, 64);
CHECK_LAYOUT(compat_vcpu_info, evtchn_pending_sel, 4);
CHECK_LAYOUT(compat_vcpu_info, cr2, 8);
CHECK_LAYOUT(compat_vcpu_info, time, 32);
CHECK_LAYOUT(compat_shared_info, evtchn_pending, 2048);
CHECK_LAYOUT(compat_shared_info, evtchn_mask, 2176);
CHECK_LAYOUT(compat_shared_info, wc_version, 2304);
CHECK_LAYOUT(compat_shared_info, wc_sec, 2308);
CHECK_LAYOUT(compat_shared_info, wc_nsec, 2312);
CHECK_LAYOUT(compat_shared_info, arch, 2316);
CHECK_LAYOUT(compat_shared_info, wc_sec_hi, 2340);
CHECK_SIZE(compat_shared_info, 2344);
/* The time info a 32-bit guest reads is where the native writer puts it. */
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info.time");
_Static_assert(sizeof(struct vcpu_info) == 64, "sizeof vcpu_info");

/* The native layouts these convert to: Bolt's (x86-64) view of the public headers. */
CHECK_SIZE(xen_add_to_physmap, 24);
CHECK_SIZE(xen_memory_reservation, 32);
CHECK_SIZE(sched_poll, 24);
CHECK_SIZE(vcpu_runstate_info, 48);

static void *compat_ptr(compat_handle_t h)
{
	return (void *)(uintptr_t)h; /* zero-extended, as Xen's compat_handle_t */
}

void compat_add_to_physmap_in(const struct compat_add_to_physmap *c, struct xen_add_to_physmap *n)
{
	n->domid = c->domid;
	n->size = c->size;
	n->space = c->space;
	n->idx = c->idx;
	n->gpfn = c->gpfn;
}

void compat_memory_reservation_in(const struct compat_memory_reservation *c,
				  struct xen_memory_reservation *n)
{
	set_xen_guest_handle(n->extent_start, (xen_pfn_t *)compat_ptr(c->extent_start));
	n->nr_extents = c->nr_extents;
	n->extent_order = c->extent_order;
	n->mem_flags = c->mem_flags;
	n->domid = c->domid;
}

void compat_memory_map_in(const struct compat_memory_map *c, struct xen_memory_map *n)
{
	n->nr_entries = c->nr_entries;
	set_xen_guest_handle(n->buffer, compat_ptr(c->buffer));
}

void compat_sched_poll_in(const struct compat_sched_poll *c, struct sched_poll *n)
{
	set_xen_guest_handle(n->ports, (evtchn_port_t *)compat_ptr(c->ports));
	n->nr_ports = c->nr_ports;
	n->timeout = c->timeout;
}

void compat_singleshot_in(const struct compat_vcpu_set_singleshot_timer *c,
			  struct vcpu_set_singleshot_timer *n)
{
	n->timeout_abs_ns = c->timeout_abs_ns;
	n->flags = c->flags;
}

void compat_runstate_out(const struct vcpu_runstate_info *n, struct compat_vcpu_runstate_info *c)
{
	c->state = n->state;
	c->state_entry_time = n->state_entry_time;
	for (unsigned i = 0; i < 4; i++)
		c->time[i] = n->time[i];
}
