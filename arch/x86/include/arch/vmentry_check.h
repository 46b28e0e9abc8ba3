/* SPDX-License-Identifier: MIT */
/*
 * The checks a processor makes at VMLAUNCH/VMRESUME (SDM Vol. 3C, chapter
 * 27 "VM Entries": 27.2 checks on the VMX controls and host-state area,
 * 27.3.1 checks on the guest-state area), run in software over a VMCS
 * image and a capability set. Bolt runs them on every VMCS it builds before
 * the first entry, so a failure names the rule instead of a bare
 * VM-instruction error 7/8 or exit reason 33.
 */
#ifndef ARCH_VMENTRY_CHECK_H
#define ARCH_VMENTRY_CHECK_H

#include <stddef.h>

#include "arch/vmcs_image.h"
#include "arch/vmx_caps.h"

struct vmentry_error {
	const char *sdm;   /* the SDM section, e.g. "27.2.1.1" */
	enum vmcs_field field;   /* the field found wrong (the first one tested) */
	uint64_t value;    /* its value in the image */
	char rule[160];    /* the rule broken, in words */
};

/* 0 when the image passes every check; else -1 with the first failure in *err. */
int vmentry_check(const struct vmcs_image *img, const struct vmx_caps *caps, struct vmentry_error *err);

#endif
