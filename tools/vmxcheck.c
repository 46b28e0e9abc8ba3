/* SPDX-License-Identifier: MIT */
/*
 * bolt-vmxcheck FILE.caps...: would Bolt run on this CPU? Runs Bolt's own
 * control choice, VMCS construction and VM-entry checks over a capability
 * file (docs/vmxcaps.md): the lines Bolt prints with `debug = vmx`, or a
 * file from tests/data/vmxcaps/. Exit status 0: runs; 1: cannot run
 * (missing features); 2: Bolt's VMCS would fail VM entry (a Bolt bug);
 * 3: a file is unreadable.
 */
#include <stdio.h>
#include <string.h>

#include "tools/vmxcaps.h"
#include "tools/vmxcheck_run.h"

static int check_file(const char *path)
{
	struct vmx_caps caps;
	struct vmxcheck_result r;
	char err[256];

	if (vmxcaps_load(path, &caps, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 3;
	}
	if (vmxcaps_consistent(&caps, err, sizeof(err)))
		printf("%s: warning: %s\n", path, err);
	vmxcheck_run(&caps, &r);
	switch (r.outcome) {
	case VMXCHECK_CANNOT_RUN:
		printf("%s: cannot run on this CPU: missing %s\n", path, r.why);
		return 1;
	case VMXCHECK_BAD_VMCS:
		printf("%s: Bolt's VMCS would fail VM entry (%s): %s (SDM Vol. 3C, %s; field 0x%x = 0x%llx)\n",
		       path, r.situation, r.err.rule, r.err.sdm, (unsigned)r.err.field,
		       (unsigned long long)r.err.value);
		return 2;
	default:
		printf("%s: runs: pin 0x%x proc 0x%x proc2 0x%x exit 0x%x entry 0x%x; VPID %s, TPR shadow %s, "
		       "preemption timer %s; %u VMCS situations pass the VM-entry checks\n",
		       path, r.ctls.pin, r.ctls.proc, r.ctls.proc2, r.ctls.exit, r.ctls.entry,
		       r.ctls.have_vpid ? "on" : "off", r.ctls.have_tpr_shadow ? "on" : "off",
		       r.ctls.have_preemption_timer ? "on" : "off", r.situations);
		return 0;
	}
}

int main(int argc, char **argv)
{
	int worst = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bolt-vmxcheck FILE.caps...\n");
		return 3;
	}
	for (int i = 1; i < argc; i++) {
		int rc = check_file(argv[i]);
		if (rc > worst)
			worst = rc;
	}
	return worst;
}
