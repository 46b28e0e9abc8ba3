/* SPDX-License-Identifier: MIT */
/*
 * Framebuffer text console: draws 8x16 glyphs from a font file the boot
 * code read from the ESP (see core/fbcon.h for why it is not compiled in)
 * onto a 32 bpp linear framebuffer, with line wrap and scrolling.
 * It keeps no shadow copy of the text (no allocator here), so scrolling
 * moves the pixels themselves; that reads video memory, which is slow on
 * real hardware but only happens once per line of log.
 */
#include "core/fbcon.h"

#include "lib/errno.h"
#include "lib/lib.h"

#define FBCON_DEFAULT_FG 0xc0c0c0u
#define FBCON_DEFAULT_BG 0x000000u

uint32_t fbcon_pixel(enum fbcon_format fmt, uint32_t rgb)
{
	uint32_t r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;

	/* Memory byte order is the name's order; x86 is little-endian. */
	if (fmt == FBCON_RGBX)
		return r | g << 8 | b << 16;
	return b | g << 8 | r << 16;
}

void fbcon_set_color(struct fbcon *c, uint32_t fg_rgb, uint32_t bg_rgb)
{
	c->fg = fbcon_pixel(c->fmt, fg_rgb);
	c->bg = fbcon_pixel(c->fmt, bg_rgb);
}

/* Fill pixel rows [y0, y0 + n) of the visible width with the background. */
static void fill_rows(struct fbcon *c, uint32_t y0, uint32_t n)
{
	for (uint32_t y = y0; y < y0 + n; y++) {
		uint32_t *line = c->fb + (size_t)y * c->stride;

		for (uint32_t x = 0; x < c->width; x++)
			line[x] = c->bg;
	}
}

void fbcon_clear(struct fbcon *c)
{
	fill_rows(c, 0, c->height);
	c->x = 0;
	c->y = 0;
}

int fbcon_font_parse(const void *file, size_t len, const uint8_t (**glyphs)[FBCON_FONT_H])
{
	const uint8_t *p = file;

	if (!p || !glyphs)
		return -XEN_EINVAL;
	/* Exact size: the header fixes the geometry, so anything else is damage. */
	if (len != FBCON_FONT_FILE_SIZE)
		return -XEN_EINVAL;
	if (memcmp(p, FBCON_FONT_MAGIC, FBCON_FONT_MAGIC_LEN))
		return -XEN_EINVAL;
	if (p[8] != FBCON_FONT_W || p[9] != FBCON_FONT_H ||
	    (p[10] | (uint32_t)p[11] << 8) != FBCON_FONT_GLYPHS)
		return -XEN_EINVAL;
	/* Reserved must be zero so a later format can use it without misreads. */
	if (p[12] | p[13] | p[14] | p[15])
		return -XEN_EINVAL;
	*glyphs = (const uint8_t (*)[FBCON_FONT_H])(p + FBCON_FONT_HDR_SIZE);
	return 0;
}

int fbcon_init(struct fbcon *c, void *fb, uint32_t width, uint32_t height, uint32_t stride,
	       enum fbcon_format fmt, const uint8_t (*font)[FBCON_FONT_H])
{
	if (!c || !fb || !font)
		return -XEN_EINVAL;
	if (fmt != FBCON_RGBX && fmt != FBCON_BGRX)
		return -XEN_EINVAL;
	/* Need at least one text cell, and the scanline must hold the row. */
	if (width < FBCON_FONT_W || height < FBCON_FONT_H || stride < width)
		return -XEN_EINVAL;
	/* Pixel offsets are computed in size_t; refuse modes it cannot index. */
	if ((uint64_t)stride * height > SIZE_MAX / sizeof(uint32_t))
		return -XEN_E2BIG;

	memset(c, 0, sizeof(*c));
	c->fb = fb;
	c->width = width;
	c->height = height;
	c->stride = stride;
	c->fmt = fmt;
	c->font = font;
	c->cols = width / FBCON_FONT_W;
	c->rows = height / FBCON_FONT_H;
	fbcon_set_color(c, FBCON_DEFAULT_FG, FBCON_DEFAULT_BG);
	fbcon_clear(c);
	return 0;
}

static void draw_glyph(struct fbcon *c, uint32_t col, uint32_t row, uint8_t code)
{
	const uint8_t *bits = c->font[code];
	uint32_t *p = c->fb + (size_t)row * FBCON_FONT_H * c->stride + (size_t)col * FBCON_FONT_W;

	for (uint32_t gy = 0; gy < FBCON_FONT_H; gy++, p += c->stride) {
		for (uint32_t gx = 0; gx < FBCON_FONT_W; gx++)
			p[gx] = (bits[gy] & (0x80u >> gx)) ? c->fg : c->bg;
	}
}

/* Move text rows 1..rows-1 up one row and blank the last text row. */
static void scroll(struct fbcon *c)
{
	size_t row_px = (size_t)FBCON_FONT_H * c->stride;

	if (c->rows > 1)
		memmove(c->fb, c->fb + row_px, (c->rows - 1) * row_px * sizeof(uint32_t));
	fill_rows(c, (c->rows - 1) * FBCON_FONT_H, FBCON_FONT_H);
}

static void newline(struct fbcon *c)
{
	c->x = 0;
	if (c->y + 1 < c->rows)
		c->y++;
	else
		scroll(c);
}

void fbcon_putc(struct fbcon *c, char ch)
{
	uint8_t code = (uint8_t)ch;

	switch (code) {
	case '\n':
		/* Log lines end in a bare \n, so it returns the carriage too. */
		newline(c);
		return;
	case '\r':
		c->x = 0;
		return;
	case '\t': {
		uint32_t next = (MIN(c->x, c->cols - 1) / FBCON_TAB + 1) * FBCON_TAB;

		if (c->x >= c->cols || next >= c->cols) {
			/* A tab at the right edge behaves like a wrap. */
			newline(c);
			return;
		}
		c->x = next;
		return;
	}
	case '\b':
		/* Moves back only; the next glyph overwrites the old one. */
		if (c->x >= c->cols)
			c->x = c->cols - 1;
		else if (c->x > 0)
			c->x--;
		return;
	default:
		break;
	}
	if (code < 0x20 || code == 0x7f)
		return;

	/*
	 * Wrap lazily: a line of exactly `cols` glyphs followed by \n must not
	 * leave an empty line behind.
	 */
	if (c->x >= c->cols)
		newline(c);
	draw_glyph(c, c->x, c->y, code);
	c->x++;
}

void fbcon_write(struct fbcon *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fbcon_putc(c, s[i]);
}
