#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# QEMU/TCG boots of build/bolt.img, from tests/run-all.sh. Bochs+OVMF
# publishes no ACPI tables, so these are the boots where Bolt's MADT and
# FADT readers (boot/acpi.c, boot/efi_mp.c) run on real firmware tables.
# QEMU 7.2's TCG has no VMX: Bolt must still read its config, count the
# CPUs (MP Services against the MADT), read the FADT's S5 ports, report
# every problem (the missing VT-x in one line) and return to the firmware:
#
#   smp1         -smp 1, the image's bolt.cfg
#   smp4         -smp 4, the image's bolt.cfg
#   cpu-missing  -smp 2, a bolt.cfg (tests/tcg/cpu3.cfg) with a guest on CPU 3
#
# Each case polls port 0xE9 (Bolt's lines only) and stops QEMU as soon as
# Bolt's final line is there, or after $TCG_TIMEOUT s (default 60) with a
# FAIL; OVMF's shell would otherwise keep QEMU running for ever. Prints
# "RESULT tcg-acpi/<case> PASS|FAIL|SKIP[: why]" per case; files in
# build/tests/tcg/<case>/ (debugcon.txt, com1.txt, ovmf.log, qemu.err).
#
#   tests/tcg/run.sh [CASE...]       default: every case
set -u
cd "$(dirname "$0")/../.." || exit 1

OVMF=${OVMF:-/usr/share/ovmf/OVMF.fd}
limit=${TCG_TIMEOUT:-60}
img=build/bolt.img
final="bolt: not starting: returning to the firmware"
vtx="bolt: cannot run on this CPU: missing VT-x"
cases=(smp1 smp4 cpu-missing)
[ $# -gt 0 ] && cases=("$@")

result() {
	local name=$1 verdict=$2
	shift 2
	echo "RESULT tcg-acpi/$name $verdict${*:+: $*}"
}

why_skip=""
command -v qemu-system-x86_64 >/dev/null || why_skip="qemu-system-x86_64 not installed (tools/deps.sh)"
[ -r "$OVMF" ] || why_skip="OVMF not found at $OVMF (set OVMF=)"
[ -r "$img" ] || why_skip="$img not built (make all)"
if [ -n "$why_skip" ]; then
	for c in "${cases[@]}"; do result "$c" SKIP "$why_skip"; done
	exit 0
fi

qemu_pid=""
trap '[ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null' EXIT

# boot DIR CPUS: boot DIR/bolt.img until Bolt's final line reaches
# DIR/debugcon.txt, then stop QEMU. Sets $secs; returns 1 on a timeout or
# when QEMU ends first.
boot() {
	local dir=$1 cpus=$2 t0 i
	rm -f "$dir/debugcon.txt" "$dir/com1.txt" "$dir/ovmf.log"
	t0=$(date +%s%N)
	qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp "$cpus" -m 512 -bios "$OVMF" \
		-drive format=raw,file="$dir/bolt.img" -display none -nic none -no-reboot \
		-serial file:"$dir/com1.txt" -debugcon file:"$dir/debugcon.txt" \
		-chardev file,id=ovmf,path="$dir/ovmf.log" \
		-device isa-debugcon,iobase=0x402,chardev=ovmf \
		</dev/null >"$dir/qemu.err" 2>&1 &
	qemu_pid=$!
	local rc=1
	for ((i = 0; i < limit * 5; i++)); do
		if grep -qaF "$final" "$dir/debugcon.txt" 2>/dev/null; then
			rc=0
			break
		fi
		kill -0 "$qemu_pid" 2>/dev/null || break
		sleep 0.2
	done
	# A wait line would follow the final line only with a screen sink.
	sleep 0.3
	kill "$qemu_pid" 2>/dev/null
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=""
	local ds=$((($(date +%s%N) - t0) / 100000000))
	secs=$((ds / 10)).$((ds % 10))
	return $rc
}

# check NAME DIR CPUS EXPECTED-LINE...: each expected line (a fixed string)
# must be in debugcon.txt, in that order; plus the VT-x line exactly once,
# right before the final line, and nothing that looks like a crash.
check() {
	local name=$1 dir=$2 cpus=$3 log want bad n last2
	shift 3
	if ! boot "$dir" "$cpus"; then
		result "$name" FAIL "no '$final' within ${limit}s (QEMU/TCG, -smp $cpus; last line:" \
			"$(tr -d '\r' <"$dir/debugcon.txt" 2>/dev/null | tail -1); see $dir/)"
		return
	fi
	log=$(tr -d '\r' <"$dir/debugcon.txt")
	# Expected lines in order: each one searched after the previous one.
	local rest=$log
	for want in "$@"; do
		if ! printf '%s\n' "$rest" | grep -qF -- "$want"; then
			result "$name" FAIL "missing (or out of order): '$want' (see $dir/debugcon.txt)"
			return
		fi
		rest=$(printf '%s\n' "$rest" | sed -n "/$(printf '%s' "$want" | sed 's/[][\/.*^$]/\\&/g')/,\$p" | tail -n +2)
	done
	n=$(printf '%s\n' "$log" | grep -c 'VT-x')
	if [ "$n" -ne 1 ]; then
		result "$name" FAIL "$n lines name VT-x, want exactly one (see $dir/debugcon.txt)"
		return
	fi
	last2=$(printf '%s\n' "$log" | grep -v '^$' | tail -2)
	if [ "$(printf '%s\n' "$last2" | head -1 | cut -c1-${#vtx})" != "$vtx" ] ||
		[ "$(printf '%s\n' "$last2" | tail -1)" != "$final" ]; then
		result "$name" FAIL "the last two lines are not the VT-x line and '$final': $(printf '%s' "$last2" | tr '\n' '|')"
		return
	fi
	# Every line on port 0xE9 is Bolt's; on COM1, a CPU exception in OVMF
	# prints "!!!! X64 Exception Type ..." and a failed assertion "ASSERT".
	bad=$(printf '%s\n' "$log" |
		grep -aiE 'panic|fault|exception|MADT has|unreadable|no MADT|does not report|no CPUs' |
		head -1)
	[ -n "$bad" ] || bad=$(tr -d '\r' <"$dir/com1.txt" 2>/dev/null | grep -aE '!!!!|ASSERT' | head -1)
	if [ -n "$bad" ]; then
		result "$name" FAIL "unexpected line: '$bad' (see $dir/)"
		return
	fi
	result "$name" PASS "${secs}s, -smp $cpus"
}

# esp_put IMG FILE NAME: copy FILE into IMG's ESP as NAME (as tools/run.sh --cfg).
esp_put() {
	local start
	start=$(sfdisk -d "$1" 2>/dev/null | sed -n 's/.*start= *\([0-9]*\).*/\1/p' | head -1)
	mcopy -o -i "$1@@$((${start:-0} * 512))" "$2" "::/$3"
}

for c in "${cases[@]}"; do
	dir=build/tests/tcg/$c
	mkdir -p "$dir"
	cp "$img" "$dir/bolt.img"
	case $c in
	smp1 | smp4)
		cpus=${c#smp}
		plural=s
		[ "$cpus" = 1 ] && plural=""
		check "$c" "$dir" "$cpus" \
			"bolt: Bolt " \
			"bolt: ACPI: FADT: S5 power-off through PM1a_CNT 0x604 (SLP_TYP " \
			"bolt: ACPI: MADT agrees: $cpus CPU$plural" \
			"$vtx"
		;;
	cpu-missing)
		cfg=tests/tcg/cpu3.cfg
		line=$(grep -n '^cpu = 3' "$cfg" | cut -d: -f1)
		if ! esp_put "$dir/bolt.img" "$cfg" bolt.cfg; then
			result "$c" FAIL "could not write $cfg into $dir/bolt.img"
			continue
		fi
		check "$c" "$dir" 2 \
			"bolt: ACPI: MADT agrees: 2 CPUs" \
			"bolt: bolt.cfg:$line: guest 'late': cpu 3 does not exist (this machine has 2 CPUs)" \
			"$vtx"
		;;
	*) result "$c" FAIL "unknown case (cases: smp1 smp4 cpu-missing)" ;;
	esac
done
