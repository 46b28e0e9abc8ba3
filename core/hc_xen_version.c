/* SPDX-License-Identifier: MIT */
/*
 * xen_version: what a Xen 4.14 HVM domain without xenstore or PV console
 * would be told. Strings are NUL-padded to the full size of the Xen type.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/version.h>
#include <xen/features.h>

#include "arch/cpu.h"
#include "core/hypercall.h"
#include "lib/errno.h"
#include "lib/lib.h"

/*
 * XENFEAT_* bits of submap 0, only those Bolt really provides (docs/abi.md,
 * xen_version): guests run on EPT with their own page tables (translated
 * physmap, page tables written directly, as Xen says for every HVM/PVH
 * domain); the upcall is Xen's HVM callback vector; the pvclock in
 * vcpu_info is valid for HVM guests and VCPUOP_set_singleshot_timer /
 * stop_periodic_timer back a clock event device on it.
 */
#define BOLT_XENFEATS_0                                                                \
	(1u << XENFEAT_writable_page_tables | 1u << XENFEAT_auto_translated_physmap | \
	 1u << XENFEAT_hvm_callback_vector | 1u << XENFEAT_hvm_safe_pvclock)

static long copy_string_out(struct vcpu *v, uint64_t gva, const char *s, size_t size)
{
	char buf[64];

	/* NUL-padded to the full size of the Xen type, in 64-byte pieces. */
	for (size_t off = 0; off < size; off += sizeof(buf)) {
		size_t n = MIN(sizeof(buf), size - off);
		memset(buf, 0, sizeof(buf));
		size_t len = strlen(s);
		if (off < len)
			memcpy(buf, s + off, MIN(n, len - off));
		if (vcpu_copy_to_guest(v, gva + off, buf, n))
			return -XEN_EFAULT;
	}
	return 0;
}

long hc_xen_version(struct vcpu *v, struct hypercall_args *a)
{
	uint64_t arg = a->a[1];

	switch (a->a[0]) {
	case XENVER_version:
		return 4 << 16 | 14; /* the interface version Bolt implements */
	case XENVER_extraversion:
		return copy_string_out(v, arg, "-bolt", sizeof(xen_extraversion_t));
	case XENVER_compile_info: {
		struct xen_compile_info ci;
		memset(&ci, 0, sizeof(ci));
		strlcpy_ok(ci.compiler, "gcc", sizeof(ci.compiler));
		strlcpy_ok(ci.compile_by, "bolt", sizeof(ci.compile_by));
		strlcpy_ok(ci.compile_domain, "bolt", sizeof(ci.compile_domain));
		strlcpy_ok(ci.compile_date, __DATE__, sizeof(ci.compile_date));
		return vcpu_copy_to_guest(v, arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
	}
	case XENVER_capabilities:
		/* As Xen on x86-64: 32-bit HVM guests without PAE (x86_32) and with it (x86_32p). */
		return copy_string_out(v, arg, "hvm-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p",
				       sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return copy_string_out(v, arg, "bolt", sizeof(xen_changeset_info_t));
	case XENVER_get_features: {
		struct xen_feature_info fi;
		if (vcpu_copy_from_guest(v, &fi, arg, sizeof(fi)))
			return -XEN_EFAULT;
		fi.submap = fi.submap_idx == 0 ? BOLT_XENFEATS_0 : 0;
		return vcpu_copy_to_guest(v, arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
	}
	default:
		return -XEN_ENOSYS;
	}
}
