#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/run.sh --add FILE puts FILE into the ESP of the booted copy of the
# image (issue 8: there was no way to boot one's own guest ELF), and says
# clearly when FILE is missing or does not fit. A fake bochs that exits at
# once stands in for the boot; the copy is then read back with mtools.
set -u
. "$(dirname "$0")/lib.sh"
sandbox
fake_bochs ok
head -c 20000 /dev/urandom >"$SB/mine.elf"
printf '[bolt]\nconsole = com1\n\n[guest mine]\nimage = mine.elf\nmemory = 4M\ncpu = 0\n' >"$SB/my.cfg"
esp="$SB/build/run/bochs/bolt.img@@1M"

out=$(cd "$SB" && timeout 60 tools/run.sh --bochs --add mine.elf --cfg my.cfg 2>&1)
rc=$?
if [ $rc -ne 0 ]; then
	result run-add FAIL "tools/run.sh exited $rc: $(printf '%s\n' "$out" | tail -1)"
elif ! mtype -i "$esp" ::/mine.elf 2>/dev/null | cmp -s - "$SB/mine.elf"; then
	result run-add FAIL "mine.elf is not (the same) in the ESP of build/run/bochs/bolt.img"
elif ! mtype -i "$esp" ::/bolt.cfg 2>/dev/null | cmp -s - "$SB/my.cfg"; then
	result run-add FAIL "--cfg my.cfg did not become bolt.cfg next to --add"
elif ! mtype -i "$SB/build/bolt.img@@1M" ::/mine.elf >/dev/null 2>&1; then
	result run-add PASS
else
	result run-add FAIL "mine.elf was written into build/bolt.img itself, not a copy"
fi

# A missing file: a clear error naming it, before Bochs starts.
rm -f "$SB/build/run/bochs/bochsrc"
out=$(cd "$SB" && timeout 60 tools/run.sh --bochs --add nosuch.elf 2>&1)
rc=$?
if [ $rc -ne 1 ] || ! printf '%s\n' "$out" | grep -q 'cannot read nosuch.elf'; then
	result run-add-missing FAIL "exit $rc, want 1 and 'cannot read nosuch.elf': $(printf '%s\n' "$out" | head -1)"
elif [ -e "$SB/build/run/bochs/bochsrc" ]; then
	result run-add-missing FAIL "Bochs was started anyway"
else
	result run-add-missing PASS
fi

# More than the 4 MiB ESP holds: a clear error, no boot.
truncate -s 5M "$SB/huge.elf"
out=$(cd "$SB" && timeout 60 tools/run.sh --bochs --add huge.elf 2>&1)
rc=$?
if [ $rc -ne 1 ] || ! printf '%s\n' "$out" | grep -q 'huge.elf.*does not fit in the ESP'; then
	result run-add-too-big FAIL "exit $rc, want 1 and 'huge.elf ... does not fit in the ESP': $(printf '%s\n' "$out" | grep -v '^run.sh: added' | head -1)"
elif [ -e "$SB/build/run/bochs/bochsrc" ]; then
	result run-add-too-big FAIL "Bochs was started anyway"
else
	result run-add-too-big PASS
fi
