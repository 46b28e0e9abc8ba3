/* SPDX-License-Identifier: MIT */
/*
 * Hypercall arguments behind the guest's own page tables (PSE and PAE
 * builds; the alias that tests/xen/paging.h describes). A hypercall's
 * pointers are guest-virtual: the hypervisor must walk the caller's page
 * tables for every byte, and a struct that straddles a page boundary
 * continues wherever the next page maps, not at the next physical byte.
 */
#include "tests/xen/xc.h"
#include "tests/xen/paging.h"

#include <xen/vcpu.h>

#if XC_PAGING != XC_PAGING_NONE

/*
 * The compiler sees two different constant addresses for one byte: it
 * must not keep a store through one view past a load through the other.
 */
#define XC_BARRIER() __asm__ volatile("" ::: "memory")

/* Virtual address v inside the alias -> the physical address it maps. */
static uintptr_t xc_alias_pa(uintptr_t v)
{
	uintptr_t off = v - XC_ALIAS_VA;

	return off < XC_LARGE ? XC_ALIAS_PA + XC_LARGE + off : XC_ALIAS_PA + (off - XC_LARGE);
}

/*
 * alloc_unbound with its struct at a high virtual address whose physical
 * address is different (and whose identity address, 3 GiB, is no RAM):
 * the port comes back through the alias and is there in the physical copy.
 */
void xc_case_paging_alias(void)
{
	uintptr_t va = XC_ALIAS_VA + 0x1230;
	struct evtchn_alloc_unbound *op = (struct evtchn_alloc_unbound *)va;
	volatile struct evtchn_alloc_unbound *phys = XC_PTR(xc_alias_pa(va));

	memset(op, 0, sizeof(*op));
	op->dom = DOMID_SELF;
	op->remote_dom = DOMID_SELF;
	XC_BARRIER();
	XC_CHECK(phys->remote_dom == DOMID_SELF, "the alias does not map 0x%lx",
		 (unsigned long)xc_alias_pa(va));
	if (!XC_RC("alloc_unbound(struct at 0xc0001230)", xc_evtchn(EVTCHNOP_alloc_unbound, op),
		   0))
		return;
	XC_CHECK(op->port != 0 && phys->port == op->port,
		 "port %u through the alias, %u in the frame it maps", op->port, phys->port);
	XC_RC("close", xc_evtchn(EVTCHNOP_close, &(struct evtchn_close){ .port = op->port }), 0);
}

/*
 * Structs across the alias's middle boundary: their first 8 bytes are the
 * last 8 of one large page, the rest is the first bytes of the frame
 * XC_LARGE below it. EVTCHNOP_status reads dom and port from the first
 * part and writes status and vcpu into the second; get_runstate_info
 * writes its whole struct across. The frame right after the first part
 * (where a hypervisor that assumed physically contiguous pages would
 * write) must stay as it was.
 */
void xc_case_paging_straddle(void)
{
	uintptr_t va = XC_ALIAS_VA + XC_LARGE - 8;
	struct evtchn_status *st = (struct evtchn_status *)va;
	volatile uint8_t *second = XC_PTR(XC_ALIAS_PA);
	volatile uint8_t *next_phys = XC_PTR(xc_alias_pa(va) + 8);
	struct vcpu_runstate_info *ri = (struct vcpu_runstate_info *)va;
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	bool untouched = true;

	if (!XC_RC("bind_ipi", xc_evtchn(EVTCHNOP_bind_ipi, &ipi), 0))
		return;
	memset((void *)(uintptr_t)next_phys, 0xee, 64);
	memset(st, 0, sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = ipi.port;
	XC_BARRIER();
	XC_CHECK(second[0] == 0 && second[8] == 0, "the alias does not map its second half");
	if (XC_RC("status(struct across 0xc0000000 + large page)",
		  xc_evtchn(EVTCHNOP_status, st), 0)) {
		XC_CHECK(st->status == EVTCHNSTAT_ipi && st->vcpu == 0,
			 "status %u vcpu %u across the boundary, want %u and 0", st->status,
			 st->vcpu, EVTCHNSTAT_ipi);
		/* status is at offset 8: the first bytes of the second frame. */
		XC_CHECK(*(volatile uint32_t *)second == EVTCHNSTAT_ipi,
			 "status not in the frame the second page maps");
	}
	memset(ri, 0xa5, sizeof(*ri));
	if (XC_RC("get_runstate_info(struct across the boundary)",
		  xc_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, XC_ULONG(ri), 0,
			       0),
		  0))
		XC_CHECK(ri->state == RUNSTATE_running && ri->time[RUNSTATE_running] != 0 &&
				 ri->time[RUNSTATE_running] != 0xa5a5a5a5a5a5a5a5ull,
			 "runstate across the boundary: state %d, running %llu", ri->state,
			 (unsigned long long)ri->time[RUNSTATE_running]);
	for (unsigned i = 0; i < 64; i++)
		untouched = untouched && next_phys[i] == 0xee;
	XC_CHECK(untouched, "the frame physically after the first page was written");
	XC_RC("close", xc_evtchn(EVTCHNOP_close, &(struct evtchn_close){ .port = ipi.port }), 0);
}

#endif
