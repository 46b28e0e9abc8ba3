/* SPDX-License-Identifier: MIT */
/*
 * vcpu_op(cmd, vcpuid, arg): the VCPUOP_* sub-ops a PVH/HVM kernel uses to
 * bring up secondary vCPUs, for its clock event device and for
 * steal-time/idle accounting (xen/vcpu.h). A vcpuid the guest does not
 * have is -ENOENT, as Xen's do_vcpu_op answers. The timers are the calling
 * vCPU's own (-EINVAL for another, as Xen's singleshot timer). Sub-ops
 * Bolt does not provide return -ENOSYS (docs/abi.md section 4, vcpu_op).
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/vcpu.h>

#include "arch/cpu.h"
#include "core/compat.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "core/time.h"
#include "core/vcpu_info.h"
#include "core/vcpu_up.h"
#include "lib/errno.h"
#include "lib/lib.h"
#include "sched/timer.h"

/*
 * The singleshot timer is the same timer as set_timer_op's, as in Xen
 * (both drive the vCPU's one singleshot timer): setting one replaces the
 * other. Unlike set_timer_op, a deadline of 0 is not "cancel" but a time
 * long past, so it fires at once: Bolt's timer uses 0 for "none", hence 1.
 */
static long vcpu_set_singleshot(struct vcpu *v, bool compat, uint64_t arg)
{
	struct vcpu_set_singleshot_timer st;

	if (compat) {
		/* 12 bytes, not 16: the tail padding is not there to read. */
		struct compat_vcpu_set_singleshot_timer c;

		if (vcpu_copy_from_guest(v, &c, arg, sizeof(c)))
			return -XEN_EFAULT;
		compat_singleshot_in(&c, &st);
	} else if (vcpu_copy_from_guest(v, &st, arg, sizeof(st))) {
		return -XEN_EFAULT;
	}
	/* Unknown flag bits are ignored, as in Xen. */
	if ((st.flags & VCPU_SSHOTTMR_future) && st.timeout_abs_ns < time_now_ns())
		return -XEN_ETIME;
	timer_set(v, st.timeout_abs_ns ? st.timeout_abs_ns : 1);
	return 0;
}

/*
 * Xen's checks (common/domain.c, VCPUOP_set_periodic_timer): a period under
 * 1 ms or above STIME_DELTA_MAX (2^62 - 1 ns) is -EINVAL. The struct is one
 * uint64_t in both ABIs.
 */
#define PERIODIC_MIN_NS 1000000ULL
#define PERIODIC_MAX_NS (~0ULL >> 2)

static long vcpu_set_periodic(struct vcpu *v, uint64_t arg)
{
	struct vcpu_set_periodic_timer pt;

	if (vcpu_copy_from_guest(v, &pt, arg, sizeof(pt)))
		return -XEN_EFAULT;
	if (pt.period_ns < PERIODIC_MIN_NS || pt.period_ns > PERIODIC_MAX_NS)
		return -XEN_EINVAL;
	timer_set_periodic(v, pt.period_ns);
	return 0;
}

/*
 * Bolt keeps two numbers per boot: the TSC ticks spent in VMX non-root
 * mode (vcpu.guest_ticks, summed at every VM exit) and the boot time.
 * Running is the first; everything else since boot counts as blocked.
 * Approximations (docs/abi.md): time Bolt spends handling the guest's
 * exits counts as blocked, not running as on Xen; time waiting for a
 * shared CPU (runnable) is counted as blocked too, and runnable and
 * offline are always 0. The sum equals system time since this boot.
 * The call is made by the running vCPU, so the state is running, since
 * its last VM entry. Written to gva: get_runstate_info's argument, or the
 * registered area.
 */
static long runstate_write(struct vcpu *v, struct vcpu *t, bool compat, uint64_t gva)
{
	struct guest *g = v->guest;
	struct vcpu_runstate_info ri;
	uint64_t now = time_now_ns();
	uint64_t since_boot = now - g->boot_ns;
	uint64_t running = time_ticks_to_ns(t->guest_ticks - t->boot_guest_ticks);

	memset(&ri, 0, sizeof(ri));
	/* A sibling: running or blocked by its state, offline while down. */
	ri.state = t == v || t->state == VCPU_RUNNABLE ? RUNSTATE_running
		 : t->state == VCPU_STOPPED ? RUNSTATE_offline : RUNSTATE_blocked;
	ri.state_entry_time = time_tsc_to_ns(t->entry_tsc);
	ri.time[RUNSTATE_running] = MIN(running, since_boot);
	ri.time[RUNSTATE_blocked] = since_boot - ri.time[RUNSTATE_running];
	if (compat) {
		/* 44 bytes, the uint64_t fields 4-aligned: state_entry_time at 4, time[] at 12. */
		struct compat_vcpu_runstate_info c;

		compat_runstate_out(&ri, &c);
		return vcpu_copy_to_guest(v, gva, &c, sizeof(c)) ? -XEN_EFAULT : 0;
	}
	return vcpu_copy_to_guest(v, gva, &ri, sizeof(ri)) ? -XEN_EFAULT : 0;
}

/*
 * The argument of register_runstate_memory_area and
 * register_vcpu_time_memory_area: a struct holding one guest handle, the
 * guest virtual address of the area (8 bytes; a 32-bit handle for a
 * 32-bit caller). 0 or -XEN_EFAULT.
 */
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8 &&
		       sizeof(struct vcpu_register_time_memory_area) == 8,
	       "one 64-bit handle each");
static int area_address(struct vcpu *v, bool compat, uint64_t arg, uint64_t *gva)
{
	uint32_t va32;

	if (!compat)
		return vcpu_copy_from_guest(v, gva, arg, sizeof(*gva)) ? -XEN_EFAULT : 0;
	if (vcpu_copy_from_guest(v, &va32, arg, sizeof(va32)))
		return -XEN_EFAULT;
	*gva = va32;
	return 0;
}

/*
 * VCPUOP_register_runstate_memory_area: arg holds the guest virtual
 * address of a vcpu_runstate_info (or its 32-bit layout), which Linux's
 * steal-time and spinlock code reads. Bolt writes it once, now: it never
 * reports runnable or offline time (see runstate_write), so the steal
 * time Linux derives from it (runnable + offline) stays 0 and the state a
 * reader can observe is "running" whatever Bolt rewrote; a later
 * get_runstate_info gives fresh running/blocked figures. Address 0
 * unregisters, as in Xen.
 */
static long vcpu_register_runstate(struct vcpu *v, struct vcpu *t, bool compat, uint64_t arg)
{
	uint64_t gva;

	if (area_address(v, compat, arg, &gva))
		return -XEN_EFAULT;
	if (!gva)
		return 0;
	return runstate_write(v, t, compat, gva);
}

/*
 * VCPUOP_register_vcpu_time_memory_area: arg holds the guest virtual
 * address of a second copy of the vCPU's vcpu_time_info, one the guest can
 * map into user space: Linux's vDSO then reads the pvclock itself and
 * clock_gettime() makes no system call (xen_setup_vsyscall_time_info).
 * Xen rewrites that copy whenever it updates the vcpu_info one; Bolt fills
 * the vcpu_info one once per boot (core/lifecycle.c: a fixed TSC scale,
 * TSC_STABLE), so writing the area once, now, keeps the two identical.
 * The struct is the same in both ABIs (32 bytes, naturally aligned); the
 * compat argument is a 32-bit handle. Address 0 unregisters, as in Xen.
 */
static long vcpu_register_time_area(struct vcpu *v, bool compat, uint64_t arg)
{
	struct vcpu_time_info t;
	uint64_t gva;

	if (area_address(v, compat, arg, &gva))
		return -XEN_EFAULT;
	if (!gva)
		return 0;
	/* version ends even (time_fill_pvclock bumps it twice): a consistent copy. */
	memset(&t, 0, sizeof(t));
	time_fill_pvclock(&t);
	return vcpu_copy_to_guest(v, gva, &t, sizeof(t)) ? -XEN_EFAULT : 0;
}

long hc_vcpu_op(struct vcpu *v, struct hypercall_args *a)
{
	uint64_t cmd = a->a[0], arg = a->a[2];
	struct guest *g = v->guest;
	/* Xen reads vcpuid as an int. */
	uint32_t id = (uint32_t)a->a[1];
	struct vcpu *t;

	if (id >= g->nr_vcpus)
		return -XEN_ENOENT;
	t = &g->vcpus[id];
	switch (cmd) {
	case VCPUOP_initialise:
		return vcpu_op_initialise(v, t, a->compat, arg);
	case VCPUOP_up:
		return vcpu_op_up(t);
	case VCPUOP_down:
		return vcpu_op_down(v, t);
	case VCPUOP_is_up:
		return vcpu_is_up(t);
	case VCPUOP_get_runstate_info:
		return runstate_write(v, t, a->compat, arg);
	case VCPUOP_register_vcpu_info:
		return vcpu_info_register(v, t, a->compat, arg);
	case VCPUOP_register_runstate_memory_area:
		return vcpu_register_runstate(v, t, a->compat, arg);
	case VCPUOP_register_vcpu_time_memory_area:
		return vcpu_register_time_area(v, a->compat, arg);
	case VCPUOP_set_periodic_timer:
	case VCPUOP_stop_periodic_timer:
	case VCPUOP_set_singleshot_timer:
	case VCPUOP_stop_singleshot_timer:
		/* Timer state belongs to the vCPU's own CPU. */
		if (t != v)
			return -XEN_EINVAL;
		break;
	default:
		/* send_nmi, get_physid and the rest: not provided. */
		return -XEN_ENOSYS;
	}
	switch (cmd) {
	case VCPUOP_set_periodic_timer:
		return vcpu_set_periodic(v, arg);
	case VCPUOP_stop_periodic_timer:
		timer_set_periodic(v, 0);
		return 0;
	case VCPUOP_set_singleshot_timer:
		return vcpu_set_singleshot(v, a->compat, arg);
	default:
		timer_set(v, 0);
		return 0;
	}
}
