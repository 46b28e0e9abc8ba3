/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for core/fbcon.c: glyph placement (expected pixels come from
 * the generated font table, not drawn by eye), pixel formats, control
 * characters, wrapping and scrolling. The framebuffer has a padded stride
 * with a guard pattern so stray writes past the visible width show up.
 */
#include "unit.h"

#include "core/errno.h"
#include "core/fbcon.h"

#define GUARD 0xdeadbeefu
#define FG 0x123456u
#define BG 0x0a0b0cu

static uint32_t *fb_alloc(uint32_t stride, uint32_t height)
{
	uint32_t *fb = malloc((size_t)stride * height * sizeof(*fb));

	if (!fb)
		abort();
	for (size_t i = 0; i < (size_t)stride * height; i++)
		fb[i] = GUARD;
	return fb;
}

/* True if text cell (col,row) shows glyph `code` in colours fg/bg. */
static int cell_is(const struct fbcon *c, uint32_t col, uint32_t row, uint8_t code)
{
	for (uint32_t gy = 0; gy < FBCON_FONT_H; gy++) {
		for (uint32_t gx = 0; gx < FBCON_FONT_W; gx++) {
			size_t off = (size_t)(row * FBCON_FONT_H + gy) * c->stride + col * FBCON_FONT_W + gx;
			int on = (fbcon_font8x16[code][gy] >> (7 - gx)) & 1;

			if (c->fb[off] != (on ? c->fg : c->bg))
				return 0;
		}
	}
	return 1;
}

/* The padding between width and stride must never be written. */
static int guard_intact(const struct fbcon *c)
{
	for (uint32_t y = 0; y < c->height; y++)
		for (uint32_t x = c->width; x < c->stride; x++)
			if (c->fb[(size_t)y * c->stride + x] != GUARD)
				return 0;
	return 1;
}

static void test_font_sane(void)
{
	int blank = 1, a_bits = 0;

	for (int i = 0; i < 16; i++) {
		blank &= fbcon_font8x16[' '][i] == 0;
		a_bits += __builtin_popcount(fbcon_font8x16['A'][i]);
	}
	CHECK(blank);
	CHECK(a_bits > 10);
	CHECK(memcmp(fbcon_font8x16['A'], fbcon_font8x16['B'], 16) != 0);
	CHECK(memcmp(fbcon_font8x16['l'], fbcon_font8x16['1'], 16) != 0);
	/* Control codes hold the replacement glyph, which is not blank. */
	CHECK(memcmp(fbcon_font8x16[0x01], fbcon_font8x16[0x7f], 16) == 0);
	CHECK(memcmp(fbcon_font8x16[0x01], fbcon_font8x16[' '], 16) != 0);
}

static void test_init_rejects(void)
{
	struct fbcon c;
	uint32_t px[64];

	CHECK_EQ(fbcon_init(&c, NULL, 640, 480, 640, FBCON_BGRX), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(NULL, px, 8, 16, 8, FBCON_BGRX), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 7, 16, 8, FBCON_BGRX), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 8, 15, 8, FBCON_BGRX), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 16, 16, 8, FBCON_BGRX), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 8, 16, 8, (enum fbcon_format)7), -XEN_EINVAL);
}

static void test_init_geometry_and_clear(void)
{
	struct fbcon c;
	uint32_t *fb = fb_alloc(1032, 771);

	CHECK_EQ(fbcon_init(&c, fb, 1027, 771, 1032, FBCON_BGRX), 0);
	CHECK_EQ(c.cols, 128);
	CHECK_EQ(c.rows, 48);
	CHECK_EQ(c.x, 0);
	CHECK_EQ(c.y, 0);
	/* Default colours: black background, every visible pixel cleared. */
	CHECK_EQ(c.bg, 0);
	CHECK_EQ(fb[0], 0);
	CHECK_EQ(fb[(size_t)770 * 1032 + 1026], 0);
	CHECK(guard_intact(&c));
	free(fb);
}

static void test_pixel_formats(void)
{
	CHECK_EQ(fbcon_pixel(FBCON_BGRX, 0x112233), 0x112233);
	CHECK_EQ(fbcon_pixel(FBCON_RGBX, 0x112233), 0x332211);

	/* Memory byte order must match the format's name. */
	uint32_t v = fbcon_pixel(FBCON_RGBX, 0xff8001);
	uint8_t b[4];
	memcpy(b, &v, 4);
	CHECK_EQ(b[0], 0xff);
	CHECK_EQ(b[1], 0x80);
	CHECK_EQ(b[2], 0x01);
	v = fbcon_pixel(FBCON_BGRX, 0xff8001);
	memcpy(b, &v, 4);
	CHECK_EQ(b[0], 0x01);
	CHECK_EQ(b[2], 0xff);

	for (int fmt = FBCON_RGBX; fmt <= FBCON_BGRX; fmt++) {
		struct fbcon c;
		uint32_t *fb = fb_alloc(40, 32);

		CHECK_EQ(fbcon_init(&c, fb, 32, 32, 40, (enum fbcon_format)fmt), 0);
		fbcon_set_color(&c, FG, BG);
		CHECK_EQ(c.fg, fbcon_pixel((enum fbcon_format)fmt, FG));
		fbcon_putc(&c, 'A');
		CHECK(cell_is(&c, 0, 0, 'A'));
		CHECK(guard_intact(&c));
		free(fb);
	}
}

static void test_glyph_placement(void)
{
	struct fbcon c;
	uint32_t *fb = fb_alloc(100, 64);

	CHECK_EQ(fbcon_init(&c, fb, 80, 64, 100, FBCON_BGRX), 0);
	fbcon_set_color(&c, FG, BG);
	fbcon_write(&c, "Hi\nxyz", 6);
	CHECK(cell_is(&c, 0, 0, 'H'));
	CHECK(cell_is(&c, 1, 0, 'i'));
	CHECK(cell_is(&c, 0, 1, 'x'));
	CHECK(cell_is(&c, 2, 1, 'z'));
	CHECK(!cell_is(&c, 1, 1, 'z'));
	CHECK_EQ(c.x, 3);
	CHECK_EQ(c.y, 1);

	/* One explicit pixel from the font bits: leftmost set pixel of 'H' row 8. */
	uint8_t row8 = fbcon_font8x16['H'][8];
	CHECK(row8 != 0);
	int first = __builtin_clz((unsigned)row8) - 24;
	CHECK_EQ(fb[(size_t)8 * 100 + first], fbcon_pixel(FBCON_BGRX, FG));
	if (first > 0)
		CHECK_EQ(fb[(size_t)8 * 100 + first - 1], fbcon_pixel(FBCON_BGRX, BG));
	CHECK(guard_intact(&c));
	free(fb);
}

static void test_controls(void)
{
	struct fbcon c;
	uint32_t *fb = fb_alloc(256, 32);

	CHECK_EQ(fbcon_init(&c, fb, 256, 32, 256, FBCON_BGRX), 0);
	fbcon_set_color(&c, FG, BG);
	fbcon_clear(&c); /* so skipped cells are in the new background */
	CHECK_EQ(c.cols, 32);

	fbcon_write(&c, "ab\tc", 4);
	CHECK(cell_is(&c, 8, 0, 'c'));
	CHECK(cell_is(&c, 4, 0, ' '));
	fbcon_putc(&c, '\t');
	CHECK_EQ(c.x, 16);
	fbcon_write(&c, "\rX", 2);
	CHECK(cell_is(&c, 0, 0, 'X'));
	CHECK(cell_is(&c, 1, 0, 'b'));
	fbcon_write(&c, "\b\bQ", 3);
	CHECK(cell_is(&c, 0, 0, 'Q'));
	fbcon_write(&c, "\b\b\b", 3);
	CHECK_EQ(c.x, 0);
	/* Other controls draw nothing and do not move the cursor. */
	fbcon_write(&c, "\a\x1b\x7f", 3);
	CHECK_EQ(c.x, 0);
	CHECK(cell_is(&c, 0, 0, 'Q'));
	/* Non-ASCII bytes draw their Latin-1 glyph. */
	fbcon_putc(&c, (char)0xe9);
	CHECK(cell_is(&c, 0, 0, 0xe9));
	/* A tab whose stop is past the edge moves to the next line. */
	c.x = 30;
	fbcon_putc(&c, '\t');
	CHECK_EQ(c.x, 0);
	CHECK_EQ(c.y, 1);
	free(fb);
}

static void test_wrap(void)
{
	struct fbcon c;
	uint32_t *fb = fb_alloc(40, 48);

	/* 5 columns, 3 rows */
	CHECK_EQ(fbcon_init(&c, fb, 40, 48, 40, FBCON_RGBX), 0);
	fbcon_set_color(&c, FG, BG);
	fbcon_write(&c, "abcde", 5);
	/* A full line waits for the next glyph before wrapping. */
	CHECK_EQ(c.x, 5);
	CHECK_EQ(c.y, 0);
	fbcon_putc(&c, '\n');
	CHECK_EQ(c.x, 0);
	CHECK_EQ(c.y, 1);
	fbcon_write(&c, "fghijk", 6);
	CHECK(cell_is(&c, 4, 1, 'j'));
	CHECK(cell_is(&c, 0, 2, 'k'));
	CHECK_EQ(c.x, 1);
	CHECK_EQ(c.y, 2);
	/* Backspace from the pending-wrap state returns to the last column. */
	c.x = 5;
	fbcon_write(&c, "\bZ", 2);
	CHECK(cell_is(&c, 4, 2, 'Z'));
	free(fb);
}

static void test_scroll(void)
{
	struct fbcon c;
	uint32_t *fb = fb_alloc(44, 56);

	/* 5 columns, 3 rows, 8 leftover scanlines below the text area. */
	CHECK_EQ(fbcon_init(&c, fb, 40, 56, 44, FBCON_BGRX), 0);
	fbcon_set_color(&c, FG, BG);
	fbcon_write(&c, "one\ntwo\nthree", 13);
	CHECK(cell_is(&c, 0, 2, 't'));
	fbcon_write(&c, "\nfour!", 6);
	CHECK_EQ(c.y, 2);
	CHECK(cell_is(&c, 0, 0, 't'));
	CHECK(cell_is(&c, 1, 0, 'w'));
	CHECK(cell_is(&c, 4, 1, 'e'));
	CHECK(cell_is(&c, 3, 2, 'r'));
	CHECK(cell_is(&c, 4, 2, '!'));
	/* Wrapping off the last row scrolls too, and blanks the new row. */
	fbcon_write(&c, "Y", 1);
	CHECK(cell_is(&c, 0, 1, 'f'));
	CHECK(cell_is(&c, 0, 2, 'Y'));
	for (uint32_t col = 1; col < 5; col++)
		CHECK(cell_is(&c, col, 2, ' '));
	/* Leftover scanlines below the last text row stay untouched by text. */
	CHECK_EQ(fb[(size_t)50 * 44 + 3], fbcon_pixel(FBCON_BGRX, 0));
	CHECK(guard_intact(&c));

	/* Many lines: no overflow, cursor stays on the last row. */
	for (int i = 0; i < 100; i++)
		fbcon_write(&c, "zz\n", 3);
	CHECK_EQ(c.y, 2);
	CHECK(cell_is(&c, 1, 1, 'z'));
	CHECK(cell_is(&c, 0, 2, ' '));
	CHECK(guard_intact(&c));
	free(fb);
}

static void test_single_row(void)
{
	struct fbcon c;
	uint32_t *fb = fb_alloc(16, 16);

	/* 2x1 cells: scrolling must only clear, never move. */
	CHECK_EQ(fbcon_init(&c, fb, 16, 16, 16, FBCON_BGRX), 0);
	fbcon_set_color(&c, FG, BG);
	fbcon_write(&c, "abc", 3);
	CHECK_EQ(c.y, 0);
	CHECK(cell_is(&c, 0, 0, 'c'));
	CHECK(cell_is(&c, 1, 0, ' '));
	free(fb);
}

void unit_main(void)
{
	TEST(test_font_sane);
	TEST(test_init_rejects);
	TEST(test_init_geometry_and_clear);
	TEST(test_pixel_formats);
	TEST(test_glyph_placement);
	TEST(test_controls);
	TEST(test_wrap);
	TEST(test_scroll);
	TEST(test_single_row);
}
