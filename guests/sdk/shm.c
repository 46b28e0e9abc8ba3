/* SPDX-License-Identifier: MIT */
/*
 * Shared memory regions: Bolt describes each region it maps into a guest
 * with a ` bolt.shm=NAME:0xGPA:0xSIZE:rw|ro` word on the guest's command
 * line. Pure string parsing, so it is unit-tested on the host.
 */
#include <string.h>

#include <bolt/sdk/base.h>

#define SDK_SHM_KEY "bolt.shm="
#define SDK_SHM_NUM_MAX 24 /* "0x" + 16 hex digits, with room to spare */

static bool sdk_shm_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Parse the number in [s, end) (no NUL there) with bolt_parse_u64. */
static int sdk_shm_number(const char *s, const char *end, uint64_t *val)
{
	char buf[SDK_SHM_NUM_MAX];
	size_t len = (size_t)(end - s);

	if (len == 0 || len >= sizeof(buf))
		return -XEN_EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return bolt_parse_u64(buf, val);
}

/* Find the next ':' before end, or NULL. */
static const char *sdk_shm_colon(const char *s, const char *end)
{
	for (; s < end; s++)
		if (*s == ':')
			return s;
	return NULL;
}

/* Parse "0xGPA:0xSIZE:rw|ro" in [s, end). */
static int sdk_shm_fields(const char *s, const char *end, struct bolt_shm *out)
{
	const char *c1 = sdk_shm_colon(s, end), *c2;
	struct bolt_shm shm;
	size_t alen;

	if (!c1)
		return -XEN_EINVAL;
	c2 = sdk_shm_colon(c1 + 1, end);
	if (!c2)
		return -XEN_EINVAL;
	if (sdk_shm_number(s, c1, &shm.gpa) < 0 || sdk_shm_number(c1 + 1, c2, &shm.size) < 0)
		return -XEN_EINVAL;
	alen = (size_t)(end - (c2 + 1));
	if (alen == 2 && memcmp(c2 + 1, "rw", 2) == 0)
		shm.writable = true;
	else if (alen == 2 && memcmp(c2 + 1, "ro", 2) == 0)
		shm.writable = false;
	else
		return -XEN_EINVAL;
	if (shm.size == 0 || shm.gpa + shm.size < shm.gpa)
		return -XEN_EINVAL;
	*out = shm;
	return 0;
}

int bolt_shm_parse(const char *cmdline, const char *name, struct bolt_shm *out)
{
	const char *p = cmdline ? cmdline : "";
	size_t klen = strlen(SDK_SHM_KEY), nlen = strlen(name);

	if (nlen == 0)
		return -XEN_EINVAL;
	while (*p) {
		const char *word, *end;

		while (sdk_shm_space(*p))
			p++;
		word = p;
		while (*p && !sdk_shm_space(*p))
			p++;
		end = p;
		if ((size_t)(end - word) < klen + nlen + 1 || memcmp(word, SDK_SHM_KEY, klen) != 0)
			continue;
		word += klen;
		/* "NAME:" exactly: "bolt.shm=ringX:..." is not region "ring". */
		if (memcmp(word, name, nlen) != 0 || word[nlen] != ':')
			continue;
		return sdk_shm_fields(word + nlen + 1, end, out);
	}
	return -XEN_ENOENT;
}

int bolt_shm_find(const struct hvm_start_info *si, const char *name, struct bolt_shm *out)
{
	return bolt_shm_parse(bolt_cmdline(si), name, out);
}
