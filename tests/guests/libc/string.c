/* SPDX-License-Identifier: MIT */
/*
 * libc string: <string.h> (C11 7.24) plus strtok_r and strsep. The copies,
 * fills and lengths run over every small offset and length against a
 * byte-at-a-time reference, because optimised versions go wrong at the
 * edges of their word and vector loops; comparisons must treat bytes as
 * unsigned char.
 */
#include "tests/guests/libc/libc.h"

#include <stdio.h>
#include <string.h>

#define STR_BUF 256
#define STR_MAXOFF 17
#define STR_MAXLEN 70

static unsigned char str_src[STR_BUF], str_ref[STR_BUF], str_dst[STR_BUF];

static void str_pattern(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 131u + i * 7u + 1u);
}

/* memmove within one buffer by every offset up to STR_MAXOFF, both ways. */
static void str_memmove(struct libc_group *g)
{
	for (size_t off = 1; off <= STR_MAXOFF; off++) {
		for (int dir = 0; dir < 2; dir++) {
			size_t from = dir ? off : 0, to = dir ? 0 : off, n = 100 + off;

			str_pattern(str_dst, STR_BUF, (unsigned int)off);
			memcpy(str_ref, str_dst, STR_BUF);
			for (size_t i = 0; i < n; i++) /* reference: copy via a temporary */
				str_src[i] = str_ref[from + i];
			for (size_t i = 0; i < n; i++)
				str_ref[to + i] = str_src[i];
			libc_check(g, memmove(str_dst + to, str_dst + from, n) == str_dst + to,
				   "memmove returned the wrong pointer");
			libc_check(g, memcmp(str_dst, str_ref, STR_BUF) == 0,
				   "memmove %zu bytes from +%zu to +%zu: wrong result", n, from, to);
		}
	}
}

/* memcpy and memset at every small offset and length; the bytes around stay. */
static void str_copy_fill(struct libc_group *g)
{
	unsigned int bad_cpy = 0, bad_set = 0;

	str_pattern(str_src, STR_BUF, 99);
	for (size_t off = 0; off < STR_MAXOFF; off++) {
		for (size_t n = 0; n < STR_MAXLEN; n++) {
			memset(str_dst, 0xee, STR_BUF);
			memcpy(str_dst + off, str_src + (n & 7), n);
			for (size_t i = 0; i < STR_BUF; i++) {
				bool in = i >= off && i < off + n;

				if (str_dst[i] != (in ? str_src[(n & 7) + i - off] : 0xee))
					bad_cpy++;
			}
			memset(str_dst + off, 0xa5, n);
			for (size_t i = 0; i < STR_BUF; i++) {
				bool in = i >= off && i < off + n;

				if (str_dst[i] != (in ? 0xa5 : 0xee))
					bad_set++;
			}
		}
	}
	libc_check(g, bad_cpy == 0, "memcpy: %u wrong bytes over all offsets", bad_cpy);
	libc_check(g, bad_set == 0, "memset: %u wrong bytes over all offsets", bad_set);
}

/* strlen from every small offset of strings of every small length. */
static void str_strlen(struct libc_group *g)
{
	char s[STR_BUF];
	unsigned int bad = 0;

	for (size_t off = 0; off < STR_MAXOFF; off++) {
		for (size_t n = 0; n < STR_MAXLEN; n++) {
			memset(s, 'a', sizeof(s));
			s[off + n] = '\0';
			if (strlen(s + off) != n && !bad++)
				printf("libc: string: strlen at offset %zu: expected %zu, got %zu\n",
				       off, n, strlen(s + off));
		}
	}
	libc_check(g, bad == 0, "strlen: %u wrong lengths over all offsets", bad);
}

/* The compiler folds string calls on literals: hide where they point. */
static const char *str_hide(const char *s)
{
	const char *volatile v = s;

	return v;
}

static int str_sign(int v)
{
	return (v > 0) - (v < 0);
}

static void str_compare(struct libc_group *g)
{
	const char *abc = str_hide("abc"), *abd = str_hide("abd"), *ab = str_hide("ab");
	const char *hi = str_hide("\x80"), *lo = str_hide("\x01");

	libc_check(g, memcmp(abc, abd, 3) < 0 && memcmp(abd, abc, 3) > 0 &&
			      memcmp(abc, abd, 2) == 0,
		   "memcmp order of \"abc\" and \"abd\"");
	libc_check(g, str_sign(memcmp(hi, lo, 1)) == 1,
		   "memcmp must compare bytes as unsigned char");
	libc_check(g, strcmp(abc, str_hide("abc")) == 0 && strcmp(ab, abc) < 0 &&
			      strcmp(str_hide("b"), abc) > 0,
		   "strcmp order");
	libc_check(g, str_sign(strcmp(hi, str_hide("a"))) == 1,
		   "strcmp must compare bytes as unsigned char");
	libc_check(g, strncmp(str_hide("abcx"), str_hide("abcy"), 3) == 0 &&
			      strncmp(str_hide("abcx"), str_hide("abcy"), 4) < 0,
		   "strncmp");
}

static void str_search(struct libc_group *g)
{
	const char *s = str_hide("hello world"), *a = str_hide("aaab");

	libc_check(g, strchr(s, 'l') == s + 2 && strchr(s, '\0') == s + 11 &&
			      strchr(s, 'z') == NULL,
		   "strchr");
	libc_check(g, strrchr(s, 'l') == s + 9 && strrchr(s, 'h') == s &&
			      strrchr(s, 'z') == NULL && strrchr(s, '\0') == s + 11,
		   "strrchr");
	libc_check(g, strstr(s, str_hide("o w")) == s + 4 && strstr(s, str_hide("")) == s &&
			      strstr(s, str_hide("worlds")) == NULL &&
			      strstr(a, str_hide("aab")) == a + 1,
		   "strstr");
	libc_check(g, memchr(s, 'w', 11) == s + 6 && memchr(s, 'w', 6) == NULL, "memchr");
}

static void str_strncpy(struct libc_group *g)
{
	char d[8];

	memset(d, 'z', sizeof(d));
	libc_check(g, strncpy(d, str_hide("ab"), 5) == d, "strncpy returned the wrong pointer");
	libc_check(g, memcmp(d, "ab\0\0\0zzz", 8) == 0,
		   "strncpy(\"ab\", 5) must pad with NULs and stop at 5");
	memset(d, 'z', sizeof(d));
	strncpy(d, str_hide("abcdef"), 3);
	libc_check(g, memcmp(d, "abczzzzz", 8) == 0,
		   "strncpy(\"abcdef\", 3) must copy 3 bytes and no NUL");
}

static void str_tokens(struct libc_group *g)
{
	char a[] = "a,b,,c", b[] = "a,b,,c", out[16] = "";
	char *save, *p = b, *tok;

	for (tok = strtok_r(a, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		strcat(strcat(out, tok), "|");
	libc_check(g, strcmp(out, "a|b|c|") == 0,
		   "strtok_r(\"a,b,,c\"): expected a|b|c|, got %s", out);
	out[0] = '\0';
	while ((tok = strsep(&p, ",")) != NULL)
		strcat(strcat(out, tok), "|");
	libc_check(g, strcmp(out, "a|b||c|") == 0,
		   "strsep(\"a,b,,c\"): expected a|b||c|, got %s", out);
}

void libc_string(struct libc_group *g)
{
	str_memmove(g);
	str_copy_fill(g);
	str_strlen(g);
	str_compare(g);
	str_search(g);
	str_strncpy(g);
	str_tokens(g);
}
