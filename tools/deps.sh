#!/bin/bash
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages Bolt needs to build, test and run, when
# missing. Fast and quiet when everything is there (one line), so `make
# test` / `make run` can call it every time.
#
# Why each package:
#   gcc make binutils        the hypervisor and host tools
#   gnu-efi                  crt0, linker script and libefi for bolt.efi
#   libxen-dev               Xen public headers (PVH guest ABI)
#   psf-unifont              8x16 console font, converted by tools/psf2bin into font8x16.bin on the ESP
#   gzip                     unpacks that font at build time
#   mtools dosfstools fdisk  build/bolt.img (FAT ESP in a GPT/MBR image)
#   ovmf                     UEFI firmware for Bochs and QEMU
#   bochs bochsbios vgabios  the default emulator (VMX emulation); Debian's
#                            bochs package itself ships the rfb display plugin
#   qemu-system-x86          QEMU/KVM (nested VMX) and QEMU/TCG runs
#   gnuplot-nox              benchmark plots
#   clang                    libFuzzer builds of the parsers
#   libclang-rt-14-dev       libFuzzer and sanitizer runtimes for clang (only
#                            recommended by clang, so not pulled in by it)
#   spin                     model checker for the wake-protocol model
#                            (tests/model/wake.pml, `make model`); it writes
#                            a C verifier that the host gcc compiles
#   newlib-source            the guests' C library: tools/build-newlib.sh
#                            builds its tarball for x86_64-elf once
#                            (cached in build/newlib/); the guest SDK
#                            (make sdk) ships it
#   busybox-static           the Linux guest's initramfs (tools/linux-image.sh)
#   lz4 xz-utils zstd bzip2  decompressors for the Linux bzImage's payload
#                            (build/tools/bzunpack runs them; Debian's
#                            kernels use lz4)
#   cpio                     packs the Linux guest's initramfs
#   libc6-dev                glibc's static libc.a for the initramfs programs
#   linux-libc-dev           <xen/evtchn.h>: /dev/xen/evtchn's ioctls
# The Linux kernel itself is not installed: tools/linux-image.sh fetches
# Debian's linux-image package with apt-get download into build/linux/.
set -eu

PKGS="gcc make binutils gnu-efi libxen-dev psf-unifont gzip mtools dosfstools
fdisk ovmf bochs bochsbios vgabios qemu-system-x86 gnuplot-nox clang
libclang-rt-14-dev spin newlib-source busybox-static lz4 xz-utils zstd bzip2 cpio
libc6-dev linux-libc-dev"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	"install ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done
missing=${missing# }

if [ -z "$missing" ]; then
	echo "deps: all $(echo "$PKGS" | wc -w) Debian packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages: $missing" >&2
	echo "deps: run: sudo apt-get install -y --no-install-recommends $missing" >&2
	exit 1
fi

# Refresh the package lists only when apt does not know a missing package
# (fresh containers ship with empty lists).
need_update=0
for p in $missing; do
	cand=$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
	if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
		need_update=1
		break
	fi
done
if [ "$need_update" = 1 ]; then
	echo "deps: apt-get update"
	apt-get update -q
fi

echo "deps: installing: $missing"
# shellcheck disable=SC2086 # word splitting of the package list is intended
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing

# The Bochs runs need the VNC display plugin; make sure this build has it.
if ! [ -e /usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_rfb_gui.so ]; then
	echo "deps: this Bochs has no rfb display plugin (libbx_rfb_gui.so)" >&2
	exit 1
fi
echo "deps: done"
