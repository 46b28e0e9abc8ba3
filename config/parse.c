/* SPDX-License-Identifier: MIT */
/*
 * bolt.cfg reader (format: docs/config.md): splits the text into lines,
 * sections and `key = value` pairs and hands each value to its entry in
 * cfg_keys[] (keys.c). Freestanding and allocation-free so the
 * hypervisor and the host tool share exactly one implementation.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/internal.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/lib.h"

/* ---- errors ---------------------------------------------------------- */

static void cfg_verror(struct cfg_error *err, const char *file, unsigned line,
		       const char *fmt, va_list ap)
{
	int n;

	if (!err)
		return;
	if (line)
		n = bolt_snprintf(err->msg, sizeof(err->msg), "%s:%u: ", file, line);
	else
		n = bolt_snprintf(err->msg, sizeof(err->msg), "%s: ", file);
	if ((size_t)n < sizeof(err->msg))
		bolt_vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
}

int cfg_fail_at(struct cfg_parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(p->err, p->file, line, fmt, ap);
	va_end(ap);
	return -XEN_EINVAL;
}

/* ---- small helpers ------------------------------------------------------ */

bool cfg_is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static char *cfg_skip_ws(char *s)
{
	while (cfg_is_ws(*s))
		s++;
	return s;
}

static void cfg_rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && cfg_is_ws(s[n - 1]))
		s[--n] = '\0';
}

static bool cfg_is_comment(const char *s)
{
	return *s == '#' || *s == ';';
}

bool cfg_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Decimal digits only; NULL if there are none. Sets *overflow past 2^64-1. */
const char *cfg_strtou64(const char *s, uint64_t *v, bool *overflow)
{
	const char *start = s;

	*v = 0;
	*overflow = false;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (*v > (UINT64_MAX - d) / 10)
			*overflow = true;
		*v = *v * 10 + d;
	}
	return s == start ? NULL : s;
}

static void cfg_label(const struct cfg_parser *p, char *buf, size_t size)
{
	if (p->sd)
		bolt_snprintf(buf, size, "[%s %s]", p->sd->word, (const char *)p->obj);
	else
		bolt_snprintf(buf, size, "[bolt]");
}

/* ---- sections ----------------------------------------------------------- */

/* k, or a key writing the same field under another name (`cpus` for `cpu`), was given. */
static bool key_given(const struct cfg_parser *p, const struct cfg_key *k)
{
	for (size_t i = 0; i < cfg_nr_keys; i++)
		if (p->key_line[i] && cfg_keys[i].section == k->section && cfg_keys[i].off == k->off)
			return true;
	return false;
}

/* Close the open section: check its required keys. */
static int cfg_end_section(struct cfg_parser *p)
{
	for (size_t i = 0; i < cfg_nr_keys; i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (k->section != p->sect || !k->required || key_given(p, k))
			continue;
		if (p->sd)
			return cfg_fail_at(p, *(unsigned *)((char *)p->obj + p->sd->line_off),
					   "%s '%s': missing required key '%s'", p->sd->word,
					   (const char *)p->obj, k->name);
		return cfg_fail_at(p, p->bolt_line, "[bolt]: missing required key '%s'", k->name);
	}
	memset(p->key_line, 0, sizeof(p->key_line));
	p->sect = CFG_SECT_NONE;
	p->sd = NULL;
	p->obj = NULL;
	return 0;
}

/* Open [WORD NAME]: a new element of the section's array in bolt_config. */
static int cfg_begin_named(struct cfg_parser *p, const struct cfg_section_desc *sd,
			   const char *name)
{
	char *array = (char *)p->cfg + sd->array_off;
	unsigned *count = (unsigned *)((char *)p->cfg + sd->count_off);
	size_t len = strlen(name);
	char *obj;

	if (!len)
		return cfg_fail(p, "missing %s name (use [%s NAME])", sd->word, sd->word);
	if (len >= CFG_NAME_MAX)
		return cfg_fail(p, "%s name '%.48s' is too long (%zu characters, at most %u)",
				sd->word, name, len, CFG_NAME_MAX - 1);
	for (const char *c = name; *c; c++) {
		unsigned char ch = (unsigned char)*c;

		if (cfg_name_char(*c))
			continue;
		if (cfg_is_ws(*c))
			return cfg_fail(p, "%s name '%s' contains whitespace "
					"(use A-Z, a-z, 0-9, '_' and '-')", sd->word, name);
		if (ch > 0x20 && ch < 0x7f)
			return cfg_fail(p, "%s name '%s' contains invalid character '%c' "
					"(use A-Z, a-z, 0-9, '_' and '-')", sd->word, name, ch);
		return cfg_fail(p, "%s name '%s' contains invalid byte 0x%02x "
				"(use A-Z, a-z, 0-9, '_' and '-')", sd->word, name, ch);
	}
	for (unsigned i = 0; i < *count; i++) {
		const char *o = array + i * sd->elem_size;

		if (!strcmp(o, name))
			return cfg_fail(p, "duplicate %s name '%s' (first defined at line %u)",
					sd->word, name, *(const unsigned *)(o + sd->line_off));
	}
	if (*count == sd->max)
		return cfg_fail(p, "too many %s (at most %u)", sd->plural, sd->max);

	p->obj_index = (*count)++;
	obj = array + p->obj_index * sd->elem_size;
	memset(obj, 0, sd->elem_size);
	sd->defaults(obj);
	memcpy(obj, name, len + 1);
	*(unsigned *)(obj + sd->line_off) = p->line;
	p->sd = sd;
	p->obj = obj;
	p->sect = sd->sect;
	return 0;
}

static int cfg_section_header(struct cfg_parser *p, char *s)
{
	char *close = strchr(s, ']'), *name, *rest;
	int rc;

	if (!close)
		return cfg_fail(p, "missing ']' in section header");
	rest = cfg_skip_ws(close + 1);
	if (*rest && !cfg_is_comment(rest))
		return cfg_fail(p, "unexpected text after ']'");
	*close = '\0';
	name = cfg_skip_ws(s + 1);
	cfg_rtrim(name);

	rc = cfg_end_section(p);
	if (rc)
		return rc;
	if (!strcmp(name, "bolt")) {
		if (p->bolt_line)
			return cfg_fail(p, "[bolt] section repeated (first at line %u)",
					p->bolt_line);
		p->bolt_line = p->line;
		p->sect = CFG_SECT_BOLT;
		return 0;
	}
	for (size_t i = 0; i < cfg_nr_sections; i++) {
		const struct cfg_section_desc *sd = &cfg_sections[i];
		size_t n = strlen(sd->word);

		if (!strncmp(name, sd->word, n) && (!name[n] || cfg_is_ws(name[n])))
			return cfg_begin_named(p, sd, cfg_skip_ws(name + n));
	}
	return cfg_fail(p, "unknown section '[%.48s]' (expected [bolt], [guest NAME], "
			"[channel NAME], [doorbell NAME] or [shm NAME])", name);
}

/* ---- key = value -------------------------------------------------------- */

/* Unquote/trim the value starting at @s into p->val. */
static int cfg_read_value(struct cfg_parser *p, char *s, const char *key)
{
	size_t n = 0;

	if (*s == '"') {
		for (s++;; s++) {
			if (!*s)
				return cfg_fail(p, "unterminated quoted string");
			if (*s == '"')
				break;
			/* Only \" and \\ are escapes; other backslashes are literal. */
			if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				s++;
			p->val[n++] = *s;
		}
		p->val[n] = '\0';
		s = cfg_skip_ws(s + 1);
		if (*s && !cfg_is_comment(s))
			return cfg_fail(p, "unexpected text after closing quote of '%s'", key);
		return 0;
	}
	/* Unquoted: a comment starts at '#'/';' at the start or after a blank. */
	for (; *s; s++) {
		if (cfg_is_comment(s) && (n == 0 || cfg_is_ws(s[-1])))
			break;
		p->val[n++] = *s;
	}
	p->val[n] = '\0';
	cfg_rtrim(p->val);
	if (!p->val[0])
		return cfg_fail(p, "missing value for '%s'", key);
	return 0;
}

static int cfg_key_value(struct cfg_parser *p, char *s)
{
	char *key = s, *eq, *base, label[48];
	const struct cfg_key *k = NULL;
	bool upper = false;
	size_t i;
	int rc;

	while (*s && *s != '=' && !cfg_is_ws(*s)) {
		upper |= *s >= 'A' && *s <= 'Z';
		s++;
	}
	eq = cfg_skip_ws(s);
	if (s == key)
		return cfg_fail(p, "missing key before '='");
	if (*eq != '=') {
		*s = '\0';
		return cfg_fail(p, "expected '=' after '%.48s' (lines are 'key = value', "
				"'[section]' or comments)", key);
	}
	*s = '\0';
	if (p->sect == CFG_SECT_NONE)
		return cfg_fail(p, "key outside of any section (add [bolt] or [guest NAME] above it)");

	for (i = 0; i < cfg_nr_keys; i++) {
		if (cfg_keys[i].section == p->sect && !strcmp(cfg_keys[i].name, key)) {
			k = &cfg_keys[i];
			break;
		}
	}
	cfg_label(p, label, sizeof(label));
	if (!k)
		return cfg_fail(p, "unknown key '%.48s' in %s%s", key, label,
				upper ? " (keys are lowercase)" : "");
	if (p->key_line[i] && !k->repeat)
		return cfg_fail(p, "duplicate key '%s' in %s (first set at line %u)", key, label,
				p->key_line[i]);
	for (size_t j = 0; j < cfg_nr_keys && !k->repeat; j++)
		if (j != i && p->key_line[j] && cfg_keys[j].section == k->section &&
		    cfg_keys[j].off == k->off)
			return cfg_fail(p, "'%s' in %s repeats '%s' (line %u): give one of them",
					key, label, cfg_keys[j].name, p->key_line[j]);

	rc = cfg_read_value(p, cfg_skip_ws(eq + 1), k->name);
	if (rc)
		return rc;
	base = p->sd ? p->obj : (char *)p->cfg;
	rc = k->parse(p, k, base + k->off, p->val);
	if (rc)
		return rc;
	if (k->line_off)
		*(unsigned *)(base + k->line_off) = p->line;
	p->key_line[i] = p->line;
	return 0;
}

/* ---- lines and the whole file ------------------------------------------- */

/* Copy the line at *pos into p->buf (without CR/LF) and advance *pos. */
static int cfg_next_line(struct cfg_parser *p, const char *text, size_t len, size_t *pos)
{
	size_t start = *pos, end = start, n;

	while (end < len && text[end] != '\n')
		end++;
	*pos = end < len ? end + 1 : end;
	n = end - start;
	if (n && text[start + n - 1] == '\r')
		n--;
	/* Check for binary junk before the length, for the more useful message. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[start + i];

		if (!c)
			return cfg_fail(p, "NUL byte in file (is this a text file?)");
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return cfg_fail(p, "invalid control character 0x%02x", c);
	}
	if (n >= CFG_LINE_MAX)
		return cfg_fail(p, "line too long (%zu characters, at most %u)", n,
				CFG_LINE_MAX - 1);
	memcpy(p->buf, text + start, n);
	p->buf[n] = '\0';
	return 0;
}

static int cfg_parse_line(struct cfg_parser *p)
{
	char *s = cfg_skip_ws(p->buf);

	if (!*s || cfg_is_comment(s))
		return 0;
	if (*s == '[')
		return cfg_section_header(p, s);
	return cfg_key_value(p, s);
}

int cfg_parse(const char *text, size_t len, const char *filename,
	      struct bolt_config *out, struct cfg_error *err)
{
	struct cfg_parser p;
	size_t pos = 0;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.file = filename ? filename : "bolt.cfg";
	p.cfg = out;
	p.err = err;
	if (err)
		err->msg[0] = '\0';
	memset(out, 0, sizeof(*out));
	cfg_bolt_defaults(out);

	if (!text && len) {
		rc = cfg_fail_at(&p, 0, "no text");
		goto out;
	}
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3; /* UTF-8 byte order mark, as some Windows editors write */
	while (pos < len) {
		p.line++;
		rc = cfg_next_line(&p, text, len, &pos);
		if (!rc)
			rc = cfg_parse_line(&p);
		if (rc)
			goto out;
	}
	rc = cfg_end_section(&p);
	if (!rc)
		rc = cfg_cross_check(&p);
out:
	if (rc)
		memset(out, 0, sizeof(*out)); /* never hand out half a config */
	return rc;
}
