/* SPDX-License-Identifier: MIT */
/*
 * Capability files: parse one machine's VMX capability set and check it
 * against what the SDM guarantees of every real CPU (Vol. 3D, Appendix A),
 * so a typo in test data fails loudly instead of testing an impossible CPU.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tools/vmxcaps.h"

#define LINE_MAX_LEN 256

/* Control bits that decide which optional MSRs exist (A.3.2, A.3.3, A.10, A.11). */
#define PROC_ACTIVATE_TERTIARY (1U << 17)
#define PROC_ACTIVATE_SECONDARY (1U << 31)
#define PROC2_EPT (1U << 1)
#define PROC2_VPID (1U << 5)
#define PROC2_VMFUNC (1U << 13)

/*
 * The MSRs a CPU may lack: the SDM makes each one's existence depend on a
 * control (see vmxcaps_consistent), so a file may leave them out.
 */
static bool key_optional(const struct vmx_caps_key *k)
{
	static const size_t opt[] = {
		offsetof(struct vmx_caps, procbased_ctls2),
		offsetof(struct vmx_caps, ept_vpid_cap),
		offsetof(struct vmx_caps, true_pinbased_ctls),
		offsetof(struct vmx_caps, true_procbased_ctls),
		offsetof(struct vmx_caps, true_exit_ctls),
		offsetof(struct vmx_caps, true_entry_ctls),
		offsetof(struct vmx_caps, vmfunc),
		offsetof(struct vmx_caps, procbased_ctls3),
	};

	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		if (k->offset == opt[i])
			return true;
	return false;
}

static const struct vmx_caps_key *key_find(const char *name, unsigned *idx)
{
	for (unsigned i = 0; i < vmx_caps_nkeys; i++) {
		if (!strcmp(vmx_caps_keys[i].name, name)) {
			*idx = i;
			return &vmx_caps_keys[i];
		}
	}
	return NULL;
}

/* "0x" hexadecimal or decimal, all of s, no sign; false on anything else or overflow. */
static bool parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* One "KEY = VALUE" line (comment already cut off, trimmed, not empty). */
static int parse_line(const char *path, unsigned lineno, char *s, struct vmx_caps *c,
		      unsigned *seen, char *err, size_t errlen)
{
	const struct vmx_caps_key *k;
	char *eq = strchr(s, '='), *name, *val;
	unsigned idx;
	uint64_t v;

	if (!eq) {
		snprintf(err, errlen, "%s:%u: expected KEY = VALUE", path, lineno);
		return -EINVAL;
	}
	*eq = '\0';
	name = trim(s);
	val = trim(eq + 1);
	k = key_find(name, &idx);
	if (!k) {
		snprintf(err, errlen, "%s:%u: unknown key '%s'", path, lineno, name);
		return -EINVAL;
	}
	if (seen[idx]) {
		snprintf(err, errlen, "%s:%u: duplicate key %s (first at line %u)", path, lineno,
			 name, seen[idx]);
		return -EINVAL;
	}
	if (!parse_u64(val, &v)) {
		snprintf(err, errlen, "%s:%u: bad number '%s' for %s", path, lineno, val, name);
		return -EINVAL;
	}
	if (k->size < 8 && v >> (8 * k->size)) {
		snprintf(err, errlen, "%s:%u: %s = %s does not fit in %u bits", path, lineno, name,
			 val, 8 * k->size);
		return -EINVAL;
	}
	seen[idx] = lineno;
	vmx_caps_set(c, k, v);
	return 0;
}

int vmxcaps_load(const char *path, struct vmx_caps *c, char *err, size_t errlen)
{
	unsigned seen[64] = { 0 }; /* line of each key's definition, 0 if none yet */
	char line[LINE_MAX_LEN];
	unsigned lineno = 0;
	int rc = 0;
	FILE *f;

	memset(c, 0, sizeof(*c));
	if (vmx_caps_nkeys > sizeof(seen) / sizeof(seen[0])) {
		snprintf(err, errlen, "%s: too many keys", path);
		return -EINVAL;
	}
	f = fopen(path, "r");
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	while (fgets(line, sizeof(line), f)) {
		char *hash, *s;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line longer than %d characters", path, lineno,
				 LINE_MAX_LEN - 2);
			rc = -EINVAL;
			goto out;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		s = trim(line);
		if (!*s)
			continue;
		rc = parse_line(path, lineno, s, c, seen, err, errlen);
		if (rc)
			goto out;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -EIO;
		goto out;
	}
	for (unsigned i = 0; i < vmx_caps_nkeys; i++) {
		if (!seen[i] && !key_optional(&vmx_caps_keys[i])) {
			snprintf(err, errlen, "%s: missing required key %s", path,
				 vmx_caps_keys[i].name);
			rc = -EINVAL;
			goto out;
		}
	}
out:
	fclose(f);
	return rc;
}

/* A control MSR: every must-be-1 bit (31:0) is allowed to be 1 (63:32) (A.3-A.5). */
static bool ctl_ok(const char *name, uint64_t msr, char *err, size_t errlen)
{
	uint32_t bad = vmx_ctl_must1(msr) & ~vmx_ctl_may1(msr);

	if (bad)
		snprintf(err, errlen, "%s = %#llx: must-be-1 bits %#x are not allowed to be 1", name,
			 (unsigned long long)msr, bad);
	return !bad;
}

/*
 * A TRUE_* MSR reports the same allowed-1 settings as the default one and
 * may only relax its must-be-1 (default1) bits to 0 (A.3.1, A.3.2, A.4, A.5).
 */
static bool true_ok(const char *name, uint64_t tru, uint64_t def, char *err, size_t errlen)
{
	if (!ctl_ok(name, tru, err, errlen))
		return false;
	if (vmx_ctl_may1(tru) != vmx_ctl_may1(def)) {
		snprintf(err, errlen, "%s: allowed-1 %#x differs from the default MSR's %#x", name,
			 vmx_ctl_may1(tru), vmx_ctl_may1(def));
		return false;
	}
	if (vmx_ctl_must1(tru) & ~vmx_ctl_must1(def)) {
		snprintf(err, errlen, "%s: must-be-1 %#x has bits the default MSR's %#x lacks", name,
			 vmx_ctl_must1(tru), vmx_ctl_must1(def));
		return false;
	}
	return true;
}

/* An optional MSR is nonzero exactly when the SDM says it exists. */
static bool presence_ok(const char *name, uint64_t v, bool exists, const char *why, char *err,
			size_t errlen)
{
	if (exists && !v)
		snprintf(err, errlen, "%s is missing (0) but %s", name, why);
	else if (!exists && v)
		snprintf(err, errlen, "%s = %#llx is present but it exists only when %s", name,
			 (unsigned long long)v, why);
	return exists == (v != 0);
}

static bool fixed_ok(const char *name, uint64_t fixed0, uint64_t fixed1, char *err, size_t errlen)
{
	/* A.7, A.8: a bit fixed to 1 is also allowed to be 1. */
	if (fixed0 & ~fixed1) {
		snprintf(err, errlen, "%s_FIXED0 = %#llx has bits %#llx that %s_FIXED1 = %#llx lacks",
			 name, (unsigned long long)fixed0, (unsigned long long)(fixed0 & ~fixed1),
			 name, (unsigned long long)fixed1);
		return false;
	}
	return true;
}

/* Every rule of vmxcaps_consistent; false with the first violation in err. */
static bool caps_ok(const struct vmx_caps *c, char *err, size_t errlen)
{
	uint32_t proc1 = vmx_ctl_may1(c->procbased_ctls);
	bool has2 = proc1 & PROC_ACTIVATE_SECONDARY;
	uint32_t proc2 = has2 ? vmx_ctl_may1(c->procbased_ctls2) : 0;
	bool has_true = c->basic & VMX_BASIC_TRUE_CTLS;

	/* Appendix A: the capability MSRs exist only when CPUID.1:ECX.VMX[5] = 1. */
	if (!(c->cpuid1_ecx & (1U << 5))) {
		snprintf(err, errlen, "cpuid.1.ecx = %#x: VMX (bit 5) is clear", c->cpuid1_ecx);
		return false;
	}
	if (!c->basic) {
		snprintf(err, errlen, "IA32_VMX_BASIC is 0");
		return false;
	}
	if (c->maxphyaddr < 32 || c->maxphyaddr > 52 ||
	    (c->linaddr_bits != 48 && c->linaddr_bits != 57)) {
		snprintf(err, errlen, "cpuid.maxphyaddr = %u / cpuid.linaddr_bits = %u out of range",
			 c->maxphyaddr, c->linaddr_bits);
		return false;
	}
	if (!ctl_ok("IA32_VMX_PINBASED_CTLS", c->pinbased_ctls, err, errlen) ||
	    !ctl_ok("IA32_VMX_PROCBASED_CTLS", c->procbased_ctls, err, errlen) ||
	    !ctl_ok("IA32_VMX_EXIT_CTLS", c->exit_ctls, err, errlen) ||
	    !ctl_ok("IA32_VMX_ENTRY_CTLS", c->entry_ctls, err, errlen) ||
	    (has2 && !ctl_ok("IA32_VMX_PROCBASED_CTLS2", c->procbased_ctls2, err, errlen)))
		return false;
	if (!presence_ok("IA32_VMX_PROCBASED_CTLS2", c->procbased_ctls2, has2,
			 "PROCBASED_CTLS allows bit 31 (secondary controls)", err, errlen) ||
	    !presence_ok("IA32_VMX_EPT_VPID_CAP", c->ept_vpid_cap, proc2 & (PROC2_EPT | PROC2_VPID),
			 "PROCBASED_CTLS2 allows EPT (bit 1) or VPID (bit 5)", err, errlen) ||
	    !presence_ok("IA32_VMX_VMFUNC", c->vmfunc, proc2 & PROC2_VMFUNC,
			 "PROCBASED_CTLS2 allows VM functions (bit 13)", err, errlen) ||
	    !presence_ok("IA32_VMX_PROCBASED_CTLS3", c->procbased_ctls3,
			 proc1 & PROC_ACTIVATE_TERTIARY,
			 "PROCBASED_CTLS allows bit 17 (tertiary controls)", err, errlen))
		return false;
	if (!presence_ok("IA32_VMX_TRUE_PINBASED_CTLS", c->true_pinbased_ctls, has_true,
			 "IA32_VMX_BASIC bit 55 is set", err, errlen) ||
	    !presence_ok("IA32_VMX_TRUE_PROCBASED_CTLS", c->true_procbased_ctls, has_true,
			 "IA32_VMX_BASIC bit 55 is set", err, errlen) ||
	    !presence_ok("IA32_VMX_TRUE_EXIT_CTLS", c->true_exit_ctls, has_true,
			 "IA32_VMX_BASIC bit 55 is set", err, errlen) ||
	    !presence_ok("IA32_VMX_TRUE_ENTRY_CTLS", c->true_entry_ctls, has_true,
			 "IA32_VMX_BASIC bit 55 is set", err, errlen))
		return false;
	if (has_true &&
	    (!true_ok("IA32_VMX_TRUE_PINBASED_CTLS", c->true_pinbased_ctls, c->pinbased_ctls, err,
		      errlen) ||
	     !true_ok("IA32_VMX_TRUE_PROCBASED_CTLS", c->true_procbased_ctls, c->procbased_ctls,
		      err, errlen) ||
	     !true_ok("IA32_VMX_TRUE_EXIT_CTLS", c->true_exit_ctls, c->exit_ctls, err, errlen) ||
	     !true_ok("IA32_VMX_TRUE_ENTRY_CTLS", c->true_entry_ctls, c->entry_ctls, err, errlen)))
		return false;
	if (!fixed_ok("IA32_VMX_CR0", c->cr0_fixed0, c->cr0_fixed1, err, errlen) ||
	    !fixed_ok("IA32_VMX_CR4", c->cr4_fixed0, c->cr4_fixed1, err, errlen))
		return false;
	return true;
}

int vmxcaps_consistent(const struct vmx_caps *c, char *err, size_t errlen)
{
	return caps_ok(c, err, errlen) ? 0 : -EINVAL;
}
