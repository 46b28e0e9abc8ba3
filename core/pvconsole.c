/* SPDX-License-Identifier: MIT */
/*
 * The PV console of HVM_PARAM_CONSOLE_PFN / HVM_PARAM_CONSOLE_EVTCHN: Bolt
 * plays xenconsoled (docs/abi.md, "PV console"). The ring is a guest-RAM page in the reserved part of
 * the memory map (as Xen's toolstack reserves a special page for it), the
 * port waits unbound for domain 0 as Xen's does for the console daemon,
 * and a send on it drains out[] into the guest's log lines, the same line
 * buffer console_io writes to; so does the guest's stop, whether or not it
 * ever bound the port. There is no console input: in_prod stays 0.
 */
#include <stdint.h>

#include "bolt/bolt.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/pvcon_ring.h"
#include "core/pvconsole.h"
#include "evtchn/evtchn.h"
#include "lib/errno.h"

/* Xen's console daemon runs in domain 0: the port's status names it. */
#define PVCON_REMOTE_DOMID 0

static struct xencons_interface *ring_of(struct guest *g)
{
	return (struct xencons_interface *)(g->ram + BOLT_GUEST_CONSOLE_PAGE);
}

void pvconsole_boot(struct guest *g)
{
	/* guest_load zeroed the RAM, so the ring is clean: all indices 0. */
	g->console_port = 0;
	g->console_cons = 0;
	g->hvm_console_evtchn = 0;
	g->hvm_store_evtchn = 0;
}

/*
 * Xen's toolstack binds the port before the guest starts. Bolt binds it
 * when the guest first asks, so a guest that never uses the PV console
 * keeps the whole port space (and the port numbers it had before).
 */
int pvconsole_open(struct guest *g)
{
	/* An offer to domain 0, as EVTCHNOP_alloc_unbound makes it: lowest free port. */
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = PVCON_REMOTE_DOMID };
	int rc;

	if (g->console_port)
		return 0;
	rc = evtchn_op_alloc_unbound(&g->evtchn, &op);
	if (rc)
		return rc;
	g->console_port = op.port;
	g->hvm_console_evtchn = op.port;
	return 0;
}

static void put(void *ctx, char c)
{
	console_linebuf_putc(ctx, c);
}

void pvconsole_drain(struct guest *g)
{
	uint32_t bad_prod = 0;

	if (pvcon_ring_drain(ring_of(g), &g->console_cons, put, &g->con, &bad_prod) < 0 &&
	    guest_may_log(g))
		log_printf("guest '%s': PV console out_prod 0x%x is not within %u bytes of out_cons: "
			   "output dropped, ring resynchronised",
			   g->cfg->name, bad_prod, (unsigned)sizeof(ring_of(g)->out));
}

void pvconsole_notify(struct guest *g, uint32_t port)
{
	struct evtchn_port info;

	/* Only while the port is still the console's: the guest may have closed and reused it. */
	if (port != g->console_port || evtchn_port_get(&g->evtchn, port, &info) ||
	    info.state != ECS_UNBOUND || info.remote_domid != PVCON_REMOTE_DOMID)
		return;
	pvconsole_drain(g);
}
