#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the libFuzzer harnesses that `make fuzz-bins` builds into
# build/fuzz/fuzz_<name> (sources: tests/fuzz/fuzz_<name>.c).
#
#   tests/fuzz/run.sh [--smoke] [--seconds N] [name...]
#
# Every input under tests/fuzz/regressions/<name>/ (crashers found
# earlier) is run once first; then each harness fuzzes for N seconds
# (default 60; --smoke: 10) starting from the committed seeds in
# tests/fuzz/corpus/<name>/ plus the regressions. New inputs go to
# build/fuzz/<name>/corpus/, so the committed corpus never changes and
# later runs continue where the last one stopped. Prints one line each:
#   FUZZ <name> PASS (<runs> runs, corpus <n> inputs)
#   FUZZ <name> FAIL: crash input saved at <path> (log: <path>)
# and exits non-zero if any harness failed. A new crasher belongs in
# tests/fuzz/regressions/<name>/ once the bug it shows is fixed.
set -u
cd "$(dirname "$0")/../.." || exit 2

usage() {
	echo "usage: $0 [--smoke] [--seconds N] [name...]" >&2
	exit 2
}

smoke=0
seconds=""
names=()
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	--seconds)
		[ $# -ge 2 ] || usage
		seconds=$2
		shift
		;;
	-h | --help) usage ;;
	-*) usage ;;
	*) names+=("$1") ;;
	esac
	shift
done
if [ -z "$seconds" ]; then
	seconds=60
	[ $smoke = 1 ] && seconds=10
fi
case $seconds in
'' | *[!0-9]*) echo "run.sh: --seconds needs a whole number" >&2; exit 2 ;;
esac
if [ ${#names[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		n=${f#tests/fuzz/fuzz_}
		names+=("${n%.c}")
	done
fi

# Longest input worth trying: big enough for each format's seeds.
max_len() {
	case $1 in
	config) echo 16384 ;;
	elf) echo 65536 ;;
	guest_pt) echo 20000 ;;
	evtchn) echo 2048 ;;
	*) echo 4096 ;;
	esac
}

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0

for name in "${names[@]}"; do
	bin=build/fuzz/fuzz_$name
	seeds=tests/fuzz/corpus/$name
	regs=tests/fuzz/regressions/$name
	out=build/fuzz/$name
	log=$out/log.txt

	if [ ! -x "$bin" ]; then
		echo "FUZZ $name FAIL: $bin not built (make fuzz-bins)"
		failed=1
		continue
	fi
	mkdir -p "$out/corpus" "$out/crashes"
	: >"$log"

	# Known crashers first: each must now run clean.
	reg_fail=""
	if [ -d "$regs" ]; then
		for f in "$regs"/*; do
			[ -f "$f" ] || continue
			if ! "$bin" "$f" >>"$log" 2>&1; then
				reg_fail=$f
				break
			fi
		done
	fi
	if [ -n "$reg_fail" ]; then
		echo "FUZZ $name FAIL: crash input saved at $reg_fail (regression; log: $log)"
		failed=1
		continue
	fi

	dirs=("$out/corpus")
	[ -d "$seeds" ] && dirs+=("$seeds")
	[ -d "$regs" ] && dirs+=("$regs")
	timeout $((seconds + 120)) "$bin" "${dirs[@]}" -max_total_time="$seconds" \
		-max_len="$(max_len "$name")" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/crashes/" -print_final_stats=1 >>"$log" 2>&1
	rc=$?

	crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	if [ $rc -ne 0 ] || [ -n "$crash" ]; then
		if [ -n "$crash" ]; then
			echo "FUZZ $name FAIL: crash input saved at $crash (log: $log)"
		else
			echo "FUZZ $name FAIL: exit $rc without a crash input (log: $log)"
		fi
		failed=1
		continue
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	corp=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | sed 's/corp: //')
	echo "FUZZ $name PASS (${runs:-?} runs, corpus ${corp:-?} inputs)"
done

exit $failed
