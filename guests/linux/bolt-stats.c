// SPDX-License-Identifier: MIT
/*
 * bolt-stats: print this vCPU's Bolt counters (bolt_op BOLT_OP_stats,
 * include/bolt/bolt.h) from Linux user space, through Linux's own
 * /dev/xen/privcmd (IOCTL_PRIVCMD_HYPERCALL, as Xen's tools make
 * hypercalls). /init runs it before and after evtchn-ping to count the
 * VM exits per notification on Linux's side (docs/linux.md, make bench).
 * Linux has one vCPU here, so "this vCPU" is the one we run on.
 *
 * Prints one line: "bolt-stats: exits N sends N notifies N upcalls N wakeups N".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#include "bolt/bolt.h"

/*
 * From linux-libc-dev's <xen/privcmd.h>, which cannot be included from
 * user space (it includes the kernel-internal <xen/interface/xen.h>): the
 * stable privcmd ABI, struct and ioctl number as Xen's libxencall uses them.
 */
struct privcmd_hypercall {
	__u64 op;
	__u64 arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

int main(void)
{
	static struct bolt_stats st;
	struct privcmd_hypercall hc = {
		.op = BOLT_HYPERCALL_bolt_op,
		.arg = { BOLT_OP_stats, (uint64_t)(uintptr_t)&st },
	};
	int fd = open("/dev/xen/privcmd", O_RDWR);
	long rc;

	if (fd < 0) {
		printf("bolt-stats: open /dev/xen/privcmd: %s (is xen-privcmd.ko loaded?)\n",
		       strerror(errno));
		return 1;
	}
	/* Touch the page: the hypervisor writes it through Linux's page tables. */
	memset(&st, 0, sizeof(st));
	rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc);
	close(fd);
	if (rc < 0) {
		printf("bolt-stats: bolt_op(BOLT_OP_stats): %s\n", strerror(errno));
		return 1;
	}
	printf("bolt-stats: exits %llu sends %llu notifies %llu upcalls %llu wakeups %llu\n",
	       (unsigned long long)st.exits, (unsigned long long)st.sends,
	       (unsigned long long)st.notifies, (unsigned long long)st.upcalls,
	       (unsigned long long)st.wakeups);
	return 0;
}
