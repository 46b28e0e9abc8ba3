/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for core/fbcon.c: the font file check, glyph placement
 * (expected pixels come from the font's bits, not drawn by eye), pixel
 * formats, control characters, wrapping and scrolling. Rendering uses a
 * synthetic font file built here, so the tests do not depend on the build;
 * the real build/gen/font8x16.bin is checked too when it exists. The
 * framebuffer has a padded stride with a guard pattern so stray writes past
 * the visible width show up.
 */
#include "unit.h"

#include <sys/stat.h>

#include "core/fbcon.h"
#include "lib/errno.h"
#include "tools/glyph_check.c"
#include "tools/png.c"

#define GUARD 0xdeadbeefu
#define FG 0x123456u
#define BG 0x0a0b0cu
#define REAL_FONT "build/gen/font8x16.bin"
#define ARTIFACT_DIR "build/test-artifacts"
#define ARTIFACT_PNG ARTIFACT_DIR "/fbcon-unit.png"

/* A valid font file whose glyphs are all distinct, ' ' blank, others not. */
static uint8_t font_file[FBCON_FONT_FILE_SIZE];
static const uint8_t (*font)[FBCON_FONT_H];

static void make_font_file(uint8_t *f)
{
	memset(f, 0, FBCON_FONT_FILE_SIZE);
	memcpy(f, "BOLTFNT1", 8);
	f[8] = 8;
	f[9] = 16;
	f[10] = 0x00; /* 256 glyphs, little-endian */
	f[11] = 0x01;
	for (int code = 0; code < 256; code++) {
		uint8_t *g = f + 16 + code * 16;

		if (code == ' ')
			continue;
		g[0] = (uint8_t)code; /* row 0 alone makes every glyph distinct */
		for (int r = 1; r < 15; r++)
			g[r] = (uint8_t)((code * (r + 1)) ^ 0x5a);
		g[15] = (uint8_t)~code;
	}
}

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
			int on = (font[code][gy] >> (7 - gx)) & 1;

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

static void test_font_parse_ok(void)
{
	const uint8_t (*g)[FBCON_FONT_H] = NULL;

	CHECK_EQ(fbcon_font_parse(font_file, sizeof(font_file), &g), 0);
	/* Points into the file (no copy), just past the 16-byte header. */
	CHECK((const uint8_t *)g == font_file + 16);
	CHECK_EQ(g['A'][0], 'A');
	CHECK_EQ(g['A'][15], (uint8_t)~'A');
	CHECK_EQ(g[255][0], 255);
	CHECK_EQ(FBCON_FONT_FILE_SIZE, 4112);
}

/* Parse a copy of the good file with byte `off` set to `val`. */
static int parse_patched(size_t off, uint8_t val)
{
	static uint8_t f[FBCON_FONT_FILE_SIZE];
	const uint8_t (*g)[FBCON_FONT_H] = (const void *)f; /* must stay untouched */

	memcpy(f, font_file, sizeof(f));
	f[off] = val;
	int rc = fbcon_font_parse(f, sizeof(f), &g);
	if (rc)
		CHECK((const void *)g == (const void *)f);
	return rc;
}

static void test_font_parse_rejects(void)
{
	const uint8_t (*g)[FBCON_FONT_H] = NULL;

	CHECK_EQ(fbcon_font_parse(NULL, sizeof(font_file), &g), -XEN_EINVAL);
	CHECK_EQ(fbcon_font_parse(font_file, sizeof(font_file), NULL), -XEN_EINVAL);
	CHECK_EQ(fbcon_font_parse(font_file, 0, &g), -XEN_EINVAL);
	CHECK_EQ(fbcon_font_parse(font_file, 16, &g), -XEN_EINVAL);
	CHECK_EQ(fbcon_font_parse(font_file, sizeof(font_file) - 1, &g), -XEN_EINVAL);
	CHECK(g == NULL);

	/* A padded file (e.g. a different glyph count) is refused too. */
	uint8_t *big = calloc(1, sizeof(font_file) + 16);
	if (!big)
		abort();
	memcpy(big, font_file, sizeof(font_file));
	CHECK_EQ(fbcon_font_parse(big, sizeof(font_file) + 16, &g), -XEN_EINVAL);
	CHECK_EQ(fbcon_font_parse(big, sizeof(font_file), &g), 0);
	free(big);

	/* Every magic byte counts. */
	for (size_t i = 0; i < 8; i++)
		CHECK_EQ(parse_patched(i, font_file[i] ^ 0x20), -XEN_EINVAL);
	CHECK_EQ(parse_patched(8, 16), -XEN_EINVAL);  /* width */
	CHECK_EQ(parse_patched(8, 0), -XEN_EINVAL);
	CHECK_EQ(parse_patched(9, 8), -XEN_EINVAL);   /* height */
	CHECK_EQ(parse_patched(10, 0xff), -XEN_EINVAL); /* 511 glyphs */
	CHECK_EQ(parse_patched(11, 0x00), -XEN_EINVAL); /* 0 glyphs */
	CHECK_EQ(parse_patched(11, 0x02), -XEN_EINVAL); /* 512 glyphs */
	for (size_t i = 12; i < 16; i++)
		CHECK_EQ(parse_patched(i, 1), -XEN_EINVAL); /* reserved */
	/* Glyph bytes are data: any value is fine. */
	CHECK_EQ(parse_patched(16, 0xff), 0);
	CHECK_EQ(parse_patched(sizeof(font_file) - 1, 0xa5), 0);
}

/* The file the build ships on the ESP, converted from psf-unifont. */
static void test_real_font(void)
{
	FILE *probe = fopen(REAL_FONT, "rb");
	const uint8_t (*g)[FBCON_FONT_H] = NULL;
	int blank = 1, a_bits = 0;
	size_t len;

	if (!probe) {
		fprintf(stderr, "test_fbcon: %s not built; skipping the real-font checks\n",
			REAL_FONT);
		return;
	}
	fclose(probe);
	char *file = unit_read_file(REAL_FONT, &len);
	CHECK_EQ(len, FBCON_FONT_FILE_SIZE);
	CHECK_EQ(fbcon_font_parse(file, len, &g), 0);
	if (!g) {
		free(file);
		return;
	}
	for (int i = 0; i < 16; i++) {
		blank &= g[' '][i] == 0;
		a_bits += __builtin_popcount(g['A'][i]);
	}
	CHECK(blank);
	CHECK(a_bits > 10);
	CHECK(memcmp(g['A'], g['B'], 16) != 0);
	CHECK(memcmp(g['l'], g['1'], 16) != 0);
	/* Control codes hold the replacement glyph, which is not blank. */
	CHECK(memcmp(g[0x01], g[0x7f], 16) == 0);
	CHECK(memcmp(g[0x01], g[' '], 16) != 0);
	/* Latin-1 letters exist and differ from their ASCII base. */
	CHECK(memcmp(g[0xe9], g['e'], 16) != 0);
	CHECK(memcmp(g[0xe9], g[0x01], 16) != 0);

	/* And the console draws with it. */
	struct fbcon c;
	uint32_t px[16 * 16];
	CHECK_EQ(fbcon_init(&c, px, 16, 16, 16, FBCON_BGRX, g), 0);
	fbcon_set_color(&c, FG, BG);
	fbcon_putc(&c, 'A');
	for (uint32_t gy = 0; gy < 16; gy++)
		for (uint32_t gx = 0; gx < 8; gx++)
			CHECK_EQ(px[gy * 16 + gx], ((g['A'][gy] >> (7 - gx)) & 1) ? c.fg : c.bg);
	free(file);
}

static void test_init_rejects(void)
{
	struct fbcon c;
	uint32_t px[8 * 16];

	CHECK_EQ(fbcon_init(&c, NULL, 640, 480, 640, FBCON_BGRX, font), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(NULL, px, 8, 16, 8, FBCON_BGRX, font), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 7, 16, 8, FBCON_BGRX, font), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 8, 15, 8, FBCON_BGRX, font), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 16, 16, 8, FBCON_BGRX, font), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 8, 16, 8, (enum fbcon_format)7, font), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 8, 16, 8, FBCON_BGRX, NULL), -XEN_EINVAL);
	CHECK_EQ(fbcon_init(&c, px, 8, 16, 8, FBCON_BGRX, font), 0);
	CHECK(c.font == font);
}

static void test_init_geometry_and_clear(void)
{
	struct fbcon c;
	uint32_t *fb = fb_alloc(1032, 771);

	CHECK_EQ(fbcon_init(&c, fb, 1027, 771, 1032, FBCON_BGRX, font), 0);
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

		CHECK_EQ(fbcon_init(&c, fb, 32, 32, 40, (enum fbcon_format)fmt, font), 0);
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

	CHECK_EQ(fbcon_init(&c, fb, 80, 64, 100, FBCON_BGRX, font), 0);
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
	uint8_t row8 = font['H'][8];
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

	CHECK_EQ(fbcon_init(&c, fb, 256, 32, 256, FBCON_BGRX, font), 0);
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
	CHECK_EQ(fbcon_init(&c, fb, 40, 48, 40, FBCON_RGBX, font), 0);
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
	CHECK_EQ(fbcon_init(&c, fb, 40, 56, 44, FBCON_BGRX, font), 0);
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
	CHECK_EQ(fbcon_init(&c, fb, 16, 16, 16, FBCON_BGRX, font), 0);
	fbcon_set_color(&c, FG, BG);
	fbcon_write(&c, "abc", 3);
	CHECK_EQ(c.y, 0);
	CHECK(cell_is(&c, 0, 0, 'c'));
	CHECK(cell_is(&c, 1, 0, ' '));
	free(fb);
}

/* The framebuffer as RGB bytes, decoding fmt's byte order. */
static struct rgb_image fb_to_rgb(const struct fbcon *c)
{
	struct rgb_image img = { c->width, c->height, malloc((size_t)c->width * c->height * 3) };

	if (!img.px)
		abort();
	for (uint32_t y = 0; y < c->height; y++) {
		for (uint32_t x = 0; x < c->width; x++) {
			const uint8_t *p = (const uint8_t *)&c->fb[(size_t)y * c->stride + x];
			uint8_t *q = img.px + ((size_t)y * c->width + x) * 3;

			q[0] = c->fmt == FBCON_RGBX ? p[0] : p[2];
			q[1] = p[1];
			q[2] = c->fmt == FBCON_RGBX ? p[2] : p[0];
		}
	}
	return img;
}

/*
 * Render Bolt's first log lines as OVMF's GOP would show them (640x480,
 * BGRX, padded stride) with the real font when it is built, keep the
 * screen as ARTIFACT_PNG for a person to look at, and check the lines with
 * the glyph checker that tests/gop-screen.sh uses on emulator screenshots.
 */
static void test_render_png(void)
{
	static const char *lines[] = {
		"bolt: Bolt 0.1 micro-hypervisor starting",
		"bolt: console: GOP 640x480 framebuffer, font from font8x16.bin",
		"bolt: 2 CPUs, 2 guests, TSC 50 ticks/us; exiting boot services",
	};
	const uint8_t (*g)[FBCON_FONT_H] = font;
	uint32_t *fb = fb_alloc(648, 480);
	struct glyph_match m;
	struct fbcon c;
	char *file = NULL;
	size_t len;
	FILE *probe = fopen(REAL_FONT, "rb");

	if (probe) {
		fclose(probe);
		file = unit_read_file(REAL_FONT, &len);
		CHECK_EQ(fbcon_font_parse(file, len, &g), 0);
	}
	CHECK_EQ(fbcon_init(&c, fb, 640, 480, 648, FBCON_BGRX, g), 0);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		fbcon_write(&c, lines[i], strlen(lines[i]));
		fbcon_putc(&c, '\n');
	}
	struct rgb_image img = fb_to_rgb(&c);

	for (uint32_t i = 0; i < 3; i++) {
		CHECK_EQ(glyph_find_line(&img, g, lines[i], 0xc0c0c0, 0, 0, &m), 0);
		CHECK_EQ(m.row, i);
	}
	/* The checker must see a line that is not there, and a wrong colour. */
	CHECK_EQ(glyph_find_line(&img, g, "bolt: not drawn", 0xc0c0c0, 0, 0, &m), 1);
	CHECK_EQ(m.matched, 6); /* "bolt: " is there, 'n' is not */
	CHECK_EQ(glyph_find_line(&img, g, lines[0], 0xffffff, 0, 0, &m), 1);

	CHECK(mkdir("build", 0777) == 0 || errno == EEXIST);
	CHECK(mkdir(ARTIFACT_DIR, 0777) == 0 || errno == EEXIST);
	CHECK_EQ(png_write(ARTIFACT_PNG, &img), 0);
	char *png = unit_read_file(ARTIFACT_PNG, &len);
	/* signature, then IHDR with the width and height */
	CHECK(len > 33 && !memcmp(png, "\x89PNG\r\n\x1a\n", 8) && !memcmp(png + 12, "IHDR", 4));
	CHECK(png[16] == 0 && png[17] == 0 && (uint8_t)png[18] == 0x02 && (uint8_t)png[19] == 0x80);
	CHECK(png[20] == 0 && png[21] == 0 && (uint8_t)png[22] == 0x01 && (uint8_t)png[23] == 0xe0);
	free(png);
	free(img.px);
	free(file);
	free(fb);
}

void unit_main(void)
{
	make_font_file(font_file);
	if (fbcon_font_parse(font_file, sizeof(font_file), &font))
		abort(); /* every rendering test needs the synthetic font */
	TEST(test_font_parse_ok);
	TEST(test_font_parse_rejects);
	TEST(test_real_font);
	TEST(test_init_rejects);
	TEST(test_init_geometry_and_clear);
	TEST(test_pixel_formats);
	TEST(test_glyph_placement);
	TEST(test_controls);
	TEST(test_wrap);
	TEST(test_scroll);
	TEST(test_single_row);
	TEST(test_render_png);
}
