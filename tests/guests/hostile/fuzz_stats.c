/* SPDX-License-Identifier: MIT */
/*
 * hostile fuzz: what each hypercall may return, the per-number and
 * per-errno counts, and the table printed at the end. The allowed sets
 * are the error lists of docs/abi.md section 4; a number Bolt does not
 * implement may only ever return -ENOSYS.
 */
#include "tests/guests/hostile/hostile.h"

#define E(x)			(1ull << (x))
/* memory_op's cmd: the sub-op in bits 5:0, a continuation above (Xen's MEMOP_CMD_MASK, not public). */
#define MEMOP_CMD(cmd)		((cmd) & 0x3f)
#define HOSTILE_FUZZ_REPORT_MAX 20u

/* Bit 0: success (0, or a value where the call returns one); bit e: -e. */
static uint64_t hostile_fuzz_allowed(unsigned nr)
{
	switch (nr) {
	case __HYPERVISOR_memory_op: /* ESRCH: an unknown domid (reservation queries) */
		return E(0) | E(XEN_EFAULT) | E(XEN_EPERM) | E(XEN_ENOSYS) | E(XEN_EINVAL) |
		       E(XEN_ENOMEM) | E(XEN_EBUSY) | E(XEN_ESRCH); /* EBUSY: bounded shared_info moves */
	case __HYPERVISOR_set_timer_op: return E(0);
	case __HYPERVISOR_xen_version: return E(0) | E(XEN_EFAULT) | E(XEN_ENOSYS);
	case __HYPERVISOR_console_io: return E(0) | E(XEN_EFAULT) | E(XEN_ENOSYS);
	case __HYPERVISOR_sched_op: return E(0) | E(XEN_EFAULT) | E(XEN_EINVAL) | E(XEN_ENOSYS);
	case __HYPERVISOR_event_channel_op:
		return E(0) | E(XEN_EFAULT) | E(XEN_ENOSYS) | E(XEN_EPERM) | E(XEN_ESRCH) |
		       E(XEN_EINVAL) | E(XEN_ENOENT) | E(XEN_EEXIST) | E(XEN_ENOSPC);
	case __HYPERVISOR_hvm_op:
		return E(0) | E(XEN_EFAULT) | E(XEN_EPERM) | E(XEN_EINVAL) | E(XEN_ENOENT) |
		       E(XEN_ENOSYS);
	/* EINVAL: register_vcpu_info, set_periodic_timer, up; EEXIST: initialise; EBUSY: down */
	case __HYPERVISOR_vcpu_op:
		return E(0) | E(XEN_EFAULT) | E(XEN_ENOENT) | E(XEN_ENOSYS) | E(XEN_ETIME) |
		       E(XEN_EINVAL) | E(XEN_EEXIST) | E(XEN_EBUSY);
	case BOLT_HYPERCALL_bolt_op:
		return E(0) | E(XEN_EFAULT) | E(XEN_EINVAL) | E(XEN_ENOMEM) | E(XEN_ENOSYS) |
		       E(XEN_EPERM) | E(XEN_EBUSY);
	case __HYPERVISOR_grant_table_op: /* per-op failures are GNTST_* statuses, not returns */
		return E(0) | E(XEN_EFAULT) | E(XEN_EINVAL) | E(XEN_ENOSYS) | E(XEN_EPERM) |
		       E(XEN_ESRCH);
	default: return E(XEN_ENOSYS);
	}
}

/* Errno e for hypercall nr; those above 63 (the sets are 64-bit) are listed one by one. */
static bool hostile_fuzz_allowed_err(unsigned nr, unsigned e)
{
	if (e < 64)
		return hostile_fuzz_allowed(nr) & E(e);
	/* -EOPNOTSUPP (95): EVTCHNOP_expand_array before init_control, as Xen answers. */
	return e == XEN_EOPNOTSUPP && nr == __HYPERVISOR_event_channel_op;
}

static unsigned hostile_fuzz_bucket(long ret)
{
	if (ret >= 0)
		return 0;
	if (ret > -(long)HOSTILE_FUZZ_ERRS)
		return (unsigned)-ret;
	return HOSTILE_FUZZ_ERRS - 1; /* "other": never allowed */
}

bool hostile_fuzz_account(struct hostile_fuzz_stats *st, unsigned nr, uint64_t sub, long ret,
			  uint64_t call_index)
{
	unsigned b = hostile_fuzz_bucket(ret);
	bool ok;

	st->calls[nr]++;
	st->by_err[nr][b]++;
	ok = b < HOSTILE_FUZZ_ERRS - 1 && hostile_fuzz_allowed_err(nr, b);
	/*
	 * Only XENVER_version, VCPUOP_is_up (1: vCPU 0 is up) and the XENMEM
	 * reservation calls (extents done, page counts, the top frame; the
	 * sub-op is the low 6 bits of cmd) return a value;
	 * everything else returns 0 on success.
	 */
	if (ok && ret > 0)
		ok = (nr == __HYPERVISOR_xen_version && sub == XENVER_version &&
		      ret == (4 << 16 | 14)) ||
		     (nr == __HYPERVISOR_vcpu_op && sub == VCPUOP_is_up && ret == 1) ||
		     (nr == __HYPERVISOR_memory_op &&
		      (MEMOP_CMD(sub) == XENMEM_increase_reservation ||
		       MEMOP_CMD(sub) == XENMEM_decrease_reservation ||
		       MEMOP_CMD(sub) == XENMEM_populate_physmap ||
		       MEMOP_CMD(sub) == XENMEM_maximum_ram_page ||
		       MEMOP_CMD(sub) == XENMEM_current_reservation ||
		       MEMOP_CMD(sub) == XENMEM_maximum_reservation ||
		       MEMOP_CMD(sub) == XENMEM_maximum_gpfn));
	if (!ok) {
		if (st->unexpected++ < HOSTILE_FUZZ_REPORT_MAX)
			printf(
				"hostile: fuzz: call %llu: hypercall %u (sub-op 0x%llx) returned "
				"%ld, not in its expected set  <-- WRONG\n",
				(unsigned long long)call_index, nr, (unsigned long long)sub, ret);
	}
	return ok;
}

static const char *hostile_fuzz_nr_name(unsigned nr)
{
	switch (nr) {
	case __HYPERVISOR_memory_op: return "memory_op";
	case __HYPERVISOR_set_timer_op: return "set_timer_op";
	case __HYPERVISOR_xen_version: return "xen_version";
	case __HYPERVISOR_console_io: return "console_io";
	case __HYPERVISOR_sched_op: return "sched_op";
	case __HYPERVISOR_event_channel_op: return "event_channel_op";
	case __HYPERVISOR_vcpu_op: return "vcpu_op";
	case __HYPERVISOR_hvm_op: return "hvm_op";
	case BOLT_HYPERCALL_bolt_op: return "bolt_op";
	case __HYPERVISOR_grant_table_op: return "grant_table_op";
	default: return "unimplemented";
	}
}

/* Append " NAME=count" for every bucket used, in a line of its own per number. */
static void hostile_fuzz_line(char *buf, size_t len, const uint64_t *by_err)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned e = 0; e < HOSTILE_FUZZ_ERRS && n < len; e++) {
		if (!by_err[e])
			continue;
		if (e == 0)
			n += (size_t)snprintf(buf + n, len - n, " ok=%llu",
					      (unsigned long long)by_err[e]);
		else if (e == HOSTILE_FUZZ_ERRS - 1)
			n += (size_t)snprintf(buf + n, len - n, " other=%llu",
					      (unsigned long long)by_err[e]);
		else
			n += (size_t)snprintf(buf + n, len - n, " -%u=%llu", e,
					      (unsigned long long)by_err[e]);
	}
}

void hostile_fuzz_print(const struct hostile_fuzz_stats *st)
{
	uint64_t total[HOSTILE_FUZZ_ERRS] = {0}, unimpl[HOSTILE_FUZZ_ERRS] = {0};
	uint64_t unimpl_calls = 0, all = 0;
	char line[200];

	printf("hostile: fuzz: results per hypercall (ok = success, -N = -errno N):\n");
	for (unsigned nr = 0; nr < HOSTILE_FUZZ_NRS; nr++) {
		if (!st->calls[nr])
			continue;
		all += st->calls[nr];
		for (unsigned e = 0; e < HOSTILE_FUZZ_ERRS; e++)
			total[e] += st->by_err[nr][e];
		if (hostile_fuzz_allowed(nr) == E(XEN_ENOSYS)) {
			unimpl_calls += st->calls[nr];
			for (unsigned e = 0; e < HOSTILE_FUZZ_ERRS; e++)
				unimpl[e] += st->by_err[nr][e];
			continue;
		}
		hostile_fuzz_line(line, sizeof(line), st->by_err[nr]);
		printf("hostile: fuzz:   %2u %-16s %7llu calls:%s\n", nr,
		       hostile_fuzz_nr_name(nr), (unsigned long long)st->calls[nr], line);
	}
	hostile_fuzz_line(line, sizeof(line), unimpl);
	printf("hostile: fuzz:   -- %-16s %7llu calls:%s\n", "56 others",
	       (unsigned long long)unimpl_calls, line);
	hostile_fuzz_line(line, sizeof(line), total);
	printf("hostile: fuzz:   all %-15s %7llu calls:%s\n", "", (unsigned long long)all,
	       line);
	printf("hostile: fuzz: %llu through the hypercall page, %llu plain vmcall, "
	       "%llu unexpected results\n",
	       (unsigned long long)st->via_page, (unsigned long long)st->via_vmcall,
	       (unsigned long long)st->unexpected);
}
