/* SPDX-License-Identifier: MIT */
/*
 * The domains event channels can reach, by domid, and which pairs may
 * bind to each other. Both are written at boot, before any guest runs,
 * and only read afterwards, so they need no lock.
 */
#include <stdint.h>
#include <xen/xen.h>

#include "evtchn/evtchn.h"
#include "evtchn/internal.h"
#include "lib/errno.h"

static struct evtchn_domain *domains[EVTCHN_MAX_DOMAINS];
/* allowed[a - 1] bit (b - 1): a and b may bind (kept symmetric). */
static uint64_t allowed[EVTCHN_MAX_DOMAINS];

_Static_assert(EVTCHN_MAX_DOMAINS <= 64, "one uint64_t row per domain");

static bool domid_ok(uint16_t domid)
{
	return domid >= 1 && domid <= EVTCHN_MAX_DOMAINS;
}

int evtchn_domain_register(struct evtchn_domain *d, uint16_t domid)
{
	if (!domid_ok(domid))
		return -XEN_EINVAL;
	domains[domid - 1] = d;
	/* A new domain has no permissions: forget the ones of whatever had this domid. */
	allowed[domid - 1] = 0;
	for (unsigned i = 0; i < EVTCHN_MAX_DOMAINS; i++)
		allowed[i] &= ~(1ULL << (domid - 1));
	return 0;
}

struct evtchn_domain *evtchn_domain_lookup(uint16_t domid)
{
	return domid_ok(domid) ? domains[domid - 1] : NULL;
}

void evtchn_allow_bind(uint16_t domid_a, uint16_t domid_b)
{
	if (!domid_ok(domid_a) || !domid_ok(domid_b))
		return;
	allowed[domid_a - 1] |= 1ULL << (domid_b - 1);
	allowed[domid_b - 1] |= 1ULL << (domid_a - 1);
}

bool evtchn_may_bind(uint16_t domid_a, uint16_t domid_b)
{
	if (!domid_ok(domid_a) || !domid_ok(domid_b))
		return false;
	return domid_a == domid_b || (allowed[domid_a - 1] >> (domid_b - 1) & 1);
}
