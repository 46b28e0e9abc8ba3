/* SPDX-License-Identifier: MIT */
/*
 * Guest page-table walker (see arch/guest_pt.h). Follows Intel SDM Vol. 3A
 * chapter 4 "Paging": §4.1 picks the paging mode from CR0.PG, CR4.PAE,
 * EFER.LMA and CR4.LA57; §4.3 32-bit paging; §4.4 PAE paging; §4.5 4-level
 * and 5-level paging; §4.6 access rights; §4.7 page-fault error codes.
 */
#include "arch/guest_pt.h"
#include "lib/errno.h"
#include "lib/lib.h"

#define CR0_WP (1ULL << 16)
#define CR0_PG (1ULL << 31)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define CR4_SMEP (1ULL << 20)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_US (1ULL << 2)
#define PTE_PS (1ULL << 7)
#define PTE_XD (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL /* bits 51:12 */

/* What the walk accumulates over all levels (§4.6). */
struct gpt_walk {
	bool rw;  /* R/W = 1 in every entry */
	bool us;  /* U/S = 1 in every entry: a user-mode page */
	bool xd;  /* XD = 1 in some entry (with EFER.NXE) */
	uint64_t gpa;
};

/* Bits maxphyaddr..51: reserved in every 64-bit entry (§4.4, §4.5). */
static uint64_t gpt_rsvd_addr(const struct gpt_ctx *c)
{
	unsigned m = c->maxphyaddr ? c->maxphyaddr : 52;

	if (m >= 52)
		return 0;
	return ((1ULL << 52) - 1) & ~((1ULL << m) - 1);
}

static int gpt_read(const struct gpt_ctx *c, uint64_t gpa, void *buf, size_t len)
{
	return c->read_gpa(c->ctx, gpa, buf, len) ? -XEN_EFAULT : 0;
}

/* §4.3: two levels of 4-byte entries; 4 MiB pages when CR4.PSE and PDE.PS. */
static int gpt_walk32(const struct gpt_ctx *c, uint32_t va, struct gpt_walk *w, uint32_t *pfec)
{
	uint32_t pde, pte;
	uint64_t addr = (c->cr3 & 0xfffff000u) + ((va >> 22) & 0x3ff) * 4;

	if (gpt_read(c, addr, &pde, 4))
		return -XEN_EFAULT;
	if (!(pde & PTE_P))
		return -XEN_EFAULT;
	w->rw = pde & PTE_RW;
	w->us = pde & PTE_US;
	w->xd = false; /* no XD bit in 32-bit paging */

	if ((c->cr4 & CR4_PSE) && (pde & PTE_PS)) {
		/*
		 * PSE-36 (Table 4-4): bits 20:13 hold physical bits 39:32, of
		 * which those at or above MAXPHYADDR (capped at 40) and bit 21
		 * are reserved.
		 */
		unsigned m = MAX(MIN(c->maxphyaddr ? c->maxphyaddr : 52, 40u), 32u);
		uint32_t rsvd = (1u << 21) | (((1u << 21) - 1) & ~((1u << (13 + m - 32)) - 1));

		if (pde & rsvd) {
			*pfec |= GPT_PFEC_RSVD | GPT_PFEC_P;
			return -XEN_EFAULT;
		}
		w->gpa = (pde & 0xffc00000u) | ((uint64_t)((pde >> 13) & 0xff) << 32) |
			 (va & 0x3fffff);
		return 0;
	}

	addr = (pde & 0xfffff000u) + ((va >> 12) & 0x3ff) * 4;
	if (gpt_read(c, addr, &pte, 4))
		return -XEN_EFAULT;
	if (!(pte & PTE_P))
		return -XEN_EFAULT;
	w->rw = w->rw && (pte & PTE_RW);
	w->us = w->us && (pte & PTE_US);
	w->gpa = (pte & 0xfffff000u) | (va & 0xfff);
	return 0;
}

/*
 * §4.4 (PAE: levels 2..0, 4 PDPTEs) and §4.5 (4-level: 3..0, 5-level:
 * 4..0). Level n entries map 1 << (12 + 9n) bytes.
 */
static int gpt_walk64(const struct gpt_ctx *c, uint64_t va, int top, bool pae,
		      struct gpt_walk *w, uint32_t *pfec)
{
	bool nxe = c->efer & EFER_NXE;
	uint64_t rsvd_addr = gpt_rsvd_addr(c);
	uint64_t table, e = 0;
	int level;

	/* PAE: CR3 bits 31:5 locate the PDPT (§4.4.1); else bits 51:12 (§4.5). */
	table = pae ? (c->cr3 & 0xffffffe0u) : (c->cr3 & PTE_ADDR & ~rsvd_addr);
	w->rw = w->us = true;
	w->xd = false;

	for (level = top; level >= 0; level--) {
		unsigned shift = 12 + 9 * (unsigned)level;
		uint64_t idx = (va >> shift) & 511;
		bool pdpte_pae = pae && level == 2;
		bool leaf;
		uint64_t rsvd = rsvd_addr;

		if (gpt_read(c, table + idx * 8, &e, 8))
			return -XEN_EFAULT;
		if (!(e & PTE_P))
			return -XEN_EFAULT;

		if (!nxe)
			rsvd |= PTE_XD;
		if (pdpte_pae)
			/* PAE PDPTE (Table 4-8): bits 2:1, 8:5 and 63 reserved. */
			rsvd |= 0x6ULL | 0x1e0ULL | PTE_XD;
		else if (level >= 3)
			rsvd |= PTE_PS; /* PML4E / PML5E: PS is reserved */
		leaf = level == 0 || (!pdpte_pae && level <= 2 && (e & PTE_PS));
		if (leaf && level > 0)
			/* Large pages: address bits below the page size, above PAT (bit 12). */
			rsvd |= ((1ULL << shift) - 1) & ~((1ULL << 13) - 1);
		if (e & rsvd) {
			*pfec |= GPT_PFEC_RSVD | GPT_PFEC_P;
			return -XEN_EFAULT;
		}

		/* PAE PDPTEs carry no access rights (§4.6). */
		if (!pdpte_pae) {
			w->rw = w->rw && (e & PTE_RW);
			w->us = w->us && (e & PTE_US);
			w->xd = w->xd || (nxe && (e & PTE_XD));
		}
		if (leaf) {
			uint64_t size = 1ULL << shift;

			w->gpa = (e & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
			return 0;
		}
		table = e & PTE_ADDR;
	}
	return -XEN_EFAULT; /* not reached: level 0 is always a leaf */
}

/* §4.6: combine the access rights gathered by the walk with CR0.WP, CR4.SMEP. */
static bool gpt_allowed(const struct gpt_ctx *c, const struct gpt_walk *w, unsigned access)
{
	bool user = access & GPT_USER;

	if (user && !w->us)
		return false;
	if ((access & GPT_WRITE) && !w->rw && (user || (c->cr0 & CR0_WP)))
		return false;
	if (access & GPT_FETCH) {
		if (w->xd)
			return false;
		if (!user && w->us && (c->cr4 & CR4_SMEP))
			return false;
	}
	return true;
}

int gpt_translate_pfec(const struct gpt_ctx *c, uint64_t gva, unsigned access, uint64_t *gpa,
		       uint32_t *pfec)
{
	struct gpt_walk w;
	uint32_t code = 0;
	int rc;

	if (!(c->cr0 & CR0_PG)) {
		/* No paging: linear = physical, 32 bits wide (§4.1.1). */
		*gpa = gva & 0xffffffffu;
		return 0;
	}

	if (access & GPT_WRITE)
		code |= GPT_PFEC_W;
	if (access & GPT_USER)
		code |= GPT_PFEC_U;
	if ((access & GPT_FETCH) && (c->efer & EFER_NXE || c->cr4 & CR4_SMEP))
		code |= GPT_PFEC_I;

	if (c->efer & EFER_LMA) {
		/* Canonical: bits 63:47 (or 63:56 with LA57) all equal (§4.5). */
		unsigned bits = (c->cr4 & CR4_LA57) ? 57 : 48;
		int64_t sext = (int64_t)(gva << (64 - bits)) >> (64 - bits);

		if ((uint64_t)sext != gva) {
			if (pfec)
				*pfec = GPT_PFEC_GP;
			return -XEN_EFAULT;
		}
		rc = gpt_walk64(c, gva, bits == 57 ? 4 : 3, false, &w, &code);
	} else if (c->cr4 & CR4_PAE) {
		rc = gpt_walk64(c, gva & 0xffffffffu, 2, true, &w, &code);
	} else {
		rc = gpt_walk32(c, (uint32_t)gva, &w, &code);
	}

	if (!rc && !gpt_allowed(c, &w, access)) {
		code |= GPT_PFEC_P;
		rc = -XEN_EFAULT;
	}
	if (rc) {
		if (pfec)
			*pfec = code;
		return rc;
	}
	*gpa = w.gpa;
	return 0;
}

int gpt_translate(const struct gpt_ctx *c, uint64_t gva, unsigned access, uint64_t *gpa)
{
	return gpt_translate_pfec(c, gva, access, gpa, NULL);
}

/* Bytes from gva to the end of its 4 KiB page, at most len. */
static size_t gpt_chunk(uint64_t gva, size_t len)
{
	uint64_t room = PAGE_SIZE - (gva & (PAGE_SIZE - 1));

	return room < len ? (size_t)room : len;
}

int gpt_copy_from_guest(const struct gpt_ctx *c, void *dst, uint64_t gva, size_t len,
			unsigned access)
{
	uint8_t *out = dst;

	if (len && gva + len - 1 < gva)
		return -XEN_EFAULT;
	while (len) {
		size_t n = gpt_chunk(gva, len);
		uint64_t gpa;

		/* Each page separately: contiguous gvas need not be contiguous gpas. */
		if (gpt_translate(c, gva, access, &gpa) || gpt_read(c, gpa, out, n))
			return -XEN_EFAULT;
		out += n;
		gva += n;
		len -= n;
	}
	return 0;
}

int gpt_copy_to_guest(const struct gpt_ctx *c, uint64_t gva, const void *src, size_t len,
		      unsigned access)
{
	const uint8_t *in = src;
	uint64_t va, gpa;
	size_t left, n;

	access |= GPT_WRITE;
	if (!c->write_gpa || (len && gva + len - 1 < gva))
		return -XEN_EFAULT;
	/* Check every page first so that a fault writes nothing. */
	for (va = gva, left = len; left; va += n, left -= n) {
		n = gpt_chunk(va, left);
		if (gpt_translate(c, va, access, &gpa))
			return -XEN_EFAULT;
	}
	for (va = gva, left = len; left; va += n, left -= n, in += n) {
		n = gpt_chunk(va, left);
		if (gpt_translate(c, va, access, &gpa) || c->write_gpa(c->ctx, gpa, in, n))
			return -XEN_EFAULT;
	}
	return 0;
}
