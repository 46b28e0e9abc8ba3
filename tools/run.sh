#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot build/bolt.img in an emulator and show Bolt's serial console on the
# terminal. Bochs is the default because it emulates VMX on any host;
# QEMU/KVM is used instead when the host can run nested VMX, which is
# orders of magnitude faster. QEMU/TCG only checks the UEFI path (no VMX:
# Bolt reports that VT-x is missing and returns to the firmware).
#
#   tools/run.sh [--bochs | --kvm | --qemu-tcg] [--cfg FILE] [--cpus N]
#                [--img IMG] [--timeout SECS]
#
# Outputs go to build/run/<emulator>/: com1.txt (serial), bochs.log or
# debugcon.txt (port 0xE9) and ovmf.log (firmware debug port 0x402).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

mode=auto cfg="" cpus=2 img=build/bolt.img limit=""
OVMF=/usr/share/ovmf/OVMF.fd

usage() {
	cat >&2 <<EOF
usage: tools/run.sh [--bochs | --kvm | --qemu-tcg] [--cfg FILE] [--cpus N]
                    [--img IMG] [--timeout SECS]
  default: QEMU/KVM when nested VMX is usable, else Bochs; 2 CPUs; build/bolt.img
EOF
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--bochs) mode=bochs ;;
	--kvm) mode=kvm ;;
	--qemu-tcg) mode=tcg ;;
	--cfg) [ $# -ge 2 ] || usage; cfg=$2; shift ;;
	--cpus) [ $# -ge 2 ] || usage; cpus=$2; shift ;;
	--img) [ $# -ge 2 ] || usage; img=$2; shift ;;
	--timeout) [ $# -ge 2 ] || usage; limit=$2; shift ;;
	-h | --help) usage ;;
	*) echo "run.sh: unknown option '$1'" >&2; usage ;;
	esac
	shift
done

case "$cpus" in '' | *[!0-9]*) echo "run.sh: --cpus needs a number, got '$cpus'" >&2; exit 2 ;; esac
case "$limit" in *[!0-9]*) echo "run.sh: --timeout needs seconds, got '$limit'" >&2; exit 2 ;; esac
if [ ! -r "$img" ]; then
	echo "run.sh: $img not found; build it with 'make'" >&2
	exit 1
fi

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
rm -f "$out/com1.txt" "$out/bochs.log" "$out/debugcon.txt" "$out/ovmf.log"

# --cfg: boot a copy of the image with FILE as the ESP's bolt.cfg.
if [ -n "$cfg" ]; then
	[ -r "$cfg" ] || { echo "run.sh: cannot read config $cfg" >&2; exit 1; }
	start=$(sfdisk -d "$img" 2>/dev/null | sed -n 's/.*start= *\([0-9]*\).*/\1/p' | head -1)
	cp "$img" "$out/bolt.img"
	img=$out/bolt.img
	if ! mcopy -o -i "$img@@$((${start:-0} * 512))" "$cfg" ::/bolt.cfg; then
		echo "run.sh: could not write $cfg into the ESP of $img" >&2
		exit 1
	fi
	echo "run.sh: booting with config $cfg"
fi

to=()
[ -n "$limit" ] && to=(timeout --foreground "$limit")

case "$mode" in
kvm | tcg)
	if [ "$mode" = kvm ]; then
		accel=(-machine "q35,accel=kvm" -cpu host)
	else
		accel=(-machine "q35,accel=tcg" -cpu max)
	fi
	echo "run.sh: QEMU/$mode, $cpus CPUs; serial below, Ctrl-C quits;" \
		"port 0xE9 -> $out/debugcon.txt, firmware -> $out/ovmf.log"
	rc=0
	"${to[@]}" qemu-system-x86_64 "${accel[@]}" -smp "$cpus" -m 512 -bios "$OVMF" \
		-drive format=raw,file="$img" -serial stdio -display none -nic none -no-reboot \
		-debugcon file:"$out/debugcon.txt" \
		-chardev file,id=ovmf,path="$out/ovmf.log" \
		-device isa-debugcon,iobase=0x402,chardev=ovmf || rc=$?
	printf "\nrun.sh: QEMU exited with status %s\n" "$rc"
	exit "$rc"
	;;
esac

# Bochs: it writes COM1 to a file, which we follow until Bochs exits.
tools/bochsrc.sh "$img" "$cpus" "$out"
: >"$out/com1.txt"
echo "run.sh: Bochs, $cpus CPUs (slow: OVMF takes ~15 s to boot); serial below, Ctrl-C quits"
echo "run.sh: Bochs log $out/bochs.log, Bochs stdout/0xE9 $out/bochs.out"
# -unlock: a Bochs killed earlier leaves IMG.lock behind and would refuse the image.
"${to[@]}" bochs -q -unlock -f "$out/bochsrc" -rc "$out/bochs.rc" \
	>"$out/bochs.out" 2>&1 </dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; exit 130' INT
trap 'kill "$pid" 2>/dev/null || true; exit 143' TERM
tail -n +1 -F --pid="$pid" "$out/com1.txt" 2>/dev/null || true
rc=0
wait "$pid" || rc=$?
trap - INT TERM
# Start our own messages on a fresh line.
[ -s "$out/com1.txt" ] && [ "$(tail -c 1 "$out/com1.txt" | wc -l)" = 0 ] && echo

# Bochs reports an ACPI power-off as a (fatal) panic: that is a clean end.
if grep -q 'ACPI control: soft power off' "$out/bochs.log" 2>/dev/null; then
	echo "run.sh: guest powered off; Bochs log: $out/bochs.log"
	exit 0
fi
echo "run.sh: Bochs exited with status $rc; see $out/bochs.log"
grep -E '>>PANIC<<' "$out/bochs.log" 2>/dev/null | tail -3 || true
exit "$rc"
