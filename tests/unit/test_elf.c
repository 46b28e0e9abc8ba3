/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the PVH ELF loader (lib/elf.c). Images are built in
 * memory by small helpers so every byte a test depends on is visible here,
 * then corrupted field by field to exercise each rejection path.
 */
#include <stdbool.h>
#include <stdint.h>

#include "unit.h"

#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define RAM_SIZE (4u << 20)
#define LOAD_MIN 0x100000u

/* Field offsets, as the loader reads them. */
#define E64_PHOFF 32
#define E64_PHENTSIZE 54
#define E64_PHNUM 56
#define E32_PHNUM 44
#define PH64_OFFSET 8
#define PH64_PADDR 24
#define PH64_FILESZ 32
#define PH64_MEMSZ 40

struct tseg {
	uint32_t type;     /* 1 = PT_LOAD, 4 = PT_NOTE */
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
	const uint8_t *data; /* filesz bytes, or NULL to fill with `fill` */
	uint8_t fill;
};

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)v);
	wr16(p + 2, (uint16_t)(v >> 16));
}

static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

/*
 * Append one note to buf at *off with name/desc padded to `al` bytes, the
 * way the gABI lays notes out. namesz counts the terminating NUL.
 */
static void add_note(uint8_t *buf, size_t *off, const char *name, uint32_t type,
		     const void *desc, uint32_t descsz, unsigned al)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	size_t p = *off;

	wr32(buf + p, namesz);
	wr32(buf + p + 4, descsz);
	wr32(buf + p + 8, type);
	memcpy(buf + p + 12, name, namesz);
	p = (p + 12 + namesz + al - 1) / al * al;
	memcpy(buf + p, desc, descsz);
	p = (p + descsz + al - 1) / al * al;
	*off = p;
}

/* A single PHYS32_ENTRY note with a 4- or 8-byte descriptor. */
static size_t entry_note(uint8_t *buf, uint64_t entry, uint32_t descsz)
{
	uint8_t d[8];
	size_t off = 0;

	wr64(d, entry);
	add_note(buf, &off, "Xen", 18, d, descsz, 4);
	return off;
}

/* Build an ELF image: header, program headers, then each segment's bytes. */
static uint8_t *build_elf(bool is64, uint16_t machine, const struct tseg *segs,
			  unsigned n, size_t *len)
{
	size_t ehsz = is64 ? 64 : 52, phsz = is64 ? 56 : 32, off = 0x400, total = off;
	uint8_t *img;
	unsigned i;

	for (i = 0; i < n; i++)
		total += (segs[i].filesz + 15) & ~(size_t)15;
	img = calloc(1, total);
	memcpy(img, "\x7f" "ELF", 4);
	img[4] = is64 ? 2 : 1;
	img[5] = 1;
	img[6] = 1;
	wr16(img + 16, 2);
	wr16(img + 18, machine);
	if (is64) {
		wr64(img + 24, 0xffffffff81000000ull); /* e_entry: virtual, ignored */
		wr64(img + E64_PHOFF, ehsz);
		wr16(img + 52, (uint16_t)ehsz);
		wr16(img + E64_PHENTSIZE, (uint16_t)phsz);
		wr16(img + E64_PHNUM, (uint16_t)n);
	} else {
		wr32(img + 28, (uint32_t)ehsz);
		wr16(img + 40, (uint16_t)ehsz);
		wr16(img + 42, (uint16_t)phsz);
		wr16(img + E32_PHNUM, (uint16_t)n);
	}
	for (i = 0; i < n; i++) {
		const struct tseg *s = &segs[i];
		uint8_t *ph = img + ehsz + i * phsz;

		if (s->data)
			memcpy(img + off, s->data, s->filesz);
		else
			memset(img + off, s->fill, s->filesz);
		wr32(ph, s->type);
		if (is64) {
			wr32(ph + 4, 5);
			wr64(ph + PH64_OFFSET, off);
			wr64(ph + 16, s->paddr | 0xffffffff80000000ull); /* vaddr != paddr */
			wr64(ph + PH64_PADDR, s->paddr);
			wr64(ph + PH64_FILESZ, s->filesz);
			wr64(ph + PH64_MEMSZ, s->memsz);
			wr64(ph + 48, s->align);
		} else {
			wr32(ph + 4, (uint32_t)off);
			wr32(ph + 8, (uint32_t)s->paddr | 0xc0000000u);
			wr32(ph + 12, (uint32_t)s->paddr);
			wr32(ph + 16, (uint32_t)s->filesz);
			wr32(ph + 20, (uint32_t)s->memsz);
			wr32(ph + 24, 5);
			wr32(ph + 28, (uint32_t)s->align);
		}
		off += (s->filesz + 15) & ~(size_t)15;
	}
	*len = total;
	return img;
}

/* The standard good image: text, data+bss, and a PHYS32_ENTRY note. */
static uint8_t *good_image(bool is64, uint64_t entry, uint32_t descsz, size_t *len)
{
	uint8_t note[64];
	size_t nlen = entry_note(note, entry, descsz);
	struct tseg segs[] = {
		{ .type = 1, .paddr = 0x100000, .filesz = 0x200, .memsz = 0x200,
		  .align = 0x1000, .fill = 0xaa },
		{ .type = 4, .filesz = nlen, .memsz = nlen, .align = 4, .data = note },
		{ .type = 1, .paddr = 0x101000, .filesz = 0x100, .memsz = 0x3000,
		  .align = 0x1000, .fill = 0xbb },
	};

	return build_elf(is64, is64 ? 62 : 3, segs, ARRAY_SIZE(segs), len);
}

static uint8_t *ph64(uint8_t *img, unsigned i)
{
	return img + 64 + i * 56;
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* Load into fresh RAM; check rc, message, and that RAM is untouched on failure. */
static void expect_fail(const uint8_t *img, size_t len, uint64_t ram_size, int want_rc,
			const char *want_msg)
{
	uint8_t *ram = malloc(RAM_SIZE);
	struct elf_pvh_info info = { .entry = 0x1234 };
	char err[256];
	int rc;

	memset(ram, 0xcc, RAM_SIZE);
	rc = elf_load_pvh(img, len, "hello.elf", ram, ram_size, LOAD_MIN, &info, err,
			  sizeof(err));
	CHECK_EQ(rc, want_rc);
	CHECK_CONTAINS(err, "hello.elf: ");
	CHECK_CONTAINS(err, want_msg);
	if (!strstr(err, want_msg))
		fprintf(stderr, "  got message: %s\n", err);
	CHECK_EQ(info.entry, 0x1234); /* info untouched on failure */
	CHECK(all_bytes(ram, RAM_SIZE, 0xcc));
	rc = elf_probe_pvh(img, len, "hello.elf", ram_size, LOAD_MIN, NULL, err, sizeof(err));
	CHECK_EQ(rc, want_rc);
	free(ram);
}

static void check_good_load(bool is64, uint32_t descsz)
{
	size_t len;
	uint8_t *img = good_image(is64, 0x100010, descsz, &len);
	uint8_t *ram = malloc(RAM_SIZE);
	struct elf_pvh_info info, probe;
	char err[256] = "junk";

	memset(ram, 0xcc, RAM_SIZE);
	CHECK_EQ(elf_probe_pvh(img, len, "k", RAM_SIZE, LOAD_MIN, &probe, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(all_bytes(ram, RAM_SIZE, 0xcc));
	CHECK_EQ(elf_load_pvh(img, len, "k", ram, RAM_SIZE, LOAD_MIN, &info, err, sizeof(err)),
		 0);
	CHECK_STR(err, "");
	CHECK_EQ(info.entry, 0x100010);
	CHECK_EQ(info.load_lo, 0x100000);
	CHECK_EQ(info.load_hi, 0x104000);
	CHECK_EQ(info.nr_segments, 2);
	CHECK_EQ(probe.entry, info.entry);
	CHECK_EQ(probe.load_lo, info.load_lo);
	CHECK_EQ(probe.load_hi, info.load_hi);
	CHECK_EQ(probe.nr_segments, info.nr_segments);
	CHECK(all_bytes(ram, 0x100000, 0xcc));              /* below: untouched */
	CHECK(all_bytes(ram + 0x100000, 0x200, 0xaa));      /* text */
	CHECK(all_bytes(ram + 0x100200, 0xe00, 0xcc));      /* gap: untouched */
	CHECK(all_bytes(ram + 0x101000, 0x100, 0xbb));      /* data */
	CHECK(all_bytes(ram + 0x101100, 0x2f00, 0));        /* bss zeroed */
	CHECK(all_bytes(ram + 0x104000, RAM_SIZE - 0x104000, 0xcc));
	free(ram);
	free(img);
}

static void test_load_elf64_desc8(void)
{
	check_good_load(true, 8);
}

static void test_load_elf64_desc4(void)
{
	check_good_load(true, 4);
}

static void test_load_elf32_desc4(void)
{
	check_good_load(false, 4);
}

static void test_load_elf32_desc8(void)
{
	check_good_load(false, 8);
}

/* Linux-like notes: several notes before ours, two PT_NOTE segments. */
static void test_notes_among_others(void)
{
	uint8_t n1[256] = { 0 }, n2[256] = { 0 }, d[32];
	size_t l1 = 0, l2 = 0, len;
	struct elf_pvh_info info = { 0 };
	char err[256];

	memset(d, 0x5a, sizeof(d));
	add_note(n1, &l1, "GNU", 3, d, 20, 4);  /* build id */
	add_note(n1, &l1, "Linux", 6, d, 5, 4); /* odd name and desc sizes */
	add_note(n2, &l2, "Xen", 1, d, 8, 4);   /* XEN_ELFNOTE_ENTRY: ignored */
	add_note(n2, &l2, "XenX", 18, d, 4, 4); /* wrong name: ignored */
	wr32(d, 0x200100);
	add_note(n2, &l2, "Xen", 18, d, 4, 4);
	struct tseg segs[] = {
		{ .type = 4, .filesz = l1, .memsz = l1, .align = 4, .data = n1 },
		{ .type = 1, .paddr = 0x200000, .filesz = 0x1000, .memsz = 0x1000, .fill = 1 },
		{ .type = 6 /* PT_PHDR: ignored */, .filesz = 8, .memsz = 8, .fill = 2 },
		{ .type = 4, .filesz = l2, .memsz = l2, .align = 4, .data = n2 },
	};
	uint8_t *img = build_elf(true, 62, segs, ARRAY_SIZE(segs), &len);

	CHECK_EQ(elf_probe_pvh(img, len, "k", RAM_SIZE, LOAD_MIN, &info, err, sizeof(err)), 0);
	CHECK_EQ(info.entry, 0x200100);
	CHECK_EQ(info.nr_segments, 1);
	free(img);
}

/*
 * 8-byte aligned note segment (p_align 8, as for .note.gnu.property): the
 * "Linux" note's descriptor starts at 24, not 20, so only a loader that
 * honours p_align finds the Xen note after it.
 */
static void test_notes_align8(void)
{
	uint8_t n[256] = { 0 }, d[16] = { 0 };
	size_t l = 0, len;
	struct elf_pvh_info info = { 0 };
	char err[256];

	add_note(n, &l, "GNU", 5, d, 16, 8);
	add_note(n, &l, "Linux", 1, d, 4, 8);
	wr32(d, 0x100040);
	add_note(n, &l, "Xen", 18, d, 4, 8);
	struct tseg segs[] = {
		{ .type = 1, .paddr = 0x100000, .filesz = 0x100, .memsz = 0x100, .fill = 1 },
		{ .type = 4, .filesz = l, .memsz = l, .align = 8, .data = n },
	};
	uint8_t *img = build_elf(true, 62, segs, 2, &len);

	CHECK_EQ(elf_probe_pvh(img, len, "k", RAM_SIZE, LOAD_MIN, &info, err, sizeof(err)), 0);
	CHECK_EQ(info.entry, 0x100040);
	free(img);
}

/* The last note's descriptor padding may be cut off by the segment end. */
static void test_note_unpadded_tail(void)
{
	uint8_t n[64] = { 0 }, d[8] = { 0 };
	size_t l = 0, len;
	struct elf_pvh_info info = { 0 };

	add_note(n, &l, "Linux", 1, d, 3, 4); /* desc of 3 bytes: 1 byte padding */
	l = 0;
	wr32(d, 0x100000);
	add_note(n, &l, "Xen", 18, d, 4, 4);
	add_note(n, &l, "Linux", 1, d, 3, 4);
	struct tseg segs[] = {
		{ .type = 1, .paddr = 0x100000, .filesz = 0x100, .memsz = 0x100, .fill = 1 },
		{ .type = 4, .filesz = l - 1, .memsz = l - 1, .align = 4, .data = n },
	};
	uint8_t *img = build_elf(false, 3, segs, 2, &len);

	CHECK_EQ(elf_probe_pvh(img, len, "k", RAM_SIZE, LOAD_MIN, &info, NULL, 0), 0);
	CHECK_EQ(info.entry, 0x100000);
	free(img);
}

static void test_bad_ident(void)
{
	size_t len;
	uint8_t *img = good_image(true, 0x100010, 8, &len);

	expect_fail(img, 3, RAM_SIZE, -XEN_ENOEXEC, "not an ELF file (bad magic)");
	expect_fail(img, 10, RAM_SIZE, -XEN_ENOEXEC, "truncated ELF identification");
	expect_fail(img, 40, RAM_SIZE, -XEN_ENOEXEC, "truncated ELF header (40 bytes)");
	img[4] = 3;
	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC, "unsupported ELF class 3");
	img[4] = 2;
	img[5] = 2;
	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC, "not a little-endian ELF file");
	img[5] = 1;
	img[6] = 0;
	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC, "unsupported ELF version 0");
	img[6] = 1;
	wr16(img + 16, 3);
	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC, "not an executable ELF file (e_type 3");
	wr16(img + 16, 2);
	wr16(img + 18, 40);
	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC, "not an x86 ELF file (e_machine 40)");
	wr16(img + 18, 62);
	img[1] = 'e';
	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC, "not an ELF file (bad magic)");
	img[1] = 'E';
	expect_fail(img, 0, RAM_SIZE, -XEN_ENOEXEC, "not an ELF file (bad magic)");
	free(img);
}

static void test_bad_phdr_table(void)
{
	size_t len;
	uint8_t *img = good_image(true, 0x100010, 8, &len);

	wr16(img + E64_PHNUM, 0);
	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC, "no program headers");
	wr16(img + E64_PHNUM, 65);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL, "too many program headers (65, at most 64)");
	wr16(img + E64_PHNUM, 0xffff);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL, "too many program headers");
	wr16(img + E64_PHNUM, 3);
	wr16(img + E64_PHENTSIZE, 32);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL, "bad program header size 32 (expected 56)");
	wr16(img + E64_PHENTSIZE, 56);
	wr64(img + E64_PHOFF, len);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "program header 0 extends past the end of the file");
	wr64(img + E64_PHOFF, len - 56 - 20);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "program header 1 extends past the end of the file");
	wr64(img + E64_PHOFF, UINT64_MAX - 60); /* offset + i * size overflows */
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "program header 0 extends past the end of the file");
	wr64(img + E64_PHOFF, 64);
	/* The header table itself cut off by a short file. */
	expect_fail(img, 64 + 56 * 2 + 10, RAM_SIZE, -XEN_EINVAL,
		    "program header 2 extends past the end of the file");
	free(img);
}

/* Patch one 64-bit field of program header `ph` in a fresh good image. */
static void fail_patched(unsigned ph, unsigned field, uint64_t val, int want_rc,
			 const char *want_msg)
{
	size_t len;
	uint8_t *img = good_image(true, 0x100010, 8, &len);

	wr64(ph64(img, ph) + field, val);
	expect_fail(img, len, RAM_SIZE, want_rc, want_msg);
	free(img);
}

static void test_bad_segments(void)
{
	fail_patched(2, PH64_FILESZ, 0x3001, -XEN_EINVAL,
		     "segment 2 has p_filesz 0x3001 larger than p_memsz 0x3000");
	fail_patched(2, PH64_FILESZ, 0x2000, -XEN_EINVAL,
		     "segment 2 file data [0x620+0x2000] extends past the end of the file");
	fail_patched(0, PH64_OFFSET, UINT64_MAX - 0x10, -XEN_EINVAL,
		     "segment 0 file data [0xffffffffffffffef+0x200] extends past the end");
	fail_patched(2, PH64_PADDR, 0x3ff000, -XEN_E2BIG,
		     "segment 2 [0x3ff000-0x402000) does not fit in 4 MiB of guest RAM");
	fail_patched(0, PH64_PADDR, 0xff000, -XEN_EINVAL,
		     "segment 0 [0xff000-0xff200) starts below the lowest load address 0x100000");
	fail_patched(2, PH64_PADDR, UINT64_MAX - 0xfff, -XEN_EINVAL,
		     "segment 2 [0xfffffffffffff000+0x3000] wraps around the address space");
	fail_patched(2, PH64_PADDR, 0x100100, -XEN_EINVAL,
		     "segments 0 [0x100000-0x100200) and 2 [0x100100-0x103100) overlap");
	fail_patched(2, PH64_PADDR, 0xfff00, -XEN_EINVAL, "starts below");
	/* Overlap detected even when the later segment is lower. */
	fail_patched(0, PH64_PADDR, 0x103e00, -XEN_EINVAL,
		     "segments 0 [0x103e00-0x104000) and 2 [0x101000-0x104000) overlap");
	/* Segments that merely touch are fine. */
	size_t len;
	uint8_t *img = good_image(true, 0x100010, 8, &len);
	struct elf_pvh_info info;

	wr64(ph64(img, 2) + PH64_PADDR, 0x100200);
	CHECK_EQ(elf_probe_pvh(img, len, "k", RAM_SIZE, LOAD_MIN, &info, NULL, 0), 0);
	CHECK_EQ(info.load_hi, 0x103200);
	/* A segment ending exactly at the end of RAM fits. */
	wr64(ph64(img, 2) + PH64_PADDR, RAM_SIZE - 0x3000);
	CHECK_EQ(elf_probe_pvh(img, len, "k", RAM_SIZE, LOAD_MIN, &info, NULL, 0), 0);
	/* Odd RAM sizes are reported in KiB or bytes. */
	char err[128];
	CHECK_EQ(elf_probe_pvh(img, len, "k", RAM_SIZE - KiB(1), LOAD_MIN, NULL, err,
			       sizeof(err)), -XEN_E2BIG);
	CHECK_CONTAINS(err, "does not fit in 4095 KiB of guest RAM");
	CHECK_EQ(elf_probe_pvh(img, len, "k", RAM_SIZE - 1, LOAD_MIN, NULL, err, sizeof(err)),
		 -XEN_E2BIG);
	CHECK_CONTAINS(err, "does not fit in 4194303 bytes of guest RAM");
	CHECK_EQ(elf_probe_pvh(img, len, "k", 0x1000, 0x2000, NULL, err, sizeof(err)),
		 -XEN_EINVAL);
	CHECK_CONTAINS(err, "lowest load address 0x2000 is above the end of guest RAM 0x1000");
	free(img);
}

static void test_no_load_segments(void)
{
	uint8_t note[64];
	size_t nlen = entry_note(note, 0x100000, 4), len;
	struct tseg segs[] = {
		{ .type = 4, .filesz = nlen, .memsz = nlen, .align = 4, .data = note },
		{ .type = 1, .paddr = 0, .filesz = 0, .memsz = 0 }, /* empty: ignored */
	};
	uint8_t *img = build_elf(true, 62, segs, 2, &len);

	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC, "no loadable (PT_LOAD) segments");
	free(img);
}

static void test_bad_notes(void)
{
	uint8_t n[128] = { 0 }, d[8] = { 0 };
	size_t l = 0, len;
	uint8_t *img;

	/* No note at all. */
	struct tseg plain[] = {
		{ .type = 1, .paddr = 0x100000, .filesz = 0x10, .memsz = 0x10, .fill = 1 },
	};
	img = build_elf(true, 62, plain, 1, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC,
		    "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel");
	free(img);

	/* A Xen note of the wrong type only. */
	add_note(n, &l, "Xen", 1, d, 8, 4);
	struct tseg segs[] = {
		{ .type = 1, .paddr = 0x100000, .filesz = 0x10, .memsz = 0x10, .fill = 1 },
		{ .type = 4, .filesz = l, .memsz = l, .align = 4, .data = n },
	};
	img = build_elf(true, 62, segs, 2, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_ENOEXEC, "no XEN_ELFNOTE_PHYS32_ENTRY note");
	free(img);

	/* Descriptor of a bad size. */
	l = 0;
	add_note(n, &l, "Xen", 18, d, 2, 4);
	segs[1].filesz = segs[1].memsz = l;
	img = build_elf(true, 62, segs, 2, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "XEN_ELFNOTE_PHYS32_ENTRY note in segment 1 has a 2-byte descriptor (expected 4 or 8)");
	free(img);

	/* 8-byte descriptor above 4 GiB. */
	l = 0;
	wr64(d, 0x100000000ull);
	add_note(n, &l, "Xen", 18, d, 8, 4);
	segs[1].filesz = segs[1].memsz = l;
	img = build_elf(true, 62, segs, 2, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "XEN_ELFNOTE_PHYS32_ENTRY 0x100000000 does not fit in 32 bits");
	free(img);

	/* Two notes that disagree. */
	l = 0;
	wr64(d, 0x100000);
	add_note(n, &l, "Xen", 18, d, 4, 4);
	wr64(d, 0x100004);
	add_note(n, &l, "Xen", 18, d, 8, 4);
	segs[1].filesz = segs[1].memsz = l;
	img = build_elf(true, 62, segs, 2, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "conflicting XEN_ELFNOTE_PHYS32_ENTRY notes (0x100000 and 0x100004)");
	free(img);

	/* Entry point in the bss and outside any segment. */
	l = 0;
	wr64(d, 0x100010);
	add_note(n, &l, "Xen", 18, d, 4, 4);
	segs[1].filesz = segs[1].memsz = l;
	segs[0].memsz = 0x1000;
	img = build_elf(true, 62, segs, 2, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "entry point 0x100010 is not inside a loaded segment");
	free(img);
	segs[0].memsz = segs[0].filesz = 0x11;
	img = build_elf(true, 62, segs, 2, &len);
	CHECK_EQ(elf_probe_pvh(img, len, "k", RAM_SIZE, LOAD_MIN, NULL, NULL, 0), 0);
	free(img);
	l = 0;
	wr64(d, 0x80000);
	add_note(n, &l, "Xen", 18, d, 4, 4);
	img = build_elf(true, 62, segs, 2, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "entry point 0x80000 is not inside a loaded segment");
	free(img);
}

static void test_truncated_notes(void)
{
	uint8_t n[64] = { 0 }, d[8] = { 0 };
	size_t l = 0, len;
	uint8_t *img;

	add_note(n, &l, "Xen", 18, d, 4, 4);
	struct tseg segs[] = {
		{ .type = 1, .paddr = 0x100000, .filesz = 0x10, .memsz = 0x10, .fill = 1 },
		{ .type = 4, .filesz = l, .memsz = l, .align = 4, .data = n },
	};

	/* Segment too short for a note header. */
	segs[1].filesz = 8;
	img = build_elf(false, 3, segs, 2, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL, "note 0 in segment 1 is truncated (header)");
	free(img);

	/* Huge namesz: must not overflow or read past the segment. */
	wr32(n, 0xffffffffu);
	segs[1].filesz = l;
	img = build_elf(false, 3, segs, 2, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "note 0 in segment 1 (name 4294967295 bytes, desc 4 bytes) extends past the end of the segment");
	free(img);
	wr32(n, 4);
	wr32(n + 4, 0xfffffffcu);
	img = build_elf(false, 3, segs, 2, &len);
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL, "extends past the end of the segment");
	free(img);
	wr32(n + 4, 4);

	/* Note segment whose file range lies outside the file. */
	img = build_elf(false, 3, segs, 2, &len);
	wr32(img + 52 + 32 + 4, (uint32_t)len - 4); /* phdr 1 p_offset */
	expect_fail(img, len, RAM_SIZE, -XEN_EINVAL,
		    "segment 1 file data");
	free(img);
}

static void test_error_buffer(void)
{
	size_t len;
	uint8_t *img = good_image(true, 0x100010, 8, &len);
	char err[16];

	img[0] = 0;
	memset(err, 'x', sizeof(err));
	CHECK_EQ(elf_probe_pvh(img, len, NULL, RAM_SIZE, LOAD_MIN, NULL, err, 12), -XEN_ENOEXEC);
	CHECK_STR(err, "kernel imag"); /* truncated, NUL-terminated */
	CHECK_EQ(err[12], 'x');
	CHECK_EQ(elf_probe_pvh(img, len, NULL, RAM_SIZE, LOAD_MIN, NULL, err, 16),
		 -XEN_ENOEXEC);
	CHECK_STR(err, "kernel image: n");
	char big[128];
	CHECK_EQ(elf_probe_pvh(img, len, NULL, RAM_SIZE, LOAD_MIN, NULL, big, sizeof(big)),
		 -XEN_ENOEXEC);
	CHECK_STR(big, "kernel image: not an ELF file (bad magic)");
	img[0] = 0x7f;
	CHECK_EQ(elf_load_pvh(img, len, "k", NULL, RAM_SIZE, LOAD_MIN, NULL, big, sizeof(big)),
		 -XEN_EINVAL);
	CHECK_STR(big, "k: no guest RAM to load into");
	CHECK_EQ(elf_probe_pvh(NULL, 0, "k", RAM_SIZE, LOAD_MIN, NULL, big, sizeof(big)),
		 -XEN_EINVAL);
	free(img);
}

/* The real demo guest, when the lead's build has produced it. */
static void test_hello_elf(void)
{
	const char *path = "build/guests/hello.elf";
	FILE *f = fopen(path, "rb");
	struct elf_pvh_info info;
	char err[256];
	size_t len;
	char *img;
	uint8_t *ram;

	if (!f)
		return;
	fclose(f);
	img = unit_read_file(path, &len);
	ram = calloc(1, 64u << 20);
	CHECK_EQ(elf_load_pvh(img, len, "hello.elf", ram, 64u << 20, LOAD_MIN, &info, err,
			      sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "  %s\n", err);
	CHECK(info.nr_segments >= 1);
	CHECK(info.load_lo >= LOAD_MIN);
	CHECK(info.entry >= info.load_lo && info.entry < info.load_hi);
	free(ram);
	free(img);
}

void unit_main(void)
{
	TEST(test_load_elf64_desc8);
	TEST(test_load_elf64_desc4);
	TEST(test_load_elf32_desc4);
	TEST(test_load_elf32_desc8);
	TEST(test_notes_among_others);
	TEST(test_notes_align8);
	TEST(test_note_unpadded_tail);
	TEST(test_bad_ident);
	TEST(test_bad_phdr_table);
	TEST(test_bad_segments);
	TEST(test_no_load_segments);
	TEST(test_bad_notes);
	TEST(test_truncated_notes);
	TEST(test_error_buffer);
	TEST(test_hello_elf);
}
