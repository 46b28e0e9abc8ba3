/* SPDX-License-Identifier: MIT */
/*
 * hostile: entry point. Parses test= (fuzz or catalogue), case= and name=,
 * installs the expected-fault hooks and prints the RESULT line:
 *   RESULT hostile-fuzz PASS|FAIL: <why>
 *   RESULT hostile-catalogue PASS|FAIL: <why>
 *   RESULT hostile-exits PASS|FAIL: <why>
 *   RESULT hostile-catalogue-<case> FAIL: survived   (a stop case Bolt missed)
 * name=X replaces the RESULT name.
 */
#include "tests/guests/hostile/hostile.h"

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	struct hostile_args a = {.si = si};
	struct bolt_info info;
	char test[24], cas[24];
	const char *why;

	if (bolt_cmdline_get(si, "test", test, sizeof(test)) < 0) {
		printf(
			"RESULT hostile FAIL: no test= on the command line (fuzz, catalogue)\n");
		return 1;
	}
	if (bolt_cmdline_get(si, "case", cas, sizeof(cas)) < 0)
		cas[0] = '\0';
	if (bolt_cmdline_get(si, "name", a.name, sizeof(a.name)) < 0) {
		if (cas[0] && strcmp(cas, "shared-state") != 0)
			snprintf(a.name, sizeof(a.name), "hostile-%s-%s", test, cas);
		else
			snprintf(a.name, sizeof(a.name), "hostile-%s", test);
	}
	a.ram_top = bolt_ram_top(si);
	if (bolt_info(&info) == 0)
		a.domid = info.domid;
	hostile_fault_hooks_install();

	if (!a.ram_top)
		why = "no RAM in the memory map";
	else if (!bolt_xen()->shared_info || !bolt_xen()->hypercall_page)
		why = "the SDK found no hypercall page or shared_info";
	else if (strcmp(test, "fuzz") == 0)
		why = hostile_fuzz(&a);
	else if (strcmp(test, "exits") == 0)
		why = hostile_exits(&a);
	else if (strcmp(test, "catalogue") == 0 && strcmp(cas, "shared-state") == 0)
		why = hostile_shared_state(&a);
	else if (strcmp(test, "catalogue") == 0 && strcmp(cas, "tpr-kick") == 0)
		why = hostile_tpr_kick(&a);
	else if (strcmp(test, "catalogue") == 0 && cas[0])
		why = hostile_catalogue_case(&a, cas);
	else if (strcmp(test, "catalogue") == 0)
		why = hostile_catalogue(&a);
	else if (strcmp(test, "cpl3") == 0)
		why = hostile_cpl3(&a);
	else if (strcmp(test, "life") == 0)
		why = hostile_life(&a, cas);
	else
		why = "unknown test= (fuzz, catalogue)";
	if (why) {
		printf("RESULT %s FAIL: %s\n", a.name, why);
		return 1;
	}
	printf("RESULT %s PASS\n", a.name);
	return 0;
}
