/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's end of a Xen PV console ring (xen/io/console.h): the
 * consumer of out[]. Pure ring arithmetic over an untrusted page, so it is
 * unit-tested on the host (tests/unit/test_pvcon_ring.c).
 */
#ifndef CORE_PVCON_RING_H
#define CORE_PVCON_RING_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/io/console.h>

/* Receives each byte taken from out[], in order. */
typedef void (*pvcon_put_fn)(void *ctx, char c);

/*
 * Take what the guest produced in ring->out[] since *cons (the consumer
 * index the hypervisor keeps: the guest's out_cons is never read back),
 * hand it to put(), then publish *cons as out_cons. At most one ring's
 * worth (2048 bytes) per call, every index masked with the ring size.
 * Returns the bytes consumed, or -XEN_EINVAL when out_prod is more than a
 * ring ahead of *cons (or behind it): nothing is printed, *cons jumps to
 * out_prod (*bad_prod tells which value) so the next notify starts clean.
 */
long pvcon_ring_drain(struct xencons_interface *ring, uint32_t *cons, pvcon_put_fn put, void *ctx,
		      uint32_t *bad_prod);

#endif
