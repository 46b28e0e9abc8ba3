# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Shared by tests/scripts/test_*.sh: a throw-away copy of the repository's
# run scripts with a small disk image of their own, and fake `bochs`
# programs, so the scripts are tested in seconds without booting Bolt and
# without touching build/.
#
#   . tests/scripts/lib.sh
#   sandbox                  # $SB: tools/, tests/run-integration.sh, build/bolt.img
#   fake_bochs die|hang|ok   # put that fake first in PATH (see below)
#   result NAME PASS|FAIL|SKIP [WHY...]

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

result() {
	local name=$1 verdict=$2
	shift 2
	echo "RESULT script/$name $verdict${*:+: $*}"
}

# sandbox: a fresh directory $SB laid out like the repository, removed on
# exit. Its build/bolt.img is a 4 MiB ESP image made by tools/mkimg.sh.
sandbox() {
	SB=$(mktemp -d "${TMPDIR:-/tmp}/bolt-script-test.XXXXXX")
	trap 'rm -rf "$SB"' EXIT
	mkdir -p "$SB/tools" "$SB/tests" "$SB/build/esp/EFI/BOOT" "$SB/bin"
	cp "$REPO/tools/run.sh" "$REPO/tools/bochsrc.sh" "$REPO/tools/mkimg.sh" "$SB/tools/"
	cp "$REPO/tests/run-integration.sh" "$SB/tests/"
	echo "not really an EFI application" >"$SB/build/esp/EFI/BOOT/BOOTX64.EFI"
	printf '[bolt]\nconsole = com1\n' >"$SB/build/esp/bolt.cfg"
	"$SB/tools/mkimg.sh" "$SB/build/esp" "$SB/build/bolt.img" 4 >/dev/null 2>&1
}

# fake_bochs KIND: $SB/bin/bochs, first in PATH. It finds the bochsrc after
# -f like the real one, and the COM1 file in its "com1: ... dev=" line.
#   die   prints glibc's abort message as Debian's Bochs 2.7 does without a
#         sound card, and exits 134 (SIGABRT)
#   hang  writes Bolt's start lines for guests hello and spin and the stop
#         line of hello to COM1, then sleeps a minute (longer than any test)
#   ok    exits 0 at once
fake_bochs() {
	cat >"$SB/bin/bochs" <<FAKE
#!/bin/bash
while [ \$# -gt 0 ]; do [ "\$1" = -f ] && rc=\$2; shift; done
com1=\$(sed -n 's/^com1:.*dev="\\(.*\\)".*/\\1/p' "\$rc")
case $1 in
die)
	echo "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default" >&2
	echo "*** buffer overflow detected ***: terminated" >&2
	exit 134
	;;
hang)
	printf "bolt: guest 'hello' (domain 1) starting on CPU 0: hello.elf, 4 MiB\\r\\n" >>"\$com1"
	printf "bolt: guest 'spin' (domain 2) starting on CPU 1: spin.elf, 4 MiB\\r\\n" >>"\$com1"
	printf "hello: RESULT hello PASS\\r\\n" >>"\$com1"
	printf "bolt: guest 'hello' stopped (poweroff): shutdown hypercall (poweroff)\\r\\n" >>"\$com1"
	exec sleep 60
	;;
ok) exit 0 ;;
esac
FAKE
	chmod +x "$SB/bin/bochs"
	PATH=$SB/bin:$PATH
}
