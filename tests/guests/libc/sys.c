/* SPDX-License-Identifier: MIT */
/*
 * libc sys: the POSIX calls newlib routes to the SDK's syscall stubs. A
 * guest has a console on fds 0-2 and no files or processes, so the calls
 * must answer like a Unix with just that: writes to fd 1 succeed, reads
 * from fd 0 see end of file, fd 1 is a character device that cannot seek,
 * other fds are EBADF, and what cannot exist fails with a sensible errno
 * instead of succeeding or crashing.
 */
#include "tests/guests/libc/libc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* rc must be -1 with errno e1 or e2; the errno it gave is printed. */
static void sys_fails(struct libc_group *g, const char *what, long rc, int err, int e1,
		      int e2)
{
	libc_check(g, rc == -1 && (err == e1 || err == e2),
		   "%s: expected -1 errno %d or %d, got %ld errno %d", what, e1, e2, rc, err);
	if (rc == -1)
		printf("libc: sys: %s: errno %d (%s)\n", what, err,
		       err == ENOENT ? "ENOENT" : err == ENOSYS ? "ENOSYS" : strerror(err));
}

static void sys_files(struct libc_group *g)
{
	int rc;

	errno = 0;
	rc = open("x", O_RDONLY);
	sys_fails(g, "open(\"x\")", rc, errno, ENOENT, ENOSYS);
	errno = 0;
	rc = isatty(5);
	libc_check(g, rc == 0 && errno == EBADF, "isatty(5): expected 0 EBADF, got %d errno %d",
		   rc, errno);
	libc_check(g, isatty(1) == 1, "isatty(1) is not 1");
}

static void sys_io(struct libc_group *g)
{
	static const char line[] = "libc: sys: write(1) reaches the console\n";
	struct stat st;
	char buf[10];
	long rc;

	fflush(stdout); /* keep our lines in order */
	rc = write(1, line, strlen(line));
	libc_check(g, rc == (long)strlen(line), "write(1, %zu bytes) returned %ld", strlen(line),
		   rc);
	errno = 0;
	rc = write(7, line, strlen(line));
	sys_fails(g, "write(7)", rc, errno, EBADF, EBADF);
	rc = read(0, buf, sizeof(buf));
	libc_check(g, rc == 0, "read(0) returned %ld, expected 0 (end of file)", rc);
	memset(&st, 0, sizeof(st));
	rc = fstat(1, &st);
	libc_check(g, rc == 0 && S_ISCHR(st.st_mode), "fstat(1): rc %ld mode %#o, expected S_IFCHR",
		   rc, (unsigned int)st.st_mode);
	errno = 0;
	rc = lseek(1, 0, SEEK_SET);
	sys_fails(g, "lseek(1)", rc, errno, ESPIPE, ESPIPE);
}

static volatile sig_atomic_t sys_got_signal;

static void sys_on_signal(int sig)
{
	sys_got_signal = sig;
}

/*
 * One process, the guest: kill() may only probe it (signal 0); a
 * terminating signal would stop the guest (abort() does that on purpose),
 * so that is left to the crash tests. raise() with a handler runs it.
 */
static void sys_process(struct libc_group *g)
{
	pid_t pid = getpid();
	int rc;

	libc_check(g, pid > 0, "getpid() returned %ld", (long)pid);
	errno = 0;
	rc = kill(pid, 0);
	libc_check(g, rc == 0, "kill(getpid(), 0): expected 0, got %d errno %d", rc, errno);
	errno = 0;
	rc = kill(pid + 1000, 0);
	sys_fails(g, "kill(getpid() + 1000, 0)", rc, errno, ESRCH, ESRCH);
	errno = 0;
	rc = kill(pid, 12345);
	sys_fails(g, "kill(getpid(), 12345)", rc, errno, EINVAL, EINVAL);
	signal(SIGUSR1, sys_on_signal);
	rc = raise(SIGUSR1);
	libc_check(g, rc == 0 && sys_got_signal == SIGUSR1,
		   "raise(SIGUSR1) with a handler: rc %d, handler saw %d", rc, (int)sys_got_signal);
}

void libc_sys(struct libc_group *g)
{
	sys_files(g);
	sys_io(g);
	sys_process(g);
}
