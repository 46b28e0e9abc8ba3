/* SPDX-License-Identifier: MIT */
/*
 * The names of the capability-set fields, shared by Bolt's `debug = vmx`
 * lines and the capability files the host tests and tools/vmxcaps read.
 */
#include <stddef.h>

#include "arch/vmx_caps.h"
#include "lib/fmt.h"
#include "lib/macros.h"

#define KEY(n, f) { n, offsetof(struct vmx_caps, f), sizeof(((struct vmx_caps *)0)->f) }

const struct vmx_caps_key vmx_caps_keys[] = {
	KEY("cpuid.1.ecx", cpuid1_ecx),
	KEY("cpuid.1.edx", cpuid1_edx),
	KEY("cpuid.maxphyaddr", maxphyaddr),
	KEY("cpuid.linaddr_bits", linaddr_bits),
	KEY("cpuid.xcr0_supported", xcr0_supported),
	KEY("IA32_FEATURE_CONTROL", feature_control),
	KEY("IA32_VMX_BASIC", basic),
	KEY("IA32_VMX_PINBASED_CTLS", pinbased_ctls),
	KEY("IA32_VMX_PROCBASED_CTLS", procbased_ctls),
	KEY("IA32_VMX_EXIT_CTLS", exit_ctls),
	KEY("IA32_VMX_ENTRY_CTLS", entry_ctls),
	KEY("IA32_VMX_MISC", misc),
	KEY("IA32_VMX_CR0_FIXED0", cr0_fixed0),
	KEY("IA32_VMX_CR0_FIXED1", cr0_fixed1),
	KEY("IA32_VMX_CR4_FIXED0", cr4_fixed0),
	KEY("IA32_VMX_CR4_FIXED1", cr4_fixed1),
	KEY("IA32_VMX_VMCS_ENUM", vmcs_enum),
	KEY("IA32_VMX_PROCBASED_CTLS2", procbased_ctls2),
	KEY("IA32_VMX_EPT_VPID_CAP", ept_vpid_cap),
	KEY("IA32_VMX_TRUE_PINBASED_CTLS", true_pinbased_ctls),
	KEY("IA32_VMX_TRUE_PROCBASED_CTLS", true_procbased_ctls),
	KEY("IA32_VMX_TRUE_EXIT_CTLS", true_exit_ctls),
	KEY("IA32_VMX_TRUE_ENTRY_CTLS", true_entry_ctls),
	KEY("IA32_VMX_VMFUNC", vmfunc),
	KEY("IA32_VMX_PROCBASED_CTLS3", procbased_ctls3),
};
const unsigned vmx_caps_nkeys = ARRAY_SIZE(vmx_caps_keys);

uint64_t vmx_caps_get(const struct vmx_caps *c, const struct vmx_caps_key *k)
{
	const unsigned char *p = (const unsigned char *)c + k->offset;

	switch (k->size) {
	case 1:
		return *(const uint8_t *)p;
	case 4:
		return *(const uint32_t *)(const void *)p;
	default:
		return *(const uint64_t *)(const void *)p;
	}
}

void vmx_caps_set(struct vmx_caps *c, const struct vmx_caps_key *k, uint64_t v)
{
	unsigned char *p = (unsigned char *)c + k->offset;

	switch (k->size) {
	case 1:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case 4:
		*(uint32_t *)(void *)p = (uint32_t)v;
		break;
	default:
		*(uint64_t *)(void *)p = v;
		break;
	}
}

void vmx_caps_print(const struct vmx_caps *c, void (*emit)(void *ctx, const char *line), void *ctx)
{
	char line[80];

	for (unsigned i = 0; i < vmx_caps_nkeys; i++) {
		const struct vmx_caps_key *k = &vmx_caps_keys[i];

		bolt_snprintf(line, sizeof(line), "%s = 0x%llx", k->name,
			      (unsigned long long)vmx_caps_get(c, k));
		emit(ctx, line);
	}
}
