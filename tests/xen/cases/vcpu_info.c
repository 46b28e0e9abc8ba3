/* SPDX-License-Identifier: MIT */
/*
 * VCPUOP_register_vcpu_info (xen/vcpu.h): the guest moves its vCPU's
 * vcpu_info out of shared_info into a page of its own. Xen 4.14's answers
 * (map_vcpu_info, common/domain.c): an unreadable argument -EFAULT; an
 * offset with no room for the 64-byte struct, or one not aligned to the
 * guest's xen_ulong_t, -EINVAL; a frame that is not the guest's RAM
 * -EINVAL; a second registration -EINVAL. On success the current contents
 * are copied over (the pvclock in .time) and every selector bit and the
 * upcall flag are set there, so nothing pending is lost; from then on an
 * event marks the new place, not shared_info's vcpu_info[0].
 *
 * Registration is once per boot: this case registers for good, later
 * cases see events in the new place. It maps shared_info over a page of
 * its own (a case that reads shared_info maps it where it wants it).
 * The selector word is checked in 64-bit builds only: its offset in
 * vcpu_info differs between the 32- and 64-bit layouts (abi.md section 13).
 */
#include "tests/xen/xc.h"

#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/vcpu.h>

/* Where the area goes: not at offset 0, to see that the offset is used. */
#define XC_VI_OFFSET 192u
/* A guest-physical address with no RAM behind it (the hole below 4 GiB). */
#define XC_NO_RAM 0xfffff000ul

static uint8_t xc_vi_shinfo[4096] __attribute__((aligned(4096)));
static uint8_t xc_vi_page[4096] __attribute__((aligned(4096)));

static long xc_register(uint64_t gfn, uint32_t offset)
{
	struct vcpu_register_vcpu_info r = { .mfn = gfn, .offset = offset, .rsvd = 0 };

	return xc_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, XC_ULONG(&r), 0,
			    0);
}

static long xc_vi_evtchn(int cmd, void *arg)
{
	return xc_hypercall(__HYPERVISOR_event_channel_op, (unsigned long)cmd, XC_ULONG(arg), 0,
			    0, 0);
}

/* The pending bitmap starts at the same offset in both layouts; bytes avoid the word size. */
static volatile uint8_t *xc_pending_bytes(volatile struct shared_info *s)
{
	return (volatile uint8_t *)s->evtchn_pending;
}

static void xc_vi_args(uint64_t gfn)
{
	long ret;

	XC_RC("register_vcpu_info(offset 4096 - 64 + 8)", xc_register(gfn, 4096 - 64 + 8),
	      -XEN_EINVAL);
	XC_RC("register_vcpu_info(offset 4096)", xc_register(gfn, 4096), -XEN_EINVAL);
	XC_RC("register_vcpu_info(offset 2: misaligned)", xc_register(gfn, 2), -XEN_EINVAL);
	XC_RC("register_vcpu_info(gfn 0: not RAM)", xc_register(0, XC_VI_OFFSET), -XEN_EINVAL);
	XC_RC("register_vcpu_info(gfn in the hole below 4 GiB)",
	      xc_register(XC_NO_RAM >> 12, XC_VI_OFFSET), -XEN_EINVAL);
	ret = xc_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0, XC_NO_RAM, 0, 0);
	XC_RC("register_vcpu_info(argument not readable)", ret, -XEN_EFAULT);
	ret = xc_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, XC_ULONG(xc_vi_page),
			   0, 0);
	XC_RC("register_vcpu_info(vCPU 1, which does not exist)", ret, -XEN_ENOENT);
}

/* Ports per selector bit: the bits of the build's xen_ulong_t. */
#define XC_SEL_BITS (8 * sizeof(xen_ulong_t))

void xc_case_vcpu_info(void)
{
	volatile struct shared_info *s = (volatile struct shared_info *)xc_vi_shinfo;
	volatile struct vcpu_info *vi = (volatile struct vcpu_info *)(xc_vi_page + XC_VI_OFFSET);
	uint64_t gfn = XC_ULONG(xc_vi_page) >> 12;
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (xen_pfn_t)(XC_ULONG(xc_vi_shinfo) >> 12),
	};
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	struct evtchn_send send;
	struct evtchn_close cl;
	long ret;

	if (!XC_RC("add_to_physmap(shared_info)",
		   xc_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XC_ULONG(&xatp), 0,
				0, 0),
		   0))
		return;
	xc_vi_args(gfn);
	memset(xc_vi_page, 0x5a, sizeof(xc_vi_page));
	if (!XC_RC("register_vcpu_info(our page, offset 192)", xc_register(gfn, XC_VI_OFFSET), 0))
		return;
	/* The contents came over, then everything was marked pending there. */
	XC_CHECK(vi->time.tsc_to_system_mul == s->vcpu_info[0].time.tsc_to_system_mul &&
			 vi->time.tsc_to_system_mul != 0,
		 "new vcpu_info.time.tsc_to_system_mul %u, shared_info's %u: not copied",
		 vi->time.tsc_to_system_mul, s->vcpu_info[0].time.tsc_to_system_mul);
	XC_CHECK((vi->time.version & 1) == 0, "new vcpu_info.time.version %u odd",
		 vi->time.version);
	XC_CHECK(vi->evtchn_upcall_pending == 1, "new evtchn_upcall_pending %u, want 1",
		 vi->evtchn_upcall_pending);
	/* The build's own layout: the selector is 4 bytes at offset 4 in 32-bit builds. */
	XC_CHECK(vi->evtchn_pending_sel == (xen_ulong_t)~0ull,
		 "new evtchn_pending_sel 0x%llx, want all ones",
		 (unsigned long long)vi->evtchn_pending_sel);
	XC_CHECK(xc_vi_page[XC_VI_OFFSET - 1] == 0x5a && xc_vi_page[XC_VI_OFFSET + 64] == 0x5a,
		 "bytes around the 64-byte area changed");
	XC_RC("register_vcpu_info again (elsewhere)", xc_register(gfn, 0), -XEN_EINVAL);
	XC_RC("register_vcpu_info again (same place)", xc_register(gfn, XC_VI_OFFSET),
	      -XEN_EINVAL);

	/* An event now marks the new place and leaves shared_info's vcpu_info[0] alone. */
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	s->vcpu_info[0].evtchn_upcall_pending = 0;
	s->vcpu_info[0].evtchn_pending_sel = 0;
	if (!XC_RC("bind_ipi(vcpu 0)", xc_vi_evtchn(EVTCHNOP_bind_ipi, &ipi), 0))
		return;
	send.port = ipi.port;
	ret = xc_vi_evtchn(EVTCHNOP_send, &send);
	XC_RC("send on the IPI port", ret, 0);
	XC_CHECK(xc_pending_bytes(s)[ipi.port / 8] & (1u << (ipi.port % 8)),
		 "port %u not pending in shared_info after the send", ipi.port);
	XC_CHECK(vi->evtchn_upcall_pending == 1,
		 "evtchn_upcall_pending in the registered vcpu_info %u after a send, want 1",
		 vi->evtchn_upcall_pending);
	XC_CHECK(vi->evtchn_pending_sel & ((xen_ulong_t)1 << (ipi.port / XC_SEL_BITS)),
		 "selector bit %u not set in the registered vcpu_info",
		 (unsigned)(ipi.port / XC_SEL_BITS));
	XC_CHECK(s->vcpu_info[0].evtchn_upcall_pending == 0 &&
			 s->vcpu_info[0].evtchn_pending_sel == 0,
		 "the send marked shared_info's vcpu_info[0] (upcall %u, sel 0x%llx)",
		 s->vcpu_info[0].evtchn_upcall_pending,
		 (unsigned long long)s->vcpu_info[0].evtchn_pending_sel);
	cl.port = ipi.port;
	XC_RC("close the IPI port", xc_vi_evtchn(EVTCHNOP_close, &cl), 0);
	xc_pending_bytes(s)[ipi.port / 8] &= (uint8_t)~(1u << (ipi.port % 8));
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
}
