/* SPDX-License-Identifier: MIT */
/*
 * CPUID discovery and HYPERVISOR_xen_version (xen/version.h): the values
 * Xen documents, the CPUID leaves agreeing with the hypercall, and output
 * that stays inside the buffer the header sizes it to.
 */
#include "tests/xen/xc.h"

#include <xen/version.h>
#include <xen/features.h>

#define XC_GUARD 0xa5

static long xc_xen_version(int cmd, void *arg)
{
	return xc_hypercall(__HYPERVISOR_xen_version, (unsigned long)cmd, XC_ULONG(arg), 0, 0, 0);
}

/* CPUID.1:ECX bit 31 is the hypervisor bit; leaves as xc_xen_init found them. */
void xc_case_cpuid(void)
{
	uint32_t r[4];

	xc_cpuid(1, 0, r);
	XC_CHECK(r[2] & (1u << 31), "CPUID.1:ECX.hypervisor (bit 31) is clear");
	XC_CHECK(xc_xen.base % 0x100 == 0, "Xen leaves at 0x%x, not a 0x100 step", xc_xen.base);
	XC_CHECK(xc_xen.max_leaf >= xc_xen.base + 2 && xc_xen.max_leaf < xc_xen.base + 0x100,
		 "highest Xen leaf 0x%x, base 0x%x", xc_xen.max_leaf, xc_xen.base);
	XC_CHECK(xc_xen.version >> 16 >= 3, "CPUID base+1 version 0x%x is not Xen 3 or later",
		 xc_xen.version);
	XC_CHECK(xc_xen.hcall_pages >= 1, "CPUID base+2 EAX (hypercall pages) is 0");
}

void xc_case_version(void)
{
	long v = xc_xen_version(XENVER_version, NULL);

	XC_CHECK(v > 0, "XENVER_version returned %ld", v);
	XC_CHECK(((unsigned long)v >> 16) >= 3, "XENVER_version 0x%lx: major below 3",
		 (unsigned long)v);
	XC_CHECK((unsigned long)v == xc_xen.version,
		 "XENVER_version 0x%lx differs from CPUID leaf 0x%x EAX 0x%x", (unsigned long)v,
		 xc_xen.base + 1, xc_xen.version);
	/* Xen returns -ENOSYS for a command it does not know. */
	XC_RC("xen_version(0x7fff)", xc_xen_version(0x7fff, NULL), -XEN_ENOSYS);
}

/*
 * XENVER_get_features: submap 0 carries XENFEAT_hvm_callback_vector for a
 * guest that may use the vector callback (HVMOP_set_param of
 * HVM_PARAM_CALLBACK_IRQ with type 2), which Xen offers every HVM/PVH
 * guest. Beyond XENFEAT_NR_SUBMAPS Xen gives -EINVAL; a 0 submap tells a
 * guest the same (no features), so either is accepted.
 */
void xc_case_version_features(void)
{
	struct xen_feature_info fi = { .submap_idx = 0, .submap = 0xdeadbeef };
	long ret;

	XC_RC("XENVER_get_features(0)", xc_xen_version(XENVER_get_features, &fi), 0);
	XC_CHECK(fi.submap_idx == 0, "submap_idx changed to %u", fi.submap_idx);
	XC_CHECK(fi.submap != 0xdeadbeef, "submap 0 not written");
	XC_CHECK(fi.submap & (1u << XENFEAT_hvm_callback_vector),
		 "submap 0 = 0x%x lacks XENFEAT_hvm_callback_vector", fi.submap);
	fi = (struct xen_feature_info){ .submap_idx = XENFEAT_NR_SUBMAPS, .submap = 0xdeadbeef };
	ret = xc_xen_version(XENVER_get_features, &fi);
	XC_CHECK(ret == -XEN_EINVAL || (ret == 0 && fi.submap == 0),
		 "XENVER_get_features(%u) returned %ld, submap 0x%x: want -EINVAL or an empty map",
		 XENFEAT_NR_SUBMAPS, ret, fi.submap);
}

/* Writes at most size bytes, NUL-terminated inside them; the guard after stays. */
static void xc_check_string(const char *what, int cmd, size_t size)
{
	static unsigned char buf[1024 + 64];
	long ret;

	memset(buf, XC_GUARD, sizeof(buf));
	ret = xc_xen_version(cmd, buf);
	if (!XC_RC(what, ret, 0))
		return;
	XC_CHECK(strnlen((const char *)buf, size) < size, "%s: no NUL in its %u bytes", what,
		 (unsigned)size);
	for (size_t i = size; i < sizeof(buf); i++) {
		if (!XC_CHECK(buf[i] == XC_GUARD, "%s wrote byte %u, past its %u-byte type", what,
			      (unsigned)i, (unsigned)size))
			break;
	}
	xc_log("xen: %s = \"%s\"", what, (const char *)buf);
}

void xc_case_version_strings(void)
{
	struct xen_compile_info ci;
	static char caps[sizeof(xen_capabilities_info_t)];

	xc_check_string("XENVER_extraversion", XENVER_extraversion, sizeof(xen_extraversion_t));
	xc_check_string("XENVER_changeset", XENVER_changeset, sizeof(xen_changeset_info_t));
	xc_check_string("XENVER_capabilities", XENVER_capabilities,
			sizeof(xen_capabilities_info_t));

	/* Each field of xen_compile_info is a NUL-terminated string. */
	memset(&ci, XC_GUARD, sizeof(ci));
	if (XC_RC("XENVER_compile_info", xc_xen_version(XENVER_compile_info, &ci), 0)) {
		XC_CHECK(strnlen(ci.compiler, sizeof(ci.compiler)) < sizeof(ci.compiler),
			 "compile_info.compiler not NUL-terminated");
		XC_CHECK(strnlen(ci.compile_by, sizeof(ci.compile_by)) < sizeof(ci.compile_by),
			 "compile_info.compile_by not NUL-terminated");
		XC_CHECK(strnlen(ci.compile_domain, sizeof(ci.compile_domain)) <
				 sizeof(ci.compile_domain),
			 "compile_info.compile_domain not NUL-terminated");
		XC_CHECK(strnlen(ci.compile_date, sizeof(ci.compile_date)) <
				 sizeof(ci.compile_date),
			 "compile_info.compile_date not NUL-terminated");
	}

	/* A guest must find its own ABI (xc_arch_caps, e.g. hvm-3.0-x86_64) among the capabilities. */
	if (XC_RC("XENVER_capabilities", xc_xen_version(XENVER_capabilities, caps), 0)) {
		const char *want = xc_arch_caps;
		size_t wl = strlen(want), n = strnlen(caps, sizeof(caps));
		bool found = false;

		for (size_t i = 0; i + wl <= n && !found; i++)
			found = memcmp(caps + i, want, wl) == 0 &&
				(i + wl == n || caps[i + wl] == ' ') && (i == 0 || caps[i - 1] == ' ');
		XC_CHECK(found, "capabilities \"%s\" lack %s", caps, want);
	}
}
