/* SPDX-License-Identifier: MIT */
/*
 * Xen-interface bring-up, run by sdk_start before main(): find the Xen
 * CPUID leaves, install the hypercall page, map shared_info and register
 * the event-channel upcall vector. Each step needs the one before it; a
 * failed step is reported on the console and leaves the later features off
 * (their wrappers then return -XEN_ENOSYS), so a guest that never touches
 * event channels still runs.
 *
 * Also the readers of shared_info: bolt_shared_info() and the pvclock.
 */
#include "guests/sdk/sdk-internal.h"
#include <bolt/sdk/evtchn.h>

#include <xen/memory.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

/* Xen's leaves may sit at any 0x100 step; Bolt's own occupy 0x40000000. */
#define XEN_CPUID_FIRST 0x40000000u
#define XEN_CPUID_LAST 0x40010000u
#define XEN_CPUID_STEP 0x100u
#define XEN_CPUID_SIGNATURE "XenVMMXenVMM"

uintptr_t bolt_hypercall_page;

/*
 * Both pages are ordinary .bss RAM until Bolt takes them over: it writes
 * the stubs into the first and replaces the second with shared_info.
 * Not static: C never writes them, and GCC may treat a never-written
 * static as constant zero.
 */
uint8_t sdk_hcall_page[BOLT_PAGE_SIZE] __attribute__((aligned(BOLT_PAGE_SIZE)));
uint8_t sdk_shinfo_page[BOLT_PAGE_SIZE] __attribute__((aligned(BOLT_PAGE_SIZE)));

static struct bolt_xen_state sdk_xen;
static struct shared_info *sdk_shinfo;

const struct bolt_xen_state *bolt_xen(void)
{
	return &sdk_xen;
}

struct shared_info *bolt_shared_info(void)
{
	return sdk_shinfo;
}

/* The leaf holding "XenVMMXenVMM" with at least base + 2 behind it, or 0. */
static uint32_t sdk_xen_cpuid_base(void)
{
	uint32_t base, r[4];
	char sig[13];

	for (base = XEN_CPUID_FIRST; base < XEN_CPUID_LAST; base += XEN_CPUID_STEP) {
		bolt_cpuid(base, 0, r);
		memcpy(sig + 0, &r[1], 4);
		memcpy(sig + 4, &r[2], 4);
		memcpy(sig + 8, &r[3], 4);
		sig[12] = '\0';
		if (strcmp(sig, XEN_CPUID_SIGNATURE) == 0 && r[0] >= base + 2)
			return base;
	}
	return 0;
}

static void sdk_wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
			 : "memory");
}

static bool sdk_setup_hypercall_page(uint32_t base)
{
	uint32_t r[4];
	uint64_t gpa = (uint64_t)(uintptr_t)sdk_hcall_page;

	bolt_cpuid(base + 2, 0, r);
	if (r[0] < 1) {
		sdk_log("sdk: CPUID 0x%x offers no hypercall page; using vmcall", base + 2);
		return false;
	}
	/* Low 12 bits = index of the page to fill: we have only page 0. */
	sdk_wrmsr(r[1], gpa);
	/* An empty page would make every call run into zeroes: check first. */
	if (*(volatile uint8_t *)sdk_hcall_page == 0) {
		sdk_log("sdk: hypercall page at 0x%llx left empty by MSR 0x%x; using vmcall",
			(unsigned long long)gpa, r[1]);
		return false;
	}
	bolt_hypercall_page = (uintptr_t)sdk_hcall_page;
	return true;
}

static bool sdk_map_shared_info(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (xen_pfn_t)((uintptr_t)sdk_shinfo_page >> 12),
	};
	long ret;

	ret = bolt_hypercall5(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			      (unsigned long)(uintptr_t)&xatp, 0, 0, 0);
	if (ret < 0) {
		sdk_log("sdk: XENMEM_add_to_physmap(shared_info, gpfn 0x%llx) failed: %ld; "
			"no event channels", (unsigned long long)xatp.gpfn, ret);
		return false;
	}
	sdk_shinfo = (struct shared_info *)(void *)sdk_shinfo_page;
	return true;
}

static bool sdk_register_upcall(void)
{
	struct xen_hvm_evtchn_upcall_vector uv = { .vcpu = 0, .vector = BOLT_UPCALL_VECTOR };
	struct xen_hvm_param param = {
		.domid = DOMID_SELF,
		.index = HVM_PARAM_CALLBACK_IRQ,
		.value = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | BOLT_UPCALL_VECTOR,
	};
	long ret, ret2;

	/* The gate must exist before Bolt may inject the vector. */
	sdk_idt_set_gate(BOLT_UPCALL_VECTOR, (uint64_t)(uintptr_t)sdk_upcall_entry);
	ret = bolt_hypercall5(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector,
			      (unsigned long)(uintptr_t)&uv, 0, 0, 0);
	if (ret == 0)
		return true;
	ret2 = bolt_hypercall5(__HYPERVISOR_hvm_op, HVMOP_set_param,
			       (unsigned long)(uintptr_t)&param, 0, 0, 0);
	if (ret2 == 0)
		return true;
	sdk_log("sdk: HVMOP_set_evtchn_upcall_vector failed: %ld, "
		"HVM_PARAM_CALLBACK_IRQ failed: %ld; waits will poll", ret, ret2);
	return false;
}

void sdk_xen_init(void)
{
	uint32_t r[4];

	sdk_xen.cpuid_base = sdk_xen_cpuid_base();
	if (!sdk_xen.cpuid_base)
		return; /* not on Xen's ABI: v0 behaviour */
	bolt_cpuid(sdk_xen.cpuid_base + 1, 0, r);
	sdk_xen.version = r[0];
	sdk_xen.hypercall_page = sdk_setup_hypercall_page(sdk_xen.cpuid_base);
	sdk_xen.shared_info = sdk_map_shared_info();
	if (sdk_xen.shared_info)
		sdk_xen.upcall = sdk_register_upcall();
}

uint64_t bolt_now_ns(void)
{
	const volatile struct vcpu_time_info *vt;
	struct vcpu_time_info t;
	uint32_t version;
	uint64_t tsc;

	if (!sdk_shinfo)
		return 0;
	vt = &sdk_shinfo->vcpu_info[0].time;
	/* Seqlock read: an odd or changed version means Bolt was mid-update. */
	do {
		version = vt->version;
		__asm__ volatile("" ::: "memory"); /* x86 keeps loads in order */
		t.tsc_timestamp = vt->tsc_timestamp;
		t.system_time = vt->system_time;
		t.tsc_to_system_mul = vt->tsc_to_system_mul;
		t.tsc_shift = vt->tsc_shift;
		tsc = bolt_rdtsc();
		__asm__ volatile("" ::: "memory");
	} while ((version & 1) || version != vt->version);
	return bolt_pvclock_ns(&t, tsc);
}
