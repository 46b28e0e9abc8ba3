/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM in EPT with the host's MTRR memory types. With EPT the
 * effective type of a guest access combines the EPT entry's type with the
 * guest's PAT type and ignores the MTRRs (SDM Vol. 3C, 29.3.7.2), so the
 * EPT type must carry what the MTRRs say. On the machines Bolt expects,
 * RAM is WB and this maps it WB in one go; a firmware that left part of it
 * UC (or WT, ...) gets that part mapped the same way, and the caller is told.
 */
#include "arch/ept.h"
#include "arch/mtrr.h"
#include "lib/errno.h"

/* The EPT memory-type field uses the MTRR encodings (SDM Vol. 3C, 29.3.7). */
_Static_assert(EPT_MT_UC == MTRR_TYPE_UC && EPT_MT_WC == MTRR_TYPE_WC &&
		       EPT_MT_WT == MTRR_TYPE_WT && EPT_MT_WP == MTRR_TYPE_WP &&
		       EPT_MT_WB == MTRR_TYPE_WB,
	       "EPT and MTRR memory-type encodings differ");

int ept_map_ram(struct ept *ept, const struct mtrr_state *m, uint64_t gpa, uint64_t hpa,
		uint64_t size, ept_ram_note_fn note, void *ctx)
{
	uint64_t end = hpa + size, run_end;
	int rc = 0;

	if (!size || end < hpa || gpa + size < gpa)
		return -XEN_EINVAL;
	for (uint64_t at = hpa; at < end; at = run_end) {
		unsigned type = mtrr_run(m, at, end, &run_end);

		if (type != MTRR_TYPE_WB && note)
			note(ctx, gpa + (at - hpa), run_end - at, type);
		rc = ept_map(ept, gpa + (at - hpa), at, run_end - at, EPT_RWX, type);
		if (rc)
			break;
	}
	return rc;
}
