#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tests of the shell tools (tools/run.sh, tools/bochsrc.sh,
# tests/run-integration.sh), from tests/run-all.sh: each test_*.sh here
# prints "RESULT script/<name> PASS|FAIL|SKIP[: why]" lines. They use fake
# bochs programs and a 4 MiB image of their own (lib.sh), so they take
# seconds and need no build; test_bochsrc.sh also starts the real Bochs for
# 3 s. A test that prints no RESULT line, or runs over 120 s, fails.
#
#   tests/scripts/run.sh [TEST.sh...]     default: every tests/scripts/test_*.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
[ $# -gt 0 ] || set -- tests/scripts/test_*.sh
for t in "$@"; do
	name=$(basename "$t" .sh)
	out=$(timeout 120 "$t" 2>&1)
	rc=$?
	[ $rc -ne 124 ] || echo "RESULT script/${name#test_} FAIL: $t ran over 120 s"
	printf '%s\n' "$out" | grep '^RESULT ' ||
		echo "RESULT script/${name#test_} FAIL: $t printed no RESULT line (exit $rc): $(printf '%s\n' "$out" | tail -1)"
done
