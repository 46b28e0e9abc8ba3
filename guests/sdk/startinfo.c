/* SPDX-License-Identifier: MIT */
/*
 * Reading what Bolt hands a guest: the PVH start info (command line,
 * memory map) and Bolt's CPUID leaves.
 */
#include "guests/sdk/base.h"

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
