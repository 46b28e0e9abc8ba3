/* SPDX-License-Identifier: MIT */
/*
 * bolt.cfg parser (format: docs/config.md). Freestanding and allocation-free
 * so the hypervisor and the host tool share exactly one implementation.
 *
 * Keys are table-driven: adding a key means one entry in cfg_keys[] (with a
 * generic or a custom parse/print function) plus its default in
 * cfg_guest_defaults()/cfg_bolt_defaults(). Nothing else needs to change:
 * duplicate detection, required-key checks and cfg_dump() walk the table.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/errno.h"
#include "core/fmt.h"
#include "core/lib.h"

enum cfg_section { CFG_SECT_NONE, CFG_SECT_BOLT, CFG_SECT_GUEST };

struct cfg_parser;
struct cfg_key;

/* snprintf-like appender for cfg_dump(); keeps counting past the end. */
struct cfg_out {
	char *buf;
	size_t size;
	size_t len;
};

typedef int (*cfg_parse_fn)(struct cfg_parser *p, const struct cfg_key *k,
			    void *field, const char *val);
typedef void (*cfg_print_fn)(struct cfg_out *o, const struct cfg_key *k,
			     const void *field);

struct cfg_key {
	enum cfg_section section;
	const char *name;
	bool required;
	size_t off;               /* field offset in bolt_config / cfg_guest */
	size_t size;              /* field size (strings: buffer incl. NUL) */
	size_t line_off;          /* cfg_guest line field to record; 0 = none */
	uint64_t min, max, align; /* numeric keys */
	const char *const *names; /* enum/bit keys: names by value/bit */
	unsigned nr_names;
	cfg_parse_fn parse;
	cfg_print_fn print;
};

static int cfg_parse_uint(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val);
static int cfg_parse_enum(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val);
static int cfg_parse_string(struct cfg_parser *p, const struct cfg_key *k, void *field,
			    const char *val);
static int cfg_parse_path(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val);
static int cfg_parse_size(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val);
static int cfg_parse_console(struct cfg_parser *p, const struct cfg_key *k, void *field,
			     const char *val);
static void cfg_print_uint(struct cfg_out *o, const struct cfg_key *k, const void *field);
static void cfg_print_enum(struct cfg_out *o, const struct cfg_key *k, const void *field);
static void cfg_print_string(struct cfg_out *o, const struct cfg_key *k, const void *field);
static void cfg_print_size(struct cfg_out *o, const struct cfg_key *k, const void *field);
static void cfg_print_console(struct cfg_out *o, const struct cfg_key *k, const void *field);

/* Indexed by value (enums) or by bit number (console). */
static const char *const cfg_console_names[] = { "com1", "e9", "gop" };
static const char *const cfg_all_stopped_names[] = {
	[CFG_ALL_STOPPED_POWEROFF] = "poweroff",
	[CFG_ALL_STOPPED_HALT] = "halt",
};
static const char *const cfg_on_crash_names[] = {
	[CFG_ON_CRASH_STOP] = "stop",
	[CFG_ON_CRASH_RESTART] = "restart",
};

#define BOLT_FIELD(f) \
	.section = CFG_SECT_BOLT, .off = offsetof(struct bolt_config, f), \
	.size = sizeof(((struct bolt_config *)0)->f)
#define GUEST_FIELD(f) \
	.section = CFG_SECT_GUEST, .off = offsetof(struct cfg_guest, f), \
	.size = sizeof(((struct cfg_guest *)0)->f)
#define GUEST_LINE(f) .line_off = offsetof(struct cfg_guest, f)
#define NAMES(a) .names = (a), .nr_names = ARRAY_SIZE(a)

/* Order here is the order cfg_dump() writes keys in. */
static const struct cfg_key cfg_keys[] = {
	{ .name = "console", BOLT_FIELD(console), NAMES(cfg_console_names),
	  .parse = cfg_parse_console, .print = cfg_print_console },
	{ .name = "on_all_stopped", BOLT_FIELD(on_all_stopped), NAMES(cfg_all_stopped_names),
	  .parse = cfg_parse_enum, .print = cfg_print_enum },
	{ .name = "image", GUEST_FIELD(image), GUEST_LINE(image_line), .required = true,
	  .parse = cfg_parse_path, .print = cfg_print_string },
	{ .name = "memory", GUEST_FIELD(memory), GUEST_LINE(memory_line), .required = true,
	  .min = CFG_MEMORY_MIN, .max = CFG_MEMORY_MAX, .align = CFG_MEMORY_ALIGN,
	  .parse = cfg_parse_size, .print = cfg_print_size },
	{ .name = "cpu", GUEST_FIELD(cpu), GUEST_LINE(cpu_line), .required = true,
	  .min = 0, .max = CFG_MAX_CPU, .parse = cfg_parse_uint, .print = cfg_print_uint },
	{ .name = "cmdline", GUEST_FIELD(cmdline),
	  .parse = cfg_parse_string, .print = cfg_print_string },
	{ .name = "on_crash", GUEST_FIELD(on_crash), NAMES(cfg_on_crash_names),
	  .parse = cfg_parse_enum, .print = cfg_print_enum },
	{ .name = "max_restarts", GUEST_FIELD(max_restarts),
	  .min = 0, .max = CFG_MAX_RESTARTS_LIMIT,
	  .parse = cfg_parse_uint, .print = cfg_print_uint },
};

struct cfg_parser {
	const char *file;
	unsigned line;
	struct bolt_config *cfg;
	struct cfg_error *err;
	enum cfg_section sect;
	struct cfg_guest *guest; /* the open [guest] section */
	unsigned bolt_line;      /* first [bolt] header; 0 = none yet */
	unsigned key_line[ARRAY_SIZE(cfg_keys)]; /* where each key was set */
	char buf[CFG_LINE_MAX];  /* the current line, NUL-terminated */
	char val[CFG_LINE_MAX];  /* its value, unquoted */
};

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

static int cfg_fail_at(struct cfg_parser *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int cfg_fail_at(struct cfg_parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(p->err, p->file, line, fmt, ap);
	va_end(ap);
	return -XEN_EINVAL;
}

#define cfg_fail(p, ...) cfg_fail_at((p), (p)->line, __VA_ARGS__)

/* ---- small helpers ------------------------------------------------------ */

static bool cfg_is_ws(char c)
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

/* Decimal digits only; NULL if there are none. Sets *overflow past 2^64-1. */
static const char *cfg_strtou64(const char *s, uint64_t *v, bool *overflow)
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
	if (p->sect == CFG_SECT_GUEST)
		bolt_snprintf(buf, size, "[guest %s]", p->guest->name);
	else
		bolt_snprintf(buf, size, "[bolt]");
}

/* ---- value parsers ------------------------------------------------------ */

static int cfg_parse_uint(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val)
{
	uint64_t v;
	bool ovf;
	const char *end = cfg_strtou64(val, &v, &ovf);

	if (!end || *end)
		return cfg_fail(p, "%s: '%.48s' is not a number", k->name, val);
	if (ovf || v < k->min || v > k->max)
		return cfg_fail(p, "%s: '%.48s' is out of range (%llu..%llu)", k->name, val,
				(unsigned long long)k->min, (unsigned long long)k->max);
	*(unsigned *)field = (unsigned)v;
	return 0;
}

static void cfg_names_list(const struct cfg_key *k, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < k->nr_names && n < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 == k->nr_names ? " or " : ", ";

		n += (size_t)bolt_snprintf(buf + n, size - n, "%s%s", sep, k->names[i]);
	}
}

static int cfg_parse_enum(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val)
{
	char list[80];

	for (unsigned i = 0; i < k->nr_names; i++) {
		if (!strcmp(val, k->names[i])) {
			*(unsigned *)field = i;
			return 0;
		}
	}
	cfg_names_list(k, list, sizeof(list));
	return cfg_fail(p, "%s: '%.48s' is not valid (expected %s)", k->name, val, list);
}

static int cfg_parse_string(struct cfg_parser *p, const struct cfg_key *k, void *field,
			    const char *val)
{
	size_t n = strlen(val);

	if (n >= k->size)
		return cfg_fail(p, "%s: too long (%zu characters, at most %zu)", k->name, n,
				k->size - 1);
	memcpy(field, val, n + 1);
	return 0;
}

/* An ESP path: non-empty, and no ".." component (no escaping the ESP root). */
static int cfg_parse_path(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val)
{
	if (!*val)
		return cfg_fail(p, "%s: path is empty", k->name);
	for (const char *c = val; *c;) {
		size_t len = 0;

		while (c[len] && c[len] != '/' && c[len] != '\\')
			len++;
		if (len == 2 && c[0] == '.' && c[1] == '.')
			return cfg_fail(p, "%s: '%.48s' must not contain '..'", k->name, val);
		c += len;
		if (*c)
			c++;
	}
	return cfg_parse_string(p, k, field, val);
}

static int cfg_parse_size(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val)
{
	char lim[24];
	uint64_t v;
	bool ovf;
	unsigned shift = 0;
	const char *end = cfg_strtou64(val, &v, &ovf);

	if (end) {
		switch (*end) {
		case 'K': case 'k': shift = 10; end++; break;
		case 'M': case 'm': shift = 20; end++; break;
		case 'G': case 'g': shift = 30; end++; break;
		}
	}
	if (!end || *end)
		return cfg_fail(p, "%s: '%.48s' is not a size (use e.g. 16M, 512K, 1G)",
				k->name, val);
	if (ovf || v > (UINT64_MAX >> shift) || (v << shift) > k->max) {
		cfg_format_size(lim, sizeof(lim), k->max);
		return cfg_fail(p, "%s: '%.48s' is above the maximum of %s", k->name, val, lim);
	}
	v <<= shift;
	if (v < k->min) {
		cfg_format_size(lim, sizeof(lim), k->min);
		return cfg_fail(p, "%s: '%.48s' is below the minimum of %s", k->name, val, lim);
	}
	if (k->align && v % k->align) {
		cfg_format_size(lim, sizeof(lim), k->align);
		return cfg_fail(p, "%s: '%.48s' is not a multiple of %s", k->name, val, lim);
	}
	*(uint64_t *)field = v;
	return 0;
}

/* A list of sink names separated by commas and/or blanks; at least one. */
static int cfg_parse_console(struct cfg_parser *p, const struct cfg_key *k, void *field,
			     const char *val)
{
	char list[80];
	unsigned mask = 0;

	cfg_names_list(k, list, sizeof(list));
	for (const char *c = val; *c;) {
		size_t len = 0;
		unsigned i;

		if (*c == ',' || cfg_is_ws(*c)) {
			c++;
			continue;
		}
		while (c[len] && c[len] != ',' && !cfg_is_ws(c[len]))
			len++;
		for (i = 0; i < k->nr_names; i++)
			if (strlen(k->names[i]) == len && !memcmp(c, k->names[i], len))
				break;
		if (i == k->nr_names)
			return cfg_fail(p, "%s: unknown sink '%.*s' (expected %s)", k->name,
					(int)MIN(len, 48), c, list);
		if (mask & (1u << i))
			return cfg_fail(p, "%s: '%s' is listed twice", k->name, k->names[i]);
		mask |= 1u << i;
		c += len;
	}
	if (!mask)
		return cfg_fail(p, "%s: at least one sink is required (%s)", k->name, list);
	*(unsigned *)field = mask;
	return 0;
}

/* ---- sections ----------------------------------------------------------- */

static void cfg_bolt_defaults(struct bolt_config *cfg)
{
	cfg->console = CFG_CONSOLE_DEFAULT;
	cfg->on_all_stopped = CFG_ALL_STOPPED_POWEROFF;
}

static void cfg_guest_defaults(struct cfg_guest *g)
{
	memset(g, 0, sizeof(*g));
	g->on_crash = CFG_ON_CRASH_STOP;
	g->max_restarts = 3;
}

/* Close the open section: check its required keys. */
static int cfg_end_section(struct cfg_parser *p)
{
	for (size_t i = 0; i < ARRAY_SIZE(cfg_keys); i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (k->section != p->sect || !k->required || p->key_line[i])
			continue;
		if (p->sect == CFG_SECT_GUEST)
			return cfg_fail_at(p, p->guest->line, "guest '%s': missing required key '%s'",
					   p->guest->name, k->name);
		return cfg_fail_at(p, p->bolt_line, "[bolt]: missing required key '%s'", k->name);
	}
	memset(p->key_line, 0, sizeof(p->key_line));
	p->sect = CFG_SECT_NONE;
	p->guest = NULL;
	return 0;
}

static int cfg_begin_guest(struct cfg_parser *p, const char *name)
{
	struct bolt_config *cfg = p->cfg;
	size_t len = strlen(name);

	if (!len)
		return cfg_fail(p, "missing guest name (use [guest NAME])");
	if (len >= CFG_NAME_MAX)
		return cfg_fail(p, "guest name '%.48s' is too long (%zu characters, at most %u)",
				name, len, CFG_NAME_MAX - 1);
	for (const char *c = name; *c; c++) {
		unsigned char ch = (unsigned char)*c;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')
			continue;
		if (cfg_is_ws(*c))
			return cfg_fail(p, "guest name '%s' contains whitespace "
					"(use A-Z, a-z, 0-9, '_' and '-')", name);
		if (ch > 0x20 && ch < 0x7f)
			return cfg_fail(p, "guest name '%s' contains invalid character '%c' "
					"(use A-Z, a-z, 0-9, '_' and '-')", name, ch);
		return cfg_fail(p, "guest name '%s' contains invalid byte 0x%02x "
				"(use A-Z, a-z, 0-9, '_' and '-')", name, ch);
	}
	for (unsigned i = 0; i < cfg->nr_guests; i++)
		if (!strcmp(cfg->guests[i].name, name))
			return cfg_fail(p, "duplicate guest name '%s' (first defined at line %u)",
					name, cfg->guests[i].line);
	if (cfg->nr_guests == CFG_MAX_GUESTS)
		return cfg_fail(p, "too many guests (at most %u)", CFG_MAX_GUESTS);

	p->guest = &cfg->guests[cfg->nr_guests++];
	cfg_guest_defaults(p->guest);
	memcpy(p->guest->name, name, len + 1);
	p->guest->line = p->line;
	p->sect = CFG_SECT_GUEST;
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
	if (!strncmp(name, "guest", 5) && (!name[5] || cfg_is_ws(name[5])))
		return cfg_begin_guest(p, cfg_skip_ws(name + 5));
	return cfg_fail(p, "unknown section '[%.48s]' (expected [bolt] or [guest NAME])", name);
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
	char *key = s, *eq, label[48];
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

	for (i = 0; i < ARRAY_SIZE(cfg_keys); i++) {
		if (cfg_keys[i].section == p->sect && !strcmp(cfg_keys[i].name, key)) {
			k = &cfg_keys[i];
			break;
		}
	}
	cfg_label(p, label, sizeof(label));
	if (!k)
		return cfg_fail(p, "unknown key '%.48s' in %s%s", key, label,
				upper ? " (keys are lowercase)" : "");
	if (p->key_line[i])
		return cfg_fail(p, "duplicate key '%s' in %s (first set at line %u)", key, label,
				p->key_line[i]);

	rc = cfg_read_value(p, cfg_skip_ws(eq + 1), k->name);
	if (rc)
		return rc;
	if (k->section == CFG_SECT_GUEST) {
		rc = k->parse(p, k, (char *)p->guest + k->off, p->val);
		if (!rc && k->line_off)
			*(unsigned *)((char *)p->guest + k->line_off) = p->line;
	} else {
		rc = k->parse(p, k, (char *)p->cfg + k->off, p->val);
	}
	if (rc)
		return rc;
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

static int cfg_cross_check(struct cfg_parser *p)
{
	const struct bolt_config *cfg = p->cfg;

	if (!cfg->nr_guests)
		return cfg_fail_at(p, 0, "no guests defined (add a [guest NAME] section)");
	for (unsigned i = 1; i < cfg->nr_guests; i++) {
		const struct cfg_guest *g = &cfg->guests[i];

		for (unsigned j = 0; j < i; j++) {
			const struct cfg_guest *o = &cfg->guests[j];

			if (o->cpu == g->cpu)
				return cfg_fail_at(p, g->cpu_line,
						   "guest '%s': cpu %u is already used by guest "
						   "'%s' (line %u)", g->name, g->cpu, o->name,
						   o->cpu_line);
		}
	}
	return 0;
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

int cfg_check_cpus(const struct bolt_config *cfg, const char *filename,
		   unsigned nr_cpus, struct cfg_error *err)
{
	for (unsigned i = 0; i < cfg->nr_guests; i++) {
		const struct cfg_guest *g = &cfg->guests[i];
		struct cfg_parser p = { .file = filename ? filename : "bolt.cfg", .err = err };

		if (g->cpu < nr_cpus)
			continue;
		return cfg_fail_at(&p, g->cpu_line,
				   "guest '%s': cpu %u does not exist (this machine has %u CPU%s)",
				   g->name, g->cpu, nr_cpus, nr_cpus == 1 ? "" : "s");
	}
	return 0;
}

/* ---- names, lookup and dumping ------------------------------------------ */

const char *cfg_console_name(unsigned bit)
{
	for (unsigned i = 0; i < ARRAY_SIZE(cfg_console_names); i++)
		if (bit == 1u << i)
			return cfg_console_names[i];
	return NULL;
}

const char *cfg_on_crash_name(enum cfg_on_crash v)
{
	return (unsigned)v < ARRAY_SIZE(cfg_on_crash_names) ? cfg_on_crash_names[v] : "?";
}

const char *cfg_on_all_stopped_name(enum cfg_on_all_stopped v)
{
	return (unsigned)v < ARRAY_SIZE(cfg_all_stopped_names) ? cfg_all_stopped_names[v] : "?";
}

const struct cfg_guest *cfg_find_guest(const struct bolt_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->nr_guests; i++)
		if (!strcmp(cfg->guests[i].name, name))
			return &cfg->guests[i];
	return NULL;
}

int cfg_format_size(char *buf, size_t size, uint64_t bytes)
{
	static const struct { uint64_t unit; char suffix; } units[] = {
		{ GiB(1), 'G' }, { MiB(1), 'M' }, { KiB(1), 'K' },
	};

	for (size_t i = 0; bytes && i < ARRAY_SIZE(units); i++)
		if (bytes % units[i].unit == 0)
			return bolt_snprintf(buf, size, "%llu%c",
					     (unsigned long long)(bytes / units[i].unit),
					     units[i].suffix);
	return bolt_snprintf(buf, size, "%llu", (unsigned long long)bytes);
}

static void cfg_printf(struct cfg_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void cfg_printf(struct cfg_out *o, const char *fmt, ...)
{
	va_list ap;
	size_t room = o->len < o->size ? o->size - o->len : 0;

	va_start(ap, fmt);
	/* With no room left, format into a 1-byte scratch just to count. */
	if (room) {
		o->len += (size_t)bolt_vsnprintf(o->buf + o->len, room, fmt, ap);
	} else {
		char scratch[1];

		o->len += (size_t)bolt_vsnprintf(scratch, sizeof(scratch), fmt, ap);
	}
	va_end(ap);
}

static void cfg_print_uint(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	(void)k;
	cfg_printf(o, "%u", *(const unsigned *)field);
}

static void cfg_print_enum(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	unsigned v = *(const unsigned *)field;

	cfg_printf(o, "%s", v < k->nr_names ? k->names[v] : "?");
}

static void cfg_print_string(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	const char *s = field;

	cfg_printf(o, "\"");
	for (size_t i = 0; i < k->size && s[i]; i++)
		cfg_printf(o, "%s%c", s[i] == '"' || s[i] == '\\' ? "\\" : "", s[i]);
	cfg_printf(o, "\"");
}

static void cfg_print_size(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	char tmp[24];

	(void)k;
	cfg_format_size(tmp, sizeof(tmp), *(const uint64_t *)field);
	cfg_printf(o, "%s", tmp);
}

static void cfg_print_console(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	unsigned mask = *(const unsigned *)field;
	const char *sep = "";

	for (unsigned i = 0; i < k->nr_names; i++) {
		if (mask & (1u << i)) {
			cfg_printf(o, "%s%s", sep, k->names[i]);
			sep = ", ";
		}
	}
}

static void cfg_dump_section(struct cfg_out *o, enum cfg_section sect, const void *base)
{
	for (size_t i = 0; i < ARRAY_SIZE(cfg_keys); i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (k->section != sect)
			continue;
		cfg_printf(o, "%s = ", k->name);
		k->print(o, k, (const char *)base + k->off);
		cfg_printf(o, "\n");
	}
}

int cfg_dump(const struct bolt_config *cfg, char *buf, size_t size)
{
	struct cfg_out o = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	cfg_printf(&o, "[bolt]\n");
	cfg_dump_section(&o, CFG_SECT_BOLT, cfg);
	for (unsigned i = 0; i < cfg->nr_guests; i++) {
		cfg_printf(&o, "\n[guest %s]\n", cfg->guests[i].name);
		cfg_dump_section(&o, CFG_SECT_GUEST, &cfg->guests[i]);
	}
	return (int)o.len;
}
