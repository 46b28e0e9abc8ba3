/* SPDX-License-Identifier: MIT */
/*
 * Guest references in bolt.cfg values (`a = web:1`, `guest = web`,
 * `guests = a, b`, `allow = a, b`). A guest may be defined after the
 * section that names it, so while parsing a name only gets an index into a
 * small pool of interned names; cfg_cross_check() maps those to guests[]
 * once the whole file is read, and reports unknown names at their line.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/internal.h"
#include "lib/lib.h"

/* ---- the name pool -------------------------------------------------------- */

/*
 * References are interned by name. The pool holds one more name than there
 * can be guests, so when it overflows at least one pooled name is unknown,
 * and the first unknown name in the file is always in the pool: resolving
 * reports it, and CFG_REF_NONE never survives a successful parse.
 */
unsigned cfg_ref_guest(struct cfg_parser *p, const struct cfg_key *k, const char *name,
		       size_t len)
{
	struct cfg_ref *r;

	for (unsigned i = 0; i < p->nr_refs; i++)
		if (strlen(p->refs[i].name) == len && !memcmp(p->refs[i].name, name, len))
			return i;
	if (p->nr_refs == CFG_MAX_REFS) {
		p->refs_overflow = true;
		return CFG_REF_NONE;
	}
	r = &p->refs[p->nr_refs];
	memcpy(r->name, name, len);
	r->name[len] = '\0';
	r->line = p->line;
	r->key = k->name;
	return p->nr_refs++;
}

/* ---- value parsers ------------------------------------------------------- */

/*
 * @len bytes at @s name a guest: check the spelling now (the guest itself
 * may be defined further down) and record the reference.
 */
static int cfg_guest_ref(struct cfg_parser *p, const struct cfg_key *k, const char *s,
			 size_t len, unsigned *ref)
{
	if (!len)
		return cfg_fail(p, "%s: missing guest name", k->name);
	if (len >= CFG_NAME_MAX)
		return cfg_fail(p, "%s: guest name '%.*s' is too long (at most %u characters)",
				k->name, (int)MIN(len, 48), s, CFG_NAME_MAX - 1);
	for (size_t i = 0; i < len; i++)
		if (!cfg_name_char(s[i]))
			return cfg_fail(p, "%s: '%.*s' is not a guest name "
					"(use A-Z, a-z, 0-9, '_' and '-')",
					k->name, (int)MIN(len, 48), s);
	*ref = cfg_ref_guest(p, k, s, len);
	return 0;
}

static void cfg_trim(const char **s, size_t *len)
{
	while (*len && cfg_is_ws(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && cfg_is_ws((*s)[*len - 1]))
		(*len)--;
}

/* "GUEST:PORT" with a decimal port in k->min..k->max. */
static int cfg_split_endpoint(struct cfg_parser *p, const struct cfg_key *k, const char *val,
			      unsigned *ref, uint32_t *port)
{
	const char *colon = strchr(val, ':'), *name = val, *num;
	size_t nlen, plen;
	uint64_t v;
	bool ovf;
	const char *end;
	char buf[24];
	int rc;

	if (!colon)
		return cfg_fail(p, "%s: '%.48s' is not GUEST:PORT (e.g. web:1)", k->name, val);
	nlen = (size_t)(colon - val);
	num = colon + 1;
	plen = strlen(num);
	cfg_trim(&name, &nlen);
	cfg_trim(&num, &plen);
	rc = cfg_guest_ref(p, k, name, nlen, ref);
	if (rc)
		return rc;
	if (plen >= sizeof(buf))
		plen = sizeof(buf) - 1; /* too long to be valid: still reported */
	memcpy(buf, num, plen);
	buf[plen] = '\0';
	end = cfg_strtou64(buf, &v, &ovf);
	if (!end || *end)
		return cfg_fail(p, "%s: port '%s' is not a number", k->name, buf);
	if (ovf || v < k->min || v > k->max)
		return cfg_fail(p, "%s: port %s is out of range (%llu..%llu)", k->name, buf,
				(unsigned long long)k->min, (unsigned long long)k->max);
	*port = (uint32_t)v;
	return 0;
}

/*
 * A channel end: guest into the field, port into off2. A bare guest name
 * (no ":PORT") is an end that guest binds at run time: port 0 here, and the
 * other end is offered to it unbound (docs/config.md, [channel]).
 */
int cfg_parse_endpoint(struct cfg_parser *p, const struct cfg_key *k, void *field,
			      const char *val)
{
	uint32_t *port = (uint32_t *)((char *)field - k->off + k->off2);

	if (!strchr(val, ':')) {
		*port = 0;
		return cfg_guest_ref(p, k, val, strlen(val), field);
	}
	return cfg_split_endpoint(p, k, val, field, port);
}

/* A doorbell's port: the guest is kept aside until it can be compared. */
int cfg_parse_db_channel(struct cfg_parser *p, const struct cfg_key *k, void *field,
				const char *val)
{
	return cfg_split_endpoint(p, k, val, &p->db_chan_ref[p->obj_index], field);
}

int cfg_parse_guest(struct cfg_parser *p, const struct cfg_key *k, void *field,
			   const char *val)
{
	return cfg_guest_ref(p, k, val, strlen(val), field);
}

/* The count of the pair list @field (cfg->allows or cfg->grants) points at. */
static unsigned *cfg_pairs_count(struct bolt_config *cfg, const void *field)
{
	return field == cfg->grants ? &cfg->nr_grants : &cfg->nr_allows;
}

/* `allow = A, B` or `grant = A, B`: one more entry each time the key appears. */
int cfg_parse_allow(struct cfg_parser *p, const struct cfg_key *k, void *field,
			   const char *val)
{
	struct bolt_config *cfg = p->cfg;
	const char *comma = strchr(val, ','), *b;
	unsigned *nr = cfg_pairs_count(cfg, field);
	struct cfg_allow *a;
	size_t alen, blen;
	int rc;

	if (!comma || strchr(comma + 1, ','))
		return cfg_fail(p, "%s: '%.48s' is not GUEST, GUEST", k->name, val);
	if (*nr == CFG_MAX_ALLOWS)
		return cfg_fail(p, "%s: too many %s lines (at most %u)", k->name, k->name,
				CFG_MAX_ALLOWS);
	a = &((struct cfg_allow *)field)[*nr];
	alen = (size_t)(comma - val);
	b = comma + 1;
	blen = strlen(b);
	cfg_trim(&val, &alen);
	cfg_trim(&b, &blen);
	rc = cfg_guest_ref(p, k, val, alen, &a->a);
	if (!rc)
		rc = cfg_guest_ref(p, k, b, blen, &a->b);
	if (rc)
		return rc;
	a->line = p->line;
	(*nr)++;
	return 0;
}

/* Names separated by commas and/or blanks into the field, count into off2. */
int cfg_parse_guest_list(struct cfg_parser *p, const struct cfg_key *k, void *field,
				const char *val)
{
	unsigned *refs = field, *count = (unsigned *)((char *)field - k->off + k->off2);
	const char *names[CFG_SHM_MAX_GUESTS];
	size_t lens[CFG_SHM_MAX_GUESTS];
	unsigned n = 0;

	for (const char *c = val; *c;) {
		size_t len = 0;
		int rc;

		if (*c == ',' || cfg_is_ws(*c)) {
			c++;
			continue;
		}
		while (c[len] && c[len] != ',' && !cfg_is_ws(c[len]))
			len++;
		if (n == k->max)
			return cfg_fail(p, "%s: too many guests (at most %llu)", k->name,
					(unsigned long long)k->max);
		/* Compare spellings: two overflowed references would look equal. */
		for (unsigned i = 0; i < n; i++)
			if (lens[i] == len && !memcmp(names[i], c, len))
				return cfg_fail(p, "%s: '%.*s' is listed twice", k->name,
						(int)MIN(len, 48), c);
		rc = cfg_guest_ref(p, k, c, len, &refs[n]);
		if (rc)
			return rc;
		names[n] = c;
		lens[n++] = len;
		c += len;
	}
	if (!n)
		return cfg_fail(p, "%s: at least one guest is required", k->name);
	*count = n;
	return 0;
}

/* ---- printers for cfg_dump() --------------------------------------------- */

void cfg_print_guest(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	(void)k;
	cfg_printf(o, "%s", cfg_guest_name(o->cfg, *(const unsigned *)field));
}

void cfg_print_endpoint(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	const uint32_t *port = (const uint32_t *)((const char *)field - k->off + k->off2);

	if (!*port)
		cfg_printf(o, "%s", cfg_guest_name(o->cfg, *(const unsigned *)field));
	else
		cfg_printf(o, "%s:%u", cfg_guest_name(o->cfg, *(const unsigned *)field),
			   (unsigned)*port);
}

/* The doorbell's port belongs to the doorbell's own guest (checked). */
void cfg_print_db_channel(struct cfg_out *o, const struct cfg_key *k,
				 const void *field)
{
	const struct cfg_doorbell *d =
		(const struct cfg_doorbell *)((const char *)field - k->off);

	cfg_printf(o, "%s:%u", cfg_guest_name(o->cfg, d->guest), (unsigned)d->evtchn_port);
}

void cfg_print_guest_list(struct cfg_out *o, const struct cfg_key *k,
				 const void *field)
{
	const unsigned *refs = field;
	unsigned n = *(const unsigned *)((const char *)field - k->off + k->off2);

	for (unsigned i = 0; i < n; i++)
		cfg_printf(o, "%s%s", i ? ", " : "", cfg_guest_name(o->cfg, refs[i]));
}

void cfg_print_allow(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	unsigned nr = field == o->cfg->grants ? o->cfg->nr_grants : o->cfg->nr_allows;

	for (unsigned i = 0; i < nr; i++) {
		const struct cfg_allow *a = &((const struct cfg_allow *)field)[i];

		cfg_printf(o, "%s = %s, %s\n", k->name, cfg_guest_name(o->cfg, a->a),
			   cfg_guest_name(o->cfg, a->b));
	}
}
