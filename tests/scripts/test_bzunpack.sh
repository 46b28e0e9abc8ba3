#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# build/tools/bzunpack (tools/bzunpack.c) on hand-made bzImages: a gzip, an
# lz4 (legacy, as Debian's kernels) and an xz payload of a small ELF with
# the kernel build's trailing size word come out byte for byte; a file
# without the boot header, an old boot protocol, a payload past the end
# of the file, a wrong size word and a non-ELF payload are refused with
# their reason. Needs build/tools/bzunpack (make).
set -u
cd "$(dirname "$0")/../.." || exit 1
bz=build/tools/bzunpack
if [ ! -x "$bz" ]; then
	echo "RESULT script/bzunpack FAIL: $bz missing (make)"
	exit 0
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# mkbz OUT PAYLOAD_FILE VERSION [SIZE_OVERRIDE] [LEN_OVERRIDE]: a bzImage
# with setup_sects 1 (setup = 2 sectors) and the payload right after it.
mkbz() {
	python3 - "$@" <<'PY'
import struct, sys
out, payload, version = sys.argv[1], open(sys.argv[2], 'rb').read(), int(sys.argv[3], 0)
img = bytearray(1024)
img[0x1f1] = 1
img[0x202:0x206] = b'HdrS'
struct.pack_into('<H', img, 0x206, version)
plen = len(payload) if len(sys.argv) < 6 else int(sys.argv[5])
struct.pack_into('<II', img, 0x248, 0, plen)
open(out, 'wb').write(bytes(img) + payload)
PY
}
# payload FILE COMPRESSOR [SIZE]: compressed FILE plus the size word.
payload() {
	local size=${3:-$(stat -c %s "$1")}
	{ $2 <"$1"; python3 -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<I', $size))"; }
}
check() { # name cond message
	if eval "$2"; then echo "RESULT script/bzunpack-$1 PASS"; else echo "RESULT script/bzunpack-$1 FAIL: $3"; fi
}

cp build/tools/bzunpack "$t/elf" # any ELF file will do
for c in "gzip -9c" "lz4 -l -9 -c" "xz -c --check=crc32"; do
	n=${c%% *}
	payload "$t/elf" "$c" >"$t/$n.pl"
	mkbz "$t/$n.bz" "$t/$n.pl" 0x20f
	"$bz" "$t/$n.bz" "$t/$n.out" >"$t/$n.log" 2>&1
	check "$n" 'cmp -s "$t/elf" "$t/$n.out"' "$(cat "$t/$n.log")"
done

refused() { # name expected-message bzimage
	want=$2
	"$bz" "$3" "$t/x.out" >"$t/x.log" 2>&1
	rc=$?
	check "$1" '[ $rc -ne 0 ] && grep -qF -- "$want" "$t/x.log" && [ ! -e "$t/x.out" ]' \
		"exit $rc, wanted an error with '$want': $(cat "$t/x.log")"
}
head -c 2048 /dev/zero >"$t/zero.bz"
refused no-header 'not a bzImage' "$t/zero.bz"
mkbz "$t/old.bz" "$t/gzip.pl" 0x207
refused old-protocol 'boot protocol 2.07 has no payload fields' "$t/old.bz"
mkbz "$t/long.bz" "$t/gzip.pl" 0x20f 0 999999
refused past-end 'lies outside the file' "$t/long.bz"
payload "$t/elf" "gzip -9c" 12345 >"$t/size.pl"
mkbz "$t/size.bz" "$t/size.pl" 0x20f
refused wrong-size 'the image says 12345' "$t/size.bz"
echo "not an elf" >"$t/txt"
payload "$t/txt" "gzip -9c" >"$t/txt.pl"
mkbz "$t/txt.bz" "$t/txt.pl" 0x20f
refused not-elf 'is not an ELF file' "$t/txt.bz"
