/* SPDX-License-Identifier: MIT */
/*
 * Grant tables v1 for a guest (grant.h): the guest's own table, mapped
 * into an array here, and the map / unmap calls on other guests' grants.
 * The entry protocol is Xen's (xen/grant_table.h, "Introducing a valid
 * entry" and "Invalidating an unused GTF_permit_access entry").
 */
#include <bolt/sdk/base.h>
#include <bolt/sdk/grant.h>
#include <xen/memory.h>

#define GNT_PAGE BOLT_PAGE_SIZE

/* The table's frames, in RAM the guest never uses otherwise. */
static grant_entry_v1_t sdk_gnttab[BOLT_GNTTAB_FRAMES * BOLT_GNTTAB_PER_FRAME]
	__attribute__((aligned(GNT_PAGE)));
static unsigned int sdk_gnttab_frames;

static long gnt_op(unsigned int cmd, void *uop, unsigned int count)
{
	return bolt_hypercall5(__HYPERVISOR_grant_table_op, cmd, (unsigned long)uop, count, 0, 0);
}

int bolt_gnttab_setup(unsigned int nr_frames)
{
	struct gnttab_set_version sv = { .version = 1 };
	long ret;

	if (!nr_frames || nr_frames > BOLT_GNTTAB_FRAMES)
		return -XEN_EINVAL;
	if (!sdk_gnttab_frames) {
		ret = gnt_op(GNTTABOP_set_version, &sv, 1);
		if (ret < 0)
			return (int)ret;
	}
	while (sdk_gnttab_frames < nr_frames) {
		unsigned int i = sdk_gnttab_frames;
		struct xen_add_to_physmap xatp = {
			.domid = DOMID_SELF,
			.space = XENMAPSPACE_grant_table,
			.idx = i,
			.gpfn = (uintptr_t)&sdk_gnttab[i * BOLT_GNTTAB_PER_FRAME] / GNT_PAGE,
		};

		/* Frame i hides our (zero) BSS page; the table starts zeroed each boot. */
		ret = bolt_hypercall5(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				      (unsigned long)&xatp, 0, 0, 0);
		if (ret < 0)
			return (int)ret;
		sdk_gnttab_frames++;
	}
	return 0;
}

unsigned int bolt_gnttab_entries(void)
{
	return sdk_gnttab_frames * BOLT_GNTTAB_PER_FRAME;
}

int bolt_grant_access(grant_ref_t ref, domid_t dom, const void *page, bool readonly)
{
	uintptr_t gfn = (uintptr_t)page / GNT_PAGE;
	grant_entry_v1_t *e;

	if (ref >= bolt_gnttab_entries() || (uintptr_t)page % GNT_PAGE || gfn > UINT32_MAX)
		return -XEN_EINVAL;
	e = &sdk_gnttab[ref];
	if (__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE))
		return -XEN_EBUSY;
	e->frame = (uint32_t)gfn;
	e->domid = dom;
	/*
	 * Xen's rule: frame and domid must be visible before GTF_permit_access
	 * (grant_table.h, "Introducing a valid entry": "2. Write memory barrier
	 * (wmb)"). A release store is that barrier for the flags word.
	 */
	__atomic_store_n(&e->flags,
			 (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
			 __ATOMIC_RELEASE);
	return 0;
}

int bolt_grant_end_access(grant_ref_t ref)
{
	grant_entry_v1_t *e;
	uint16_t flags;

	if (ref >= bolt_gnttab_entries())
		return -XEN_EINVAL;
	e = &sdk_gnttab[ref];
	flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
	/*
	 * One CMPXCHG from a value without GTF_reading / GTF_writing to 0: if
	 * the peer pins the entry in between, the exchange fails and the grant
	 * stays (grant_table.h, "Invalidating an unused GTF_permit_access entry").
	 */
	do {
		if (flags & (GTF_reading | GTF_writing))
			return -XEN_EBUSY;
	} while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_ACQUIRE));
	return 0;
}

int bolt_grant_map(domid_t dom, grant_ref_t ref, void *where, bool readonly,
		   grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (uintptr_t)where,
		.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
		.ref = ref,
		.dom = dom,
	};
	long ret;

	if (!handle || (uintptr_t)where % GNT_PAGE)
		return -XEN_EINVAL;
	ret = gnt_op(GNTTABOP_map_grant_ref, &op, 1);
	if (ret < 0)
		return (int)ret;
	if (op.status == GNTST_okay)
		*handle = op.handle;
	return op.status;
}

int bolt_grant_unmap(grant_handle_t handle, void *where)
{
	struct gnttab_unmap_grant_ref op = { .host_addr = (uintptr_t)where, .handle = handle };
	long ret = gnt_op(GNTTABOP_unmap_grant_ref, &op, 1);

	return ret < 0 ? (int)ret : op.status;
}
