/* SPDX-License-Identifier: MIT */
/*
 * Private interface between the parts of the bolt.cfg parser:
 *   parse.c   lines, sections, `key = value`, cfg_parse()
 *   keys.c    the key table and the value parsers/printers
 *   refs.c    values that name guests, resolved after the last line
 *   check.c   whole-file checks once every section is read
 *   query.c   names, lookup, cfg_may_bind(), cfg_dump()
 * Only the parser sources in config/ include this; config.h does not.
 */
#ifndef CONFIG_INTERNAL_H
#define CONFIG_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

enum cfg_section {
	CFG_SECT_NONE,
	CFG_SECT_BOLT,
	CFG_SECT_GUEST,
	CFG_SECT_CHANNEL,
	CFG_SECT_DOORBELL,
	CFG_SECT_SHM,
};

struct cfg_parser;
struct cfg_key;

/* snprintf-like appender for cfg_dump(); keeps counting past the end. */
struct cfg_out {
	char *buf;
	size_t size;
	size_t len;
	const struct bolt_config *cfg; /* for printing guest names */
};

typedef int (*cfg_parse_fn)(struct cfg_parser *p, const struct cfg_key *k,
			    void *field, const char *val);
/* Prints the value only; for `repeat` keys, whole "key = value" lines. */
typedef void (*cfg_print_fn)(struct cfg_out *o, const struct cfg_key *k,
			     const void *field);

struct cfg_key {
	enum cfg_section section;
	const char *name;
	bool required;
	bool repeat;              /* may appear several times (`allow`) */
	size_t off;               /* field offset in the section's struct */
	size_t size;              /* field size (strings: buffer incl. NUL) */
	size_t off2;              /* second field (GUEST:PORT: the port) */
	size_t line_off;          /* line field to record; 0 = none */
	uint64_t min, max, align; /* numeric keys */
	const char *const *names; /* enum/bool keys: names by value/bit */
	unsigned nr_names;
	cfg_parse_fn parse;
	cfg_print_fn print;
	bool (*present)(const void *field); /* NULL: always dumped */
};

/*
 * A named, repeatable section ([guest NAME], [channel NAME]...). Every
 * such struct starts with its name; its objects live in an array of
 * bolt_config with a counter beside it.
 */
struct cfg_section_desc {
	enum cfg_section sect;
	const char *word;   /* "guest": the header keyword, also used in messages */
	const char *plural; /* "guests" */
	unsigned max;
	size_t array_off, count_off, elem_size, line_off;
	void (*defaults)(void *obj);
};

/* Names used as guest references, resolved once every [guest] is known. */
#define CFG_MAX_REFS (CFG_MAX_GUESTS + 1) /* one more than can all exist */
#define CFG_REF_NONE CFG_MAX_REFS        /* the pool overflowed */

struct cfg_ref {
	char name[CFG_NAME_MAX];
	unsigned line;   /* first use */
	const char *key; /* ...and its key */
};

#define CFG_MAX_KEYS 32

struct cfg_parser {
	const char *file;
	unsigned line;
	struct bolt_config *cfg;
	struct cfg_error *err;
	enum cfg_section sect;
	const struct cfg_section_desc *sd; /* the open named section, or NULL */
	void *obj;                         /* ...its struct */
	unsigned obj_index;                /* ...its index in its array */
	unsigned bolt_line;                /* first [bolt] header; 0 = none yet */
	unsigned key_line[CFG_MAX_KEYS];   /* where each key was set */
	struct cfg_ref refs[CFG_MAX_REFS];
	unsigned nr_refs;
	bool refs_overflow;
	unsigned db_chan_ref[CFG_MAX_DOORBELLS]; /* doorbell `channel` guest */
	char buf[CFG_LINE_MAX];                  /* the current line */
	char val[CFG_LINE_MAX];                  /* its value, unquoted */
};

extern const struct cfg_key cfg_keys[];
extern const size_t cfg_nr_keys;
extern const struct cfg_section_desc cfg_sections[];
extern const size_t cfg_nr_sections;

int cfg_fail_at(struct cfg_parser *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define cfg_fail(p, ...) cfg_fail_at((p), (p)->line, __VA_ARGS__)

bool cfg_is_ws(char c);
const char *cfg_strtou64(const char *s, uint64_t *v, bool *overflow);
bool cfg_name_char(char c);
void cfg_bolt_defaults(struct bolt_config *cfg);

/* Record @len bytes of @name as a guest reference; returns its ref index. */
unsigned cfg_ref_guest(struct cfg_parser *p, const struct cfg_key *k, const char *name,
		       size_t len);

/* Parsers and printers for values naming guests (refs.c). */
int cfg_parse_guest(struct cfg_parser *p, const struct cfg_key *k, void *field,
		    const char *val);
int cfg_parse_endpoint(struct cfg_parser *p, const struct cfg_key *k, void *field,
		       const char *val);
int cfg_parse_db_channel(struct cfg_parser *p, const struct cfg_key *k, void *field,
			 const char *val);
int cfg_parse_allow(struct cfg_parser *p, const struct cfg_key *k, void *field,
		    const char *val);
int cfg_parse_guest_list(struct cfg_parser *p, const struct cfg_key *k, void *field,
			 const char *val);
void cfg_print_guest(struct cfg_out *o, const struct cfg_key *k, const void *field);
void cfg_print_endpoint(struct cfg_out *o, const struct cfg_key *k, const void *field);
void cfg_print_db_channel(struct cfg_out *o, const struct cfg_key *k, const void *field);
void cfg_print_guest_list(struct cfg_out *o, const struct cfg_key *k, const void *field);
void cfg_print_allow(struct cfg_out *o, const struct cfg_key *k, const void *field);
/* After the last line: resolve references, then every cross-section rule. */
int cfg_cross_check(struct cfg_parser *p);

void cfg_printf(struct cfg_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Name of guest @idx of o->cfg, "?" if out of range. */
const char *cfg_guest_name(const struct bolt_config *cfg, unsigned idx);

#endif
