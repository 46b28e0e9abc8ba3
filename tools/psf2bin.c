/* SPDX-License-Identifier: MIT */
/*
 * psf2bin: build-time converter from a Linux console font (PSF1 or PSF2,
 * already gunzipped) to the raw glyph file Bolt loads from the ESP:
 *
 *   gzip -dc /usr/share/consolefonts/Unifont-APL8x16.psf.gz |
 *           build/tools/psf2bin - > build/gen/font8x16.bin
 *
 * The output is a 16-byte header (lib/font_file.h: FBCON_FONT_MAGIC, width,
 * height, glyph count) and 256 8x16 glyphs indexed by Latin-1 code point.
 * It is a file of its own, never compiled into bolt.efi, because the only
 * 8x16 font Debian ships (psf-unifont) is GPL-2+ and Bolt is MIT: the
 * glyphs stay a separate work that merely ships alongside the binary.
 *
 * Console fonts store glyphs in their own order (Unifont-APL8x16 is in
 * CP437 order), so the font's Unicode table decides which glyph each code
 * point gets; code points the font lacks, and the C0/C1 control ranges,
 * get the font's U+FFFD glyph (or '?' when it has none). We never draw
 * glyphs by hand: every bit comes from the font file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/font_file.h"

#define FONT_W FBCON_FONT_W
#define FONT_H FBCON_FONT_H
#define NCODES FBCON_FONT_GLYPHS
#define MAX_INPUT (4u << 20)

#define PSF1_MAGIC0 0x36
#define PSF1_MAGIC1 0x04
#define PSF1_MODE512 0x01
#define PSF1_MODEHASTAB 0x02
#define PSF1_MODESEQ 0x04

#define PSF2_MAGIC 0x864ab572u
#define PSF2_HAS_UNICODE_TABLE 0x01u

struct font {
	const uint8_t *glyphs;
	uint32_t nglyphs;
	uint32_t charsize;
	/* glyph index for each Latin-1 code point and for U+FFFD, -1 = none */
	long map[NCODES];
	long replacement;
};

static void die(const char *msg)
{
	fprintf(stderr, "psf2bin: %s\n", msg);
	exit(1);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Record that glyph g draws code point cp; the first glyph claiming it wins. */
static void note(struct font *f, uint32_t cp, uint32_t g)
{
	if (cp < NCODES && f->map[cp] < 0)
		f->map[cp] = g;
	if (cp == 0xfffd && f->replacement < 0)
		f->replacement = g;
}

/* PSF1 table: per glyph, UCS-2 LE values, 0xFFFE starts sequences, 0xFFFF ends. */
static void parse_psf1_table(struct font *f, const uint8_t *p, const uint8_t *end)
{
	for (uint32_t g = 0; g < f->nglyphs; g++) {
		int in_seq = 0;

		for (;;) {
			if (end - p < 2)
				die("PSF1 unicode table is truncated");
			uint32_t v = p[0] | (uint32_t)p[1] << 8;
			p += 2;
			if (v == 0xffff)
				break;
			if (v == 0xfffe)
				in_seq = 1;
			else if (!in_seq)
				note(f, v, g);
		}
	}
}

/* Decode one UTF-8 code point; returns bytes used, 0 on a malformed sequence. */
static size_t utf8_decode(const uint8_t *p, const uint8_t *end, uint32_t *cp)
{
	size_t n;
	uint32_t v;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		v = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		v = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		v = p[0] & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	*cp = v;
	return n;
}

/* PSF2 table: per glyph, UTF-8 strings, 0xFE starts sequences, 0xFF ends. */
static void parse_psf2_table(struct font *f, const uint8_t *p, const uint8_t *end)
{
	for (uint32_t g = 0; g < f->nglyphs; g++) {
		int in_seq = 0;

		for (;;) {
			if (p >= end)
				die("PSF2 unicode table is truncated");
			if (*p == 0xff) {
				p++;
				break;
			}
			if (*p == 0xfe) {
				in_seq = 1;
				p++;
				continue;
			}
			uint32_t cp;
			size_t n = utf8_decode(p, end, &cp);
			if (!n)
				die("PSF2 unicode table has malformed UTF-8");
			if (!in_seq)
				note(f, cp, g);
			p += n;
		}
	}
}

static void parse(struct font *f, const uint8_t *buf, size_t len)
{
	const uint8_t *end = buf + len;
	int has_table;
	size_t hdr;

	for (size_t i = 0; i < NCODES; i++)
		f->map[i] = -1;
	f->replacement = -1;

	if (len >= 4 && buf[0] == PSF1_MAGIC0 && buf[1] == PSF1_MAGIC1) {
		hdr = 4;
		f->nglyphs = (buf[2] & PSF1_MODE512) ? 512 : 256;
		has_table = (buf[2] & (PSF1_MODEHASTAB | PSF1_MODESEQ)) != 0;
		f->charsize = buf[3];
		if (f->charsize != FONT_H)
			die("PSF1 font is not 8x16");
	} else if (len >= 32 && get_le32(buf) == PSF2_MAGIC) {
		hdr = get_le32(buf + 8);
		has_table = (get_le32(buf + 12) & PSF2_HAS_UNICODE_TABLE) != 0;
		f->nglyphs = get_le32(buf + 16);
		f->charsize = get_le32(buf + 20);
		if (get_le32(buf + 24) != FONT_H || get_le32(buf + 28) != FONT_W ||
		    f->charsize != FONT_H)
			die("PSF2 font is not 8x16");
		if (hdr < 32 || hdr > len)
			die("PSF2 header size is invalid");
		if (f->nglyphs == 0 || f->nglyphs > 65536)
			die("PSF2 glyph count is invalid");
	} else {
		die("input is not a PSF1 or PSF2 font (gunzip it first)");
	}

	if ((len - hdr) / f->charsize < f->nglyphs)
		die("font file is truncated (fewer glyphs than the header says)");
	f->glyphs = buf + hdr;

	const uint8_t *table = f->glyphs + (size_t)f->nglyphs * f->charsize;
	if (!has_table) {
		/* No table: assume the glyphs are in code point order. */
		for (uint32_t cp = 0; cp < NCODES && cp < f->nglyphs; cp++)
			f->map[cp] = cp;
	} else if (buf[0] == PSF1_MAGIC0) {
		parse_psf1_table(f, table, end);
	} else {
		parse_psf2_table(f, table, end);
	}

	if (f->replacement < 0)
		f->replacement = f->map['?'];
	if (f->replacement < 0)
		die("font has neither U+FFFD nor '?' for a replacement glyph");
	for (uint32_t cp = 0x20; cp < 0x7f; cp++)
		if (f->map[cp] < 0)
			die("font lacks a printable ASCII character");
}

/* Write the header and the 256 Latin-1 glyphs in the layout fbcon_font_parse() checks. */
static void emit(const struct font *f)
{
	uint8_t hdr[FBCON_FONT_HDR_SIZE] = { 0 };

	memcpy(hdr, FBCON_FONT_MAGIC, FBCON_FONT_MAGIC_LEN);
	hdr[8] = FONT_W;
	hdr[9] = FONT_H;
	hdr[10] = NCODES & 0xff;
	hdr[11] = NCODES >> 8;
	if (fwrite(hdr, 1, sizeof(hdr), stdout) != sizeof(hdr))
		die("write error");
	for (int cp = 0; cp < NCODES; cp++) {
		long g = f->map[cp];
		int control = cp < 0x20 || (cp >= 0x7f && cp < 0xa0);

		if (g < 0 || control)
			g = f->replacement;
		if (fwrite(f->glyphs + (size_t)g * f->charsize, 1, FONT_H, stdout) != FONT_H)
			die("write error");
	}
}

int main(int argc, char **argv)
{
	struct font f;
	FILE *in = stdin;
	uint8_t *buf;
	size_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: psf2bin FILE.psf|- > font8x16.bin\n");
		return 2;
	}
	if (isatty(STDOUT_FILENO))
		die("refusing to write a binary font to a terminal; redirect stdout");
	if (strcmp(argv[1], "-")) {
		in = fopen(argv[1], "rb");
		if (!in) {
			perror(argv[1]);
			return 1;
		}
	}
	buf = malloc(MAX_INPUT);
	if (!buf)
		die("out of memory");
	len = fread(buf, 1, MAX_INPUT, in);
	if (ferror(in))
		die("read error");
	if (len == MAX_INPUT)
		die("input is too large for a console font");
	if (in != stdin)
		fclose(in);

	parse(&f, buf, len);
	emit(&f);
	free(buf);
	if (fflush(stdout) || ferror(stdout))
		die("write error");
	return 0;
}
