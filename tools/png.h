/* SPDX-License-Identifier: MIT */
/*
 * Minimal PNG and PPM files for host tools and tests: screenshots of the GOP
 * console that a person can open. PNG output is 8-bit RGB with "stored"
 * (uncompressed) deflate blocks, so no zlib is needed; PPM (binary P6,
 * maxval 255) is what QEMU's screendump writes and what the checkers read.
 */
#ifndef TOOLS_PNG_H
#define TOOLS_PNG_H

#include <stddef.h>
#include <stdint.h>

/* An RGB image: 3 bytes per pixel, rows top to bottom, no padding. */
struct rgb_image {
	uint32_t w, h;
	uint8_t *px;
};

/* Write img as a PNG file. Returns 0, or -1 with errno set. */
int png_write(const char *path, const struct rgb_image *img);
/* Write img as a binary PPM (P6). Returns 0, or -1 with errno set. */
int ppm_write(const char *path, const struct rgb_image *img);
/* Read a binary PPM (P6, maxval 255) into a malloc'd image. Returns 0, or -1
 * with a reason in err (errlen bytes). */
int ppm_read(const char *path, struct rgb_image *img, char *err, size_t errlen);

#endif
