/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the guest page-table walker (arch/x86/guest_pt.c)
 * over a fake guest RAM built from the input.
 *
 * Input: a 48-byte header, then the RAM contents (from guest-physical 0).
 *   0..7 cr0   8..15 cr3   16..23 cr4   24..31 efer   32..39 gva
 *   40..43 ram_size = value % 256 KiB + 1 (bytes past the input are zero)
 *   44..45 len = value % 9000 (crosses up to three pages)
 *   46 access (GPT_WRITE/USER/FETCH)   47 maxphyaddr (0, or 32..52)
 * RAM is an exactly-sized allocation and read_gpa/write_gpa bound-check
 * every access, so the walker must turn a table outside RAM into an
 * error, and ASan proves nothing reads or writes past a buffer.
 * Oracles: translate and translate_pfec agree; dropping WRITE or FETCH
 * from an allowed access keeps it allowed at the same gpa; paging off is
 * the identity on 32 bits; copy_from_guest returns exactly what per-byte
 * translation reads; a copy_to_guest whose pages do not all translate
 * leaves RAM unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/guest_pt.h"
#include "lib/errno.h"
#include "lib/lib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HDR 48
#define RAM_MAX (256u << 10)
#define LEN_MAX 9000u
#define CR0_PG (1ULL << 31)
#define PAGE 4096u

struct fake_ram {
	uint8_t *mem;
	uint64_t size;
	unsigned reads, writes;
};

static void fail(const char *what, uint64_t a, uint64_t b)
{
	fprintf(stderr, "fuzz_guest_pt: %s (0x%llx, 0x%llx)\n", what, (unsigned long long)a,
		(unsigned long long)b);
	abort();
}

static uint64_t rd(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Overflow-safe bound check: [gpa, gpa + len) inside the fake RAM. */
static int ram_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	struct fake_ram *r = ctx;

	r->reads++;
	if (gpa > r->size || len > r->size - gpa)
		return -XEN_EFAULT;
	memcpy(buf, r->mem + gpa, len);
	return 0;
}

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	struct fake_ram *r = ctx;

	r->writes++;
	if (gpa > r->size || len > r->size - gpa)
		return -XEN_EFAULT;
	memcpy(r->mem + gpa, buf, len);
	return 0;
}

static void check_translate(const struct gpt_ctx *c, uint64_t gva, unsigned access)
{
	uint64_t gpa = 0xdead, gpa2 = 0xbeef, sub;
	uint32_t pfec = 0x12345678;
	int rc = gpt_translate(c, gva, access, &gpa);
	int rc2 = gpt_translate_pfec(c, gva, access, &gpa2, &pfec);

	if (rc != rc2 || (rc && rc != -XEN_EFAULT))
		fail("gpt_translate and gpt_translate_pfec disagree", (uint64_t)rc, (uint64_t)rc2);
	if (rc) {
		if (pfec == 0x12345678)
			fail("failed translation without an error code", gva, access);
		if ((access & GPT_WRITE) && pfec != GPT_PFEC_GP && !(pfec & GPT_PFEC_W))
			fail("write fault without PFEC.W", gva, pfec);
		if ((access & GPT_USER) && pfec != GPT_PFEC_GP && !(pfec & GPT_PFEC_U))
			fail("user fault without PFEC.U", gva, pfec);
		return;
	}
	if (gpa != gpa2 || pfec != 0x12345678)
		fail("gpt_translate_pfec changed pfec or gpa differs on success", gpa, gpa2);
	if (!(c->cr0 & CR0_PG) && gpa != (gva & 0xffffffffu))
		fail("paging off is not the identity on 32 bits", gva, gpa);
	if ((gpa & (PAGE - 1)) != (gva & (PAGE - 1)))
		fail("translation changed the page offset", gva, gpa);
	/* Fewer rights asked for, never less allowed. */
	for (unsigned drop = GPT_WRITE; drop <= GPT_FETCH; drop <<= 2) {
		if (!(access & drop))
			continue;
		if (gpt_translate(c, gva, access & ~drop, &sub) || sub != gpa)
			fail("a narrower access is refused or maps elsewhere", gva, access);
	}
}

/* Per-byte reference for copy_from_guest: translate and read each byte. */
static int ref_read(const struct gpt_ctx *c, uint64_t gva, size_t len, unsigned access,
		    uint8_t *out)
{
	if (len && gva + len - 1 < gva)
		return -XEN_EFAULT; /* the copy refuses a wrapping range as a whole */
	for (size_t i = 0; i < len; i++) {
		uint64_t gpa;

		if (gpt_translate(c, gva + i, access, &gpa) || c->read_gpa(c->ctx, gpa, out + i, 1))
			return -XEN_EFAULT;
	}
	return 0;
}

/* True if every page of [gva, gva+len) translates for a write. */
static int all_pages_translate(const struct gpt_ctx *c, uint64_t gva, size_t len,
			       unsigned access)
{
	uint64_t gpa, end = gva + len - 1;

	if (!len)
		return 1;
	if (end < gva)
		return 0;
	for (uint64_t va = gva & ~(uint64_t)(PAGE - 1);; va += PAGE) {
		if (gpt_translate(c, va < gva ? gva : va, access | GPT_WRITE, &gpa))
			return 0;
		if (va >= (end & ~(uint64_t)(PAGE - 1)))
			return 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake_ram r = { 0 };
	struct gpt_ctx c;
	uint8_t *buf, *ref, *src, *before;
	unsigned access, mpa;
	uint64_t gva;
	size_t len;
	int rc, rrc;

	if (size < HDR)
		return 0;
	mpa = data[47] % 22;
	mpa = mpa ? mpa + 31 : 0; /* 0 (= 52) or 32..52 */
	c = (struct gpt_ctx){
		.cr0 = rd(data, 8), .cr3 = rd(data + 8, 8), .cr4 = rd(data + 16, 8),
		.efer = rd(data + 24, 8), .read_gpa = ram_read, .write_gpa = ram_write,
		.ctx = &r, .maxphyaddr = mpa,
	};
	gva = rd(data + 32, 8);
	r.size = rd(data + 40, 4) % RAM_MAX + 1;
	len = (size_t)(rd(data + 44, 2) % LEN_MAX);
	access = data[46] & (GPT_WRITE | GPT_USER | GPT_FETCH);

	r.mem = calloc(1, (size_t)r.size);
	buf = malloc(len ? len : 1);
	ref = malloc(len ? len : 1);
	src = malloc(len ? len : 1);
	before = malloc((size_t)r.size);
	if (!r.mem || !buf || !ref || !src || !before)
		abort();
	memcpy(r.mem, data + HDR, MIN(size - HDR, (size_t)r.size));

	check_translate(&c, gva, access);
	check_translate(&c, gva + len, access);
	check_translate(&c, gva ^ (1ULL << 63), access);

	/* Exactly len bytes of destination: the copy may not overrun it. */
	rc = gpt_copy_from_guest(&c, buf, gva, len, access);
	rrc = ref_read(&c, gva, len, access, ref);
	if (rc != rrc)
		fail("copy_from_guest disagrees with per-byte translation", (uint64_t)rc,
		     (uint64_t)rrc);
	if (!rc && len && memcmp(buf, ref, len))
		fail("copy_from_guest returned different bytes", gva, len);

	/* The same bytes back, reversed, so a successful write changes RAM. */
	for (size_t i = 0; i < len; i++)
		src[i] = (uint8_t)~ref[len - 1 - i];
	memcpy(before, r.mem, (size_t)r.size);
	rrc = all_pages_translate(&c, gva, len, access);
	rc = gpt_copy_to_guest(&c, gva, src, len, access);
	if (rc && rc != -XEN_EFAULT)
		fail("copy_to_guest returned an unexpected code", (uint64_t)rc, 0);
	if (!rrc && !rc)
		fail("copy_to_guest succeeded although a page does not translate", gva, len);
	if (!rrc && memcmp(before, r.mem, (size_t)r.size))
		fail("copy_to_guest with an untranslatable page wrote guest RAM", gva, len);

	/* A context without write_gpa must refuse to write. */
	c.write_gpa = NULL;
	if (len && !gpt_copy_to_guest(&c, gva, src, len, access))
		fail("copy_to_guest wrote without a write_gpa callback", gva, len);

	free(before);
	free(src);
	free(ref);
	free(buf);
	free(r.mem);
	return 0;
}
