/* SPDX-License-Identifier: MIT */
/*
 * fbshot: screenshots of Bolt's GOP console for tests and people.
 *
 *   fbshot png SHOT.ppm OUT.png
 *       convert a screendump (QEMU writes binary PPM) to PNG
 *   fbshot check SHOT.ppm FONT "TEXT" [FG BG]
 *       find TEXT drawn with FONT (font8x16.bin) at column 0 of some text
 *       row, in colours FG on BG (hex RRGGBB; default c0c0c0 on 000000,
 *       core/fbcon.c's); exit 0 if found, 1 if not (naming the first
 *       character that differs on the closest row), 2 on bad input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/glyph_check.h"
#include "tools/png.h"

#define DEFAULT_FG 0xc0c0c0u
#define DEFAULT_BG 0x000000u

static int usage(void)
{
	fprintf(stderr, "usage: fbshot png SHOT.ppm OUT.png\n"
			"       fbshot check SHOT.ppm FONT TEXT [FG BG]\n");
	return 2;
}

static int read_font(const char *path, uint8_t *file)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "fbshot: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(file, 1, FBCON_FONT_FILE_SIZE, f);
	/* one byte more than a font file would be a wrong file */
	if (n != FBCON_FONT_FILE_SIZE || fgetc(f) != EOF ||
	    memcmp(file, FBCON_FONT_MAGIC, FBCON_FONT_MAGIC_LEN)) {
		fprintf(stderr, "fbshot: %s: not a %u-byte font8x16.bin\n", path,
			(unsigned)FBCON_FONT_FILE_SIZE);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int parse_rgb(const char *s, uint32_t *rgb)
{
	char *end;
	unsigned long v = strtoul(s, &end, 16);

	if (!*s || *end || v > 0xffffff)
		return -1;
	*rgb = (uint32_t)v;
	return 0;
}

static int check(int argc, char **argv)
{
	static uint8_t font_file[FBCON_FONT_FILE_SIZE];
	const uint8_t (*font)[FBCON_FONT_H];
	uint32_t fg = DEFAULT_FG, bg = DEFAULT_BG;
	struct rgb_image img;
	struct glyph_match m;
	const char *text = argv[4];
	char err[256];
	int rc;

	if (argc == 7 && (parse_rgb(argv[5], &fg) || parse_rgb(argv[6], &bg)))
		return usage();
	if (read_font(argv[3], font_file))
		return 2;
	font = (const uint8_t (*)[FBCON_FONT_H])(font_file + FBCON_FONT_HDR_SIZE);
	if (ppm_read(argv[2], &img, err, sizeof(err))) {
		fprintf(stderr, "fbshot: %s\n", err);
		return 2;
	}
	rc = glyph_find_line(&img, font, text, fg, bg, 0, &m);
	if (rc < 0) {
		fprintf(stderr, "fbshot: %s (%ux%u) is too small, or the text is empty\n", argv[2],
			img.w, img.h);
	} else if (rc == 0) {
		printf("fbshot: \"%s\" drawn with %s at text row %u (pixel rows %u-%u) of %s (%ux%u)\n",
		       text, argv[3], m.row, m.row * FBCON_FONT_H, m.row * FBCON_FONT_H + FBCON_FONT_H - 1,
		       argv[2], img.w, img.h);
	} else {
		printf("fbshot: \"%s\" is not on %s (%ux%u) in the font's glyphs; closest: text row %u, "
		       "first %u characters right, character %u ('%c') differs at pixel (%u,%u): "
		       "#%06x, wanted #%06x\n",
		       text, argv[2], img.w, img.h, m.row, m.matched, m.matched, text[m.matched], m.bad_x,
		       m.bad_y, m.got_rgb, m.want_rgb);
	}
	free(img.px);
	return rc < 0 ? 2 : rc;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "png")) {
		struct rgb_image img;
		char err[256];

		if (ppm_read(argv[2], &img, err, sizeof(err))) {
			fprintf(stderr, "fbshot: %s\n", err);
			return 2;
		}
		if (png_write(argv[3], &img)) {
			fprintf(stderr, "fbshot: %s: %s\n", argv[3], strerror(errno));
			free(img.px);
			return 2;
		}
		free(img.px);
		return 0;
	}
	if ((argc == 5 || argc == 7) && !strcmp(argv[1], "check"))
		return check(argc, argv);
	return usage();
}
