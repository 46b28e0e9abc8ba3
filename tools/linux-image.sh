#!/bin/bash
# SPDX-License-Identifier: MIT
# Build the Linux guest from Debian's packages (docs/linux.md):
#   OUT/vmlinux     the PVH-bootable ELF: Debian's linux-image-FLAVOUR bzImage
#                   unpacked by build/tools/bzunpack (as Xen's domain builder does)
#   OUT/initrd.gz   a gzip'd cpio initramfs: busybox-static, guests/linux/init,
#                   the static test programs and the kernel's Xen device modules
#   OUT/version     the kernel package and release it came from
# The kernel package is downloaded (apt-get download, not installed) into
# build/linux/debs/ once and reused.
#
# Usage: tools/linux-image.sh FLAVOUR OUT BZUNPACK PROGRAM...
#   FLAVOUR   cloud-amd64 (small, Xen drivers) or rt-amd64 (PREEMPT_RT)
#   BZUNPACK  the host tool build/tools/bzunpack
#   PROGRAM   static binaries to put in the initramfs's /bin
set -eu
flavour=$1 out=$2 bzunpack=$3
shift 3
here=$(cd "$(dirname "$0")/.." && pwd)
debs=$here/build/linux/debs
mkdir -p "$out" "$debs"

# Which kernel: the one Debian's metapackage linux-image-FLAVOUR points at now.
meta=linux-image-$flavour
cand=$(apt-cache policy "$meta" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
	echo "linux-image: apt knows no $meta; apt-get update"
	apt-get update -q >/dev/null
fi
pkg=$(apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
if [ -z "$pkg" ]; then
	echo "linux-image: cannot resolve $meta to a kernel package (apt-cache depends $meta)" >&2
	exit 1
fi
# The -unsigned twin has the same kernel without the Secure Boot signature.
if apt-cache show "$pkg-unsigned" >/dev/null 2>&1; then
	pkg=$pkg-unsigned
fi
deb=$(ls "$debs"/"${pkg}"_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
	echo "linux-image: downloading $pkg"
	(cd "$debs" && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
	deb=$(ls "$debs"/"${pkg}"_*.deb 2>/dev/null | head -n 1 || true)
	[ -n "$deb" ] || { echo "linux-image: apt-get download $pkg failed" >&2; exit 1; }
fi

tmp=$out/tmp
rm -rf "$tmp"
mkdir -p "$tmp/pkg" "$tmp/initrd"
dpkg-deb -x "$deb" "$tmp/pkg"
vmlinuz=$(ls "$tmp"/pkg/boot/vmlinuz-* | head -n 1)
release=${vmlinuz##*/vmlinuz-}
"$bzunpack" "$vmlinuz" "$out/vmlinux.tmp"
mv "$out/vmlinux.tmp" "$out/vmlinux"

# The initramfs. busybox-static is a Debian package (tools/deps.sh installs it).
r=$tmp/initrd
mkdir -p "$r/bin" "$r/lib/modules" "$r/proc" "$r/sys" "$r/dev" "$r/tmp"
cp /bin/busybox "$r/bin/busybox"
install -m 0755 "$here/guests/linux/init" "$r/init"
for p in "$@"; do
	install -m 0755 "$p" "$r/bin/"
done
# /dev/xen/evtchn, gntdev and gntalloc are modules in Debian's kernels.
mods=$tmp/pkg/lib/modules/$release/kernel/drivers/xen
for m in xen-evtchn xen-gntdev xen-gntalloc; do
	cp "$mods/$m.ko" "$r/lib/modules/"
done
(cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 > "$out/initrd.gz.tmp"
mv "$out/initrd.gz.tmp" "$out/initrd.gz"
echo "$pkg $(dpkg-deb -f "$deb" Version) $release" > "$out/version"
rm -rf "$tmp"
echo "linux-image: $pkg ($release): $out/vmlinux $(stat -c %s "$out/vmlinux") bytes," \
	"$out/initrd.gz $(stat -c %s "$out/initrd.gz") bytes"
