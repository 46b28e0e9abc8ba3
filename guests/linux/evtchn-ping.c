// SPDX-License-Identifier: MIT
/*
 * evtchn-ping: the Linux user-space side of the ping-pong demo
 * (configs/linux.cfg, docs/linux.md). It binds, through Linux's own Xen
 * event-channel device (/dev/xen/evtchn, ioctls from linux-libc-dev's
 * <xen/evtchn.h>), to the port that bolt.cfg's [channel] offers it (Bolt
 * puts "bolt.evtchn=NAME:DOMID:PORT" on the kernel command line), and
 * bounces events off the `pong` SDK guest: warm-up + measured round trips,
 * each one notify followed by a blocking read of the reply. It fails on a
 * lost reply, on an event for another port, and on a spurious event after
 * the last round.
 *
 * A round is three system calls: the notify ioctl, a blocking read() that
 * sleeps until the reply, and the write that unmasks the port. A poll()
 * before each read would add a fourth (about 1,500 instructions in Linux).
 * Lost replies are caught instead by a watchdog: an interval timer
 * (SIGALRM every REPLY_TIMEOUT_MS, installed without SA_RESTART) that
 * interrupts the blocked read() when a whole interval went by without a
 * completed round, so a lost reply fails the test within 5 to 10 s.
 *
 * Times come from CLOCK_MONOTONIC, which Linux takes from the Xen pvclock
 * when the clocksource is "xen" (linux.cfg sets clocksource=xen), and from
 * RDTSC, which counts emulated instructions in Bochs (the unit of Bolt's
 * other benchmarks).
 *
 * Usage: evtchn-ping [rounds [warmup]]   (default 2000 and 100)
 * Prints p50/p99 in ns and ticks, one BENCH line, and
 * "RESULT linux-evtchn PASS|FAIL".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* <xen/evtchn.h> uses Xen's domid_t without defining it (Xen's headers do). */
typedef uint16_t domid_t;
#include <xen/evtchn.h>

#define REPLY_TIMEOUT_MS 5000
#define QUIET_MS 200 /* after the last round: how long an extra event has to show up */
#define ROUNDS_MAX 1000000

struct peer {
	char name[64];
	unsigned domid, port;
};

static int fail(const char *why)
{
	printf("RESULT linux-evtchn FAIL: %s\n", why);
	return 1;
}

/* The first "bolt.evtchn=NAME:DOMID:PORT" word of the kernel command line. */
static int find_peer(struct peer *p)
{
	char line[4096], *w, *save = NULL;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	for (w = strtok_r(line, " \n", &save); w; w = strtok_r(NULL, " \n", &save)) {
		if (strncmp(w, "bolt.evtchn=", 12))
			continue;
		if (sscanf(w + 12, "%63[^:]:%u:%u", p->name, &p->domid, &p->port) == 3)
			return 0;
	}
	return -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array (include/bolt/percentile.h's rule). */
static uint64_t pct(const uint64_t *v, size_t n, unsigned p)
{
	size_t rank = (n * p + 99) / 100;

	return v[rank ? rank - 1 : 0];
}

/* Rounds completed, and the watchdog's verdict (see the top of the file). */
static volatile sig_atomic_t progress, stalled;

static void watchdog(int sig)
{
	static sig_atomic_t seen = -1;

	(void)sig;
	if (progress == seen)
		stalled = 1;
	seen = progress;
}

/* Interrupt a blocked read() when no round completes in a whole interval. */
static int watchdog_start(void)
{
	struct sigaction sa = { .sa_handler = watchdog }; /* no SA_RESTART: read() gets EINTR */
	struct itimerval it = { .it_interval = { .tv_sec = REPLY_TIMEOUT_MS / 1000 },
				.it_value = { .tv_sec = REPLY_TIMEOUT_MS / 1000 } };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &it, NULL))
		return -1;
	return 0;
}

static void watchdog_stop(void)
{
	struct itimerval off = { 0 };

	setitimer(ITIMER_REAL, &off, NULL);
}

/* Wait for the reply on lport; 0, or the reason it failed. */
static const char *wait_reply(int fd, unsigned int lport)
{
	unsigned int got;
	ssize_t r;

	/* The device's read() sleeps until an event comes (O_NONBLOCK is not set). */
	while ((r = read(fd, &got, sizeof(got))) < 0 && errno == EINTR)
		if (stalled)
			return "lost event: no reply from the peer";
	if (r != sizeof(got))
		return "read from /dev/xen/evtchn failed";
	progress++;
	if (got != lport)
		return "event on a port we did not bind";
	/* The driver masks a port when it fires: writing it back unmasks it. */
	if (write(fd, &got, sizeof(got)) != sizeof(got))
		return "unmask (write to /dev/xen/evtchn) failed";
	return NULL;
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? strtol(argv[1], NULL, 0) : 2000;
	long warmup = argc > 2 ? strtol(argv[2], NULL, 0) : 100;
	struct ioctl_evtchn_bind_interdomain bind;
	struct ioctl_evtchn_notify notify;
	struct peer peer;
	uint64_t *ns, *ticks;
	const char *why = NULL;
	int fd, lport;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rounds < 1 || rounds > ROUNDS_MAX || warmup < 0 || warmup > ROUNDS_MAX)
		return fail("usage: evtchn-ping [rounds [warmup]]");
	if (find_peer(&peer))
		return fail("no bolt.evtchn=NAME:DOMID:PORT on the kernel command line "
			    "(a [channel] end without a port in bolt.cfg)");
	fd = open("/dev/xen/evtchn", O_RDWR);
	if (fd < 0) {
		printf("evtchn-ping: open /dev/xen/evtchn: %s\n", strerror(errno));
		return fail("no /dev/xen/evtchn (is xen-evtchn.ko loaded?)");
	}
	bind = (struct ioctl_evtchn_bind_interdomain){ .remote_domain = peer.domid,
						      .remote_port = peer.port };
	lport = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (lport < 0) {
		printf("evtchn-ping: IOCTL_EVTCHN_BIND_INTERDOMAIN(domain %u, port %u): %s\n",
		       peer.domid, peer.port, strerror(errno));
		return fail("cannot bind the channel");
	}
	printf("evtchn-ping: channel '%s': local port %d <-> domain %u port %u; %ld + %ld rounds\n",
	       peer.name, lport, peer.domid, peer.port, warmup, rounds);
	if (watchdog_start())
		return fail("cannot start the lost-event watchdog (setitimer)");
	/*
	 * Binding sets the new port pending, as Xen does (a notification sent
	 * to the unbound port before we bound must not be lost): consume that
	 * one before the first round, or every reply would count one round late.
	 */
	why = wait_reply(fd, (unsigned int)lport);
	if (why) {
		printf("evtchn-ping: no bind notification: %s\n", why);
		return fail("binding did not set the port pending (Xen does)");
	}
	ns = calloc((size_t)rounds, sizeof(*ns));
	ticks = calloc((size_t)rounds, sizeof(*ticks));
	if (!ns || !ticks)
		return fail("out of memory");
	notify.port = (unsigned)lport;
	for (long i = 0; i < warmup + rounds && !why; i++) {
		uint64_t t0 = now_ns(), c0 = rdtsc();

		if (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &notify) < 0) {
			why = "IOCTL_EVTCHN_NOTIFY failed";
			break;
		}
		why = wait_reply(fd, (unsigned int)lport);
		if (why)
			printf("evtchn-ping: round %ld of %ld: %s\n", i + 1, warmup + rounds, why);
		else if (i >= warmup) {
			ticks[i - warmup] = rdtsc() - c0;
			ns[i - warmup] = now_ns() - t0;
		}
	}
	watchdog_stop();
	if (!why) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		int r = poll(&pfd, 1, QUIET_MS);

		if (r != 0) {
			unsigned int extra = ~0u;

			if (r > 0 && read(fd, &extra, sizeof(extra)) != sizeof(extra))
				extra = ~0u;
			printf("evtchn-ping: after the last round: poll %d (revents 0x%x), port %u\n",
			       r, (unsigned)pfd.revents, extra);
			why = "spurious event after the last round";
		}
	}
	if (why)
		return fail(why);
	qsort(ns, (size_t)rounds, sizeof(*ns), cmp_u64);
	qsort(ticks, (size_t)rounds, sizeof(*ticks), cmp_u64);
	printf("evtchn-ping: %ld round trips Linux user space <-> domain %u: "
	       "p50 %llu ns, p99 %llu ns (min %llu, max %llu); p50 %llu ticks, p99 %llu ticks\n",
	       rounds, peer.domid, (unsigned long long)pct(ns, (size_t)rounds, 50),
	       (unsigned long long)pct(ns, (size_t)rounds, 99), (unsigned long long)ns[0],
	       (unsigned long long)ns[rounds - 1], (unsigned long long)pct(ticks, (size_t)rounds, 50),
	       (unsigned long long)pct(ticks, (size_t)rounds, 99));
	printf("BENCH linux_evtchn_rtt p50_ns=%llu p99_ns=%llu p50_ticks=%llu p99_ticks=%llu "
	       "rounds=%ld\n",
	       (unsigned long long)pct(ns, (size_t)rounds, 50),
	       (unsigned long long)pct(ns, (size_t)rounds, 99),
	       (unsigned long long)pct(ticks, (size_t)rounds, 50),
	       (unsigned long long)pct(ticks, (size_t)rounds, 99), rounds);
	close(fd);
	printf("RESULT linux-evtchn PASS\n");
	return 0;
}
