/* SPDX-License-Identifier: MIT */
/*
 * fifo: entry point. `test=` picks the role, `name=` the RESULT name:
 *   RESULT <name> PASS | FAIL: <reason>
 * A role may also return FG_NO_RESULT (a restarting guest's earlier boots).
 */
#include <stdarg.h>
#include "fifo.h"
#include "lib/macros.h"

static char fg_why[200];

const char *fg_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fg_why, sizeof(fg_why), fmt, ap);
	va_end(ap);
	return fg_why;
}

uint64_t fg_opt(const struct hvm_start_info *si, const char *key, uint64_t def)
{
	uint64_t v;

	return bolt_cmdline_get_u64(si, key, &v) == 0 ? v : def;
}

static const struct {
	const char *test;
	const char *(*run)(const struct hvm_start_info *si, const char *name);
} fg_roles[] = {
	{ "order-rx", fg_order_rx },
	{ "order-tx", fg_order_tx },
	{ "restart-victim", fg_restart_victim },
	{ "flooder", fg_flooder },
	{ "garbage", fg_garbage },
	{ "bystander", fg_bystander },
};

int main(void)
{
	const struct hvm_start_info *si = bolt_start_info();
	static char test[24], name[48];
	const char *why = "unknown test=";

	if (bolt_cmdline_get(si, "test", test, sizeof(test)) < 0)
		test[0] = 0;
	if (bolt_cmdline_get(si, "name", name, sizeof(name)) < 0)
		snprintf(name, sizeof(name), "fifo-%s", test);
	if (!bolt_shared_info())
		why = "no shared_info";
	else
		for (size_t i = 0; i < ARRAY_SIZE(fg_roles); i++)
			if (strcmp(fg_roles[i].test, test) == 0)
				why = fg_roles[i].run(si, name);
	if (why) {
		printf("RESULT %s FAIL: %s\n", name, why);
		return 1;
	}
	printf("RESULT %s PASS\n", name);
	return 0;
}
