/* SPDX-License-Identifier: MIT */
/*
 * Checks and RESULT lines. Each case gets one `RESULT xen/<case> PASS` or
 * `RESULT xen/<case> FAIL: <first failed check>`; every failed check is
 * also logged with its file and line. The run ends with one
 * `RESULT xenconf<arch> PASS|FAIL` line (the integration test's own).
 */
#include "tests/xen/xc.h"

#define XC_WHY_MAX 160

static char xc_why[XC_WHY_MAX];
static unsigned xc_failed_checks;

void xc_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[XC_WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	xc_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xc_log("xen: check failed at %s:%d: %s", file, line, msg);
	if (xc_failed_checks++ == 0)
		xc_snprintf(xc_why, sizeof(xc_why), "%s (%s:%d)", msg, file, line);
}

bool xc_check_rc(const char *file, int line, const char *what, long got, long want)
{
	if (got == want)
		return true;
	xc_fail(file, line, "%s returned %ld, expected %ld", what, got, want);
	return false;
}

int xc_run_cases(const struct xc_case *cases, size_t n)
{
	int failed = 0;

	for (size_t i = 0; i < n; i++) {
		xc_failed_checks = 0;
		xc_why[0] = '\0';
		cases[i].run();
		if (xc_failed_checks) {
			failed++;
			xc_log("RESULT xen/%s FAIL: %s", cases[i].name, xc_why);
		} else {
			xc_log("RESULT xen/%s PASS", cases[i].name);
		}
	}
	if (failed)
		xc_log("RESULT xenconf%s FAIL: %d of %u cases failed", xc_arch_name, failed,
		       (unsigned)n);
	else
		xc_log("RESULT xenconf%s PASS (%u cases)", xc_arch_name, (unsigned)n);
	return failed;
}
