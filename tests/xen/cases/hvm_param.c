/* SPDX-License-Identifier: MIT */
/*
 * HVMOP_set_param / HVMOP_get_param of HVM_PARAM_CALLBACK_IRQ (xen/hvm/params.h):
 * nothing registered at boot reads 0; a vector callback (type 2 in bits
 * 63:56) reads back as written; 0 unregisters it. An index at or above
 * HVM_NR_PARAMS is -EINVAL.
 *
 * Interrupts stay off in this guest (EFLAGS.IF = 0), so a registered
 * vector is never delivered here.
 */
#include "tests/xen/xc.h"

#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define XC_TEST_VECTOR 0xf3u
/* The type is val[63:56] (HVM_PARAM_CALLBACK_IRQ_TYPE_MASK). */
#define XC_CALLBACK_TYPE_SHIFT 56

static long xc_hvm_param(int op, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index, .value = *value };
	long ret = xc_hypercall(__HYPERVISOR_hvm_op, (unsigned long)op, XC_ULONG(&p), 0, 0, 0);

	*value = p.value;
	return ret;
}

void xc_case_hvm_param(void)
{
	uint64_t cb = (uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << XC_CALLBACK_TYPE_SHIFT | XC_TEST_VECTOR;
	uint64_t v = ~0ull;

	if (XC_RC("get_param(CALLBACK_IRQ) at boot",
		  xc_hvm_param(HVMOP_get_param, HVM_PARAM_CALLBACK_IRQ, &v), 0))
		XC_CHECK(v == 0, "CALLBACK_IRQ reads 0x%llx before anything set it",
			 (unsigned long long)v);

	v = cb;
	XC_RC("set_param(CALLBACK_IRQ, vector 0xf3)",
	      xc_hvm_param(HVMOP_set_param, HVM_PARAM_CALLBACK_IRQ, &v), 0);
	v = 0;
	if (XC_RC("get_param(CALLBACK_IRQ) after set",
		  xc_hvm_param(HVMOP_get_param, HVM_PARAM_CALLBACK_IRQ, &v), 0))
		XC_CHECK(v == cb, "CALLBACK_IRQ reads 0x%llx, set 0x%llx", (unsigned long long)v,
			 (unsigned long long)cb);

	v = 0;
	XC_RC("set_param(CALLBACK_IRQ, 0)",
	      xc_hvm_param(HVMOP_set_param, HVM_PARAM_CALLBACK_IRQ, &v), 0);
	v = ~0ull;
	if (XC_RC("get_param(CALLBACK_IRQ) after clearing",
		  xc_hvm_param(HVMOP_get_param, HVM_PARAM_CALLBACK_IRQ, &v), 0))
		XC_CHECK(v == 0, "CALLBACK_IRQ reads 0x%llx after set to 0", (unsigned long long)v);

	v = 0;
	XC_RC("get_param(HVM_NR_PARAMS)", xc_hvm_param(HVMOP_get_param, HVM_NR_PARAMS, &v),
	      -XEN_EINVAL);
	XC_RC("hvm_op(0x7fff)", xc_hypercall(__HYPERVISOR_hvm_op, 0x7fff, XC_ULONG(&v), 0, 0, 0),
	      -XEN_ENOSYS);
}
