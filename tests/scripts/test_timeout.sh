#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/run.sh stops a run that never ends (issue 8): after --timeout or
# $BOLT_RUN_TIMEOUT seconds, or a default, it says it timed out and prints
# the stop lines of the guests that had stopped. A fake bochs writes Bolt's
# lines for two guests, one of them stopped, to COM1 and then hangs.
set -u
. "$(dirname "$0")/lib.sh"
sandbox
fake_bochs hang
stop_line="bolt: guest 'hello' stopped (poweroff): shutdown hypercall (poweroff)"

# check NAME RC OUTPUT: ended with 124, said so, then gave hello's stop line.
check() {
	local name=$1 rc=$2 output=$3 after
	after=$(printf '%s\n' "$output" | sed -n '/timed out/,$p')
	if [ "$rc" -ne 124 ]; then
		result "$name" FAIL "exit status $rc, want 124 (the test's own 30 s limit gives 124 too, without the line)"
	elif [ -z "$after" ]; then
		result "$name" FAIL "no line says the run timed out; last line: $(printf '%s\n' "$output" | tail -1)"
	elif ! printf '%s\n' "$after" | grep -qxF -- "$stop_line"; then
		result "$name" FAIL "no stop line of guest hello after the timeout line"
	elif ! printf '%s\n' "$after" | grep -q 'still running: spin'; then
		result "$name" FAIL "spin is not reported as still running"
	else
		result "$name" PASS
	fi
}

out=$(cd "$SB" && BOLT_RUN_TIMEOUT='' timeout 30 tools/run.sh --bochs --timeout 2 2>&1 </dev/null)
check run-timeout $? "$out"
out=$(cd "$SB" && BOLT_RUN_TIMEOUT=2 timeout 30 tools/run.sh --bochs 2>&1 </dev/null)
check run-timeout-env $? "$out"

# Without either the default applies: it must be a positive number of seconds.
default=$(cd "$SB" && BOLT_RUN_TIMEOUT='' tools/run.sh --help 2>&1 | sed -n 's/.*else \([0-9][0-9]*\);.*/\1/p')
if [ -n "$default" ] && [ "$default" -gt 0 ]; then
	result run-timeout-default PASS
else
	result run-timeout-default FAIL "tools/run.sh --help names no default time limit (\"else SECS;\")"
fi
