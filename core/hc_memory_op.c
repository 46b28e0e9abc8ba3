/* SPDX-License-Identifier: MIT */
/* memory_op: only XENMEM_add_to_physmap of the shared_info page. */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/memory.h>

#include "bolt/bolt.h"
#include "core/guest.h"
#include "core/hypercall.h"
#include "lib/errno.h"

long hc_memory_op(struct vcpu *v, struct hypercall_args *a)
{
	struct xen_add_to_physmap xatp;
	struct guest *g = v->guest;
	int rc;

	if (a->a[0] != XENMEM_add_to_physmap)
		return -XEN_ENOSYS;
	if (vcpu_copy_from_guest(v, &xatp, a->a[1], sizeof(xatp)))
		return -XEN_EFAULT;
	if (xatp.domid != DOMID_SELF && xatp.domid != g->domid)
		return -XEN_EPERM;
	if (xatp.space != XENMAPSPACE_shared_info)
		return -XEN_ENOSYS; /* no grant tables or foreign mappings in Bolt */
	if (xatp.idx != 0)
		return -XEN_EINVAL;
	/* Only over the guest's own RAM, above the reserved low pages. */
	if (xatp.gpfn < (BOLT_GUEST_RESERVED_END >> 12) || xatp.gpfn >= (g->ram_size >> 12))
		return -XEN_EINVAL;
	/* Not on top of the other hypervisor page the guest may have mapped. */
	if (g->trace_acks_gfn && xatp.gpfn == g->trace_acks_gfn)
		return -XEN_EINVAL;
	if (xatp.gpfn == g->shinfo_gfn)
		return 0; /* already there */
	if (g->page_remaps >= GUEST_PAGE_REMAPS_MAX)
		return -XEN_EBUSY;
	g->page_remaps++;
	rc = guest_arch_map_page(g, xatp.gpfn << 12, g->shinfo);
	if (rc)
		return rc;
	if (g->shinfo_gfn != ~0ULL && g->shinfo_gfn != xatp.gpfn)
		guest_arch_restore_ram_page(g, g->shinfo_gfn << 12); /* moved: old page is RAM again */
	g->shinfo_gfn = xatp.gpfn;
	return 0;
}
