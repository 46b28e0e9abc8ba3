/* SPDX-License-Identifier: MIT */
/*
 * Error numbers: Bolt returns negative Xen errno values (enum xen_errno from
 * xen/errno.h: -XEN_EINVAL, -XEN_ENOMEM, ...), both internally and to guests,
 * so there is exactly one numbering and host builds never clash with libc's
 * <errno.h>.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#include <xen/errno.h>

#endif
