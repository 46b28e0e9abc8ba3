#!/bin/bash
# SPDX-License-Identifier: MIT
# Build newlib (the guests' C library) from Debian's newlib-source package
# for x86_64-elf with the host gcc, once: the result is cached in
# build/newlib/<key>/ (libc.a, libm.a, include/), where the key hashes the
# tarball, the flags below and the compiler version, so `make test` reuses
# it and a change to any of them rebuilds it (and drops the old build). Recipe and pitfalls: docs/guest-sdk.md, "How newlib is built".
#
# Usage: tools/build-newlib.sh OUT_DIR   (prints nothing when cached)
set -eu

mkdir -p "$1"
out=$(cd "$1" && pwd)
tarball=/usr/src/newlib/newlib-3.3.0.tar.xz
if [ ! -r "$tarball" ]; then
	echo "build-newlib: $tarball missing: install newlib-source (tools/deps.sh does)" >&2
	exit 1
fi

# Guests run in ring 0 and take upcalls on the interrupted stack, so no red
# zone; no stack protector (no TLS canary in a guest); absolute non-PIC code
# like the guests. SSE stays on: newlib's printf uses it even for integers,
# and the SDK's entry enables it.
cflags="-O2 -ffreestanding -fno-stack-protector -mno-red-zone -fno-pic -fno-pie -mcmodel=kernel \
-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables"
# --disable-newlib-supplied-syscalls: the SDK provides write, sbrk and the rest.
# --disable-newlib-multithread: one vCPU, no threads; the upcall handler must
#   not call stdio or malloc (docs/guest-sdk.md says so).
# io-long-long, io-c99-formats: %lld, %zu, %hhx, %a as a C99 author expects.
# Not nano-malloc: it aligns blocks to 8 bytes only (SSE code on malloc'd
# memory may assume 16, C11's max_align_t) and its calloc misses the
# size overflow; both found by the conformance guest (tests/guests/libc).
config="--target=x86_64-elf --disable-multilib --disable-newlib-supplied-syscalls \
--disable-newlib-multithread --enable-newlib-io-long-long --enable-newlib-io-c99-formats \
--enable-lite-exit --disable-nls"

key=$( { sha256sum "$tarball" | cut -c1-64; echo "$cflags $config"; gcc -dumpfullversion; } |
	sha256sum | cut -c1-16)
dest=$out/$key
if [ -f "$dest/lib/libc.a" ] && [ -f "$dest/lib/libm.a" ] && [ -f "$dest/include/stdio.h" ]; then
	ln -sfn "$key" "$out/current"
	exit 0
fi

echo "build-newlib: building newlib 3.3.0 for x86_64-elf into $dest (about a minute)"
work=$out/work-$key
rm -rf "$work" "$dest"
mkdir -p "$work/src" "$work/obj"
tar -xJf "$tarball" -C "$work/src"
src=$(cd "$work/src"/newlib-* && pwd)
(
	cd "$work/obj"
	"$src/configure" $config --prefix=/ \
		CC_FOR_TARGET=gcc AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld \
		RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm OBJDUMP_FOR_TARGET=objdump \
		STRIP_FOR_TARGET=strip CFLAGS_FOR_TARGET="$cflags" >configure.log 2>&1 ||
		{ tail -20 configure.log >&2; exit 1; }
	make -j"$(nproc)" all-target-newlib >make.log 2>&1 || { tail -30 make.log >&2; exit 1; }
	make install-target-newlib DESTDIR="$work/inst" >install.log 2>&1 ||
		{ tail -20 install.log >&2; exit 1; }
)
mkdir -p "$dest.tmp"
cp -r "$work/inst/x86_64-elf/include" "$dest.tmp/include"
mkdir -p "$dest.tmp/lib"
cp "$work/inst/x86_64-elf/lib/libc.a" "$work/inst/x86_64-elf/lib/libm.a" "$dest.tmp/lib/"
cp "$src/COPYING.NEWLIB" "$dest.tmp/"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
ln -sfn "$key" "$out/current"
rm -rf "$work"
for old in "$out"/*; do
	case "$(basename "$old")" in "$key" | current) ;; *) rm -rf "$old" ;; esac
done
echo "build-newlib: done ($(du -sh "$dest" | cut -f1))"
