/* SPDX-License-Identifier: MIT */
/* console_io: a guest's console writes, line-buffered into Bolt's console. */
#include <stdint.h>
#include <xen/xen.h>

#include "arch/cpu.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "lib/errno.h"
#include "lib/lib.h"

/* Bytes console_io writes per exit; longer writes continue on the next entry. */
#define CONSOLE_IO_CHUNK 256

typedef long (*hypercall_fn)(struct vcpu *v, struct hypercall_args *a);

/* console_io(CONSOLEIO_write, count, buffer): Xen returns 0 on success. */
long hc_console_io(struct vcpu *v, struct hypercall_args *a)
{
	uint64_t cmd = a->a[0], count = a->a[1], buf = a->a[2];
	char chunk[CONSOLE_IO_CHUNK];

	if (cmd != CONSOLEIO_write)
		return -XEN_ENOSYS; /* CONSOLEIO_read: Bolt has no console input */
	size_t n = (size_t)MIN(count, (uint64_t)sizeof(chunk));
	if (vcpu_copy_from_guest(v, chunk, buf, n))
		return -XEN_EFAULT;
	for (size_t i = 0; i < n; i++)
		console_linebuf_putc(&v->guest->con, chunk[i]);
	if (count > n) {
		a->a[1] = count - n;
		a->a[2] = buf + n;
		a->continuation = true;
	}
	return 0;
}
