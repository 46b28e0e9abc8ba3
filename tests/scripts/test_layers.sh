#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/check-layers.sh: Bolt's own modules have no include cycles (issue 9
# found four, one an 11-file knot across arch/, core/ and sched/), and the
# check does find one: a small tree whose scheduler includes a core header
# that includes the scheduler back, and an arch header merged with a .c
# that includes core.
set -u
. "$(dirname "$0")/lib.sh"

out=$("$REPO/tools/check-layers.sh" "$REPO" 2>&1)
if [ $? -eq 0 ]; then
	result layers-repo PASS
else
	result layers-repo FAIL "$(printf '%s\n' "$out" | tr '\n' ' ' | cut -c1-300)"
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/bolt-layers.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/core" "$T/sched" "$T/arch/x86/include/arch"
printf '#include "sched/sched.h"\n' >"$T/core/vcpu.h"
printf '#include "core/vcpu.h"\n' >"$T/sched/sched.c"
printf 'void f(void);\n' >"$T/sched/sched.h"
printf '#include "core/pcpu.h"\n' >"$T/arch/x86/cpu.c"
printf '#include "arch/cpu.h"\n' >"$T/core/pcpu.h"
printf 'void g(void);\n' >"$T/arch/x86/include/arch/cpu.h"
out=$("$REPO/tools/check-layers.sh" "$T" 2>&1)
rc=$?
if [ $rc -ne 1 ]; then
	result layers-cycle FAIL "exit $rc on a tree with two cycles, want 1: $out"
elif ! printf '%s\n' "$out" | grep -q 'sched/sched' || ! printf '%s\n' "$out" | grep -q 'arch/x86/cpu'; then
	result layers-cycle FAIL "did not name both cycles: $out"
else
	result layers-cycle PASS
fi
