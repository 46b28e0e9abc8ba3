/* SPDX-License-Identifier: MIT */
/*
 * Capability files (docs/vmxcaps.md): the VMX capability set of one machine
 * as text, one "KEY = VALUE" line per field of struct vmx_caps, keyed by
 * vmx_caps_keys (arch/x86/vmx_caps.c). The host tests load the sets of real
 * machines from tests/data/vmxcaps/ and run Bolt's VMX code over them.
 */
#ifndef TOOLS_VMXCAPS_H
#define TOOLS_VMXCAPS_H

#include <stddef.h>

#include "arch/vmx_caps.h"

/*
 * Parse the file at path into *c. '#' starts a comment; blank lines are
 * skipped; every other line is "KEY = VALUE", VALUE hexadecimal with 0x or
 * decimal. The MSRs a CPU may lack (PROCBASED_CTLS2, EPT_VPID_CAP, the
 * TRUE_* MSRs, VMFUNC, PROCBASED_CTLS3) may be left out and read as 0, as
 * on the CPU; every other key is required. Returns 0, or -errno with a
 * message naming file:line and the fault in err (unknown key, bad number,
 * value too wide for its field, duplicate key, missing key).
 */
int vmxcaps_load(const char *path, struct vmx_caps *c, char *err, size_t errlen);

/*
 * Check what the SDM guarantees of any real capability set (Vol. 3D,
 * Appendix A): must-be-1 bits allowed to be 1, the TRUE_* MSRs agreeing with
 * the default ones, each optional MSR present exactly when the controls say
 * it exists, CR0/CR4 FIXED0 within FIXED1. Returns 0, or -EINVAL with the
 * first violation in err. An absent MSR is 0, so "present" means nonzero.
 */
int vmxcaps_consistent(const struct vmx_caps *c, char *err, size_t errlen);

#endif
