/* SPDX-License-Identifier: MIT */
/*
 * Error numbers: Bolt returns negative Xen errno values (enum xen_errno from
 * xen/errno.h: -XEN_EINVAL, -XEN_ENOMEM, ...), both internally and to guests,
 * so there is exactly one numbering and host builds never clash with libc's
 * <errno.h>.
 */
#ifndef CORE_ERRNO_H
#define CORE_ERRNO_H

#include <xen/errno.h>

#endif
