/* SPDX-License-Identifier: MIT */
/*
 * Guest page-table walker: translates guest-virtual (linear) addresses,
 * e.g. hypercall buffer pointers and string-I/O operands, to
 * guest-physical addresses with the permission checks the guest's own MMU
 * would apply (Intel SDM Vol. 3A ch. 4 "Paging"). Guest-physical memory is
 * read and written through callbacks (in the hypervisor: via the guest's
 * EPT; in tests: a fake RAM array).
 *
 * Limitations: accessed/dirty bits are not set; PAE PDPTEs are read from
 * memory rather than from the VMCS PDPTE fields; protection keys, SMAP and
 * CET shadow-stack rules are not applied.
 */
#ifndef ARCH_GUEST_PT_H
#define ARCH_GUEST_PT_H

#include <stddef.h>
#include <stdint.h>

struct gpt_ctx {
	uint64_t cr0, cr3, cr4, efer;
	/* Read/write guest-physical memory: 0 or a negative Xen errno. */
	int (*read_gpa)(void *ctx, uint64_t gpa, void *buf, size_t len);
	void *ctx;
	int (*write_gpa)(void *ctx, uint64_t gpa, const void *buf, size_t len);
	unsigned maxphyaddr; /* guest MAXPHYADDR for reserved-bit checks; 0 = 52 */
};

/* Access kinds (combine). Without GPT_USER the access is supervisor-mode. */
#define GPT_WRITE 1u
#define GPT_USER 2u
#define GPT_FETCH 4u

/* Page-fault error code bits (SDM Vol. 3A §4.7), as reported by gpt_translate_pfec(). */
#define GPT_PFEC_P (1u << 0)     /* protection violation (0: not present) */
#define GPT_PFEC_W (1u << 1)
#define GPT_PFEC_U (1u << 2)
#define GPT_PFEC_RSVD (1u << 3)
#define GPT_PFEC_I (1u << 4)
#define GPT_PFEC_GP (1u << 31)   /* not a #PF: non-canonical address, #GP */

/*
 * Returns 0 and the gpa, or -XEN_EFAULT if a paging-structure entry is not
 * present, the access is not permitted, the address is non-canonical, a
 * reserved bit is set, or a paging structure cannot be read.
 */
int gpt_translate(const struct gpt_ctx *c, uint64_t gva, unsigned access, uint64_t *gpa);

/* Same, also giving the error code to inject on failure (pfec may be NULL). */
int gpt_translate_pfec(const struct gpt_ctx *c, uint64_t gva, unsigned access, uint64_t *gpa,
		       uint32_t *pfec);

/*
 * Copy len bytes at guest-virtual gva into dst, translating page by page.
 * access is checked for every page (GPT_USER for user buffers, ...).
 * Returns 0 or -XEN_EFAULT; on failure dst may be partially written.
 */
int gpt_copy_from_guest(const struct gpt_ctx *c, void *dst, uint64_t gva, size_t len,
			unsigned access);

/*
 * Copy len bytes from src to guest-virtual gva (GPT_WRITE is implied).
 * Every page is translated before anything is written, so a translation
 * fault leaves guest memory unchanged. Returns 0 or -XEN_EFAULT.
 */
int gpt_copy_to_guest(const struct gpt_ctx *c, uint64_t gva, const void *src, size_t len,
		      unsigned access);

#endif
