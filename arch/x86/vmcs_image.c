/* SPDX-License-Identifier: MIT */
/* A VMCS as plain data (arch/vmcs_image.h): a small table keyed by field encoding. */
#include "arch/vmcs_image.h"

static uint64_t truncate_to_width(enum vmcs_field f, uint64_t v)
{
	switch (VMCS_WIDTH(f)) {
	case VMCS_W16:
		return v & 0xffff;
	case VMCS_W32:
		return v & 0xffffffffULL;
	default:
		return v;
	}
}

void vmcs_image_init(struct vmcs_image *img)
{
	img->n = 0;
}

static int find(const struct vmcs_image *img, enum vmcs_field f)
{
	for (unsigned i = 0; i < img->n; i++)
		if (img->f[i].field == (uint32_t)f)
			return (int)i;
	return -1;
}

void vmcs_image_set(struct vmcs_image *img, enum vmcs_field f, uint64_t v)
{
	int i = find(img, f);

	if (i < 0) {
		/* The table holds every field Bolt writes; more is a build bug. */
		if (img->n == VMCS_IMAGE_MAX)
			__builtin_trap();
		i = (int)img->n++;
		img->f[i].field = (uint32_t)f;
	}
	img->f[i].value = truncate_to_width(f, v);
}

bool vmcs_image_get(const struct vmcs_image *img, enum vmcs_field f, uint64_t *v)
{
	int i = find(img, f);

	if (i < 0)
		return false;
	*v = img->f[i].value;
	return true;
}

uint64_t vmcs_image_val(const struct vmcs_image *img, enum vmcs_field f)
{
	uint64_t v = 0;

	vmcs_image_get(img, f, &v);
	return v;
}

bool vmcs_image_has(const struct vmcs_image *img, enum vmcs_field f)
{
	return find(img, f) >= 0;
}

void vmcs_image_del(struct vmcs_image *img, enum vmcs_field f)
{
	int i = find(img, f);

	if (i >= 0)
		img->f[i] = img->f[--img->n];
}
