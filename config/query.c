/* SPDX-License-Identifier: MIT */
/*
 * Queries on a parsed bolt.cfg and its normalized dump (cfg_dump() must
 * parse back to the same config; tests/unit/test_config.c checks that).
 * Parsing itself is in parse.c, keys.c and check.c.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/internal.h"
#include "lib/fmt.h"
#include "lib/lib.h"

const struct cfg_guest *cfg_find_guest(const struct bolt_config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->nr_guests; i++)
		if (!strcmp(cfg->guests[i].name, name))
			return &cfg->guests[i];
	return NULL;
}

const char *cfg_guest_name(const struct bolt_config *cfg, unsigned idx)
{
	return idx < cfg->nr_guests ? cfg->guests[idx].name : "?";
}

static bool cfg_pair_is(unsigned x, unsigned y, unsigned a, unsigned b)
{
	return (x == a && y == b) || (x == b && y == a);
}

bool cfg_may_bind(const struct bolt_config *cfg, unsigned guest_a, unsigned guest_b)
{
	if (guest_a >= cfg->nr_guests || guest_b >= cfg->nr_guests)
		return false;
	for (unsigned i = 0; i < cfg->nr_allows; i++)
		if (cfg_pair_is(cfg->allows[i].a, cfg->allows[i].b, guest_a, guest_b))
			return true;
	for (unsigned i = 0; i < cfg->nr_channels; i++)
		if (cfg_pair_is(cfg->channels[i].guest[0], cfg->channels[i].guest[1],
				guest_a, guest_b))
			return true;
	return false;
}

bool cfg_may_grant(const struct bolt_config *cfg, unsigned guest_a, unsigned guest_b)
{
	if (guest_a >= cfg->nr_guests || guest_b >= cfg->nr_guests)
		return false;
	if (guest_a == guest_b)
		return true;
	for (unsigned i = 0; i < cfg->nr_grants; i++)
		if (cfg_pair_is(cfg->grants[i].a, cfg->grants[i].b, guest_a, guest_b))
			return true;
	return false;
}

const struct cfg_channel *cfg_pair_budget(const struct bolt_config *cfg, unsigned sender,
					  unsigned receiver)
{
	for (unsigned i = 0; i < cfg->nr_channels; i++) {
		const struct cfg_channel *c = &cfg->channels[i];

		if (c->budget.events && cfg_pair_is(c->guest[0], c->guest[1], sender, receiver))
			return c;
	}
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

void cfg_printf(struct cfg_out *o, const char *fmt, ...)
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

static void cfg_dump_section(struct cfg_out *o, enum cfg_section sect, const void *base)
{
	for (size_t i = 0; i < cfg_nr_keys; i++) {
		const struct cfg_key *k = &cfg_keys[i];
		const void *field = (const char *)base + k->off;

		if (k->section != sect)
			continue;
		if (k->repeat) {
			k->print(o, k, field); /* whole lines, one per occurrence */
			continue;
		}
		if (k->present && !k->present(field))
			continue;
		cfg_printf(o, "%s = ", k->name);
		k->print(o, k, field);
		cfg_printf(o, "\n");
	}
}

int cfg_dump(const struct bolt_config *cfg, char *buf, size_t size)
{
	struct cfg_out o = { buf, size, 0, cfg };

	if (size)
		buf[0] = '\0';
	cfg_printf(&o, "[bolt]\n");
	cfg_dump_section(&o, CFG_SECT_BOLT, cfg);
	for (size_t s = 0; s < cfg_nr_sections; s++) {
		const struct cfg_section_desc *sd = &cfg_sections[s];
		const char *array = (const char *)cfg + sd->array_off;
		unsigned count = *(const unsigned *)((const char *)cfg + sd->count_off);

		for (unsigned i = 0; i < count; i++) {
			const char *obj = array + i * sd->elem_size;

			cfg_printf(&o, "\n[%s %s]\n", sd->word, obj);
			cfg_dump_section(&o, sd->sect, obj);
		}
	}
	return (int)o.len;
}
