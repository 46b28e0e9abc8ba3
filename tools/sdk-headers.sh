#!/bin/bash
# SPDX-License-Identifier: MIT
# Put the guest SDK's headers in SDK_DIR/include: newlib's (built by
# tools/build-newlib.sh), the Xen public headers from libxen-dev (only
# those: /usr/include/xen also holds Linux's ioctl headers, which need
# glibc, and xen/sys/ is the same kind), Bolt's ABI (include/bolt) and the SDK's own (guests/sdk/include).
# Replaces what was there, so a header removed from the tree goes too.
#
# Usage: tools/sdk-headers.sh NEWLIB_DIR SDK_DIR
set -eu

newlib=$1
sdk=$2
inc=$sdk/include
rm -rf "$inc.tmp"
mkdir -p "$inc.tmp"
cp -r "$newlib/include/." "$inc.tmp/"
# dpkg knows which files under /usr/include/xen are Xen's own.
dpkg -L libxen-dev | grep '^/usr/include/xen/.*\.h$' | grep -v '^/usr/include/xen/sys/' | while read -r h; do
	rel=${h#/usr/include/}
	mkdir -p "$inc.tmp/$(dirname "$rel")"
	cp "$h" "$inc.tmp/$rel"
done
[ -f "$inc.tmp/xen/xen.h" ] || { echo "sdk-headers: no Xen headers (libxen-dev)" >&2; exit 1; }
mkdir -p "$inc.tmp/bolt"
cp include/bolt/*.h "$inc.tmp/bolt/"
cp -r guests/sdk/include/bolt/. "$inc.tmp/bolt/"
rm -rf "$inc"
mv "$inc.tmp" "$inc"
