/* SPDX-License-Identifier: MIT */
/*
 * Reading what Bolt hands a guest: the PVH start info (command line,
 * memory map) and Bolt's CPUID leaves.
 */
#include <bolt/sdk/base.h>
#include "guests/sdk/sdk-internal.h"

int bolt_info(struct bolt_info *info)
{
	uint32_t r[4];
	char sig[13];

	bolt_cpuid(BOLT_CPUID_BASE, 0, r);
	memcpy(sig + 0, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	sig[12] = '\0';
	if (strcmp(sig, BOLT_CPUID_SIGNATURE) != 0 || r[0] < BOLT_CPUID_INFO)
		return -XEN_ENODEV;
	bolt_cpuid(BOLT_CPUID_INFO, 0, r);
	info->version = r[0];
	info->domid = r[1];
	info->cpu = r[2];
	info->boot_count = r[3];
	return 0;
}

const char *bolt_cmdline(const struct hvm_start_info *si)
{
	if (!si || si->magic != XEN_HVM_START_MAGIC_VALUE || !si->cmdline_paddr)
		return "";
	return (const char *)(uintptr_t)si->cmdline_paddr;
}

static bool sdk_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int bolt_cmdline_get(const struct hvm_start_info *si, const char *key, char *buf, size_t len)
{
	const char *p = bolt_cmdline(si);
	size_t klen = strlen(key);

	while (*p) {
		const char *word, *val;
		size_t vlen = 0;

		while (sdk_is_space(*p))
			p++;
		word = p;
		while (*p && !sdk_is_space(*p))
			p++;
		if ((size_t)(p - word) < klen || memcmp(word, key, klen) != 0)
			continue;
		val = word + klen;
		if (val == p) {
			/* bare "key" */
		} else if (*val == '=') {
			val++;
			vlen = (size_t)(p - val);
		} else {
			continue; /* "keyfoo=...": a different key */
		}
		if (len == 0)
			return -XEN_E2BIG;
		if (vlen >= len) {
			memcpy(buf, val, len - 1);
			buf[len - 1] = '\0';
			return -XEN_E2BIG;
		}
		memcpy(buf, val, vlen);
		buf[vlen] = '\0';
		return (int)vlen;
	}
	return -XEN_ENOENT;
}

int bolt_parse_u64(const char *s, uint64_t *val)
{
	unsigned int base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -XEN_EINVAL;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -XEN_EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -XEN_EINVAL;
		v = v * base + d;
	}
	*val = v;
	return 0;
}

int bolt_cmdline_get_u64(const struct hvm_start_info *si, const char *key, uint64_t *val)
{
	char buf[32];
	int ret = bolt_cmdline_get(si, key, buf, sizeof(buf));

	if (ret == -XEN_E2BIG)
		return -XEN_EINVAL;
	if (ret < 0)
		return ret;
	return bolt_parse_u64(buf, val);
}

uint64_t bolt_ram_top(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *e;
	uint64_t top = 0;
	uint32_t i;

	if (!si || si->magic != XEN_HVM_START_MAGIC_VALUE || si->version < 1 || !si->memmap_paddr)
		return 0;
	e = (const struct hvm_memmap_table_entry *)(uintptr_t)si->memmap_paddr;
	for (i = 0; i < si->memmap_entries; i++)
		if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			top = MAX(top, e[i].addr + e[i].size);
	return top;
}

/* Move *start past, or *end down to, one object Bolt placed at [a, a + len). */
static void sdk_heap_avoid(uint64_t a, uint64_t len, uint64_t *start, uint64_t *end)
{
	if (!a || !len || a >= *end || a + len <= *start)
		return;
	if (a <= *start)
		*start = ALIGN_UP(a + len, 16u);
	else
		*end = a;
	if (*start > *end)
		*start = *end;
}

void sdk_heap_range(const struct hvm_start_info *si, uintptr_t image_end, uintptr_t *start,
		    uintptr_t *end)
{
	const struct hvm_memmap_table_entry *e;
	uint64_t s = ALIGN_UP((uint64_t)image_end, 16u), t = s;
	uint32_t i;

	*start = *end = (uintptr_t)s;
	if (!si || si->magic != XEN_HVM_START_MAGIC_VALUE || si->version < 1 || !si->memmap_paddr)
		return;
	e = (const struct hvm_memmap_table_entry *)(uintptr_t)si->memmap_paddr;
	for (i = 0; i < si->memmap_entries; i++)
		if (e[i].type == XEN_HVM_MEMMAP_TYPE_RAM && e[i].addr <= s &&
		    s < e[i].addr + e[i].size)
			t = e[i].addr + e[i].size;
	/* Twice: moving the start past one object can uncover another. */
	for (int pass = 0; pass < 2; pass++) {
		sdk_heap_avoid((uintptr_t)si, sizeof(*si), &s, &t);
		sdk_heap_avoid(si->memmap_paddr, (uint64_t)si->memmap_entries * sizeof(*e), &s, &t);
		if (si->cmdline_paddr)
			sdk_heap_avoid(si->cmdline_paddr,
				       strlen((const char *)(uintptr_t)si->cmdline_paddr) + 1, &s, &t);
		sdk_heap_avoid(si->modlist_paddr,
			       (uint64_t)si->nr_modules * sizeof(struct hvm_modlist_entry), &s, &t);
	}
	*start = (uintptr_t)s;
	*end = (uintptr_t)(t < s ? s : t);
}

int sdk_args_split(const char *cmdline, char *buf, size_t len, char **argv, int max)
{
	int argc = 0;
	size_t n = 0;

	if (max < 2 || len == 0)
		return -XEN_EINVAL;
	/* No program name is known: C11 5.1.2.2.1 allows an empty argv[0]. */
	buf[n++] = '\0';
	argv[argc++] = buf;
	while (*cmdline) {
		while (sdk_is_space(*cmdline))
			cmdline++;
		if (!*cmdline)
			break;
		if (argc == max - 1)
			return -XEN_E2BIG;
		argv[argc++] = buf + n;
		while (*cmdline && !sdk_is_space(*cmdline)) {
			if (n + 1 >= len)
				return -XEN_E2BIG;
			buf[n++] = *cmdline++;
		}
		buf[n++] = '\0';
	}
	argv[argc] = NULL;
	return argc;
}
