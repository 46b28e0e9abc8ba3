#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot Bolt in Bochs with one test configuration and judge the output.
#
# Usage: tests/run-integration.sh TEST.cfg [CPUS]
# BOLT_TEST_EMU=kvm runs it under QEMU/KVM with -cpu host instead (nested VMX
# on an Intel host: tools/hwcheck.sh); the judging is the same.
# The .cfg is an ordinary bolt.cfg whose leading comments carry directives:
#   # cpus: N            CPUs to emulate (default 2; a second argument overrides)
#   # timeout: S         seconds before the run counts as hung (default 240)
#   # expect: TEXT       a line containing TEXT must appear in the output
#   # reject: REGEX      no line may match the extended regex
#   # image: IMG         boot this disk image instead of build/bolt.img (the
#                        Linux tests: build/linux.img, `make linux-img`)
#   # bochs-cpuid: K=V,.. emulate Bochs' generic CPU with these CPUID
#                        overrides (tools/bochsrc.sh, BOCHS_CPUID), e.g.
#                        mwait=0 or apic=xapic: what real machines may lack
# Every "RESULT <name> PASS|FAIL|SKIP" line the guests print is passed on;
# each directive adds one RESULT line of its own. Output: build/tests/<name>/.
set -u
cfg=$1
name=$(basename "$cfg" .cfg)
directive() { sed -n "s/^# $1: //p" "$cfg"; }
cpus=${2:-$(directive cpus | head -1)}
cpus=${cpus:-2}
timeout=$(directive timeout | head -1)
timeout=${timeout:-240}
[ -n "${2:-}" ] && name="$name-${cpus}cpu"
out=build/tests/$name
rm -rf "$out" && mkdir -p "$out"

# The test image: the built disk with this bolt.cfg in place of the demo's.
img=$(directive image | head -1)
img=${img:-build/bolt.img}
if [ ! -r "$img" ]; then
	echo "RESULT $name/run FAIL: no disk image $img (make all linux-img builds them)" | tee "$out/results.txt"
	exit 0
fi
cp "$img" "$out/disk.img"
mcopy -o -i "$out/disk.img@@1M" "$cfg" ::bolt.cfg
emu=${BOLT_TEST_EMU:-bochs}
if [ "$emu" = bochs ]; then
	BOCHS_CPUID=$(directive bochs-cpuid | head -1) tools/bochsrc.sh "$out/disk.img" "$cpus" "$out" >/dev/null
fi

start=$(date +%s)
finished=""
for attempt in 1 2 3; do
	rm -f "$out/com1.txt"
	if [ "$emu" = kvm ]; then
		# Bolt's ACPI power-off ends QEMU (exit status 0).
		qemu-system-x86_64 -machine q35,accel=kvm -cpu host -smp "$cpus" -m 512 \
			-bios /usr/share/ovmf/OVMF.fd -drive format=raw,file="$out/disk.img" \
			-serial file:"$out/com1.txt" -display none -nic none -no-reboot \
			>"$out/bochs.out" 2>&1 &
	else
		bochs -q -unlock -f "$out/bochsrc" -rc "$out/bochs.rc" >"$out/bochs.out" 2>&1 &
	fi
	pid=$!
	# The run is over once Bolt says it is powering off, halting or giving up;
	# Bochs itself exits on the power-off (with status 1: see docs/boot.md).
	while kill -0 $pid 2>/dev/null; do
		if grep -aqE 'bolt: (powering off|halting|not starting|PANIC)' "$out/com1.txt" 2>/dev/null; then
			finished=yes
			sleep 1
			break
		fi
		if [ $(( $(date +%s) - start )) -ge "$timeout" ]; then
			break
		fi
		sleep 0.5
	done
	# Bochs still running: we end it. Gone by itself: keep its exit status
	# (2>/dev/null: no "Aborted" notice from the shell; see "died" below).
	killed=""
	if kill $pid 2>/dev/null; then killed=yes; fi
	wait $pid 2>/dev/null
	rc=$?
	# Bochs' VNC display needs a free port in 5900-5949; when other Bochs runs
	# hold them all it exits at once: try again rather than fail the test.
	grep -q 'could not bind any port' "$out/bochs.out" 2>/dev/null || break
	sleep $((attempt * 5))
done
touch "$out/com1.txt"
grep -aqE 'bolt: (powering off|halting|not starting|PANIC)' "$out/com1.txt" && finished=yes
# A clean log: no carriage returns or terminal escapes from the firmware.
tr -d '\r' <"$out/com1.txt" | sed 's/\x1b\[[0-9;=?]*[a-zA-Z]//g' >"$out/log.txt"
secs=$(( $(date +%s) - start ))

{
	grep -aoE 'RESULT [A-Za-z0-9_.:/-]+ (PASS|FAIL|SKIP).*' "$out/log.txt" | sed "s/^RESULT /RESULT $name\//"
	if [ -n "$finished" ]; then
		:
	elif [ "$emu" = kvm ] && [ -z "$killed" ]; then
		echo "RESULT $name/run FAIL: QEMU exited with status $rc before Bolt's last line: $(tail -1 "$out/bochs.out" 2>/dev/null)"
	elif [ -z "$killed" ] && ! grep -q 'ACPI control: soft power off' "$out/bochs.log" 2>/dev/null; then
		# Bochs quit before Bolt's last line and not by a power-off: one line on why.
		echo "RESULT $name/run FAIL: $(tools/bochsrc.sh --why "$out" "$rc")"
	else
		echo "RESULT $name/run FAIL: no end of run within ${timeout}s (log: $out/log.txt)"
	fi
	n=0
	while IFS= read -r text; do
		n=$((n + 1))
		if grep -aqF -- "$text" "$out/log.txt"; then
			echo "RESULT $name/expect-$n PASS"
		else
			echo "RESULT $name/expect-$n FAIL: missing line: $text"
		fi
	done < <(directive expect)
	n=0
	while IFS= read -r re; do
		n=$((n + 1))
		if grep -aqE -- "$re" "$out/log.txt"; then
			echo "RESULT $name/reject-$n FAIL: unwanted line: $(grep -aE -- "$re" "$out/log.txt" | head -1)"
		else
			echo "RESULT $name/reject-$n PASS"
		fi
	done < <(directive reject)
} >"$out/results.txt"
echo "# $name: ${cpus} CPUs ($emu), ${secs}s, log $out/log.txt" >>"$out/results.txt"
cat "$out/results.txt"
