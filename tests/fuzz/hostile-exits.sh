#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The large hostile-exits run of `make fuzz` (issue 8): the exit fuzzer guest
# of tests/fuzz/hostile-exits-large.cfg (1,000,000 operations, a guest
# sharing its CPU, a ping/pong pair beside it) in Bochs, after `make all`.
#
#   tests/fuzz/hostile-exits.sh [--seed N] [--count N] [--trace N]
#
# --seed/--count/--trace replace the cfg's seed=/count= (trace=N prints every
# operation from number N on): a failure reproduces with the seed it names.
# Prints the run's RESULT lines, then
#   FUZZ hostile-exits PASS (seed N, count N)
#   FUZZ hostile-exits FAIL: <first failing RESULT line> (log: <path>)
# and exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.." || exit 2

usage() {
	echo "usage: $0 [--seed N] [--count N] [--trace N]" >&2
	exit 2
}

src=tests/fuzz/hostile-exits-large.cfg
seed="" count="" trace=""
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--seed) seed=$2 ;;
	--count) count=$2 ;;
	--trace) trace=$2 ;;
	*) usage ;;
	esac
	case $2 in
	'' | *[!0-9]*) echo "$0: $1 needs a whole number" >&2; exit 2 ;;
	esac
	shift 2
done
[ -f build/bolt.img ] || { echo "FUZZ hostile-exits FAIL: build/bolt.img missing (make all)"; exit 1; }

mkdir -p build/fuzz
cfg=build/fuzz/hostile-exits-large.cfg
sed -e "${seed:+s/seed=[0-9]*/seed=$seed/}" -e "${count:+s/count=[0-9]*/count=$count/}" \
	-e "${trace:+s/\\(test=exits[^\"]*\\)\"/\\1 trace=$trace\"/}" "$src" >"$cfg"
cmd=$(sed -n 's/^cmdline = "\(test=exits[^"]*\)"/\1/p' "$cfg")

tests/run-integration.sh "$cfg" >build/fuzz/hostile-exits.txt 2>&1
grep -E '^(RESULT|#)' build/fuzz/hostile-exits.txt
fail=$(grep -m1 '^RESULT .* FAIL' build/fuzz/hostile-exits.txt)
if [ -n "$fail" ] || ! grep -q '^RESULT .* PASS' build/fuzz/hostile-exits.txt; then
	echo "FUZZ hostile-exits FAIL: ${fail:-no result} ($cmd; log: build/tests/hostile-exits-large/log.txt)"
	exit 1
fi
echo "FUZZ hostile-exits PASS ($cmd)"
