/* SPDX-License-Identifier: MIT */
/*
 * grant: grant tables v1 between two guests, against Xen's return values
 * (docs/abi.md, "Grant tables"). One image, the role on the command line:
 *   role=granter          domid 1: versions, query_size, setup_table, the
 *                         grant-table frame, grants a page read-write and one
 *                         read-only to domid 2 and one to domid 3, and checks
 *                         what the mapper does is visible in its entries and page
 *   role=mapper           domid 2: maps, reads and writes both ways, unmaps,
 *                         copies, and every refusal (bad ref, flags, domain,
 *                         address, handle, bolt.cfg permission, maptrack limit)
 *   role=restart-granter last=N    (hostile) grants a page, ends and renews
 *                         access in a loop, reboots until boot N
 *   role=restart-mapper   (hostile) maps, writes, unmaps in a loop while the
 *                         granter restarts, keeping some mappings held across
 *                         a restart so that Bolt must revoke them
 * Domid 3 is a guest with no `grant` line toward either.
 */
#include "grant.h"

unsigned failures;
const char *role_name = "grant";

long gnttab_op(unsigned cmd, void *uop, unsigned count)
{
	return bolt_hypercall5(__HYPERVISOR_grant_table_op, cmd, (unsigned long)uop, count, 0, 0);
}

long add_grant_frame(unsigned long idx, void *where)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = idx, .gpfn = GFN(where),
	};

	return bolt_hypercall5(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, (unsigned long)&xatp,
			       0, 0, 0);
}

int map_ref(domid_t dom, grant_ref_t ref, void *where, uint32_t flags, grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (uintptr_t)where, .flags = flags, .ref = ref, .dom = dom, .status = 99,
	};
	long rc = gnttab_op(GNTTABOP_map_grant_ref, &op, 1);

	if (rc)
		return (int)rc;
	if (handle)
		*handle = op.handle;
	return op.status;
}

int unmap_handle(grant_handle_t handle, void *where)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = (uintptr_t)where, .handle = handle, .status = 99,
	};
	long rc = gnttab_op(GNTTABOP_unmap_grant_ref, &op, 1);

	return rc ? (int)rc : op.status;
}

int copy_op(struct gnttab_copy *c)
{
	long rc;

	c->status = 99;
	rc = gnttab_op(GNTTABOP_copy, c, 1);
	return rc ? (int)rc : c->status;
}

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	char role[32];
	uint64_t n = 0;
	int rc;

	if (bolt_cmdline_get(si, "role", role, sizeof(role)) < 0) {
		printf("RESULT grant FAIL: no role= on the command line\n");
		return 1;
	}
	bolt_cmdline_get_u64(si, "n", &n);
	role_name = role;
	if (!strcmp(role, "granter"))
		rc = role_granter();
	else if (!strcmp(role, "mapper"))
		rc = role_mapper();
	else if (!strcmp(role, "restart-granter"))
		rc = role_restart_granter(n);
	else if (!strcmp(role, "restart-mapper"))
		rc = role_restart_mapper(n);
	else
		rc = -1;
	printf("RESULT grant-%s %s (%u failures)\n", role, rc || failures ? "FAIL" : "PASS",
	       failures);
	return rc || failures ? 1 : 0;
}
