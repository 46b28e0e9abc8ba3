/* SPDX-License-Identifier: MIT */
/* Consumer side of a PV console ring's out[] (core/pvcon_ring.h). */
#include <stdint.h>

#include "core/pvcon_ring.h"
#include "lib/errno.h"

#define OUT_SIZE ((uint32_t)sizeof(((struct xencons_interface *)0)->out))
_Static_assert((OUT_SIZE & (OUT_SIZE - 1)) == 0, "out[] is a power of two (MASK_XENCONS_IDX)");

long pvcon_ring_drain(struct xencons_interface *ring, uint32_t *cons, pvcon_put_fn put, void *ctx,
		      uint32_t *bad_prod)
{
	/*
	 * One read of out_prod: the guest may change it at any time, and every
	 * bound below must hold for the value we act on. Acquire pairs with
	 * the guest's write barrier before it advanced out_prod, so the bytes
	 * up to it are visible (Xen's xenconsoled: rmb() after reading prod).
	 */
	uint32_t prod = __atomic_load_n(&ring->out_prod, __ATOMIC_ACQUIRE);
	uint32_t c = *cons, avail = prod - c; /* free-running indices: unsigned wrap is the ABI */

	if (avail > OUT_SIZE) {
		*bad_prod = prod;
		*cons = prod;
		__atomic_store_n(&ring->out_cons, prod, __ATOMIC_RELEASE);
		return -XEN_EINVAL;
	}
	for (uint32_t i = 0; i < avail; i++, c++) {
		/* Each byte read once; the mask keeps the read inside out[]. */
		char ch = __atomic_load_n(&ring->out[c & (OUT_SIZE - 1)], __ATOMIC_RELAXED);

		put(ctx, ch);
	}
	*cons = c;
	/* Release: our reads of out[] are done before the guest may reuse the space. */
	__atomic_store_n(&ring->out_cons, c, __ATOMIC_RELEASE);
	return (long)avail;
}
