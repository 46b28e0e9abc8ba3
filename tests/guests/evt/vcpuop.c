/* SPDX-License-Identifier: MIT */
/*
 * test=vcpuop: vcpu_op (hypercall 24) and XENVER_get_features, good and
 * bad arguments and side effects (docs/abi.md section 4):
 *   - is_up: 1 for vCPU 0, -ENOENT for vCPUs 1 and 0xffffffff;
 *   - stop_periodic_timer: 0; set_periodic_timer and register_vcpu_info
 *     exist (their behaviour: tests/xen/cases/); not provided sub-ops: -ENOSYS;
 *   - set_singleshot_timer 2 ms ahead (VCPU_SSHOTTMR_future) raises
 *     VIRQ_TIMER and wakes SCHEDOP_block after >= 2 ms and < 50 ms;
 *   - stop_singleshot_timer cancels it, and cancels a set_timer_op timer
 *     too (one timer, as in Xen): SCHEDOP_poll on the port times out;
 *   - a past deadline: -ETIME with the future flag (and nothing armed),
 *     fires at once without it; deadline 0 fires at once too;
 *   - get_runstate_info: running state, times summing to at most system
 *     time, blocked time growing by a 5 ms sleep, running by a 5 ms spin;
 *   - register_runstate_memory_area: 0, and the area is filled (running,
 *     time[running] > 0, nothing runnable or offline); a bad pointer in
 *     the struct: -EFAULT;
 *   - register_vcpu_time_memory_area: 0, and the area is a consistent copy
 *     (version even) of vcpu_info's pvclock, TSC_STABLE set; a bad pointer
 *     in the struct: -EFAULT (it was -ENOSYS before Bolt provided it);
 *   - a one-vCPU guest's bring-up sub-ops: up(0) 0 (it is up), up(1)
 *     -ENOENT, down(0) -EBUSY (its last vCPU up), initialise(0) -EEXIST;
 *   - unreadable/unwritable args: -EFAULT;
 *   - XENVER_get_features: exactly the four features Bolt provides.
 */
#include "tests/guests/evt/evt.h"

#include <xen/features.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>

#define VO_DELAY_NS (2 * EVT_MS)
#define VO_LATE_NS (50 * EVT_MS)
#define VO_QUIET_NS (5 * EVT_MS)
#define VO_BAD_PTR 0xffff800000000000ul /* non-canonical: never readable */

static long vo_op(unsigned cmd, unsigned long vcpuid, unsigned long arg)
{
	return bolt_hypercall5(__HYPERVISOR_vcpu_op, cmd, vcpuid, arg, 0, 0);
}

static long vo_sshot(uint64_t deadline, uint32_t flags)
{
	struct vcpu_set_singleshot_timer st = { .timeout_abs_ns = deadline, .flags = flags };

	return vo_op(VCPUOP_set_singleshot_timer, 0, (unsigned long)(uintptr_t)&st);
}

static long vo_runstate(struct vcpu_runstate_info *ri)
{
	return vo_op(VCPUOP_get_runstate_info, 0, (unsigned long)(uintptr_t)ri);
}

static const char *vo_runstate_area(void)
{
	static struct vcpu_runstate_info area;
	struct vcpu_register_runstate_memory_area reg = { .addr.v = &area };
	struct vcpu_register_runstate_memory_area bad = { .addr.p = VO_BAD_PTR };
	long rc;

	area.state = 0xdead;
	rc = vo_op(VCPUOP_register_runstate_memory_area, 0, (unsigned long)(uintptr_t)&reg);
	if (rc)
		return evt_fail("register_runstate_memory_area: %ld, expected 0", rc);
	if (area.state != RUNSTATE_running || !area.time[RUNSTATE_running] ||
	    area.time[RUNSTATE_runnable] || area.time[RUNSTATE_offline])
		return evt_fail("registered runstate area: state %d, running %llu, runnable %llu, "
				"offline %llu", area.state,
				(unsigned long long)area.time[RUNSTATE_running],
				(unsigned long long)area.time[RUNSTATE_runnable],
				(unsigned long long)area.time[RUNSTATE_offline]);
	return evt_check_rc("register_runstate_memory_area(area at a bad address)",
			    vo_op(VCPUOP_register_runstate_memory_area, 0,
				  (unsigned long)(uintptr_t)&bad), -XEN_EFAULT);
}

static const char *vo_time_area(void)
{
	static struct vcpu_time_info area;
	const struct vcpu_time_info *ref = &bolt_shared_info()->vcpu_info[0].time;
	struct vcpu_register_time_memory_area reg = { .addr.v = &area };
	struct vcpu_register_time_memory_area bad = { .addr.p = VO_BAD_PTR };
	long rc;

	area.version = 1; /* odd: "being updated"; the registration must end it even */
	rc = vo_op(VCPUOP_register_vcpu_time_memory_area, 0, (unsigned long)(uintptr_t)&reg);
	if (rc)
		return evt_fail("register_vcpu_time_memory_area: %ld, expected 0", rc);
	if ((area.version & 1) || !area.version || !(area.flags & XEN_PVCLOCK_TSC_STABLE_BIT) ||
	    area.tsc_timestamp != ref->tsc_timestamp || area.system_time != ref->system_time ||
	    area.tsc_to_system_mul != ref->tsc_to_system_mul || area.tsc_shift != ref->tsc_shift)
		return evt_fail("registered time area: version %u flags 0x%x mul %u shift %d, "
				"vcpu_info's mul %u shift %d",
				area.version, area.flags, area.tsc_to_system_mul, area.tsc_shift,
				ref->tsc_to_system_mul, ref->tsc_shift);
	return evt_check_rc("register_vcpu_time_memory_area(area at a bad address)",
			    vo_op(VCPUOP_register_vcpu_time_memory_area, 0,
				  (unsigned long)(uintptr_t)&bad), -XEN_EFAULT);
}

/* A zeroed vcpu_hvm_context: 32-bit mode, a valid mode to get as far as the vCPU check. */
static uint8_t vo_scratch[1024];

static const char *vo_args(void)
{
	const char *why;

	if ((why = evt_check_rc("is_up(0)", vo_op(VCPUOP_is_up, 0, 0), 1)) ||
	    (why = evt_check_rc("is_up(1)", vo_op(VCPUOP_is_up, 1, 0), -XEN_ENOENT)) ||
	    (why = evt_check_rc("is_up(0xffffffff)", vo_op(VCPUOP_is_up, 0xffffffffu, 0),
				-XEN_ENOENT)) ||
	    (why = evt_check_rc("stop_periodic_timer(0)",
				vo_op(VCPUOP_stop_periodic_timer, 0, 0), 0)) ||
	    (why = evt_check_rc("stop_periodic_timer(1)",
				vo_op(VCPUOP_stop_periodic_timer, 1, 0), -XEN_ENOENT)) ||
	    (why = evt_check_rc("stop_singleshot_timer(1)",
				vo_op(VCPUOP_stop_singleshot_timer, 1, 0), -XEN_ENOENT)) ||
	    (why = evt_check_rc("get_runstate_info(1)",
				vo_op(VCPUOP_get_runstate_info, 1, 0), -XEN_ENOENT)) ||
	    (why = evt_check_rc("get_runstate_info(bad pointer)",
				vo_op(VCPUOP_get_runstate_info, 0, VO_BAD_PTR), -XEN_EFAULT)) ||
	    (why = evt_check_rc("set_singleshot_timer(bad pointer)",
				vo_op(VCPUOP_set_singleshot_timer, 0, VO_BAD_PTR), -XEN_EFAULT)) ||
	    (why = evt_check_rc("set_periodic_timer(bad pointer)",
				vo_op(VCPUOP_set_periodic_timer, 0, VO_BAD_PTR), -XEN_EFAULT)) ||
	    (why = evt_check_rc("register_vcpu_info(bad pointer)",
				vo_op(VCPUOP_register_vcpu_info, 0, VO_BAD_PTR), -XEN_EFAULT)) ||
	    (why = evt_check_rc("register_runstate_memory_area(bad pointer)",
				vo_op(VCPUOP_register_runstate_memory_area, 0, VO_BAD_PTR),
				-XEN_EFAULT)) ||
	    (why = vo_runstate_area()) ||
	    (why = evt_check_rc("register_vcpu_time_memory_area(bad pointer)",
				vo_op(VCPUOP_register_vcpu_time_memory_area, 0, VO_BAD_PTR),
				-XEN_EFAULT)) ||
	    (why = vo_time_area()) ||
	    /* Bring-up on a one-vCPU guest: vCPU 0 is up; its last vCPU cannot go down. */
	    (why = evt_check_rc("up(0)", vo_op(VCPUOP_up, 0, 0), 0)) ||
	    (why = evt_check_rc("up(1)", vo_op(VCPUOP_up, 1, 0), -XEN_ENOENT)) ||
	    (why = evt_check_rc("down(0), the last vCPU up", vo_op(VCPUOP_down, 0, 0),
				-XEN_EBUSY)) ||
	    (why = evt_check_rc("initialise(0), already running",
				vo_op(VCPUOP_initialise, 0, (unsigned long)(uintptr_t)&vo_scratch),
				-XEN_EEXIST)) ||
	    (why = evt_check_rc("initialise(bad pointer)",
				vo_op(VCPUOP_initialise, 0, VO_BAD_PTR), -XEN_EFAULT)) ||
	    (why = evt_check_rc("vcpu_op(99)", vo_op(99, 0, 0), -XEN_ENOSYS)))
		return why;
	return NULL;
}

static const char *vo_features(void)
{
	const uint32_t want = 1u << XENFEAT_writable_page_tables |
			      1u << XENFEAT_auto_translated_physmap |
			      1u << XENFEAT_hvm_callback_vector | 1u << XENFEAT_hvm_safe_pvclock;
	struct xen_feature_info fi = { .submap_idx = 0, .submap = 0xdeadbeef };
	long ret = bolt_hypercall5(__HYPERVISOR_xen_version, XENVER_get_features,
				   (unsigned long)(uintptr_t)&fi, 0, 0, 0);

	if (ret != 0 || fi.submap != want)
		return evt_fail("get_features(0): ret %ld submap 0x%x, expected 0 0x%x", ret,
				(unsigned)fi.submap, (unsigned)want);
	fi = (struct xen_feature_info){ .submap_idx = 1, .submap = 0xdeadbeef };
	ret = bolt_hypercall5(__HYPERVISOR_xen_version, XENVER_get_features,
			      (unsigned long)(uintptr_t)&fi, 0, 0, 0);
	if (ret != 0 || fi.submap != 0)
		return evt_fail("get_features(1): ret %ld submap 0x%x", ret, (unsigned)fi.submap);
	printf("vcpuop: XENVER_get_features submap 0 = 0x%x\n", (unsigned)want);
	return NULL;
}

/* Singleshot 2 ms ahead, slept on with SCHEDOP_block (no handler on the port). */
static const char *vo_fire(evtchn_port_t tport)
{
	struct vcpu_info *vi = &bolt_shared_info()->vcpu_info[0];
	uint64_t t0 = bolt_now_ns(), dt;
	long ret = vo_sshot(t0 + VO_DELAY_NS, VCPU_SSHOTTMR_future);

	if (ret != 0)
		return evt_fail("set_singleshot_timer(now + 2 ms, future) returned %ld", ret);
	while (!bolt_evtchn_is_pending(tport)) {
		if (bolt_now_ns() - t0 > 10 * VO_LATE_NS)
			return "singleshot timer never fired";
		/* IF = 0: clear the flag no upcall consumes, or SCHEDOP_block returns at once. */
		__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
		if (bolt_evtchn_is_pending(tport))
			break;
		bolt_block();
	}
	dt = bolt_now_ns() - t0;
	bolt_evtchn_test_and_clear(tport);
	printf("vcpuop: singleshot fired after %llu ns (asked 2000000)\n", (unsigned long long)dt);
	if (dt < VO_DELAY_NS || dt >= VO_LATE_NS)
		return evt_fail("singleshot timer fired after %llu ns", (unsigned long long)dt);
	if (evt_poll(tport, VO_QUIET_NS))
		return "singleshot timer fired twice";
	return NULL;
}

static const char *vo_quiet(evtchn_port_t tport, const char *what)
{
	if (evt_poll(tport, VO_QUIET_NS))
		return evt_fail("%s: VIRQ_TIMER fired", what);
	return NULL;
}

static const char *vo_stop_and_past(evtchn_port_t tport)
{
	const char *why;
	long ret;

	if ((ret = vo_sshot(bolt_now_ns() + VO_DELAY_NS, 0)) != 0 ||
	    (ret = vo_op(VCPUOP_stop_singleshot_timer, 0, 0)) != 0)
		return evt_fail("set/stop singleshot returned %ld", ret);
	if ((why = vo_quiet(tport, "stopped singleshot timer")))
		return why;
	if (evt_timer_abs(bolt_now_ns() + VO_DELAY_NS) != 0 ||
	    vo_op(VCPUOP_stop_singleshot_timer, 0, 0) != 0)
		return "set_timer_op + stop_singleshot_timer failed";
	if ((why = vo_quiet(tport, "set_timer_op timer after stop_singleshot_timer")))
		return why;
	ret = vo_sshot(bolt_now_ns() - 1000, VCPU_SSHOTTMR_future);
	if ((why = evt_check_rc("set_singleshot_timer(past, future)", ret, -XEN_ETIME)) ||
	    (why = vo_quiet(tport, "refused past deadline")))
		return why;
	if ((why = evt_check_rc("set_singleshot_timer(past)", vo_sshot(bolt_now_ns() - 1000, 0),
				0)))
		return why;
	if (!evt_poll(tport, VO_LATE_NS))
		return "past deadline without the future flag did not fire within 50 ms";
	if ((why = evt_check_rc("set_singleshot_timer(0)", vo_sshot(0, 0), 0)))
		return why;
	if (!evt_poll(tport, VO_LATE_NS))
		return "deadline 0 did not fire within 50 ms";
	printf("vcpuop: stop cancels, past deadline -ETIME with future flag, fires without\n");
	return NULL;
}

/* SCHEDOP_poll with no ports: a plain sleep, until system time is t0 + ns. */
static void vo_sleep(uint64_t ns)
{
	struct sched_poll sp = { .nr_ports = 0, .timeout = bolt_now_ns() + ns };

	set_xen_guest_handle(sp.ports, NULL);
	while (bolt_now_ns() < sp.timeout)
		bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_poll, (unsigned long)(uintptr_t)&sp,
				0, 0, 0);
}

static const char *vo_check_rs(const struct vcpu_runstate_info *ri, uint64_t now)
{
	uint64_t sum = ri->time[0] + ri->time[1] + ri->time[2] + ri->time[3];

	if (ri->state != RUNSTATE_running)
		return evt_fail("runstate state %d, expected running", ri->state);
	if (ri->state_entry_time == 0 || ri->state_entry_time > now)
		return evt_fail("state_entry_time %llu, now %llu",
				(unsigned long long)ri->state_entry_time, (unsigned long long)now);
	if (ri->time[RUNSTATE_running] == 0 || sum > now)
		return evt_fail("runstate times: running %llu, sum %llu, now %llu",
				(unsigned long long)ri->time[0], (unsigned long long)sum,
				(unsigned long long)now);
	return NULL;
}

static const char *vo_runstate_check(void)
{
	struct vcpu_runstate_info a, b, c;
	uint64_t t, run_d, blk_d;
	const char *why;

	if (vo_runstate(&a) != 0)
		return "get_runstate_info failed";
	if ((why = vo_check_rs(&a, bolt_now_ns())))
		return why;
	vo_sleep(VO_QUIET_NS);
	if (vo_runstate(&b) != 0 || (why = vo_check_rs(&b, bolt_now_ns())))
		return why ? why : "get_runstate_info failed";
	blk_d = b.time[RUNSTATE_blocked] - a.time[RUNSTATE_blocked];
	if (blk_d < VO_QUIET_NS)
		return evt_fail("blocked time grew by %llu ns over a 5 ms sleep",
				(unsigned long long)blk_d);
	for (t = bolt_now_ns(); bolt_now_ns() - t < VO_QUIET_NS;)
		__asm__ volatile("pause");
	if (vo_runstate(&c) != 0 || (why = vo_check_rs(&c, bolt_now_ns())))
		return why ? why : "get_runstate_info failed";
	run_d = c.time[RUNSTATE_running] - b.time[RUNSTATE_running];
	/* Bochs: the 1 ms tick and its exits cost little against a 5 ms spin. */
	if (run_d < VO_QUIET_NS / 2)
		return evt_fail("running time grew by %llu ns over a 5 ms spin",
				(unsigned long long)run_d);
	printf("vcpuop: runstate running %llu ns, blocked %llu ns; +%llu blocked in a 5 ms "
	       "sleep, +%llu running in a 5 ms spin\n",
	       (unsigned long long)c.time[0], (unsigned long long)c.time[2],
	       (unsigned long long)blk_d, (unsigned long long)run_d);
	return NULL;
}

const char *evt_vcpuop(const struct evt_args *a)
{
	evtchn_port_t tport;
	const char *why;
	long ret;

	(void)a;
	if ((why = vo_args()) || (why = vo_features()))
		return why;
	printf("vcpuop: argument checks passed\n");
	ret = bolt_evtchn_bind_virq(VIRQ_TIMER, &tport);
	if (ret < 0)
		return evt_fail("EVTCHNOP_bind_virq(VIRQ_TIMER) returned %ld", ret);
	if ((why = vo_fire(tport)) || (why = vo_stop_and_past(tport)) ||
	    (why = vo_runstate_check()))
		return why;
	return NULL;
}
