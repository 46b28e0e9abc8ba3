#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Everything `make test` runs, after `make all`: host unit tests, the
# boltcfg tool on every shipped and test configuration, the tests of the
# shell tools (tests/scripts/run.sh, seconds), three QEMU/TCG boots
# (tests/tcg/run.sh, ~35 s: firmware ACPI tables and the no-VT-x path),
# the GOP console screenshot under QEMU/TCG (tests/gop/screen.sh, ~15 s),
# the spin check of the wake-protocol model (tests/model/run.sh,
# seconds), then every Bochs integration test (two at a time: Bochs uses
# one host core each), a guest built outside the tree against the SDK
# (tests/sdk/outside.sh), then the bench smoke run (tools/bench.sh
# --smoke, also two Bochs at once), then 10 s of each libFuzzer harness
# (tests/fuzz/run.sh --smoke).
# Prints every RESULT line, then "N passed, N failed, N skipped" last;
# exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
mkdir -p build/tests
all=build/tests/all-results.txt
: >"$all"

echo "== host unit tests"
tests/run-unit.sh build/unit/test_* | tee -a "$all"

echo "== boltcfg"
for f in configs/*.cfg tests/integration/*.cfg; do
	case $f in
	*/bad-config.cfg) want=1 ;;
	*) want=0 ;;
	esac
	build/tools/boltcfg check "$f" >/dev/null 2>build/tests/boltcfg.err
	rc=$?
	if [ $rc -eq $want ]; then
		echo "RESULT boltcfg/$(basename "$f" .cfg) PASS"
	else
		echo "RESULT boltcfg/$(basename "$f" .cfg) FAIL: exit $rc, wanted $want: $(cat build/tests/boltcfg.err)"
	fi
done | tee -a "$all"

echo "== script tests"
# tools/run.sh, tools/bochsrc.sh and tests/run-integration.sh against fake
# bochs programs, and the generated bochsrc against the real Bochs.
tests/scripts/run.sh | tee -a "$all"

echo "== QEMU/TCG boots (firmware ACPI tables, no VT-x)"
# -smp 1, -smp 4 and a config naming a missing CPU: Bolt must parse the
# MADT and FADT OVMF publishes, agree with MP Services, report the missing
# VT-x in one line and return to the firmware (tests/tcg/run.sh).
{
tests/tcg/run.sh >build/tests/tcg.txt 2>&1
grep '^RESULT' build/tests/tcg.txt ||
	echo "RESULT tcg-acpi FAIL: tests/tcg/run.sh printed no RESULT line: $(tail -1 build/tests/tcg.txt)"
} | tee -a "$all"

echo "== GOP console screenshot"
# tests/gop/screen.sh: QEMU/TCG with its standard VGA (Bochs' OVMF has no
# GOP), a screendump while Bolt waits for a key, the last line checked
# glyph by glyph against font8x16.bin; build/test-artifacts/gop-screen.png.
tests/gop/screen.sh | tee -a "$all"

echo "== wake-protocol model"
# spin explores every interleaving of the send/kick/block handshake
# (tests/model/wake.pml, docs/wake-protocol.md), and must find the bug in
# each variant with one ordering step removed.
tests/model/run.sh | tee -a "$all"

echo "== Bochs integration tests"
# A Bochs that dies gives its test one "RESULT NAME/run FAIL: Bochs died
# (exit status N...): <its last words>" line (tools/bochsrc.sh --why).
# Each test runs with the CPU count its file names; smp2 also runs with 4.
{
	for f in tests/integration/*.cfg; do echo "$f"; done
	echo "tests/integration/smp2.cfg 4"
} | xargs -P 2 -L 1 tests/run-integration.sh >build/tests/integration.txt 2>&1
grep -E '^(RESULT|#)' build/tests/integration.txt | tee -a "$all"

echo "== guest SDK outside the tree"
# docs/guest-sdk.md's walk-through: a copy of build/sdk in a temporary
# directory, bolt-new-guest, its three-line Makefile, a boot beside pong.
tests/sdk/outside.sh 2>&1 | grep '^RESULT' | tee -a "$all"

echo "== bench smoke"
# A short run of both bench boots: every figure must come out as
# `BENCH <name> <number> <unit>`; the values themselves are not judged.
tools/bench.sh --smoke >build/tests/bench-smoke.txt 2>&1
grep '^#' build/tests/bench-smoke.txt
for name in $(tools/bench.sh --list); do
	line=$(grep "^BENCH $name " build/tests/bench-smoke.txt | tail -1)
	if echo "$line" | grep -qE "^BENCH $name -?[0-9]+(\.[0-9]+)? [A-Za-z_]+\$"; then
		echo "RESULT bench-smoke/$name PASS"
	elif [ -n "$line" ]; then
		echo "RESULT bench-smoke/$name FAIL: not measured ($line; see build/bench-smoke/boot-*/log.txt)"
	else
		echo "RESULT bench-smoke/$name FAIL: missing (see build/tests/bench-smoke.txt)"
	fi
done | tee -a "$all"

echo "== fuzz smoke"
# The libFuzzer harnesses (tests/fuzz/run.sh --smoke): every saved
# crasher once, then 10 s of fuzzing each. A crash, a failed build or a
# missing result line is a failure.
make --no-print-directory fuzz-bins >build/tests/fuzz-build.txt 2>&1
tests/fuzz/run.sh --smoke >build/tests/fuzz-smoke.txt 2>&1
for f in tests/fuzz/fuzz_*.c; do
	name=${f#tests/fuzz/fuzz_}
	name=${name%.c}
	line=$(grep "^FUZZ $name " build/tests/fuzz-smoke.txt | tail -1)
	case $line in
	"FUZZ $name PASS"*) echo "RESULT fuzz/$name PASS${line#FUZZ $name PASS}" ;;
	"FUZZ $name FAIL"*) echo "RESULT fuzz/$name FAIL${line#FUZZ $name FAIL}" ;;
	*) echo "RESULT fuzz/$name FAIL: no result (see build/tests/fuzz-smoke.txt and fuzz-build.txt)" ;;
	esac
done | tee -a "$all"

pass=$(grep -c '^RESULT .* PASS' "$all")
fail=$(grep -c '^RESULT .* FAIL' "$all")
skip=$(grep -c '^RESULT .* SKIP' "$all")
if [ "$fail" -gt 0 ]; then
	echo "== failures:"
	grep '^RESULT .* FAIL' "$all"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
