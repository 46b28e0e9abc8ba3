/* SPDX-License-Identifier: MIT */
/*
 * PVH ELF loader. The image comes from a file on the ESP and is untrusted:
 * every size and offset is checked with overflow-safe arithmetic before it
 * is used, and guest memory is written only after the whole image has been
 * validated. Only program headers are used (section headers may be
 * stripped), and segments are placed by p_paddr, as Linux's PVH entry
 * expects: its p_vaddr values are high kernel virtual addresses.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <xen/elfnote.h>

#include "lib/bytes.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/fmt.h"
#include "lib/lib.h"

/*
 * The ELF structures are defined here because the only <elf.h> around is
 * glibc's, which the freestanding hypervisor build cannot use. Fields are
 * read byte-wise through the offsets below rather than through structs:
 * the image buffer has no alignment guarantee.
 */
#define EI_NIDENT 16
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define PN_XNUM 0xffffu

#define ELF32_EHDR_SIZE 52u
#define ELF64_EHDR_SIZE 64u
#define ELF32_PHDR_SIZE 32u
#define ELF64_PHDR_SIZE 56u
#define ELF_NHDR_SIZE 12u /* namesz, descsz, type: 32-bit in both classes */

/* One program header, widened to 64 bits whatever the ELF class. */
struct elf_seg {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz, align;
};

struct elf_ctx {
	const uint8_t *img;
	size_t len;
	const char *name;
	char *err;
	size_t errlen;
	bool is64;
	uint64_t phoff;
	unsigned phnum, phentsize;
};

/* a + b, or false on 64-bit overflow. */
static bool add_ok(uint64_t a, uint64_t b, uint64_t *sum)
{
	*sum = a + b;
	return *sum >= a;
}

__attribute__((format(printf, 3, 4)))
static int elf_fail(struct elf_ctx *c, int rc, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->err || !c->errlen)
		return rc;
	n = bolt_snprintf(c->err, c->errlen, "%s: ", c->name);
	if (n < 0 || (size_t)n >= c->errlen)
		return rc;
	va_start(ap, fmt);
	bolt_vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

/* Human-readable size for messages: "4 MiB", "640 KiB" or "12345 bytes". */
static void fmt_size(char *buf, size_t len, uint64_t n)
{
	if (n && IS_ALIGNED(n, MiB(1)))
		bolt_snprintf(buf, len, "%llu MiB", (unsigned long long)(n >> 20));
	else if (n && IS_ALIGNED(n, KiB(1)))
		bolt_snprintf(buf, len, "%llu KiB", (unsigned long long)(n >> 10));
	else
		bolt_snprintf(buf, len, "%llu bytes", (unsigned long long)n);
}

static int elf_check_ehdr(struct elf_ctx *c)
{
	const uint8_t *e = c->img;
	unsigned machine, type, want_phent;

	if (c->len < 4 || e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F')
		return elf_fail(c, -XEN_ENOEXEC, "not an ELF file (bad magic)");
	if (c->len < EI_NIDENT)
		return elf_fail(c, -XEN_ENOEXEC, "truncated ELF identification (%zu bytes)",
				c->len);
	if (e[4] != ELFCLASS32 && e[4] != ELFCLASS64)
		return elf_fail(c, -XEN_ENOEXEC, "unsupported ELF class %u", e[4]);
	if (e[5] != ELFDATA2LSB)
		return elf_fail(c, -XEN_ENOEXEC, "not a little-endian ELF file (EI_DATA %u)",
				e[5]);
	if (e[6] != EV_CURRENT)
		return elf_fail(c, -XEN_ENOEXEC, "unsupported ELF version %u", e[6]);
	c->is64 = e[4] == ELFCLASS64;
	if (c->len < (c->is64 ? ELF64_EHDR_SIZE : ELF32_EHDR_SIZE))
		return elf_fail(c, -XEN_ENOEXEC, "truncated ELF header (%zu bytes)", c->len);

	type = le16(e + 16);
	machine = le16(e + 18);
	if (type != ET_EXEC)
		return elf_fail(c, -XEN_ENOEXEC,
				"not an executable ELF file (e_type %u, expected ET_EXEC)", type);
	if (machine != EM_386 && machine != EM_X86_64)
		return elf_fail(c, -XEN_ENOEXEC,
				"not an x86 ELF file (e_machine %u)", machine);

	if (c->is64) {
		c->phoff = le64(e + 32);
		c->phentsize = le16(e + 54);
		c->phnum = le16(e + 56);
		want_phent = ELF64_PHDR_SIZE;
	} else {
		c->phoff = le32(e + 28);
		c->phentsize = le16(e + 42);
		c->phnum = le16(e + 44);
		want_phent = ELF32_PHDR_SIZE;
	}
	if (c->phnum == 0)
		return elf_fail(c, -XEN_ENOEXEC, "no program headers");
	if (c->phnum == PN_XNUM || c->phnum > ELF_MAX_PHDRS)
		return elf_fail(c, -XEN_EINVAL, "too many program headers (%u, at most %u)",
				c->phnum, ELF_MAX_PHDRS);
	if (c->phentsize != want_phent)
		return elf_fail(c, -XEN_EINVAL, "bad program header size %u (expected %u)",
				c->phentsize, want_phent);
	return 0;
}

/* Read program header i, checking that it lies inside the file. */
static int elf_get_seg(struct elf_ctx *c, unsigned i, struct elf_seg *s)
{
	uint64_t off, end;
	const uint8_t *p;

	if (!add_ok(c->phoff, (uint64_t)i * c->phentsize, &off) ||
	    !add_ok(off, c->phentsize, &end) || end > c->len)
		return elf_fail(c, -XEN_EINVAL,
				"program header %u extends past the end of the file", i);
	p = c->img + off;
	s->type = le32(p);
	if (c->is64) {
		s->offset = le64(p + 8);
		s->paddr = le64(p + 24);
		s->filesz = le64(p + 32);
		s->memsz = le64(p + 40);
		s->align = le64(p + 48);
	} else {
		s->offset = le32(p + 4);
		s->paddr = le32(p + 12);
		s->filesz = le32(p + 16);
		s->memsz = le32(p + 20);
		s->align = le32(p + 28);
	}
	return 0;
}

/* File bytes of a segment must be inside the image. */
static int elf_check_file_range(struct elf_ctx *c, unsigned i, const struct elf_seg *s)
{
	uint64_t end;

	if (!add_ok(s->offset, s->filesz, &end) || end > c->len)
		return elf_fail(c, -XEN_EINVAL,
				"segment %u file data [0x%llx+0x%llx] extends past the end of the file (%zu bytes)",
				i, (unsigned long long)s->offset,
				(unsigned long long)s->filesz, c->len);
	return 0;
}

static int elf_check_load(struct elf_ctx *c, unsigned i, const struct elf_seg *s,
			  uint64_t ram_size, uint64_t min_paddr)
{
	char sz[32];
	uint64_t end;
	int rc;

	if (s->filesz > s->memsz)
		return elf_fail(c, -XEN_EINVAL,
				"segment %u has p_filesz 0x%llx larger than p_memsz 0x%llx", i,
				(unsigned long long)s->filesz, (unsigned long long)s->memsz);
	rc = elf_check_file_range(c, i, s);
	if (rc || !s->memsz) /* an empty segment occupies no memory */
		return rc;
	if (!add_ok(s->paddr, s->memsz, &end))
		return elf_fail(c, -XEN_EINVAL,
				"segment %u [0x%llx+0x%llx] wraps around the address space", i,
				(unsigned long long)s->paddr, (unsigned long long)s->memsz);
	if (s->paddr < min_paddr)
		return elf_fail(c, -XEN_EINVAL,
				"segment %u [0x%llx-0x%llx) starts below the lowest load address 0x%llx",
				i, (unsigned long long)s->paddr, (unsigned long long)end,
				(unsigned long long)min_paddr);
	if (end > ram_size) {
		fmt_size(sz, sizeof(sz), ram_size);
		return elf_fail(c, -XEN_E2BIG,
				"segment %u [0x%llx-0x%llx) does not fit in %s of guest RAM", i,
				(unsigned long long)s->paddr, (unsigned long long)end, sz);
	}
	return 0;
}

/*
 * Look at one note; sets *entry and *found for XEN_ELFNOTE_PHYS32_ENTRY.
 * desc points at descsz bytes already known to be inside the file.
 */
static int elf_take_note(struct elf_ctx *c, unsigned seg, const uint8_t *name,
			 uint32_t namesz, const uint8_t *desc, uint32_t descsz,
			 uint32_t type, uint32_t *entry, bool *found)
{
	uint64_t val;

	if (namesz != 4 || memcmp(name, "Xen", 4) || type != XEN_ELFNOTE_PHYS32_ENTRY)
		return 0;
	if (descsz == 4)
		val = le32(desc);
	else if (descsz == 8)
		val = le64(desc);
	else
		return elf_fail(c, -XEN_EINVAL,
				"XEN_ELFNOTE_PHYS32_ENTRY note in segment %u has a %u-byte descriptor (expected 4 or 8)",
				seg, descsz);
	if (val > UINT32_MAX)
		return elf_fail(c, -XEN_EINVAL,
				"XEN_ELFNOTE_PHYS32_ENTRY 0x%llx does not fit in 32 bits",
				(unsigned long long)val);
	if (*found && *entry != (uint32_t)val)
		return elf_fail(c, -XEN_EINVAL,
				"conflicting XEN_ELFNOTE_PHYS32_ENTRY notes (0x%x and 0x%x)",
				*entry, (uint32_t)val);
	*entry = (uint32_t)val;
	*found = true;
	return 0;
}

/*
 * Walk every note of one PT_NOTE segment. Name and descriptor are padded
 * to 4 bytes (8 when the segment says p_align 8, as the gABI allows for
 * ELF64 notes such as .note.gnu.property); the padding of the very last
 * descriptor may be missing at the end of the segment.
 */
static int elf_scan_notes(struct elf_ctx *c, unsigned seg, const struct elf_seg *s,
			  uint32_t *entry, bool *found)
{
	const uint8_t *p = c->img + s->offset;
	uint64_t left = s->filesz, al = s->align == 8 ? 8 : 4;
	uint64_t desc_off, next;
	uint32_t namesz, descsz, type;
	unsigned idx = 0;
	int rc;

	while (left > 0) {
		if (left < ELF_NHDR_SIZE)
			return elf_fail(c, -XEN_EINVAL,
					"note %u in segment %u is truncated (header)", idx, seg);
		namesz = le32(p);
		descsz = le32(p + 4);
		type = le32(p + 8);
		/* 32-bit sizes widened to 64 bits: none of this can overflow. */
		desc_off = ALIGN_UP(ELF_NHDR_SIZE + (uint64_t)namesz, al);
		if (desc_off + descsz > left)
			return elf_fail(c, -XEN_EINVAL,
					"note %u in segment %u (name %u bytes, desc %u bytes) extends past the end of the segment",
					idx, seg, namesz, descsz);
		rc = elf_take_note(c, seg, p + ELF_NHDR_SIZE, namesz, p + desc_off, descsz,
				   type, entry, found);
		if (rc)
			return rc;
		next = MIN(ALIGN_UP(desc_off + descsz, al), left);
		p += next;
		left -= next;
		idx++;
	}
	return 0;
}

/* Reject any two non-empty PT_LOAD segments whose memory ranges intersect. */
static int elf_check_overlap(struct elf_ctx *c)
{
	struct elf_seg a, b;
	unsigned i, j;

	for (i = 0; i < c->phnum; i++) {
		elf_get_seg(c, i, &a); /* already validated */
		if (a.type != PT_LOAD || !a.memsz)
			continue;
		for (j = i + 1; j < c->phnum; j++) {
			elf_get_seg(c, j, &b);
			if (b.type != PT_LOAD || !b.memsz)
				continue;
			if (a.paddr < b.paddr + b.memsz && b.paddr < a.paddr + a.memsz)
				return elf_fail(c, -XEN_EINVAL,
						"segments %u [0x%llx-0x%llx) and %u [0x%llx-0x%llx) overlap",
						i, (unsigned long long)a.paddr,
						(unsigned long long)(a.paddr + a.memsz), j,
						(unsigned long long)b.paddr,
						(unsigned long long)(b.paddr + b.memsz));
		}
	}
	return 0;
}

static int elf_validate(struct elf_ctx *c, uint64_t ram_size, uint64_t min_paddr,
			struct elf_pvh_info *info)
{
	struct elf_pvh_info out = { .load_lo = UINT64_MAX };
	struct elf_seg s;
	bool found = false, entry_ok = false;
	uint32_t entry = 0;
	unsigned i;
	int rc;

	if (!c->img)
		return elf_fail(c, -XEN_EINVAL, "no image");
	if (min_paddr > ram_size)
		return elf_fail(c, -XEN_EINVAL,
				"lowest load address 0x%llx is above the end of guest RAM 0x%llx",
				(unsigned long long)min_paddr, (unsigned long long)ram_size);
	rc = elf_check_ehdr(c);
	if (rc)
		return rc;
	/* The whole header table first, so a cut-off file is named as such. */
	for (i = 0; i < c->phnum; i++) {
		rc = elf_get_seg(c, i, &s);
		if (rc)
			return rc;
	}

	for (i = 0; i < c->phnum; i++) {
		elf_get_seg(c, i, &s);
		if (s.type == PT_NOTE) {
			rc = elf_check_file_range(c, i, &s);
			if (!rc)
				rc = elf_scan_notes(c, i, &s, &entry, &found);
		} else if (s.type == PT_LOAD) {
			rc = elf_check_load(c, i, &s, ram_size, min_paddr);
			if (!rc && s.memsz) {
				out.nr_segments++;
				out.load_lo = MIN(out.load_lo, s.paddr);
				out.load_hi = MAX(out.load_hi, s.paddr + s.memsz);
			}
		}
		if (rc)
			return rc;
	}
	if (!out.nr_segments)
		return elf_fail(c, -XEN_ENOEXEC, "no loadable (PT_LOAD) segments");
	rc = elf_check_overlap(c);
	if (rc)
		return rc;
	if (!found)
		return elf_fail(c, -XEN_ENOEXEC,
				"no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel");

	/* The entry must be code that the file actually provides, not bss. */
	for (i = 0; i < c->phnum && !entry_ok; i++) {
		elf_get_seg(c, i, &s);
		entry_ok = s.type == PT_LOAD && entry >= s.paddr &&
			   entry - s.paddr < s.filesz;
	}
	if (!entry_ok)
		return elf_fail(c, -XEN_EINVAL,
				"entry point 0x%x is not inside a loaded segment", entry);

	out.entry = entry;
	if (info)
		*info = out;
	return 0;
}

int elf_probe_pvh(const void *image, size_t image_len, const char *name,
		  uint64_t ram_size, uint64_t min_paddr, struct elf_pvh_info *info,
		  char *err, size_t errlen)
{
	struct elf_ctx c = {
		.img = image, .len = image_len, .name = name ? name : "kernel image",
		.err = err, .errlen = errlen,
	};

	if (err && errlen)
		err[0] = '\0';
	return elf_validate(&c, ram_size, min_paddr, info);
}

int elf_load_pvh(const void *image, size_t image_len, const char *name,
		 void *ram, uint64_t ram_size, uint64_t min_paddr,
		 struct elf_pvh_info *info, char *err, size_t errlen)
{
	struct elf_ctx c = {
		.img = image, .len = image_len, .name = name ? name : "kernel image",
		.err = err, .errlen = errlen,
	};
	struct elf_pvh_info out;
	struct elf_seg s;
	uint8_t *dst;
	unsigned i;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!ram)
		return elf_fail(&c, -XEN_EINVAL, "no guest RAM to load into");
	rc = elf_validate(&c, ram_size, min_paddr, &out);
	if (rc)
		return rc;

	for (i = 0; i < c.phnum; i++) {
		elf_get_seg(&c, i, &s);
		if (s.type != PT_LOAD || !s.memsz)
			continue;
		dst = (uint8_t *)ram + s.paddr;
		memcpy(dst, c.img + s.offset, (size_t)s.filesz);
		memset(dst + s.filesz, 0, (size_t)(s.memsz - s.filesz));
	}
	if (info)
		*info = out;
	return 0;
}
