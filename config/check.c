/* SPDX-License-Identifier: MIT */
/*
 * bolt.cfg rules that span sections, run once the whole file is read:
 * sections may come in any order, so guest names used by channels,
 * doorbells, shm regions and `allow` are only resolved here, and every
 * error still names the line of the key that caused it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/internal.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/lib.h"

/* ---- guest references ---------------------------------------------------- */

static int cfg_resolve(struct cfg_parser *p)
{
	struct bolt_config *cfg = p->cfg;
	unsigned map[CFG_MAX_REFS + 1];

	for (unsigned i = 0; i < p->nr_refs; i++) {
		const struct cfg_guest *g = cfg_find_guest(cfg, p->refs[i].name);

		if (!g)
			return cfg_fail_at(p, p->refs[i].line, "%s: unknown guest '%s' "
					   "(no [guest %s] section)", p->refs[i].key,
					   p->refs[i].name, p->refs[i].name);
		map[i] = (unsigned)(g - cfg->guests);
	}
	if (p->refs_overflow) /* unreachable, see cfg_ref_guest() */
		return cfg_fail_at(p, 0, "too many distinct guest names");

	for (unsigned i = 0; i < cfg->nr_channels; i++) {
		cfg->channels[i].guest[0] = map[cfg->channels[i].guest[0]];
		cfg->channels[i].guest[1] = map[cfg->channels[i].guest[1]];
	}
	for (unsigned i = 0; i < cfg->nr_allows; i++) {
		cfg->allows[i].a = map[cfg->allows[i].a];
		cfg->allows[i].b = map[cfg->allows[i].b];
	}
	for (unsigned i = 0; i < cfg->nr_grants; i++) {
		cfg->grants[i].a = map[cfg->grants[i].a];
		cfg->grants[i].b = map[cfg->grants[i].b];
	}
	for (unsigned i = 0; i < cfg->nr_doorbells; i++) {
		cfg->doorbells[i].guest = map[cfg->doorbells[i].guest];
		p->db_chan_ref[i] = map[p->db_chan_ref[i]];
	}
	for (unsigned i = 0; i < cfg->nr_shms; i++)
		for (unsigned j = 0; j < cfg->shms[i].nr_guests; j++)
			cfg->shms[i].guests[j] = map[cfg->shms[i].guests[j]];
	return 0;
}

/* ---- CPUs ------------------------------------------------------------------ */

bool cfg_guest_uses_cpu(const struct cfg_guest *g, unsigned cpu)
{
	for (unsigned i = 0; i < g->nr_vcpus; i++)
		if (g->cpus[i] == cpu)
			return true;
	return false;
}

/* At most CFG_MAX_PER_CPU guests per CPU: report the first one too many. */
static int cfg_check_sharing(struct cfg_parser *p, const struct bolt_config *cfg)
{
	for (unsigned i = 0; i < cfg->nr_guests; i++) {
		const struct cfg_guest *g = &cfg->guests[i];
		char names[160];
		size_t n = 0;
		unsigned count = 0;

		for (unsigned c = 0; c < g->nr_vcpus; c++) {
			unsigned cpu = g->cpus[c];

			names[0] = '\0';
			n = 0;
			count = 0;
			for (unsigned j = 0; j < i; j++) {
				if (!cfg_guest_uses_cpu(&cfg->guests[j], cpu))
					continue;
				count++;
				if (n < sizeof(names))
					n += (size_t)bolt_snprintf(names + n, sizeof(names) - n,
								   "%s'%s'", n ? ", " : "",
								   cfg->guests[j].name);
			}
			if (count >= CFG_MAX_PER_CPU)
				return cfg_fail_at(p, g->cpu_line,
						   "guest '%s': cpu %u already runs %u guests (at "
						   "most %u per CPU): %s", g->name, cpu, count,
						   CFG_MAX_PER_CPU, names);
		}
	}
	return 0;
}

int cfg_check_cpus(const struct bolt_config *cfg, const char *filename,
		   unsigned nr_cpus, struct cfg_error *err)
{
	struct cfg_parser p = { .file = filename ? filename : "bolt.cfg", .err = err };

	for (unsigned i = 0; i < cfg->nr_guests; i++) {
		const struct cfg_guest *g = &cfg->guests[i];

		for (unsigned c = 0; c < g->nr_vcpus; c++)
			if (g->cpus[c] >= nr_cpus)
				return cfg_fail_at(&p, g->cpu_line,
						   "guest '%s': cpu %u does not exist (this machine "
						   "has %u CPU%s)", g->name, g->cpus[c], nr_cpus,
						   nr_cpus == 1 ? "" : "s");
	}
	/* cfg_parse() already enforces this; a hand-built config may not. */
	return cfg_check_sharing(&p, cfg);
}

/* ---- event channels and doorbells ----------------------------------------- */

static const char *const cfg_end_key[2] = { "a", "b" };

static int cfg_check_channels(struct cfg_parser *p)
{
	const struct bolt_config *cfg = p->cfg;

	for (unsigned i = 0; i < cfg->nr_channels; i++) {
		const struct cfg_channel *c = &cfg->channels[i];

		if (!c->port[0] && !c->port[1])
			return cfg_fail_at(p, c->end_line[1], "channel '%s': a and b both bind at "
					   "run time: give one of them a port (GUEST:PORT)", c->name);
		if ((!c->port[0] || !c->port[1]) && c->guest[0] == c->guest[1])
			return cfg_fail_at(p, c->end_line[1], "channel '%s': an end bound at run "
					   "time must be another guest's", c->name);
		if (c->guest[0] == c->guest[1] && c->port[0] == c->port[1])
			return cfg_fail_at(p, c->end_line[1], "channel '%s': a and b are the same "
					   "port (%s:%u)", c->name, cfg->guests[c->guest[0]].name,
					   (unsigned)c->port[0]);
		for (unsigned e = 0; e < 2; e++) {
			const struct cfg_guest *g = &cfg->guests[c->guest[e]];

			if (!c->port[e])
				continue; /* bound at run time: the guest picks the port */
			if (c->port[e] >= g->max_event_channels)
				return cfg_fail_at(p, c->end_line[e],
						   "channel '%s': %s: port %s:%u is not below guest "
						   "'%s' max_event_channels = %u (line %u)", c->name,
						   cfg_end_key[e], g->name, (unsigned)c->port[e],
						   g->name, g->max_event_channels, g->line);
			for (unsigned j = 0; j < i; j++) {
				const struct cfg_channel *o = &cfg->channels[j];

				for (unsigned f = 0; f < 2; f++) {
					if (o->guest[f] != c->guest[e] || o->port[f] != c->port[e])
						continue;
					return cfg_fail_at(p, c->end_line[e],
							   "channel '%s': %s: port %s:%u is already "
							   "used by channel '%s' (line %u)", c->name,
							   cfg_end_key[e],
							   cfg->guests[c->guest[e]].name,
							   (unsigned)c->port[e], o->name,
							   o->end_line[f]);
				}
			}
		}
	}
	return 0;
}

/*
 * One budget per pair of guests (cfg_pair_budget()): Bolt keeps one window
 * per sender and receiver, so two budgeted channels between the same
 * guests must say the same. That also bounds the hypervisor's table: one
 * entry per receiver, whatever the number of channels.
 */
static int cfg_check_budgets(struct cfg_parser *p)
{
	const struct bolt_config *cfg = p->cfg;

	for (unsigned i = 0; i < cfg->nr_channels; i++) {
		const struct cfg_channel *c = &cfg->channels[i];
		const struct cfg_channel *o = cfg_pair_budget(cfg, c->guest[0], c->guest[1]);

		if (!c->budget.events || o == c || (o->budget.events == c->budget.events &&
						    o->budget.period_ns == c->budget.period_ns))
			continue;
		return cfg_fail_at(p, c->line, "channel '%s': budget %u per %llu us differs from "
				   "%u per %llu us of channel '%s' (line %u) between the same "
				   "guests (one budget per pair of guests)", c->name,
				   (unsigned)c->budget.events,
				   (unsigned long long)(c->budget.period_ns / 1000),
				   (unsigned)o->budget.events,
				   (unsigned long long)(o->budget.period_ns / 1000), o->name, o->line);
	}
	return 0;
}

/* The same pair twice in one list (`allow` or `grant`), in either order. */
static int cfg_check_pairs(struct cfg_parser *p, const char *key, const struct cfg_allow *list,
			   unsigned nr)
{
	const struct bolt_config *cfg = p->cfg;

	for (unsigned i = 0; i < nr; i++) {
		const struct cfg_allow *a = &list[i];

		for (unsigned j = 0; j < i; j++) {
			const struct cfg_allow *o = &list[j];

			if ((o->a == a->a && o->b == a->b) || (o->a == a->b && o->b == a->a))
				return cfg_fail_at(p, a->line, "%s: '%s' and '%s' are already "
						   "allowed at line %u", key, cfg->guests[a->a].name,
						   cfg->guests[a->b].name, o->line);
		}
	}
	return 0;
}

static int cfg_check_allows(struct cfg_parser *p)
{
	int rc = cfg_check_pairs(p, "allow", p->cfg->allows, p->cfg->nr_allows);

	return rc ? rc : cfg_check_pairs(p, "grant", p->cfg->grants, p->cfg->nr_grants);
}

static int cfg_check_doorbells(struct cfg_parser *p)
{
	const struct bolt_config *cfg = p->cfg;

	for (unsigned i = 0; i < cfg->nr_doorbells; i++) {
		const struct cfg_doorbell *d = &cfg->doorbells[i];
		const char *gname = cfg->guests[d->guest].name;

		if (p->db_chan_ref[i] != d->guest)
			return cfg_fail_at(p, d->channel_line, "doorbell '%s': channel: port %s:%u "
					   "is not a port of guest '%s' (a doorbell sends on a "
					   "port of its own guest)", d->name,
					   cfg->guests[p->db_chan_ref[i]].name,
					   (unsigned)d->evtchn_port, gname);
		for (unsigned j = 0; j < i; j++) {
			const struct cfg_doorbell *o = &cfg->doorbells[j];

			if (o->guest != d->guest)
				continue;
			if (o->ioport == d->ioport)
				return cfg_fail_at(p, d->port_line, "doorbell '%s': I/O port 0x%x of "
						   "guest '%s' is already doorbell '%s' (line %u)",
						   d->name, (unsigned)d->ioport, gname, o->name,
						   o->port_line);
			if (o->evtchn_port == d->evtchn_port)
				return cfg_fail_at(p, d->channel_line, "doorbell '%s': port %s:%u "
						   "already has doorbell '%s' (line %u)", d->name,
						   gname, (unsigned)d->evtchn_port, o->name,
						   o->channel_line);
		}
	}
	return 0;
}

/* ---- shared memory --------------------------------------------------------- */

static bool cfg_shm_has(const struct cfg_shm *s, unsigned guest)
{
	for (unsigned i = 0; i < s->nr_guests; i++)
		if (s->guests[i] == guest)
			return true;
	return false;
}

static int cfg_check_shms(struct cfg_parser *p)
{
	const struct bolt_config *cfg = p->cfg;

	for (unsigned i = 0; i < cfg->nr_shms; i++) {
		const struct cfg_shm *s = &cfg->shms[i];
		char size[24], mem[24];

		cfg_format_size(size, sizeof(size), s->size);
		/* Both are bounded by their keys, so the sum cannot wrap. */
		if (s->gpa + s->size > CFG_SHM_GPA_LIMIT)
			return cfg_fail_at(p, s->address_line, "shm '%s': 0x%llx + %s ends above "
					   "the guest-physical limit 0x%llx", s->name,
					   (unsigned long long)s->gpa, size,
					   (unsigned long long)CFG_SHM_GPA_LIMIT);
		for (unsigned j = 0; j < s->nr_guests; j++) {
			const struct cfg_guest *g = &cfg->guests[s->guests[j]];

			if (s->gpa >= g->memory)
				continue;
			cfg_format_size(mem, sizeof(mem), g->memory);
			return cfg_fail_at(p, s->address_line, "shm '%s': address 0x%llx is inside "
					   "the RAM of guest '%s' (memory = %s): shared memory "
					   "must lie at or above 0x%llx", s->name,
					   (unsigned long long)s->gpa, g->name, mem,
					   (unsigned long long)g->memory);
		}
		for (unsigned j = 0; j < i; j++) {
			const struct cfg_shm *o = &cfg->shms[j];

			if (s->gpa >= o->gpa + o->size || o->gpa >= s->gpa + s->size)
				continue;
			for (unsigned k = 0; k < s->nr_guests; k++) {
				if (!cfg_shm_has(o, s->guests[k]))
					continue;
				return cfg_fail_at(p, s->address_line, "shm '%s': 0x%llx + %s "
						   "overlaps shm '%s' (line %u) in guest '%s'",
						   s->name, (unsigned long long)s->gpa, size,
						   o->name, o->address_line,
						   cfg->guests[s->guests[k]].name);
			}
		}
	}
	return 0;
}

/* ---- all of it -------------------------------------------------------------- */

int cfg_cross_check(struct cfg_parser *p)
{
	int rc;

	if (!p->cfg->nr_guests)
		return cfg_fail_at(p, 0, "no guests defined (add a [guest NAME] section)");
	rc = cfg_check_sharing(p, p->cfg);
	if (!rc)
		rc = cfg_resolve(p);
	if (!rc)
		rc = cfg_check_channels(p);
	if (!rc)
		rc = cfg_check_budgets(p);
	if (!rc)
		rc = cfg_check_allows(p);
	if (!rc)
		rc = cfg_check_doorbells(p);
	if (!rc)
		rc = cfg_check_shms(p);
	return rc;
}
