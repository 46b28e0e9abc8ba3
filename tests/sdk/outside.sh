#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The guest author's path of docs/guest-sdk.md, in a temporary directory
# outside the tree: copy the SDK (`make sdk`) elsewhere, make a guest with
# its bin/bolt-new-guest, build it with its three-line Makefile, and boot
# it beside Bolt's pong with tools/run.sh --add ... --cfg ... (Bochs).
# Prints one RESULT line per step; exit status 1 on any failure.
set -u
cd "$(dirname "$0")/../.."
root=$(pwd)
tmp=$(mktemp -d /tmp/bolt-sdk-outside.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
result() { # NAME STATUS [WHY]
	echo "RESULT sdk-outside/$1 $2${3:+: $3}"
	[ "$2" = PASS ] || fail=1
}

if [ ! -f build/sdk/bolt-guest.mk ]; then
	result sdk FAIL "build/sdk missing: run make sdk"
	exit 1
fi
# A copy elsewhere: the SDK must not depend on where it was built.
cp -r build/sdk "$tmp/sdk"

if "$tmp/sdk/bin/bolt-new-guest" myping "$tmp/myping" >"$tmp/new.log" 2>&1 &&
	[ "$(wc -l <"$tmp/myping/Makefile")" -eq 3 ]; then
	result template PASS
else
	result template FAIL "$(tail -3 "$tmp/new.log")"
	exit 1
fi

# Only the SDK copy: the tree's headers and build must not be needed.
if make -C "$tmp/myping" >"$tmp/make.log" 2>&1 && [ -f "$tmp/myping/myping.elf" ]; then
	result build PASS
else
	result build FAIL "$(grep -m3 -E 'error|No such' "$tmp/make.log")"
	exit 1
fi
if grep -q "$root" "$tmp/make.log"; then
	result self-contained FAIL "the build used files from $root"
else
	result self-contained PASS
fi

cat >"$tmp/my.cfg" <<'CFG'
[bolt]
console = com1, e9
on_all_stopped = poweroff

[guest myping]
image = myping.elf
memory = 4M
cpu = 0
cmdline = "rounds=200 warmup=20"

[guest pong]
image = pong.elf
memory = 4M
cpu = 1
cmdline = "rounds=200 warmup=20"

[channel pingpong]
a = myping:1
b = pong:1
CFG

tools/run.sh --bochs --cfg "$tmp/my.cfg" --add "$tmp/myping/myping.elf" --timeout 300 \
	>"$tmp/run.log" 2>&1
log=build/run/bochs/com1.txt
mkdir -p build/tests/sdk-outside
cp "$tmp/run.log" "$log" build/tests/sdk-outside/ 2>/dev/null
if grep -aq "myping: ping: 200 round trips, median" "$log" &&
	grep -aq "RESULT pong PASS" "$log" &&
	grep -aq "bolt: guest 'myping' stopped (poweroff): exit status 0" "$log"; then
	result boot PASS
else
	result boot FAIL "see build/tests/sdk-outside/com1.txt"
fi
exit $fail
