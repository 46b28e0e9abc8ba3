/* SPDX-License-Identifier: MIT */
/*
 * Find a line of text in a screenshot of the GOP console: the pixels of
 * each character cell must be the font8x16.bin glyph in the console's
 * foreground/background colours (core/fbcon.c draws log lines from column
 * 0, one text row every FBCON_FONT_H pixels).
 */
#ifndef TOOLS_GLYPH_CHECK_H
#define TOOLS_GLYPH_CHECK_H

#include <stdint.h>

#include "lib/font_file.h"
#include "tools/png.h"

struct glyph_match {
	int found;          /* every character of the text matched on `row` */
	uint32_t row;       /* text row of the match, else of the best partial match */
	uint32_t matched;   /* leading characters that matched on `row` */
	/* First mismatching pixel of character `matched` on `row` (not found). */
	uint32_t bad_x, bad_y, got_rgb, want_rgb;
};

/*
 * Look for `text` at column 0 of every text row of img. A pixel matches
 * when it is within `tol` of the wanted colour in each channel (0: exact;
 * a VNC display with fewer colour bits needs more). Returns 0 when a row
 * matches, 1 when none does (m describes the best row), -1 when the image
 * is too small for one character or the text is empty.
 */
int glyph_find_line(const struct rgb_image *img, const uint8_t (*font)[FBCON_FONT_H],
		    const char *text, uint32_t fg_rgb, uint32_t bg_rgb, unsigned tol,
		    struct glyph_match *m);

#endif
