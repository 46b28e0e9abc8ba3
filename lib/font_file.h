/* SPDX-License-Identifier: MIT */
/*
 * The console font file format: the contract between tools/psf2bin, which
 * writes it at build time, and core/fbcon.c, which checks and draws it.
 * Constants only, so the host tool needs nothing from core/.
 */
#ifndef LIB_FONT_FILE_H
#define LIB_FONT_FILE_H

#define FBCON_FONT_W 8
#define FBCON_FONT_H 16

/*
 * The glyphs come from a file on the boot volume (font8x16.bin, written by
 * tools/psf2bin from Debian's psf-unifont), never from a table compiled in:
 * that font is GPL-2+, and keeping it a separate file keeps bolt.efi MIT.
 * Layout, all little-endian:
 *   0  8  FBCON_FONT_MAGIC
 *   8  1  glyph width in pixels  (FBCON_FONT_W)
 *   9  1  glyph height in pixels (FBCON_FONT_H)
 *  10  2  glyph count            (FBCON_FONT_GLYPHS)
 *  12  4  reserved, zero
 *  16     FBCON_FONT_GLYPHS x FBCON_FONT_H bytes: glyphs indexed by Latin-1
 *         code point, one byte per scanline, MSB = leftmost pixel.
 */
#define FBCON_FONT_MAGIC "BOLTFNT1"
#define FBCON_FONT_MAGIC_LEN 8
#define FBCON_FONT_HDR_SIZE 16
#define FBCON_FONT_GLYPHS 256
#define FBCON_FONT_FILE_SIZE (FBCON_FONT_HDR_SIZE + FBCON_FONT_GLYPHS * FBCON_FONT_H)

#endif
