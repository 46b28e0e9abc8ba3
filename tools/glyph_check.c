/* SPDX-License-Identifier: MIT */
/*
 * Glyph-by-glyph comparison of a screenshot with the console font (see
 * tools/glyph_check.h). Cells are compared in order so the report can name
 * the first character that differs, which says whether the whole line is
 * missing or one glyph is wrong.
 */
#include "tools/glyph_check.h"

#include <string.h>

static uint32_t px_at(const struct rgb_image *img, uint32_t x, uint32_t y)
{
	const uint8_t *p = img->px + ((size_t)y * img->w + x) * 3;

	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static int close_to(uint32_t a, uint32_t b, unsigned tol)
{
	for (int s = 0; s <= 16; s += 8) {
		int d = (int)((a >> s) & 0xff) - (int)((b >> s) & 0xff);

		if ((unsigned)(d < 0 ? -d : d) > tol)
			return 0;
	}
	return 1;
}

/* 1 if cell (col,row) shows glyph `code`; else 0 with the first bad pixel. */
static int cell_ok(const struct rgb_image *img, const uint8_t (*font)[FBCON_FONT_H], uint32_t col,
		   uint32_t row, uint8_t code, uint32_t fg, uint32_t bg, unsigned tol,
		   struct glyph_match *m)
{
	for (uint32_t gy = 0; gy < FBCON_FONT_H; gy++) {
		for (uint32_t gx = 0; gx < FBCON_FONT_W; gx++) {
			uint32_t x = col * FBCON_FONT_W + gx, y = row * FBCON_FONT_H + gy;
			uint32_t want = (font[code][gy] & (0x80u >> gx)) ? fg : bg;
			uint32_t got = px_at(img, x, y);

			if (!close_to(got, want, tol)) {
				m->bad_x = x;
				m->bad_y = y;
				m->got_rgb = got;
				m->want_rgb = want;
				return 0;
			}
		}
	}
	return 1;
}

int glyph_find_line(const struct rgb_image *img, const uint8_t (*font)[FBCON_FONT_H],
		    const char *text, uint32_t fg_rgb, uint32_t bg_rgb, unsigned tol,
		    struct glyph_match *m)
{
	size_t len = strlen(text);
	uint32_t cols = img->w / FBCON_FONT_W, rows = img->h / FBCON_FONT_H;

	memset(m, 0, sizeof(*m));
	if (!len || !cols || !rows)
		return -1;
	for (uint32_t row = 0; row < rows; row++) {
		struct glyph_match cur = { .row = row };

		while (cur.matched < len && cur.matched < cols &&
		       cell_ok(img, font, cur.matched, row, (uint8_t)text[cur.matched], fg_rgb, bg_rgb,
			       tol, &cur))
			cur.matched++;
		if (cur.matched == len) {
			cur.found = 1;
			*m = cur;
			return 0;
		}
		if (row == 0 || cur.matched > m->matched)
			*m = cur;
	}
	return 1;
}
