/* SPDX-License-Identifier: MIT */
/*
 * newlib's system calls (newlib is built with
 * --disable-newlib-supplied-syscalls, so its reentrant wrappers call these
 * plain names). A Bolt guest has a console and nothing else: file
 * descriptors 0, 1 and 2 are that console (stdout and stderr write to it,
 * stdin reads end-of-file until Bolt has console input), there is no file
 * system and one process. Every call sets errno the way POSIX says for
 * that situation; docs/guest-sdk.md has the table. Time is in time.c,
 * sbrk in heap.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "guests/sdk/sdk-internal.h"
#include <bolt/sdk/bolt_op.h>


/* getenv() walks this: a guest has no environment. */
static char *sdk_environ[1];
char **environ = sdk_environ;

/* Prototypes newlib's headers do not give (it calls them through its _r wrappers). */
int open(const char *path, int flags, ...);
int fcntl(int fd, int cmd, ...);
int kill(int pid, int sig);
int wait(int *status);
int getentropy(void *buf, size_t len);
int gettimeofday(struct timeval *tv, void *tz);

static bool sdk_is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

static int sdk_fail(int err)
{
	errno = err;
	return -1;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
	if (fd != STDOUT_FILENO && fd != STDERR_FILENO)
		return sdk_fail(EBADF);
	sdk_console_put(buf, n);
	return (_READ_WRITE_RETURN_TYPE)n;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
	(void)buf;
	(void)n;
	if (fd != STDIN_FILENO)
		return sdk_fail(EBADF);
	return 0; /* no console input yet: end of file */
}

int close(int fd)
{
	return sdk_is_console(fd) ? 0 : sdk_fail(EBADF);
}

int fstat(int fd, struct stat *st)
{
	if (!sdk_is_console(fd))
		return sdk_fail(EBADF);
	/* A character device makes newlib line-buffer stdout, as on a terminal. */
	*st = (struct stat){ .st_mode = S_IFCHR | 0620, .st_blksize = 0 };
	return 0;
}

int isatty(int fd)
{
	if (sdk_is_console(fd))
		return 1;
	errno = EBADF;
	return 0;
}

off_t lseek(int fd, off_t off, int whence)
{
	(void)off;
	(void)whence;
	return sdk_fail(sdk_is_console(fd) ? ESPIPE : EBADF);
}

/* No file system: nothing can be opened, made or removed. */
int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	return sdk_fail(ENOENT);
}

int stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	return sdk_fail(ENOENT);
}

int link(const char *old, const char *new_path)
{
	(void)old;
	(void)new_path;
	return sdk_fail(ENOENT);
}

int unlink(const char *path)
{
	(void)path;
	return sdk_fail(ENOENT);
}

int mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	return sdk_fail(EROFS);
}

int fcntl(int fd, int cmd, ...)
{
	(void)cmd;
	return sdk_fail(sdk_is_console(fd) ? ENOSYS : EBADF);
}

/* One process: its pid is the guest's domain id (1 for the first guest). */
pid_t getpid(void)
{
	struct bolt_info info;

	return bolt_info(&info) == 0 && info.domid ? (pid_t)info.domid : 1;
}

/*
 * Signals to itself: 0 probes, a terminating signal (abort() raises
 * SIGABRT) stops the guest as a crash, like a process killed by it.
 */
int kill(int pid, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return sdk_fail(EINVAL);
	if (pid != getpid() && pid != 0)
		return sdk_fail(ESRCH);
	if (sig == 0)
		return 0;
	fflush(stdout);
	fflush(stderr);
	sdk_log("killed by signal %d: shutting down with SHUTDOWN_crash", sig);
	sdk_shutdown_now(SHUTDOWN_crash);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	(void)how;
	(void)set;
	if (old)
		*old = 0;
	return 0;
}

int fork(void)
{
	return sdk_fail(ENOSYS);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	return sdk_fail(ENOSYS);
}

int wait(int *status)
{
	(void)status;
	return sdk_fail(ECHILD);
}

int getentropy(void *buf, size_t len)
{
	(void)buf;
	(void)len;
	return sdk_fail(ENOSYS);
}

/*
 * The end of exit(n), after atexit handlers and stdio's flush: Bolt learns
 * the status, then the guest powers off. Off Bolt there is no status to
 * report, only the shutdown.
 */
void _exit(int status)
{
	if (sdk_on_bolt())
		bolt_exit_status(status);
	sdk_shutdown_now(SHUTDOWN_poweroff);
}
