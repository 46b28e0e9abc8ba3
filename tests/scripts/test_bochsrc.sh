#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/bochsrc.sh turns off what Bolt does not use, sound first: without a
# sound card Debian's Bochs 2.7 aborts at start-up in its ALSA mixer thread
# unless the sound drivers are the dummy ones (issue 8). Checks the lines,
# then starts the real Bochs with the file for a few seconds: it must still
# be running (booting OVMF) when it is stopped.
set -u
. "$(dirname "$0")/lib.sh"
sandbox

if ! "$SB/tools/bochsrc.sh" "$SB/build/bolt.img" 2 "$SB/run" >"$SB/err" 2>&1; then
	result bochsrc-devices FAIL "tools/bochsrc.sh failed: $(head -1 "$SB/err")"
	result bochsrc-starts FAIL "no bochsrc"
	exit 0
fi
rc_file=$SB/run/bochsrc
missing=""
for want in \
	'sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy' \
	'speaker: enabled=0' \
	'floppya: type=none' 'floppyb: type=none' \
	'ata2: enabled=0' 'ata3: enabled=0' \
	'com2: enabled=0' 'com3: enabled=0' 'com4: enabled=0' \
	'mouse: enabled=0'; do
	grep -qxF -- "$want" "$rc_file" || missing="$missing '$want'"
done
plugins=$(sed -n 's/^plugin_ctrl: //p' "$rc_file")
for p in gameport iodebug parallel sb16 es1370 ne2k e1000 pcipnic usb_ohci usb_ehci usb_xhci voodoo pcidev; do
	case ", $plugins," in *", $p=0,"*) ;; *) missing="$missing plugin_ctrl:$p=0" ;; esac
done
if [ -z "$missing" ]; then
	result bochsrc-devices PASS
else
	result bochsrc-devices FAIL "missing in the generated bochsrc:$missing"
fi

# The real Bochs: alive after 3 s means it got past its start-up.
if ! command -v bochs >/dev/null; then
	result bochsrc-starts SKIP "bochs is not installed (tools/deps.sh)"
	exit 0
fi
# The subshell's stderr hides the shell's own "Aborted" notice.
state=$( (
	bochs -q -unlock -f "$rc_file" -rc "$SB/run/bochs.rc" >"$SB/run/bochs.out" 2>&1 </dev/null &
	pid=$!
	sleep 3
	if kill "$pid"; then
		wait "$pid"
		echo alive
	else
		wait "$pid"
		echo "$?"
	fi
) 2>/dev/null)
if [ "$state" = alive ]; then
	result bochsrc-starts PASS
elif grep -q 'could not bind any port' "$SB/run/bochs.out"; then
	result bochsrc-starts SKIP "no free VNC port for Bochs (other Bochs runs hold 5900-5949)"
else
	result bochsrc-starts FAIL "Bochs ended within 3 s, exit status $state:" \
		"$(grep -av '^[0-9]*i\[\|^=*$\|^ *$' "$SB/run/bochs.out" | tail -1)"
fi
