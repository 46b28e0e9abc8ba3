/* SPDX-License-Identifier: MIT */
/*
 * Connecting the guests as bolt.cfg describes, once every guest exists and
 * before any runs: per-CPU vCPU lists, static event channels, PIO
 * doorbells and shared memory regions.
 */
#include <stdint.h>

#include "config/config.h"
#include "core/console.h"
#include "core/guest.h"
#include "core/lifecycle.h"
#include "core/pcpu.h"
#include "core/send.h"
#include "core/trace.h"
#include "core/wiring.h"
#include "evtchn/evtchn.h"
#include "lib/errno.h"
#include "lib/lib.h"

static enum evtchn_delivery delivery_of(const struct cfg_channel *c, const struct guest *receiver)
{
	int d = c->delivery == CFG_DELIVERY_PER_GUEST ? (int)receiver->cfg->delivery : c->delivery;

	return d == CFG_DELIVERY_LAZY ? EVTCHN_DELIVERY_LAZY : EVTCHN_DELIVERY_IMMEDIATE;
}

/*
 * A channel with an end bound at run time: the end with a port is offered,
 * unbound, to the other guest, which learns where from its command line
 * (` bolt.evtchn=NAME:DOMID:PORT`, core/lifecycle.c) and binds it with
 * EVTCHNOP_bind_interdomain.
 */
static int offer_channel(const struct cfg_channel *c, const char *file)
{
	unsigned owner = c->port[0] ? 0 : 1;
	struct guest *o = &guests[c->guest[owner]], *binder = &guests[c->guest[!owner]];
	int rc = evtchn_offer_static(&o->evtchn, c->port[owner], (uint16_t)binder->domid,
				     delivery_of(c, o), c->trace);

	if (rc) {
		log_printf("%s:%u: channel '%s': cannot offer %s:%u to %s (error %d)", file, c->line,
			   c->name, o->cfg->name, c->port[owner], binder->cfg->name, rc);
		return rc;
	}
	if (binder->nr_bind_chans < ARRAY_SIZE(binder->bind_chans))
		binder->bind_chans[binder->nr_bind_chans++] = c;
	if (c->trace) {
		o->trace_active = binder->trace_active = true;
		trace_enabled = true;
	}
	return 0;
}

static int bind_channels(const struct bolt_config *cfg, const char *file)
{
	for (unsigned i = 0; i < cfg->nr_channels; i++) {
		const struct cfg_channel *c = &cfg->channels[i];
		struct guest *a = &guests[c->guest[0]], *b = &guests[c->guest[1]];
		int rc;

		if (!c->port[0] || !c->port[1]) {
			rc = offer_channel(c, file);
			if (rc)
				return rc;
			continue;
		}
		rc = evtchn_bind_static(&a->evtchn, c->port[0], &b->evtchn, c->port[1],
					delivery_of(c, b), c->trace);

		if (rc) {
			log_printf("%s:%u: channel '%s': cannot bind %s:%u <-> %s:%u (error %d)", file,
				   c->line, c->name, a->cfg->name, c->port[0], b->cfg->name, c->port[1], rc);
			return rc;
		}
		if (c->trace) {
			a->trace_active = b->trace_active = true;
			trace_enabled = true;
		}
		/* Each end's delivery is chosen by its receiver (docs/config.md). */
		evtchn_port_set_delivery(&a->evtchn, c->port[0], delivery_of(c, a));
		evtchn_port_set_delivery(&b->evtchn, c->port[1], delivery_of(c, b));
	}
	return 0;
}

/*
 * Each guest's budget toward each receiver (cfg_pair_budget()): one entry
 * per ordered pair, indexed by the receiver (nr_guests <= CFG_MAX_GUESTS,
 * cfg_parse()), so the table cannot overflow whatever the number of
 * budgeted channels.
 */
static void set_budgets(const struct bolt_config *cfg)
{
	_Static_assert(ARRAY_SIZE(((struct guest *)0)->budgets) >= CFG_MAX_GUESTS,
		       "one budget per receiver");
	for (unsigned s = 0; s < nr_guests; s++) {
		struct guest *g = &guests[s];

		for (unsigned r = 0; r < nr_guests; r++) {
			const struct cfg_channel *c = cfg_pair_budget(cfg, s, r);

			if (!c)
				continue;
			g->budgets[r] = (struct sched_budget){
				.limit = c->budget.events, .period_ns = c->budget.period_ns,
				.channel = c->name,
			};
			g->nr_budgets++;
		}
	}
}

/* Which guests may bind channels to each other ([allow] and [channel]). */
static void allow_binds(const struct bolt_config *cfg)
{
	_Static_assert(CFG_MAX_GUESTS <= 32, "one gnt_peers bit per guest");
	for (unsigned a = 0; a < nr_guests; a++)
		for (unsigned b = a + 1; b < nr_guests; b++)
			if (cfg_may_bind(cfg, a, b))
				evtchn_allow_bind((uint16_t)guests[a].domid, (uint16_t)guests[b].domid);
	/* And which may map and copy each other's grants (`grant`). */
	for (unsigned a = 0; a < nr_guests; a++)
		for (unsigned b = 0; b < nr_guests; b++)
			if (cfg_may_grant(cfg, a, b))
				guests[a].gnt_peers |= 1u << (guests[b].domid - 1);
}

static void add_doorbells(const struct bolt_config *cfg)
{
	for (unsigned i = 0; i < cfg->nr_doorbells; i++) {
		const struct cfg_doorbell *d = &cfg->doorbells[i];
		struct guest *g = &guests[d->guest];

		g->doorbells[g->nr_doorbells].ioport = d->ioport;
		g->doorbells[g->nr_doorbells].port = d->evtchn_port;
		g->nr_doorbells++;
	}
}

static int map_shared_memory(const struct bolt_config *cfg, const char *file,
			     void *(*alloc)(uint64_t bytes))
{
	for (unsigned i = 0; i < cfg->nr_shms; i++) {
		const struct cfg_shm *s = &cfg->shms[i];
		void *mem = alloc(s->size);

		if (!mem) {
			log_printf("%s:%u: shm '%s': cannot allocate %lu KiB", file, s->line, s->name,
				   (unsigned long)(s->size >> 10));
			return -XEN_ENOMEM;
		}
		memset(mem, 0, s->size);
		for (unsigned j = 0; j < s->nr_guests; j++) {
			struct guest *g = &guests[s->guests[j]];
			int rc = guest_arch_map_region(g, s->gpa, mem, s->size, s->writable);

			if (rc) {
				log_printf("%s:%u: shm '%s': cannot map into guest '%s' (error %d)", file,
					   s->line, s->name, g->cfg->name, rc);
				return rc;
			}
			g->shms[g->nr_shms++] = s;
		}
	}
	return 0;
}

int wiring_setup(const struct bolt_config *cfg, const char *file, void *(*alloc)(uint64_t bytes))
{
	int rc;

	for (unsigned i = 0; i < nr_guests; i++) {
		struct guest *g = &guests[i];

		rc = guest_xen_create(g);
		if (rc) {
			log_printf("guest '%s': out of memory for its event channels", g->cfg->name);
			return rc;
		}
		for (unsigned n = 0; n < g->nr_vcpus; n++) {
			struct vcpu *v = &g->vcpus[n];
			struct pcpu *p = v->pcpu;

			p->vcpus[p->nr_vcpus++] = v;
			v->priority = g->cfg->priority;
			v->handover = g->cfg->handover;
			/*
			 * The 1 ms tick runs on a CPU with lazy delivery, on a CPU
			 * shared by several vCPUs, and under a guest with several
			 * vCPUs: there it bounds how long a woken vCPU waits, or a
			 * CPU stopping a sibling (core/vcpu_up.c) waits, if the kick
			 * IPI does not bring the running one out (Bochs never
			 * delivers it to a guest running with IF = 0).
			 */
			if (g->cfg->delivery == CFG_DELIVERY_LAZY || p->nr_vcpus > 1 ||
			    g->nr_vcpus > 1)
				p->lazy = p->rq.timers_changed = true;
		}
	}
	for (unsigned i = 0; i < cfg->nr_channels; i++)
		if (cfg->channels[i].delivery == CFG_DELIVERY_LAZY)
			for (int e = 0; e < 2; e++) {
				struct guest *g = &guests[cfg->channels[i].guest[e]];

				for (unsigned n = 0; n < g->nr_vcpus; n++)
					g->vcpus[n].pcpu->lazy =
						g->vcpus[n].pcpu->rq.timers_changed = true;
			}
	allow_binds(cfg);
	rc = bind_channels(cfg, file);
	if (rc)
		return rc;
	set_budgets(cfg);
	if (trace_enabled)
		trace_init(nr_pcpus);
	add_doorbells(cfg);
	return map_shared_memory(cfg, file, alloc);
}

int guest_doorbell(struct vcpu *v, uint16_t ioport)
{
	struct guest *g = v->guest;

	for (unsigned i = 0; i < g->nr_doorbells; i++) {
		if (g->doorbells[i].ioport == ioport) {
			/* The send itself, inside the hypervisor: KVM's ioeventfd, delivered to the peer. */
			return guest_send(v, g->doorbells[i].port) == -XEN_EAGAIN ? -1 : 1;
		}
	}
	return 0;
}
