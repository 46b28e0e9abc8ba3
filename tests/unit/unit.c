/* SPDX-License-Identifier: MIT */
/* Driver for the host unit tests: runs unit_main() and prints one RESULT line. */
#include "unit.h"

int unit_checks, unit_failures;
const char *unit_current = "";

char *unit_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "%s: read failed\n", path);
		exit(2);
	}
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "unit";

	unit_main();
	printf("RESULT unit-%s %s (%d checks, %d failed)\n", name,
	       unit_failures ? "FAIL" : "PASS", unit_checks, unit_failures);
	return unit_failures ? 1 : 0;
}
