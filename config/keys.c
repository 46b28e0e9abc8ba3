/* SPDX-License-Identifier: MIT */
/*
 * bolt.cfg keys: the table every other part walks, and the value parsers
 * and printers it points at (format: docs/config.md).
 *
 * Adding a key means one entry in cfg_keys[] (with a generic or a custom
 * parse/print function) plus its default in the section's defaults
 * function below. Nothing else needs to change: duplicate detection,
 * required-key checks and cfg_dump() walk the table. Adding a named section
 * means one entry in cfg_sections[] and a CFG_SECT_ value.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bolt/bolt.h"
#include "config/internal.h"
#include "lib/fmt.h"
#include "lib/lib.h"

/* ---- names -------------------------------------------------------------- */

/* Indexed by value (enums), by bit number (console), false/true (bools). */
static const char *const cfg_console_names[] = { "com1", "e9", "gop" };
static const char *const cfg_debug_names[] = { "vmx" };
static const char *const cfg_all_stopped_names[] = {
	[CFG_ALL_STOPPED_POWEROFF] = "poweroff",
	[CFG_ALL_STOPPED_HALT] = "halt",
};
static const char *const cfg_on_crash_names[] = {
	[CFG_ON_CRASH_STOP] = "stop",
	[CFG_ON_CRASH_RESTART] = "restart",
};
static const char *const cfg_delivery_names[] = {
	[CFG_DELIVERY_IMMEDIATE] = "immediate",
	[CFG_DELIVERY_LAZY] = "lazy",
};
static const char *const cfg_yes_no[] = { "no", "yes" };
static const char *const cfg_on_off[] = { "off", "on" };
static const char *const cfg_access_names[] = { "ro", "rw" }; /* writable? */

const char *cfg_on_crash_name(enum cfg_on_crash v)
{
	return (unsigned)v < ARRAY_SIZE(cfg_on_crash_names) ? cfg_on_crash_names[v] : "?";
}

const char *cfg_delivery_name(enum cfg_delivery v)
{
	return (unsigned)v < ARRAY_SIZE(cfg_delivery_names) ? cfg_delivery_names[v] : "?";
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

/*
 * `cpu = A, B, ...`: one physical CPU per vCPU, each at most once. The
 * field is cfg_guest.cpus; nr_vcpus and cpu (vCPU 0's) sit beside it.
 */
static int cfg_parse_cpus(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val)
{
	struct cfg_guest *g = (void *)((char *)field - offsetof(struct cfg_guest, cpus));
	unsigned n = 0;

	for (const char *s = val;;) {
		uint64_t v;
		bool ovf;
		const char *end;
		int len;

		while (*s == ' ' || *s == '\t')
			s++;
		end = cfg_strtou64(s, &v, &ovf);
		for (len = 0; s[len] && s[len] != ','; len++)
			;
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == 0 || !end || end != s + len)
			return cfg_fail(p, "%s: '%.*s' is not a number", k->name, MIN(len, 48), s);
		if (ovf || v < k->min || v > k->max)
			return cfg_fail(p, "%s: '%.*s' is out of range (%llu..%llu)", k->name,
					MIN(len, 48), s, (unsigned long long)k->min,
					(unsigned long long)k->max);
		if (n == CFG_MAX_VCPUS)
			return cfg_fail(p, "%s: more than %u CPUs (at most %u vCPUs per guest)",
					k->name, CFG_MAX_VCPUS, CFG_MAX_VCPUS);
		for (unsigned i = 0; i < n; i++)
			if (g->cpus[i] == v)
				return cfg_fail(p, "%s: CPU %u is listed twice (one vCPU per CPU "
						"in a guest)", k->name, (unsigned)v);
		g->cpus[n++] = (unsigned)v;
		s += len;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		s++; /* the comma */
	}
	g->nr_vcpus = n;
	g->cpu = g->cpus[0];
	return 0;
}

/* `budget = none | N/PERIOD`, PERIOD a decimal number with us, ms or s. */
static int cfg_parse_budget(struct cfg_parser *p, const struct cfg_key *k, void *field,
			    const char *val)
{
	struct cfg_budget *b = field;
	uint64_t n, t;
	bool ovf1, ovf2;
	const char *s, *unit;

	if (strcmp(val, "none") == 0) {
		b->events = 0;
		b->period_ns = 0;
		return 0;
	}
	s = cfg_strtou64(val, &n, &ovf1);
	if (!s || *s != '/')
		return cfg_fail(p, "%s: '%.48s' is not a budget (use e.g. 1000/10ms, or none)",
				k->name, val);
	unit = cfg_strtou64(s + 1, &t, &ovf2);
	if (!unit)
		return cfg_fail(p, "%s: '%.48s' is not a budget (use e.g. 1000/10ms, or none)",
				k->name, val);
	uint64_t scale = strcmp(unit, "us") == 0 ? 1000ULL : strcmp(unit, "ms") == 0 ? 1000000ULL :
			 strcmp(unit, "s") == 0 ? 1000000000ULL : 0;
	if (!scale)
		return cfg_fail(p, "%s: '%.48s': the period needs a unit: us, ms or s", k->name, val);
	if (ovf1 || n == 0 || n > CFG_BUDGET_EVENTS_MAX)
		return cfg_fail(p, "%s: '%.48s': events must be 1..%u", k->name, val,
				CFG_BUDGET_EVENTS_MAX);
	if (ovf2 || t > CFG_BUDGET_PERIOD_MAX_NS / scale || t * scale < CFG_BUDGET_PERIOD_MIN_NS)
		return cfg_fail(p, "%s: '%.48s': the period must be 10us..10s", k->name, val);
	b->events = (uint32_t)n;
	b->period_ns = t * scale;
	return 0;
}

/* Decimal, or hexadecimal after "0x" (only `port` and `address` take this). */
static int cfg_parse_hex_or_dec(struct cfg_parser *p, const struct cfg_key *k,
				const char *val, uint64_t *v)
{
	const char *s = val;
	bool ovf = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		*v = 0;
		for (s += 2; *s; s++) {
			unsigned d;

			if (*s >= '0' && *s <= '9')
				d = (unsigned)(*s - '0');
			else if (*s >= 'a' && *s <= 'f')
				d = (unsigned)(*s - 'a' + 10);
			else if (*s >= 'A' && *s <= 'F')
				d = (unsigned)(*s - 'A' + 10);
			else
				break;
			ovf |= *v >> 60 != 0;
			*v = *v << 4 | d;
		}
		if (s == val + 2)
			s = NULL;
	} else {
		s = cfg_strtou64(val, v, &ovf);
	}
	if (!s || *s)
		return cfg_fail(p, "%s: '%.48s' is not a number (decimal or 0x hex)", k->name,
				val);
	if (ovf || *v < k->min || *v > k->max)
		return cfg_fail(p, "%s: '%.48s' is out of range (0x%llx..0x%llx)", k->name, val,
				(unsigned long long)k->min, (unsigned long long)k->max);
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

static int cfg_lookup_name(struct cfg_parser *p, const struct cfg_key *k, const char *val,
			   unsigned *idx)
{
	char list[80];

	for (unsigned i = 0; i < k->nr_names; i++) {
		if (!strcmp(val, k->names[i])) {
			*idx = i;
			return 0;
		}
	}
	cfg_names_list(k, list, sizeof(list));
	return cfg_fail(p, "%s: '%.48s' is not valid (expected %s)", k->name, val, list);
}

static int cfg_parse_enum(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val)
{
	unsigned i;
	int rc = cfg_lookup_name(p, k, val, &i);

	if (!rc)
		*(unsigned *)field = i;
	return rc;
}

/* names[0] means false, names[1] true. */
static int cfg_parse_bool(struct cfg_parser *p, const struct cfg_key *k, void *field,
			  const char *val)
{
	unsigned i;
	int rc = cfg_lookup_name(p, k, val, &i);

	if (!rc)
		*(bool *)field = i != 0;
	return rc;
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
/* A comma-separated set of the key's names, as a bit mask (console, debug). */
static int cfg_parse_name_set(struct cfg_parser *p, const struct cfg_key *k, void *field,
			      const char *val, const char *noun)
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
			return cfg_fail(p, "%s: unknown %s '%.*s' (expected %s)", k->name, noun,
					(int)MIN(len, 48), c, list);
		if (mask & (1u << i))
			return cfg_fail(p, "%s: '%s' is listed twice", k->name, k->names[i]);
		mask |= 1u << i;
		c += len;
	}
	if (!mask)
		return cfg_fail(p, "%s: at least one %s is required (%s)", k->name, noun, list);
	*(unsigned *)field = mask;
	return 0;
}

static int cfg_parse_console(struct cfg_parser *p, const struct cfg_key *k, void *field,
			     const char *val)
{
	return cfg_parse_name_set(p, k, field, val, "sink");
}

static int cfg_parse_debug(struct cfg_parser *p, const struct cfg_key *k, void *field,
			   const char *val)
{
	return cfg_parse_name_set(p, k, field, val, "topic");
}

static bool cfg_debug_set(const void *field)
{
	return *(const unsigned *)field != 0;
}

/* ---- shared-memory and doorbell numbers --------------------------------- */

static int cfg_parse_ioport(struct cfg_parser *p, const struct cfg_key *k, void *field,
			    const char *val)
{
	uint64_t v;
	int rc = cfg_parse_hex_or_dec(p, k, val, &v);

	if (rc)
		return rc;
	/* Bolt's own consoles: a guest must never be able to take them over. */
	if (v >= 0x3f8 && v <= 0x3ff)
		return cfg_fail(p, "%s: 0x%llx is reserved (COM1, 0x3f8-0x3ff)", k->name,
				(unsigned long long)v);
	if (v == 0xe9)
		return cfg_fail(p, "%s: 0xe9 is reserved (the e9 debug console)", k->name);
	if (v == BOLT_ACPI_SLEEP_CONTROL_PORT || v == BOLT_ACPI_SLEEP_STATUS_PORT ||
	    v == BOLT_ACPI_RESET_PORT)
		return cfg_fail(p, "%s: 0x%llx is reserved (the guests' ACPI power registers)",
				k->name, (unsigned long long)v);
	*(uint16_t *)field = (uint16_t)v;
	return 0;
}

static int cfg_parse_address(struct cfg_parser *p, const struct cfg_key *k, void *field,
			     const char *val)
{
	char lim[24];
	uint64_t v;
	int rc = cfg_parse_hex_or_dec(p, k, val, &v);

	if (rc)
		return rc;
	if (v % k->align) {
		cfg_format_size(lim, sizeof(lim), k->align);
		return cfg_fail(p, "%s: '%.48s' is not a multiple of %s", k->name, val, lim);
	}
	*(uint64_t *)field = v;
	return 0;
}

/* ---- printers for cfg_dump() -------------------------------------------- */

static void cfg_print_budget(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	const struct cfg_budget *b = field;

	(void)k;
	if (!b->events)
		cfg_printf(o, "none");
	else if (b->period_ns % 1000000000ULL == 0)
		cfg_printf(o, "%u/%llus", b->events, (unsigned long long)(b->period_ns / 1000000000ULL));
	else if (b->period_ns % 1000000ULL == 0)
		cfg_printf(o, "%u/%llums", b->events, (unsigned long long)(b->period_ns / 1000000ULL));
	else
		cfg_printf(o, "%u/%lluus", b->events, (unsigned long long)(b->period_ns / 1000ULL));
}

static void cfg_print_uint(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	(void)k;
	cfg_printf(o, "%u", *(const unsigned *)field);
}

static void cfg_print_cpus(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	const struct cfg_guest *g = (const void *)((const char *)field - offsetof(struct cfg_guest, cpus));

	(void)k;
	for (unsigned i = 0; i < g->nr_vcpus; i++)
		cfg_printf(o, "%s%u", i ? ", " : "", g->cpus[i]);
}

static bool cfg_never(const void *field)
{
	(void)field;
	return false;
}

static void cfg_print_enum(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	unsigned v = *(const unsigned *)field;

	cfg_printf(o, "%s", v < k->nr_names ? k->names[v] : "?");
}

static void cfg_print_bool(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	cfg_printf(o, "%s", k->names[*(const bool *)field ? 1 : 0]);
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

static void cfg_print_name_set(struct cfg_out *o, const struct cfg_key *k, const void *field)
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

static void cfg_print_ioport(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	(void)k;
	cfg_printf(o, "0x%x", (unsigned)*(const uint16_t *)field);
}

static void cfg_print_address(struct cfg_out *o, const struct cfg_key *k, const void *field)
{
	(void)k;
	cfg_printf(o, "0x%llx", (unsigned long long)*(const uint64_t *)field);
}

static bool cfg_delivery_set(const void *field)
{
	return *(const int *)field != CFG_DELIVERY_PER_GUEST;
}

/* `initrd` is optional: a guest without one does not print the key. */
static bool cfg_string_set(const void *field)
{
	return *(const char *)field != '\0';
}

/* ---- the tables ---------------------------------------------------------- */

#define FIELD(sect_, type, f) \
	.section = (sect_), .off = offsetof(type, f), .size = sizeof(((type *)0)->f)
#define BOLT_FIELD(f) FIELD(CFG_SECT_BOLT, struct bolt_config, f)
#define GUEST_FIELD(f) FIELD(CFG_SECT_GUEST, struct cfg_guest, f)
#define CHAN_FIELD(f) FIELD(CFG_SECT_CHANNEL, struct cfg_channel, f)
#define DB_FIELD(f) FIELD(CFG_SECT_DOORBELL, struct cfg_doorbell, f)
#define SHM_FIELD(f) FIELD(CFG_SECT_SHM, struct cfg_shm, f)
#define LINE(type, f) .line_off = offsetof(type, f)
#define NAMES(a) .names = (a), .nr_names = ARRAY_SIZE(a)
#define PORTS .min = 1, .max = CFG_EVTCHN_PORT_MAX

/* Order here is the order cfg_dump() writes keys in. */
const struct cfg_key cfg_keys[] = {
	{ .name = "console", BOLT_FIELD(console), NAMES(cfg_console_names),
	  .parse = cfg_parse_console, .print = cfg_print_name_set },
	{ .name = "on_all_stopped", BOLT_FIELD(on_all_stopped), NAMES(cfg_all_stopped_names),
	  .parse = cfg_parse_enum, .print = cfg_print_enum },
	{ .name = "debug", BOLT_FIELD(debug), NAMES(cfg_debug_names),
	  .parse = cfg_parse_debug, .print = cfg_print_name_set, .present = cfg_debug_set },
	{ .name = "allow", BOLT_FIELD(allows), .repeat = true,
	  .parse = cfg_parse_allow, .print = cfg_print_allow },
	{ .name = "grant", BOLT_FIELD(grants), .repeat = true,
	  .parse = cfg_parse_allow, .print = cfg_print_allow },

	{ .name = "image", GUEST_FIELD(image), LINE(struct cfg_guest, image_line),
	  .required = true, .parse = cfg_parse_path, .print = cfg_print_string },
	{ .name = "initrd", GUEST_FIELD(initrd), LINE(struct cfg_guest, initrd_line),
	  .parse = cfg_parse_path, .print = cfg_print_string, .present = cfg_string_set },
	{ .name = "memory", GUEST_FIELD(memory), LINE(struct cfg_guest, memory_line),
	  .required = true, .min = CFG_MEMORY_MIN, .max = CFG_MEMORY_MAX,
	  .align = CFG_MEMORY_ALIGN, .parse = cfg_parse_size, .print = cfg_print_size },
	{ .name = "cpu", GUEST_FIELD(cpus), LINE(struct cfg_guest, cpu_line), .required = true,
	  .min = 0, .max = CFG_MAX_CPU, .parse = cfg_parse_cpus, .print = cfg_print_cpus },
	/* The same list under its plural name; dumped as `cpu`. */
	{ .name = "cpus", GUEST_FIELD(cpus), LINE(struct cfg_guest, cpu_line), .required = true,
	  .min = 0, .max = CFG_MAX_CPU, .parse = cfg_parse_cpus, .print = cfg_print_cpus,
	  .present = cfg_never },
	{ .name = "cmdline", GUEST_FIELD(cmdline),
	  .parse = cfg_parse_string, .print = cfg_print_string },
	{ .name = "on_crash", GUEST_FIELD(on_crash), NAMES(cfg_on_crash_names),
	  .parse = cfg_parse_enum, .print = cfg_print_enum },
	{ .name = "max_restarts", GUEST_FIELD(max_restarts),
	  .min = 0, .max = CFG_MAX_RESTARTS_LIMIT,
	  .parse = cfg_parse_uint, .print = cfg_print_uint },
	{ .name = "priority", GUEST_FIELD(priority), .min = 0, .max = CFG_PRIORITY_MAX,
	  .parse = cfg_parse_uint, .print = cfg_print_uint },
	{ .name = "delivery", GUEST_FIELD(delivery), NAMES(cfg_delivery_names),
	  .parse = cfg_parse_enum, .print = cfg_print_enum },
	{ .name = "handover", GUEST_FIELD(handover), NAMES(cfg_yes_no),
	  .parse = cfg_parse_bool, .print = cfg_print_bool },
	{ .name = "max_event_channels", GUEST_FIELD(max_event_channels),
	  .min = CFG_EVTCHN_CHANNELS_MIN, .max = CFG_EVTCHN_CHANNELS_MAX,
	  .parse = cfg_parse_uint, .print = cfg_print_uint },
	{ .name = "lapic", GUEST_FIELD(lapic), NAMES(cfg_yes_no),
	  .parse = cfg_parse_bool, .print = cfg_print_bool },

	{ .name = "a", CHAN_FIELD(guest[0]), .off2 = offsetof(struct cfg_channel, port[0]),
	  LINE(struct cfg_channel, end_line[0]), .required = true, PORTS,
	  .parse = cfg_parse_endpoint, .print = cfg_print_endpoint },
	{ .name = "b", CHAN_FIELD(guest[1]), .off2 = offsetof(struct cfg_channel, port[1]),
	  LINE(struct cfg_channel, end_line[1]), .required = true, PORTS,
	  .parse = cfg_parse_endpoint, .print = cfg_print_endpoint },
	{ .name = "delivery", CHAN_FIELD(delivery), NAMES(cfg_delivery_names),
	  .parse = cfg_parse_enum, .print = cfg_print_enum, .present = cfg_delivery_set },
	{ .name = "trace", CHAN_FIELD(trace), NAMES(cfg_on_off),
	  .parse = cfg_parse_bool, .print = cfg_print_bool },
	{ .name = "budget", CHAN_FIELD(budget), .parse = cfg_parse_budget, .print = cfg_print_budget },

	{ .name = "guest", DB_FIELD(guest), LINE(struct cfg_doorbell, guest_line),
	  .required = true, .parse = cfg_parse_guest, .print = cfg_print_guest },
	{ .name = "port", DB_FIELD(ioport), LINE(struct cfg_doorbell, port_line),
	  .required = true, .min = 0, .max = 0xffff,
	  .parse = cfg_parse_ioport, .print = cfg_print_ioport },
	{ .name = "channel", DB_FIELD(evtchn_port), LINE(struct cfg_doorbell, channel_line),
	  .required = true, PORTS, .parse = cfg_parse_db_channel,
	  .print = cfg_print_db_channel },

	{ .name = "size", SHM_FIELD(size), .required = true, .min = CFG_SHM_SIZE_MIN,
	  .max = CFG_SHM_SIZE_MAX, .align = CFG_SHM_ALIGN,
	  .parse = cfg_parse_size, .print = cfg_print_size },
	{ .name = "address", SHM_FIELD(gpa), LINE(struct cfg_shm, address_line),
	  .required = true, .min = CFG_SHM_GPA_MIN, .max = CFG_SHM_GPA_LIMIT - CFG_SHM_ALIGN,
	  .align = CFG_SHM_ALIGN, .parse = cfg_parse_address, .print = cfg_print_address },
	{ .name = "guests", SHM_FIELD(guests), .off2 = offsetof(struct cfg_shm, nr_guests),
	  LINE(struct cfg_shm, guests_line), .required = true, .max = CFG_SHM_MAX_GUESTS,
	  .parse = cfg_parse_guest_list, .print = cfg_print_guest_list },
	{ .name = "access", SHM_FIELD(writable), NAMES(cfg_access_names),
	  .parse = cfg_parse_bool, .print = cfg_print_bool },
};
const size_t cfg_nr_keys = ARRAY_SIZE(cfg_keys);
_Static_assert(ARRAY_SIZE(cfg_keys) <= CFG_MAX_KEYS, "raise CFG_MAX_KEYS");

/* ---- section defaults ---------------------------------------------------- */

void cfg_bolt_defaults(struct bolt_config *cfg)
{
	cfg->console = CFG_CONSOLE_DEFAULT;
	cfg->debug = 0;
	cfg->on_all_stopped = CFG_ALL_STOPPED_POWEROFF;
}

static void cfg_guest_defaults(void *obj)
{
	struct cfg_guest *g = obj;

	g->on_crash = CFG_ON_CRASH_STOP;
	g->max_restarts = 3;
	g->priority = CFG_PRIORITY_DEFAULT;
	g->delivery = CFG_DELIVERY_IMMEDIATE;
	g->handover = false;
	g->max_event_channels = CFG_EVTCHN_CHANNELS_DEFAULT;
	g->lapic = false;
}

static void cfg_channel_defaults(void *obj)
{
	struct cfg_channel *c = obj;

	c->delivery = CFG_DELIVERY_PER_GUEST;
	c->trace = false;
}

static void cfg_doorbell_defaults(void *obj)
{
	(void)obj; /* every key is required */
}

static void cfg_shm_defaults(void *obj)
{
	struct cfg_shm *s = obj;

	s->writable = true;
}

#define SECTION(sect_, word_, plural_, max_, type, arr, cnt)                          \
	.sect = (sect_), .word = (word_), .plural = (plural_), .max = (max_),          \
	.array_off = offsetof(struct bolt_config, arr),                               \
	.count_off = offsetof(struct bolt_config, cnt), .elem_size = sizeof(type),     \
	.line_off = offsetof(type, line)

/* Order here is the order cfg_dump() writes sections in. */
const struct cfg_section_desc cfg_sections[] = {
	{ SECTION(CFG_SECT_GUEST, "guest", "guests", CFG_MAX_GUESTS, struct cfg_guest,
		  guests, nr_guests), .defaults = cfg_guest_defaults },
	{ SECTION(CFG_SECT_CHANNEL, "channel", "channels", CFG_MAX_CHANNELS,
		  struct cfg_channel, channels, nr_channels), .defaults = cfg_channel_defaults },
	{ SECTION(CFG_SECT_DOORBELL, "doorbell", "doorbells", CFG_MAX_DOORBELLS,
		  struct cfg_doorbell, doorbells, nr_doorbells),
	  .defaults = cfg_doorbell_defaults },
	{ SECTION(CFG_SECT_SHM, "shm", "shm regions", CFG_MAX_SHMS, struct cfg_shm, shms,
		  nr_shms), .defaults = cfg_shm_defaults },
};
const size_t cfg_nr_sections = ARRAY_SIZE(cfg_sections);
