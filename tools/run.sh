#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot build/bolt.img in an emulator and show Bolt's serial console on the
# terminal. Bochs is the default because it emulates VMX on any host;
# QEMU/KVM is used instead when the host can run nested VMX, which is
# orders of magnitude faster. QEMU/TCG only checks the UEFI path (no VMX:
# Bolt reports that VT-x is missing and returns to the firmware).
#
#   tools/run.sh [--bochs | --kvm | --qemu-tcg] [--cfg FILE] [--add FILE]...
#                [--cpus N] [--img IMG] [--timeout SECS]
#
# --cfg and --add boot a copy of the image (build/run/<emulator>/bolt.img)
# whose ESP has the --cfg FILE as bolt.cfg and each --add FILE under its
# own name. The run stops after --timeout seconds (default
# $BOLT_RUN_TIMEOUT, else 600; 0: never), says so and prints the stop
# lines of the guests that had stopped.
# Outputs go to build/run/<emulator>/: com1.txt (serial); bochs.out
# (Bochs' stdout and stderr, with port 0xE9) and bochs.log under Bochs;
# debugcon.txt (port 0xE9) and ovmf.log (firmware debug port 0x402) under
# QEMU.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

DEFAULT_TIMEOUT=600
mode=auto cfg="" cpus=2 img=build/bolt.img limit=${BOLT_RUN_TIMEOUT:-$DEFAULT_TIMEOUT}
adds=()
OVMF=/usr/share/ovmf/OVMF.fd

usage() {
	cat >&2 <<EOF
usage: tools/run.sh [--bochs | --kvm | --qemu-tcg] [--cfg FILE] [--add FILE]...
                    [--cpus N] [--img IMG] [--timeout SECS]
  default: QEMU/KVM when nested VMX is usable, else Bochs; 2 CPUs; build/bolt.img
  --cfg FILE      boot a copy of the image with FILE as its ESP's bolt.cfg
  --add FILE      also copy FILE into that copy's ESP under its own name
                  (repeatable; bolt.cfg names it with image = NAME)
  --timeout SECS  stop the run after SECS seconds, 0 for never
                  (default \$BOLT_RUN_TIMEOUT, else $DEFAULT_TIMEOUT; now $limit)
  --check-kvm     only say why nested VMX under KVM is unusable here (exit 1),
                  or nothing (exit 0); tools/hwcheck.sh asks this
EOF
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--bochs) mode=bochs ;;
	--kvm) mode=kvm ;;
	--qemu-tcg) mode=tcg ;;
	--cfg) [ $# -ge 2 ] || usage; cfg=$2; shift ;;
	--add) [ $# -ge 2 ] || usage; adds+=("$2"); shift ;;
	--cpus) [ $# -ge 2 ] || usage; cpus=$2; shift ;;
	--img) [ $# -ge 2 ] || usage; img=$2; shift ;;
	--timeout) [ $# -ge 2 ] || usage; limit=$2; shift ;;
	--check-kvm) mode=check-kvm ;;
	-h | --help) usage ;;
	*) echo "run.sh: unknown option '$1'" >&2; usage ;;
	esac
	shift
done

case "$cpus" in '' | *[!0-9]*) echo "run.sh: --cpus needs a number, got '$cpus'" >&2; exit 2 ;; esac
case "$limit" in '' | *[!0-9]*)
	echo "run.sh: --timeout (or BOLT_RUN_TIMEOUT) needs seconds, got '$limit'" >&2
	exit 2
	;;
esac
if [ "$mode" != check-kvm ] && [ ! -r "$img" ]; then
	echo "run.sh: $img not found; build it with 'make'" >&2
	exit 1
fi
# Check every file now rather than after a long boot.
for f in ${cfg:+"$cfg"} ${adds[@]+"${adds[@]}"}; do
	if [ ! -f "$f" ] || [ ! -r "$f" ]; then
		echo "run.sh: cannot read $f (--cfg and --add need a readable file)" >&2
		exit 1
	fi
done

# Prints why nested VMX under KVM is unusable here, or nothing if it is usable.
kvm_problem() {
	local nested=/sys/module/kvm_intel/parameters/nested
	if ! grep -qw vmx /proc/cpuinfo; then
		echo "this CPU (or the VM we run in) has no VT-x; Bolt needs Intel VMX: use tools/run.sh --bochs"
	elif [ ! -e /dev/kvm ]; then
		echo "/dev/kvm is missing: load KVM with 'sudo modprobe kvm_intel nested=1'"
	elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
		echo "/dev/kvm is not accessible to $(id -un): 'sudo usermod -aG kvm $(id -un)' and log in again"
	elif [ ! -r "$nested" ] || ! grep -qE '^(Y|1)$' "$nested"; then
		echo "nested VMX is off: 'sudo modprobe -r kvm_intel && sudo modprobe kvm_intel nested=1'" \
			"(persist with 'options kvm_intel nested=1' in /etc/modprobe.d/kvm.conf)"
	fi
}

if [ "$mode" = check-kvm ]; then
	why=$(kvm_problem)
	[ -z "$why" ] || { echo "$why"; exit 1; }
	exit 0
fi
if [ "$mode" = auto ]; then
	if [ -z "$(kvm_problem)" ]; then mode=kvm; else mode=bochs; fi
fi
if [ "$mode" = kvm ]; then
	why=$(kvm_problem)
	if [ -n "$why" ]; then
		echo "run.sh: cannot use QEMU/KVM: $why" >&2
		exit 1
	fi
fi

out=build/run/$mode
mkdir -p "$out"
rm -f "$out/com1.txt" "$out/bochs.log" "$out/bochs.out" "$out/debugcon.txt" "$out/ovmf.log" \
	"$out/bolt.img"

# esp_put FILE NAME: copy FILE into the ESP ($esp) of $img as NAME, or say
# why it cannot.
esp_put() {
	local file=$1 name=$2 size cluster free old=0 need
	size=$(stat -L -c %s "$file")
	# FAT allocates whole clusters; a file that is replaced gives its own back.
	cluster=$(minfo -i "$esp" :: 2>/dev/null |
		awk '/^sector size:/ { s = $3 } /^cluster size:/ { c = $3 } END { print s * c }')
	free=$(mdir -i "$esp" :: 2>/dev/null | sed -n 's/ bytes free//p' | tr -dc 0-9)
	if mdir -b -i "$esp" "::/$name" >/dev/null 2>&1; then
		old=$(mtype -i "$esp" "::/$name" | wc -c)
	fi
	if [ -n "$free" ] && [ "${cluster:-0}" -gt 0 ]; then
		need=$(((size + cluster - 1) / cluster * cluster))
		free=$((free + (old + cluster - 1) / cluster * cluster))
		if [ "$need" -gt "$free" ]; then
			echo "run.sh: $file ($size bytes) does not fit in the ESP of $img ($free bytes" \
				"free); make a larger image with 'tools/mkimg.sh build/esp IMG SIZE_MIB'" \
				"and boot it with --img IMG" >&2
			exit 1
		fi
	fi
	if ! mcopy -o -i "$esp" "$file" "::/$name"; then
		echo "run.sh: could not write $file into the ESP of $img as $name" >&2
		exit 1
	fi
}

# --cfg / --add: boot a copy of the image with those files in its ESP.
if [ -n "$cfg" ] || [ ${#adds[@]} -gt 0 ]; then
	start=$(sfdisk -d "$img" 2>/dev/null | sed -n 's/.*start= *\([0-9]*\).*/\1/p' | head -1)
	cp "$img" "$out/bolt.img"
	img=$out/bolt.img
	esp="$img@@$((${start:-0} * 512))"
	for f in ${adds[@]+"${adds[@]}"}; do
		esp_put "$f" "$(basename "$f")"
		echo "run.sh: added $f to the ESP as $(basename "$f")"
	done
	if [ -n "$cfg" ]; then
		esp_put "$cfg" bolt.cfg
		echo "run.sh: booting with config $cfg"
	fi
fi

# stopped_report: after a timeout, what the serial log says about the
# guests: Bolt's last "guest 'NAME' stopped (...)" line of each guest that
# stopped for good (core/guest.c), the summary if it came (core/summary.c),
# and the guests that were still running.
stopped_report() {
	local log stopped started n
	log=$(tr -d '\r' <"$out/com1.txt" 2>/dev/null || true)
	stopped=$(printf '%s\n' "$log" | grep -a "^bolt: guest '.*' stopped (" |
		grep -av '; restarting (boot' || true)
	if [ -n "$stopped" ]; then
		echo "run.sh: guests that stopped before the timeout:"
		printf '%s\n' "$stopped"
	else
		echo "run.sh: no guest had stopped before the timeout"
	fi
	printf '%s\n' "$log" | sed -n '/^bolt: all guests stopped; summary:/,/^bolt: \(halting\|powering off\)/p'
	started=$(printf '%s\n' "$log" |
		sed -n "s/^bolt: guest '\(.*\)' (domain [0-9]*) starting on CPU.*/\1/p" | sort -u)
	for n in $started; do
		printf '%s\n' "$stopped" | grep -qF "guest '$n' stopped" || echo "run.sh: still running: $n"
	done
}

# timed_out: say that the run hit its limit, then what had happened by then.
timed_out() {
	echo "run.sh: timed out after ${limit}s (--timeout or BOLT_RUN_TIMEOUT; 0 for none);" \
		"the emulator was stopped; files in $out/"
	stopped_report
}

to=()
[ "$limit" -gt 0 ] && to=(timeout --foreground "$limit")

case "$mode" in
kvm | tcg)
	if [ "$mode" = kvm ]; then
		accel=(-machine "q35,accel=kvm" -cpu host)
	else
		accel=(-machine "q35,accel=tcg" -cpu max)
	fi
	echo "run.sh: QEMU/$mode, $cpus CPUs; serial below (and in $out/com1.txt), Ctrl-C quits;" \
		"port 0xE9 -> $out/debugcon.txt, firmware -> $out/ovmf.log"
	# The serial log is also kept in a file, for the report after a timeout.
	"${to[@]}" qemu-system-x86_64 "${accel[@]}" -smp "$cpus" -m 512 -bios "$OVMF" \
		-drive format=raw,file="$img" -serial stdio -display none -nic none -no-reboot \
		-debugcon file:"$out/debugcon.txt" \
		-chardev file,id=ovmf,path="$out/ovmf.log" \
		-device isa-debugcon,iobase=0x402,chardev=ovmf | tee "$out/com1.txt" || true
	rc=${PIPESTATUS[0]}
	echo
	if [ "$rc" -eq 124 ] && [ ${#to[@]} -gt 0 ]; then
		timed_out
	else
		echo "run.sh: QEMU exited with status $rc"
	fi
	exit "$rc"
	;;
esac

# Bochs: it writes COM1 to a file, which we follow until Bochs exits.
tools/bochsrc.sh "$img" "$cpus" "$out"
: >"$out/com1.txt"
echo "run.sh: Bochs, $cpus CPUs (slow: OVMF takes ~15 s to boot); serial below, Ctrl-C quits"
echo "run.sh: Bochs log $out/bochs.log, Bochs stdout/0xE9 $out/bochs.out;" \
	"time limit ${limit}s (0: none)"
# -unlock: a Bochs killed earlier leaves IMG.lock behind and would refuse the image.
"${to[@]}" bochs -q -unlock -f "$out/bochsrc" -rc "$out/bochs.rc" \
	>"$out/bochs.out" 2>&1 </dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; exit 130' INT
trap 'kill "$pid" 2>/dev/null || true; exit 143' TERM
tail -n +1 -F --pid="$pid" "$out/com1.txt" 2>/dev/null || true
rc=0
# 2>/dev/null: no "Aborted" job notice from the shell; the line below says it.
wait "$pid" 2>/dev/null || rc=$?
trap - INT TERM
# Start our own messages on a fresh line.
if [ -s "$out/com1.txt" ] && [ "$(tail -c 1 "$out/com1.txt" | wc -l)" = 0 ]; then echo; fi

# Bochs reports an ACPI power-off as a (fatal) panic: that is a clean end.
if grep -q 'ACPI control: soft power off' "$out/bochs.log" 2>/dev/null; then
	echo "run.sh: guest powered off; Bochs log: $out/bochs.log"
	exit 0
fi
if [ "$rc" -eq 124 ] && [ ${#to[@]} -gt 0 ]; then
	timed_out
	exit 124
fi
echo "run.sh: $(tools/bochsrc.sh --why "$out" "$rc")"
exit "$rc"
