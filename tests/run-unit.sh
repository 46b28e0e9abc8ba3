#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run host unit-test binaries; each prints one "RESULT unit-<name> ..." line.
# Usage: tests/run-unit.sh BIN...   (exit status: number of failures, capped)
set -u
fail=0
for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#test_}
	if ! "$bin" "$name"; then
		fail=$((fail + 1))
	fi
done
exit $(( fail > 100 ? 100 : fail ))
