/* SPDX-License-Identifier: MIT */
/*
 * Host MTRRs as plain data, and the memory type they give a physical range
 * (SDM Vol. 3A, 12.11 "Memory Type Range Registers"). With EPT the MTRRs
 * no longer apply to guest accesses: the EPT memory type and the guest PAT
 * decide (SDM Vol. 3C, 29.3.7.2 "Memory Type Used for Translated Guest-
 * Physical Addresses"). So Bolt copies the host's MTRR type of each range
 * of guest RAM into its EPT entries: guest and host then agree on how that
 * memory is cached (no aliasing, SDM Vol. 3A 12.12.4), and RAM that the
 * firmware made UC is never turned into WB behind its back, nor the other
 * way round.
 */
#ifndef ARCH_MTRR_H
#define ARCH_MTRR_H

#include <stdint.h>

/* Memory types (SDM Vol. 3A, Table 12-8); the EPT encodings are the same numbers. */
#define MTRR_TYPE_UC 0u
#define MTRR_TYPE_WC 1u
#define MTRR_TYPE_WT 4u
#define MTRR_TYPE_WP 5u
#define MTRR_TYPE_WB 6u
#define MTRR_TYPE_MIXED 0xffu /* a range that spans more than one type */

/* IA32_MTRRCAP (SDM Vol. 3A, 12.11.1). */
#define MTRRCAP_VCNT_MASK 0xffULL
#define MTRRCAP_FIX (1ULL << 8)
#define MTRRCAP_WC (1ULL << 10)

/* IA32_MTRR_DEF_TYPE (SDM Vol. 3A, 12.11.2.1). */
#define MTRR_DEF_TYPE_MASK 0xffULL
#define MTRR_DEF_FE (1ULL << 10)
#define MTRR_DEF_E (1ULL << 11)

/* IA32_MTRR_PHYSBASEn / PHYSMASKn (SDM Vol. 3A, 12.11.2.3). */
#define MTRR_PHYSBASE_TYPE_MASK 0xffULL
#define MTRR_PHYSMASK_V (1ULL << 11)

/* The 11 fixed-range MTRRs, in address order: 64K_00000, 16K_80000, 16K_A0000, 4K_C0000..4K_F8000. */
#define MTRR_NR_FIXED 11
/* Variable pairs sit at MSR 0x200 + 2n, below the first fixed MSR (0x250): at most 40. */
#define MTRR_MAX_VAR 40

struct mtrr_state {
	uint64_t cap;                 /* IA32_MTRRCAP */
	uint64_t def_type;            /* IA32_MTRR_DEF_TYPE */
	uint64_t fixed[MTRR_NR_FIXED];
	uint64_t physbase[MTRR_MAX_VAR];
	uint64_t physmask[MTRR_MAX_VAR];
	unsigned maxphyaddr;          /* CPUID.80000008H:EAX[7:0]; the mask fields end there */
};

/*
 * The memory type of [base, end) as far as it is uniform: returns the type
 * of the byte at base and sets *run_end to the largest address <= end such
 * that all of [base, *run_end) has that type. Requires base < end.
 */
unsigned mtrr_run(const struct mtrr_state *s, uint64_t base, uint64_t end, uint64_t *run_end);

/* The type of [base, base + len), or MTRR_TYPE_MIXED. len 0 gives the type at base. */
unsigned mtrr_range_type(const struct mtrr_state *s, uint64_t base, uint64_t len);

/* "UC", "WC", "WT", "WP", "WB", "mixed", or "reserved". */
const char *mtrr_type_name(unsigned type);

struct ept;
struct guest;

/* Called for each run of RAM that the MTRRs do not make WB (guest-physical range). */
typedef void (*ept_ram_note_fn)(void *ctx, uint64_t gpa, uint64_t size, unsigned type);

/*
 * Map RAM [hpa, hpa + size) at gpa, RWX, each run with the memory type the
 * MTRRs m give it (arch/x86/ept_ram.c). note (may be NULL) hears about
 * every run that is not WB, before it is mapped. Errors are ept_map's,
 * and -XEN_EINVAL for a range that wraps; runs mapped before an error stay.
 */
int ept_map_ram(struct ept *ept, const struct mtrr_state *m, uint64_t gpa, uint64_t hpa,
		uint64_t size, ept_ram_note_fn note, void *ctx);

/* Read the boot CPU's MTRRs and log them (arch/x86/mtrr_host.c); before any guest RAM is mapped. */
void mtrr_host_init(void);

/* Map g's RAM in its EPT with the host MTRRs' types, logging each non-WB run with g's name. */
int ept_map_guest_ram(struct guest *g);

#endif
