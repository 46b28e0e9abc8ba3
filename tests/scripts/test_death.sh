#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# When Bochs dies, tools/run.sh and tests/run-integration.sh say why in one
# line: its exit status and its last words (issue 8: Debian's Bochs 2.7
# aborting in its sound thread was reported only as "see bochs.log").
# A fake bochs prints glibc's abort message and exits 134.
set -u
. "$(dirname "$0")/lib.sh"
sandbox
fake_bochs die
msg='*** buffer overflow detected ***: terminated'

# check NAME OUTPUT: exactly one line carries the message, and it names 134.
check() {
	local name=$1 output=$2 lines
	lines=$(printf '%s\n' "$output" | grep -cF -- "$msg")
	if [ "$lines" -ne 1 ]; then
		result "$name" FAIL "$lines lines name '$msg', want 1; output: $(printf '%s\n' "$output" | tail -2 | paste -sd ' ')"
	elif ! printf '%s\n' "$output" | grep -F -- "$msg" | grep -qw 134; then
		result "$name" FAIL "the line does not give exit status 134: $(printf '%s\n' "$output" | grep -F -- "$msg")"
	else
		result "$name" PASS
	fi
}

out=$(cd "$SB" && timeout 60 tools/run.sh --bochs --timeout 30 2>&1)
rc=$?
if [ $rc -ne 134 ]; then
	result run-death FAIL "tools/run.sh exited $rc, want Bochs' 134"
else
	check run-death "$out"
fi

printf '# timeout: 30\n[bolt]\nconsole = com1\n' >"$SB/death.cfg"
out=$(cd "$SB" && timeout 60 tests/run-integration.sh death.cfg 2>&1)
check integration-death "$(printf '%s\n' "$out" | grep '^RESULT death/run ')"
