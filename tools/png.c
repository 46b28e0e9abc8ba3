/* SPDX-License-Identifier: MIT */
/*
 * PNG writer (RFC 2083 / ISO 15948) with stored deflate blocks (RFC 1951
 * section 3.2.4) inside a zlib stream (RFC 1950), and a P6 PPM reader and
 * writer. Screenshots are a few MiB uncompressed, which is fine for test
 * artifacts and saves a zlib dependency.
 */
#include "tools/png.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* One chunk: length, type, data, CRC over type and data. */
static int put_chunk(FILE *f, const char *type, const uint8_t *data, uint32_t len)
{
	uint8_t hdr[8], tail[4];
	uint32_t crc;

	put32(hdr, len);
	memcpy(hdr + 4, type, 4);
	crc = crc_update(0xffffffffu, hdr + 4, 4);
	crc = crc_update(crc, data, len);
	put32(tail, crc ^ 0xffffffffu);
	if (fwrite(hdr, 1, 8, f) != 8 || (len && fwrite(data, 1, len, f) != len) ||
	    fwrite(tail, 1, 4, f) != 4)
		return -1;
	return 0;
}

int png_write(const char *path, const struct rgb_image *img)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t row = (size_t)img->w * 3 + 1; /* filter byte 0 (None) per row */
	size_t raw_len = row * img->h;
	/* zlib header, 5 bytes per stored block of at most 65535, Adler-32. */
	size_t nblocks = raw_len / 65535 + 1;
	size_t z_len = 2 + raw_len + 5 * nblocks + 4;
	uint8_t ihdr[13], *z = NULL, *raw = NULL;
	uint32_t a = 1, b = 0;
	int rc = -1;
	FILE *f = NULL;

	if (!img->w || !img->h || z_len > 0x7fffffffu) {
		errno = EINVAL;
		return -1;
	}
	crc_init();
	raw = malloc(raw_len);
	z = malloc(z_len);
	if (!raw || !z)
		goto out;
	for (uint32_t y = 0; y < img->h; y++) {
		raw[y * row] = 0;
		memcpy(raw + y * row + 1, img->px + (size_t)y * img->w * 3, (size_t)img->w * 3);
	}
	size_t o = 0;
	z[o++] = 0x78; /* CM 8 (deflate), 32 KiB window */
	z[o++] = 0x01; /* FLEVEL 0, FCHECK so that 0x7801 % 31 == 0 */
	for (size_t done = 0; done < raw_len || done == 0;) {
		size_t n = raw_len - done > 65535 ? 65535 : raw_len - done;

		z[o++] = done + n == raw_len; /* BFINAL, BTYPE 00 (stored) */
		z[o++] = (uint8_t)n;
		z[o++] = (uint8_t)(n >> 8);
		z[o++] = (uint8_t)~n;
		z[o++] = (uint8_t)(~n >> 8);
		memcpy(z + o, raw + done, n);
		o += n;
		done += n;
		if (!n)
			break;
	}
	for (size_t i = 0; i < raw_len; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put32(z + o, b << 16 | a);
	o += 4;

	put32(ihdr, img->w);
	put32(ihdr + 4, img->h);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 2;  /* colour type: truecolour RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* no interlace */
	f = fopen(path, "wb");
	if (!f)
		goto out;
	if (fwrite(sig, 1, 8, f) != 8 || put_chunk(f, "IHDR", ihdr, 13) ||
	    put_chunk(f, "IDAT", z, (uint32_t)o) || put_chunk(f, "IEND", NULL, 0))
		goto out;
	rc = 0;
out:
	if (f && fclose(f))
		rc = -1;
	free(raw);
	free(z);
	return rc;
}

int ppm_write(const char *path, const struct rgb_image *img)
{
	size_t n = (size_t)img->w * img->h * 3;
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f)
		return -1;
	if (fprintf(f, "P6\n%u %u\n255\n", img->w, img->h) < 0 || fwrite(img->px, 1, n, f) != n)
		rc = -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

/* Next header number of a PPM, skipping blanks and # comments. */
static int ppm_number(FILE *f, uint32_t *v)
{
	int ch;

	for (;;) {
		ch = fgetc(f);
		if (ch == '#') {
			while (ch != '\n' && ch != EOF)
				ch = fgetc(f);
		} else if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
			break;
		}
	}
	if (ch < '0' || ch > '9')
		return -1;
	*v = 0;
	while (ch >= '0' && ch <= '9') {
		if (*v > 100000)
			return -1;
		*v = *v * 10 + (uint32_t)(ch - '0');
		ch = fgetc(f);
	}
	/* exactly one whitespace byte ends the header's last number */
	return ch == EOF ? -1 : 0;
}

int ppm_read(const char *path, struct rgb_image *img, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint32_t maxval;
	size_t n;
	int rc = -1;

	img->px = NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fgetc(f) != 'P' || fgetc(f) != '6' || ppm_number(f, &img->w) ||
	    ppm_number(f, &img->h) || ppm_number(f, &maxval) || maxval != 255 || !img->w ||
	    !img->h) {
		snprintf(err, errlen, "%s: not a binary PPM (P6, maxval 255)", path);
		goto out;
	}
	n = (size_t)img->w * img->h * 3;
	img->px = malloc(n);
	if (!img->px || fread(img->px, 1, n, f) != n) {
		snprintf(err, errlen, "%s: truncated (%ux%u wants %zu bytes of pixels)", path,
			 img->w, img->h, n);
		free(img->px);
		img->px = NULL;
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}
