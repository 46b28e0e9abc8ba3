/* SPDX-License-Identifier: MIT */
/*
 * Time for newlib: clock_gettime, gettimeofday (time() uses it), times
 * (clock() uses it), nanosleep, usleep and sleep.
 *
 * CLOCK_MONOTONIC is the pvclock's system time (bolt_now_ns: nanoseconds
 * since Bolt started the guest's domain). CLOCK_REALTIME adds the Xen
 * wallclock in shared_info (wc_sec/wc_nsec, the time at system time 0,
 * which Bolt reads from the RTC at boot); where the hypervisor publishes
 * none it counts from the Unix epoch.
 * Sleeps block in SCHEDOP_poll on no port with a deadline: Bolt (as Xen)
 * wakes the vCPU at the deadline, and the guest's own VIRQ_TIMER
 * (bolt_timer_set) is left alone. Other wake-ups just poll again.
 */
#include <errno.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "guests/sdk/sdk-internal.h"
#include <bolt/sdk/evtchn.h>


#define NS_PER_SEC 1000000000ull

int gettimeofday(struct timeval *tv, void *tz);

/* The wallclock at system time 0, read under its version (Xen's seqlock). */
static uint64_t sdk_wallclock_ns(void)
{
	const volatile struct shared_info *sh = bolt_shared_info();
	uint32_t version;
	uint64_t ns;

	if (!sh)
		return 0;
	do {
		version = sh->wc_version;
		__asm__ volatile("" ::: "memory"); /* x86 keeps loads in order */
		ns = ((uint64_t)sh->wc_sec_hi << 32 | sh->wc_sec) * NS_PER_SEC + sh->wc_nsec;
		__asm__ volatile("" ::: "memory");
	} while ((version & 1) || version != sh->wc_version);
	return ns;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t ns;

	if (!bolt_shared_info()) {
		errno = ENOSYS; /* no pvclock: not on Bolt or Xen */
		return -1;
	}
	switch (id) {
	case CLOCK_MONOTONIC:
		ns = bolt_now_ns();
		break;
	case CLOCK_REALTIME:
		ns = sdk_wallclock_ns() + bolt_now_ns();
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	ts->tv_sec = (time_t)(ns / NS_PER_SEC);
	ts->tv_nsec = (long)(ns % NS_PER_SEC);
	return 0;
}

int clock_getres(clockid_t id, struct timespec *res)
{
	if (id != CLOCK_MONOTONIC && id != CLOCK_REALTIME) {
		errno = EINVAL;
		return -1;
	}
	if (res)
		*res = (struct timespec){ .tv_sec = 0, .tv_nsec = 1 };
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	(void)tz;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

/* clock(): the guest's whole life counts as its CPU time (it owns its vCPU). */
clock_t times(struct tms *t)
{
	clock_t c = (clock_t)(bolt_now_ns() / (NS_PER_SEC / CLOCKS_PER_SEC));

	if (t)
		*t = (struct tms){ .tms_utime = c };
	return c;
}

static int sdk_sleep_ns(uint64_t ns)
{
	struct sched_poll p = { .nr_ports = 0 };
	uint64_t deadline;

	if (!bolt_shared_info()) {
		errno = ENOSYS;
		return -1;
	}
	/* A sleep past 2^64 ns (about 584 years) is a sleep for ever. */
	if (__builtin_add_overflow(bolt_now_ns(), ns, &deadline))
		deadline = UINT64_MAX;
	while (bolt_now_ns() < deadline) {
		/* A timeout of 0 would mean "none": the deadline is never 0 here. */
		p.timeout = deadline;
		if (bolt_hypercall5(__HYPERVISOR_sched_op, SCHEDOP_poll,
				    (unsigned long)(uintptr_t)&p, 0, 0, 0) < 0)
			__asm__ volatile("pause" ::: "memory");
	}
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	uint64_t ns;

	if (!req || req->tv_nsec < 0 || req->tv_nsec >= (long)NS_PER_SEC || req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	if (__builtin_mul_overflow((uint64_t)req->tv_sec, NS_PER_SEC, &ns) ||
	    __builtin_add_overflow(ns, (uint64_t)req->tv_nsec, &ns))
		ns = UINT64_MAX;
	if (sdk_sleep_ns(ns) < 0)
		return -1;
	if (rem)
		*rem = (struct timespec){ 0 };
	return 0;
}

int usleep(useconds_t us)
{
	return sdk_sleep_ns((uint64_t)us * 1000u);
}

unsigned sleep(unsigned s)
{
	return sdk_sleep_ns((uint64_t)s * NS_PER_SEC) < 0 ? s : 0;
}
