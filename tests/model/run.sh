#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks the wake-protocol model (tests/model/wake.pml, docs/wake-protocol.md)
# with spin: for each configuration, spin -a generates pan.c, the host gcc
# compiles it, pan explores every state. Prints one
# "RESULT model/<name> PASS|FAIL[: detail]" line per check; exits non-zero
# on any FAIL. `make model`; also run by tests/run-all.sh (`make test`).
#
#   model/<cfg>          the safety properties hold in every state; <cfg>
#                        ending in -hlt (-mixed) has every receiving CPU
#                        (CPU 1) idle in HLT + IPI instead of MWAIT
#   model/<cfg>-finite   no cycle (pan -l with no progress label): every run
#                        ends, which is what makes the model's end-state
#                        assertions a proof of "no lost wake-up"
#   model/<cfg>-ipi-lost the same with IPIs that find their CPU in root
#                        dropped: the protocol must not need the latch
#   model/bug-<name>     the model with one ordering step removed: spin
#                        must FIND a violation, or the model proves nothing
#
#   tests/model/run.sh [NAME...]     default: every check
# A failing check leaves its pan output in build/model/<name>/pan.txt and,
# for a violation, a trail: replay it there with
#   spin -t -p <the -D flags in build/model/<name>/flags> wake.pml
set -u
cd "$(dirname "$0")/../.." || exit 1
ARGS=("$@")
model=tests/model/wake.pml
out=build/model

# name, expectation (ok|finite|bug), gcc -O level for pan (the small
# state spaces compile longer than they run), spin -D flags. The longest
# check comes first: the checks run in parallel.
CHECKS="
3cpu-finite          finite -O2 -DCFG_3CPU
3cpu-hlt-finite      finite -O1 -DCFG_3CPU -DIDLE_HLT
3cpu-mixed-finite    finite -O1 -DCFG_3CPU -DIDLE_MIXED
3cpu                 ok     -O2 -DCFG_3CPU
3cpu-hlt             ok     -O0 -DCFG_3CPU -DIDLE_HLT
3cpu-mixed           ok     -O0 -DCFG_3CPU -DIDLE_MIXED
3cpu-ipi-lost        ok     -O1 -DCFG_3CPU -DIPI_LOST_IN_ROOT
3cpu-hlt-ipi-lost    ok     -O0 -DCFG_3CPU -DIDLE_HLT -DIPI_LOST_IN_ROOT
2cpu                 ok     -O0 -DCFG_2CPU
2cpu-finite          finite -O0 -DCFG_2CPU
2cpu-ipi-lost        ok     -O0 -DCFG_2CPU -DIPI_LOST_IN_ROOT
restart              ok     -O0 -DCFG_RESTART
restart-finite       finite -O0 -DCFG_RESTART
2cpu-hlt             ok     -O0 -DCFG_2CPU -DIDLE_HLT
2cpu-hlt-finite      finite -O0 -DCFG_2CPU -DIDLE_HLT
2cpu-hlt-ipi-lost    ok     -O0 -DCFG_2CPU -DIDLE_HLT -DIPI_LOST_IN_ROOT
restart-hlt          ok     -O0 -DCFG_RESTART -DIDLE_HLT
restart-hlt-finite   finite -O0 -DCFG_RESTART -DIDLE_HLT
bug-no-recheck       bug    -O0 -DCFG_2CPU -DBUG_NO_RECHECK
bug-no-block-recheck bug    -O0 -DCFG_2CPU -DBUG_NO_BLOCK_RECHECK
bug-no-idle-recheck  bug    -O0 -DCFG_2CPU -DBUG_NO_IDLE_RECHECK
bug-notify-no-ipi    bug    -O0 -DCFG_2CPU -DBUG_NOTIFY_NO_IPI
bug-store-buffered   bug    -O0 -DCFG_2CPU -DBUG_STORE_BUFFERED
bug-kick-no-halted   bug    -O0 -DCFG_2CPU -DIDLE_HLT -DBUG_KICK_NO_HALTED
bug-halted-buffered  bug    -O0 -DCFG_2CPU -DIDLE_HLT -DBUG_HALTED_BUFFERED
bug-no-hlt-recheck   bug    -O0 -DCFG_2CPU -DIDLE_HLT -DBUG_NO_HLT_RECHECK
bug-sti-no-shadow    bug    -O0 -DCFG_2CPU -DIDLE_HLT -DBUG_STI_NO_SHADOW
"

for tool in spin gcc; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "RESULT model/tools FAIL: '$tool' not found: the wake-protocol model needs Debian's spin and gcc (tools/deps.sh installs them; or apt-get install spin)"
		exit 1
	fi
done

want_name() {
	[ $# -eq 1 ] && return 0 # no names given: every check
	local n=$1
	shift 1
	for w in "$@"; do [ "$w" = "$n" ] && return 0; done
	return 1
}

# One check; prints its RESULT line (into build/model/<name>/result).
check() {
	local name=$1 kind=$2 opt=$3 flags=$4
	local d=$out/$name cflags run rc errors states secs what incomplete
	rm -rf "$d"
	mkdir -p "$d"
	cp "$model" "$d/wake.pml"
	echo "$flags" >"$d/flags"
	# shellcheck disable=SC2086 # the flags are separate words
	if ! (cd "$d" && spin -a $flags wake.pml) >"$d/spin.txt" 2>&1; then
		echo "RESULT model/$name FAIL: spin -a $flags: $(tail -1 "$d/spin.txt")"
		return
	fi
	case $kind in
	finite) cflags="-DNP" run="-l" ;;
	*) cflags="-DSAFETY" run="" ;;
	esac
	# MEMLIM (MiB) keeps a state-space blow-up from eating the machine.
	# shellcheck disable=SC2086
	if ! (cd "$d" && gcc -w $opt $cflags -DMEMLIM=2048 -o pan pan.c) >"$d/gcc.txt" 2>&1; then
		echo "RESULT model/$name FAIL: gcc pan.c: $(tail -1 "$d/gcc.txt")"
		return
	fi
	# shellcheck disable=SC2086
	(cd "$d" && timeout 120 ./pan -m100000 $run) >"$d/pan.txt" 2>&1
	rc=$?
	errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$d/pan.txt" | tail -1)
	states=$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' "$d/pan.txt" | tail -1)
	secs=$(sed -n 's/^pan: elapsed time \([0-9.e+]*\) seconds.*/\1/p' "$d/pan.txt" | tail -1)
	what=$(grep -m1 -E '^pan:[0-9]+: ' "$d/pan.txt" | sed 's/^pan:[0-9]*: *//')
	incomplete=$(grep -m1 -E 'max search depth too small|out of memory|reached -DMEMLIM|search not completed' "$d/pan.txt")
	if [ $rc -eq 124 ]; then
		echo "RESULT model/$name FAIL: pan ran over 120 s (see $d/pan.txt)"
	elif [ -z "$errors" ]; then
		echo "RESULT model/$name FAIL: pan printed no result (exit $rc; see $d/pan.txt)"
	elif [ "$kind" = bug ]; then
		if [ "$errors" -gt 0 ]; then
			echo "RESULT model/$name PASS: spin finds the bug: $what"
		else
			echo "RESULT model/$name FAIL: spin finds no violation with $flags ($states states): the model cannot see this bug"
		fi
	elif [ "$errors" -gt 0 ]; then
		echo "RESULT model/$name FAIL: $what (trail: cd $d && spin -t -p $flags wake.pml)"
	elif [ -n "$incomplete" ]; then
		echo "RESULT model/$name FAIL: search incomplete: $incomplete (see $d/pan.txt)"
	else
		echo "RESULT model/$name PASS: $states states, ${secs}s"
	fi
}

# The checks run in parallel, one per CPU; the results print in table order.
jobs=$(nproc 2>/dev/null || echo 2)
names=()
while read -r name kind opt flags; do
	[ -n "$name" ] || continue
	want_name "$name" "${ARGS[@]+"${ARGS[@]}"}" || continue
	names+=("$name")
	mkdir -p "$out"
	check "$name" "$kind" "$opt" "$flags" >"$out/$name.result" 2>&1 &
	while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do wait -n; done
done <<<"$CHECKS"
wait
fail=0
for name in "${names[@]+"${names[@]}"}"; do
	line=$(grep '^RESULT ' "$out/$name.result")
	[ -n "$line" ] || line="RESULT model/$name FAIL: no result ($(tail -1 "$out/$name.result"))"
	echo "$line"
	case $line in *" FAIL"*) fail=1 ;; esac
done
[ ${#names[@]} -gt 0 ] || { echo "RESULT model/args FAIL: no check named $*"; fail=1; }
exit $fail
