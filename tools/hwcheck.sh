#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One report on how Bolt fares on a real Intel machine, to paste into a bug
# report (docs/running.md, "Checking a real machine").
#
#   tools/hwcheck.sh               nested under QEMU/KVM on this machine: the
#                                  demo with `debug = vmx`, make bench-kvm and
#                                  the integration tests that make sense there
#   tools/hwcheck.sh --from-log F  a serial log of Bolt booted on bare metal
#                                  (from the USB stick, `debug = vmx` in its
#                                  bolt.cfg): the same report from that log
#   --quick                        KVM mode without the integration tests
#   --out DIR                      where the files go (default build/hwcheck)
#
# The report goes to stdout and DIR/report.txt. DIR/host.caps is the
# machine's VMX capability file (docs/vmxcaps.md): please attach it.
# Exit status: 0 all passed; 1 something failed; 2 nothing could run here
# (no usable nested VMX, or the log has no Bolt lines).
set -u
cd "$(dirname "$0")/.." || exit 2

from_log=""
quick=""
out=build/hwcheck
while [ $# -gt 0 ]; do
	case $1 in
	--from-log) from_log=${2:?--from-log needs a file}; shift ;;
	--quick) quick=yes ;;
	--out) out=${2:?--out needs a directory}; shift ;;
	-h | --help) sed -n '3,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "hwcheck.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$out"
report=$out/report.txt
: >"$report"
say() { printf '%s\n' "$*" | tee -a "$report"; }
failed=0

# The host: what a bug report needs to reproduce.
host_facts() {
	local model fam mod step ucode
	model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	fam=$(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | head -1)
	mod=$(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | head -1)
	step=$(sed -n 's/^stepping[[:space:]]*: //p' /proc/cpuinfo | head -1)
	ucode=$(sed -n 's/^microcode[[:space:]]*: //p' /proc/cpuinfo | head -1)
	say "host CPU: ${model:-?} (family ${fam:-?} model ${mod:-?} stepping ${step:-?}, microcode ${ucode:-?}), $(nproc) CPUs"
	say "host: kernel $(uname -r), $(qemu-system-x86_64 --version 2>/dev/null | head -1 || echo 'no QEMU')"
	local nested=/sys/module/kvm_intel/parameters/nested
	say "host: /dev/kvm $([ -e /dev/kvm ] && echo present || echo missing), kvm_intel nested=$(cat "$nested" 2>/dev/null || echo 'not loaded')"
}

# From a Bolt log (COM1 or port 0xE9): the capability file, and Bolt's
# own verdict on it (build/tools/bolt-vmxcheck).
caps_section() {
	local log=$1 machine=$2 caps=$out/host.caps
	{
		echo "# VMX capability set of: $machine"
		echo "# as Bolt read it (debug = vmx), $(date -u +%Y-%m-%d), by tools/hwcheck.sh from $log"
		echo "# expect: runs    (edit: what Bolt should make of this machine)"
		tr -d '\r' <"$log" | sed -n 's/^bolt: vmx: \([A-Za-z0-9_.]* = 0x[0-9a-f]*\)$/\1/p'
	} >"$caps"
	say "-- VMX capability set as Bolt read it ($caps):"
	if ! grep -q '^IA32_VMX_BASIC = ' "$caps"; then
		say "   none: the log has no 'bolt: vmx:' lines (was 'debug = vmx' in bolt.cfg?)"
		failed=1
		return
	fi
	grep -v '^#' "$caps" | sed 's/^/   /' | tee -a "$report"
	tr -d '\r' <"$log" | grep -a '^bolt: vmx: \(controls\|VPID\)' | sed 's/^/   /' | tee -a "$report"
	say "-- bolt-vmxcheck (Bolt's VMCS for this set through the VM-entry checks):"
	local verdict
	verdict=$(build/tools/bolt-vmxcheck "$caps" 2>&1) || failed=1
	say "   $verdict"
}

# The lines of a boot a person looks at first.
boot_section() {
	local log=$1
	say "-- Bolt's boot ($log):"
	tr -d '\r' <"$log" | grep -a -E '^bolt: (Bolt |cannot run|ACPI|APIC|idle|TSC|MTRR|CPU [0-9]+: parked|[0-9]+ CPUs|guest .* (stopped|would fail)|PANIC|all guests)|RESULT ' |
		sed 's/^/   /' | tee -a "$report"
	if tr -d '\r' <"$log" | grep -aqE 'PANIC|RESULT [^ ]+ FAIL|cannot run|would fail VM entry'; then
		failed=1
	fi
	if ! tr -d '\r' <"$log" | grep -aq '^bolt: Bolt '; then
		say "   no Bolt lines in this log"
		return 1
	fi
}

say "==== Bolt hardware check ($(git describe --always --dirty 2>/dev/null || echo 'no git'), $(date -u '+%Y-%m-%d %H:%M UTC'))"
if [ -n "$from_log" ]; then
	[ -r "$from_log" ] || { echo "hwcheck.sh: cannot read $from_log" >&2; exit 2; }
	say "mode: bare metal, from the serial log $from_log"
	make -s tools >/dev/null || { echo "hwcheck.sh: make tools failed" >&2; exit 2; }
	boot_section "$from_log" || exit 2
	caps_section "$from_log" "a bare-metal machine (name it here)"
	grep -a 'BENCH ' "$from_log" | sed 's/^[^B]*//; s/^/   /' | tee -a "$report"
	say "==== $([ $failed -eq 0 ] && echo 'all passed' || echo 'something failed: see above')"
	exit $failed
fi

host_facts
why=$(tools/run.sh --check-kvm)
if [ -n "$why" ]; then
	say "mode: none: nested VMX is unusable here: $why"
	say "   On bare metal instead: put 'debug = vmx' in the stick's bolt.cfg [bolt] section, boot it,"
	say "   save the serial log (COM1, 115200 8N1) and run: tools/hwcheck.sh --from-log LOG"
	say "==== nothing ran"
	exit 2
fi
say "mode: nested under QEMU/KVM (-cpu host)"
make -s all >"$out/make.txt" 2>&1 || { say "make all failed: $(tail -3 "$out/make.txt")"; exit 1; }

# 1. The demo, with the capability lines.
cfg=$out/demo-vmx.cfg
sed '/^\[bolt\]/a debug = vmx' configs/demo.cfg >"$cfg"
BOLT_RUN_TIMEOUT=300 tools/run.sh --kvm --cfg "$cfg" >"$out/demo.txt" 2>&1 </dev/null
cp build/run/kvm/debugcon.txt "$out/demo-debugcon.txt" 2>/dev/null
boot_section "$out/demo.txt"
caps_section "$out/demo.txt" "KVM nested VMX, QEMU -cpu host on $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"

# 2. The benchmark in real TSC cycles.
say "-- make bench-kvm:"
if make -s bench-kvm >"$out/bench.txt" 2>&1; then
	grep -a '^BENCH ' "$out/bench.txt" | sed 's/^/   /' | tee -a "$report"
else
	say "   failed: $(tail -1 "$out/bench.txt")"
	failed=1
fi

# 3. The integration tests that make sense under KVM: not those that
# emulate a Bochs CPU model (# bochs-cpuid:).
if [ -z "$quick" ]; then
	say "-- integration tests under QEMU/KVM (tests/run-integration.sh, BOLT_TEST_EMU=kvm):"
	pass=0 fail=0 skip=0
	for t in tests/integration/*.cfg; do
		if grep -q '^# bochs-cpuid:' "$t"; then
			skip=$((skip + 1))
			continue
		fi
		BOLT_TEST_EMU=kvm tests/run-integration.sh "$t" >"$out/it-$(basename "$t" .cfg).txt" 2>&1
		p=$(grep -c ' PASS' "$out/it-$(basename "$t" .cfg).txt")
		f=$(grep ' FAIL' "$out/it-$(basename "$t" .cfg).txt")
		pass=$((pass + p))
		if [ -n "$f" ]; then
			fail=$((fail + $(printf '%s\n' "$f" | wc -l)))
			printf '%s\n' "$f" | sed 's/^/   /' | tee -a "$report"
		fi
	done
	say "   $pass passed, $fail failed, $skip tests skipped (they emulate a Bochs CPU model)"
	[ $fail -eq 0 ] || failed=1
fi
say "==== $([ $failed -eq 0 ] && echo 'all passed' || echo 'something failed: see above'); attach $report and $out/host.caps"
exit $failed
