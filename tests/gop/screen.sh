#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The GOP console on an emulated screen: boot build/bolt.img with
# tests/gop/screen.cfg (console = com1, e9, gop) under QEMU/TCG with its
# standard VGA, take a screendump while Bolt waits for a key, keep it as
# build/test-artifacts/gop-screen.png, and check that the line Bolt printed
# last is drawn with font8x16.bin's glyphs in fbcon's colours (build/
# tools/fbshot check). Prints one `RESULT gop-screen PASS|FAIL` line.
#
# Why QEMU and not Bochs: Debian's OVMF drives the Bochs/QEMU standard VGA
# (PCI 1234:1111) with QemuVideoDxe, which talks to its VBE registers
# through port 0x1CE (index) and 0x1D0 (data; QEMU decodes both 0x1CF and
# 0x1D0) when the card has no MMIO BAR 2. Bochs 2.7's pcivga has no BAR 2
# and decodes only 0x1CF, so the ID read returns 0xFFFF and OVMF installs
# no GOP (docs/running.md, "GOP console"). QEMU/TCG has no VT-x: Bolt
# reports it and, as the GOP sink is on, waits 15 s printing
# "bolt: press a key to return to the firmware (15 s)".
#
# Outputs: build/tests/gop-screen/ (com1.txt, monitor.txt, screen.ppm,
# ovmf.log) and build/test-artifacts/gop-screen.png.
set -u
cd "$(dirname "$0")/../.."
out=build/tests/gop-screen
art=build/test-artifacts
OVMF=/usr/share/ovmf/OVMF.fd
FONT=build/gen/font8x16.bin
LINE="bolt: press a key to return to the firmware"
BOOT_LIMIT=${GOP_SCREEN_TIMEOUT:-180}

result() {
	echo "RESULT gop-screen $*"
	exit 0
}

rm -rf "$out" && mkdir -p "$out" "$art"
rm -f "$art/gop-screen.png"
for f in build/bolt.img build/tools/fbshot "$FONT" "$OVMF"; do
	[ -r "$f" ] || result "FAIL: $f missing (make all unit-bins; tools/deps.sh)"
done
cp build/bolt.img "$out/disk.img"
mcopy -o -i "$out/disk.img@@1M" tests/gop/screen.cfg ::bolt.cfg ||
	result "FAIL: cannot put tests/gop/screen.cfg into the image"

# The monitor reads commands from a FIFO this script keeps open (fd 3).
mkfifo "$out/monitor.in"
exec 3<>"$out/monitor.in"
qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp 1 -m 512 -bios "$OVMF" \
	-drive format=raw,file="$out/disk.img" -vga std -display none -nic none -no-reboot \
	-serial file:"$out/com1.txt" -debugcon file:"$out/debugcon.txt" \
	-chardev file,id=ovmf,path="$out/ovmf.log" -device isa-debugcon,iobase=0x402,chardev=ovmf \
	-monitor stdio <&3 >"$out/monitor.txt" 2>&1 &
pid=$!
stop() {
	echo quit >&3 2>/dev/null
	sleep 1
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	exec 3>&-
}

start=$(date +%s)
until grep -aqF "$LINE" "$out/com1.txt" 2>/dev/null; do
	if ! kill -0 "$pid" 2>/dev/null; then
		stop
		last=$(tr -d '\r' <"$out/com1.txt" 2>/dev/null | grep -a '^bolt:' | tail -1)
		result "FAIL: QEMU ended before Bolt printed '$LINE' (last: ${last:-nothing}; $out/)"
	fi
	if [ $(($(date +%s) - start)) -ge "$BOOT_LIMIT" ]; then
		stop
		result "FAIL: no '$LINE' on COM1 within ${BOOT_LIMIT}s ($out/com1.txt)"
	fi
	sleep 0.5
done
# The line is on COM1; give the framebuffer sink the same moment, then dump
# the screen (QEMU 7.2 writes PPM by default) while Bolt is still waiting.
sleep 2
echo "screendump $out/screen.ppm" >&3
for _ in $(seq 1 40); do
	[ -s "$out/screen.ppm" ] && grep -aq '^(qemu).*screendump' "$out/monitor.txt" && break
	sleep 0.25
done
sleep 1
stop
[ -s "$out/screen.ppm" ] || result "FAIL: QEMU wrote no screendump ($out/monitor.txt)"
build/tools/fbshot png "$out/screen.ppm" "$art/gop-screen.png" ||
	result "FAIL: cannot convert $out/screen.ppm to PNG"
if check=$(build/tools/fbshot check "$out/screen.ppm" "$FONT" "$LINE" 2>&1); then
	result "PASS: ${check#fbshot: } (screenshot $art/gop-screen.png)"
fi
result "FAIL: ${check#fbshot: } (screenshot $art/gop-screen.png)"
