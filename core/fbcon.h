/* SPDX-License-Identifier: MIT */
/*
 * Text console drawn on a linear 32 bpp framebuffer (the UEFI GOP mode the
 * boot code found). Once ExitBootServices has run, the firmware's console is
 * gone, so machines without a serial port see Bolt's log only through this.
 * Generic: no UEFI types; the boot code passes the mode it found. Not
 * locked: callers serialise (the log layer holds its lock around writes).
 */
#ifndef CORE_FBCON_H
#define CORE_FBCON_H

#include <stddef.h>
#include <stdint.h>

#include "lib/font_file.h"

#define FBCON_TAB 8

/* 32 bpp formats GOP reports as PixelRedGreenBlueReserved8BitPerColor /
 * PixelBlueGreenRedReserved8BitPerColor (byte order in memory). */
enum fbcon_format { FBCON_RGBX, FBCON_BGRX };

struct fbcon {
	uint32_t *fb;            /* first pixel of the visible area */
	uint32_t width, height;  /* visible pixels */
	uint32_t stride;         /* pixels per scanline, >= width */
	enum fbcon_format fmt;
	uint32_t cols, rows;     /* text cells that fit */
	uint32_t x, y;           /* cursor cell; x == cols means "wrap before next glyph" */
	uint32_t fg, bg;         /* colours already encoded for fmt */
	const uint8_t (*font)[FBCON_FONT_H]; /* FBCON_FONT_GLYPHS glyphs, not owned */
};

/*
 * Check a font file's header and size; on success point *glyphs at its
 * FBCON_FONT_GLYPHS glyphs (inside `file`, which must outlive the console).
 * Returns 0, or -XEN_EINVAL for a NULL argument, a wrong magic, geometry,
 * glyph count, non-zero reserved bytes or a length other than
 * FBCON_FONT_FILE_SIZE (a truncated or padded file is not trusted).
 */
int fbcon_font_parse(const void *file, size_t len, const uint8_t (**glyphs)[FBCON_FONT_H]);

/* Validate the mode and font, set grey-on-black, clear the screen, cursor at
 * 0,0. `font` is FBCON_FONT_GLYPHS glyphs (from fbcon_font_parse()); it is
 * not copied, so it must stay mapped for as long as the console is used. */
int fbcon_init(struct fbcon *c, void *fb, uint32_t width, uint32_t height, uint32_t stride,
	       enum fbcon_format fmt, const uint8_t (*font)[FBCON_FONT_H]);
/* Colours as 0xRRGGBB; applies to glyphs drawn from now on. */
void fbcon_set_color(struct fbcon *c, uint32_t fg_rgb, uint32_t bg_rgb);
/* Encode 0xRRGGBB as the pixel value stored for fmt. */
uint32_t fbcon_pixel(enum fbcon_format fmt, uint32_t rgb);
/* Fill the screen with the background colour and home the cursor. */
void fbcon_clear(struct fbcon *c);
/* \n (CR+LF), \r, \t, \b; other C0 controls and DEL are ignored; wraps
 * long lines and scrolls by moving the framebuffer up one text row. */
void fbcon_putc(struct fbcon *c, char ch);
void fbcon_write(struct fbcon *c, const char *s, size_t n);

#endif
