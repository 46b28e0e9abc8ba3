/* SPDX-License-Identifier: MIT */
/*
 * Private to the VM-entry checker (vmentry_check*.c): the state every
 * check reads, the failure report and the small predicates the SDM's
 * rules are written in.
 */
#ifndef ARCH_VMENTRY_CHECK_INTERNAL_H
#define ARCH_VMENTRY_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/vmentry_check.h"

struct vc {
	const struct vmcs_image *img;
	const struct vmx_caps *caps;
	struct vmentry_error *err;
	/*
	 * The controls in force: the secondary controls count only when
	 * "activate secondary controls" is 1 (SDM 25.6.2), so proc2 is 0 else.
	 */
	uint32_t pin, proc, proc2, exit, entry;
	bool ia32e_guest;   /* VM-entry control "IA-32e mode guest" */
	bool unrestricted;  /* secondary control "unrestricted guest" */
};

/* The field's value in the image; 0 when absent (a VMCLEARed VMCS reads 0). */
static inline uint64_t vc_val(const struct vc *c, enum vmcs_field f)
{
	return vmcs_image_val(c->img, f);
}

/*
 * Record the first failure: err->rule becomes "FIELD 0xVALUE <why>".
 * Returns -1 so a check reads `return vc_fail(...)`.
 */
int vc_fail(struct vc *c, const char *sdm, enum vmcs_field f, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Bits 63:N all equal to bit N-1, N = the CPU's linear-address width. */
bool vc_canonical(const struct vc *c, uint64_t a);
/* No bit at or above MAXPHYADDR, nor above bit 31 when IA32_VMX_BASIC[48] limits addresses. */
bool vc_phys_ok(const struct vc *c, uint64_t a);
/* Bits set at or above MAXPHYADDR (CR3, PDPTEs: no IA32_VMX_BASIC[48] limit there). */
bool vc_beyond_maxphy(const struct vc *c, uint64_t a);
/* A 4-KByte-aligned physical address the CPU can reach (the bitmaps, pages). */
int vc_check_page(struct vc *c, const char *sdm, enum vmcs_field f);
/* A field whose low bits must match a fixed-0/fixed-1 MSR pair, or a control MSR. */
int vc_check_fixed(struct vc *c, const char *sdm, enum vmcs_field f, uint64_t must1, uint64_t may1,
		   const char *const *bit_names, const char *must1_msr, const char *may1_msr);
/* IA32_PAT: every byte a memory type PAT supports (0, 1, 4, 5, 6, 7). */
bool vc_pat_valid(uint64_t pat);

extern const char *const vc_cr0_bits[64];
extern const char *const vc_cr4_bits[64];

int vc_check_controls(struct vc *c);      /* 27.2.1 */
int vc_check_host(struct vc *c);          /* 27.2.2-27.2.4 */
int vc_check_guest_regs(struct vc *c);    /* 27.3.1.1, 27.3.1.4 */
int vc_check_guest_segments(struct vc *c);/* 27.3.1.2, 27.3.1.3 */
int vc_check_guest_state(struct vc *c);   /* 27.3.1.5-27.3.1.7 */

/* Architectural bits the rules name (SDM Vol. 3A, 2.5, 2.2.1, 3.4.5, 17.4.1). */
#define VC_CR0_PE (1ULL << 0)
#define VC_CR0_PG (1ULL << 31)
#define VC_CR4_PAE (1ULL << 5)
#define VC_CR4_PCIDE (1ULL << 17)
#define VC_EFER_LME (1ULL << 8)
#define VC_EFER_LMA (1ULL << 10)
/* IA32_EFER bits software may set: SCE, LME, LMA, NXE (Vol. 3A, 2.2.1). */
#define VC_EFER_VALID (0xd01ULL)
#define VC_RFLAGS_TF (1ULL << 8)
#define VC_RFLAGS_IF (1ULL << 9)
#define VC_RFLAGS_VM (1ULL << 17)
/* RFLAGS bits 63:22, 15, 5 and 3 are reserved (27.3.1.4); bit 1 is always 1. */
#define VC_RFLAGS_RESERVED (~0x3fffffULL | (1ULL << 15) | (1ULL << 5) | (1ULL << 3))
#define VC_DEBUGCTL_BTF (1ULL << 1)

#endif
