/* SPDX-License-Identifier: MIT */
/*
 * A VMCS as plain data: the fields Bolt writes, keyed by their encoding
 * (SDM Vol. 3D, Appendix B). Bolt builds every VMCS into an image first
 * (vmcs_build.c), checks it against the VM-entry rules (vmentry_check.c)
 * and only then VMWRITEs it; the host unit tests build and check the
 * same images for capability sets of other CPUs.
 */
#ifndef ARCH_VMCS_IMAGE_H
#define ARCH_VMCS_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/vmcs.h"

#define VMCS_IMAGE_MAX 160

struct vmcs_image {
	unsigned n;
	struct vmcs_image_field {
		uint32_t field; /* enum vmcs_field */
		uint64_t value; /* truncated to the field's width */
	} f[VMCS_IMAGE_MAX];
};

void vmcs_image_init(struct vmcs_image *img);
/* Set (or add) a field; the value is truncated to the field's width (B.1). */
void vmcs_image_set(struct vmcs_image *img, enum vmcs_field f, uint64_t v);
/* True, with *v, if the image has the field. */
bool vmcs_image_get(const struct vmcs_image *img, enum vmcs_field f, uint64_t *v);
/* The field's value, 0 when absent (a VMCLEARed VMCS reads 0 there too). */
uint64_t vmcs_image_val(const struct vmcs_image *img, enum vmcs_field f);
bool vmcs_image_has(const struct vmcs_image *img, enum vmcs_field f);
void vmcs_image_del(struct vmcs_image *img, enum vmcs_field f);

#endif
