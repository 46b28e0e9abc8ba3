#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/hwcheck.sh: the report from a bare-metal serial log (--from-log) is
# made from a real Bochs boot with `debug = vmx` (tests/data/hwcheck/), its
# capability file is the one Bolt printed, and bolt-vmxcheck's verdict
# follows the set; without nested VMX the KVM mode says so and exits 2.
# Needs build/tools/bolt-vmxcheck (make tools; make test builds it first).
set -u
. "$(dirname "$0")/lib.sh"
cd "$REPO" || exit 1
log=tests/data/hwcheck/bochs-hello-vmx.log
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bolt-hwcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

out=$(tools/hwcheck.sh --from-log "$log" --out "$tmp/a" 2>&1)
rc=$?
want=$(grep -v '^#' tests/data/vmxcaps/bochs-corei7-skylake-x.caps)
got=$(grep -v '^#' "$tmp/a/host.caps" 2>/dev/null)
if [ $rc -ne 0 ]; then
	result hwcheck-log FAIL "exit $rc, want 0: $(printf '%s\n' "$out" | tail -2)"
elif ! printf '%s\n' "$out" | grep -q 'runs: .*6 VMCS situations pass the VM-entry checks'; then
	result hwcheck-log FAIL "no bolt-vmxcheck verdict 'runs' in the report"
elif [ "$got" != "$want" ]; then
	result hwcheck-log FAIL "host.caps differs from tests/data/vmxcaps/bochs-corei7-skylake-x.caps"
elif ! cmp -s <(printf '%s\n' "$out") "$tmp/a/report.txt"; then
	result hwcheck-log FAIL "report.txt is not what was printed"
else
	result hwcheck-log PASS
fi

# The same machine without unrestricted guest (IA32_VMX_PROCBASED_CTLS2 bit 39).
sed 's/^bolt: vmx: IA32_VMX_PROCBASED_CTLS2 = 0x2177fff00000000$/bolt: vmx: IA32_VMX_PROCBASED_CTLS2 = 0x2177f7f00000000/' \
	"$log" >"$tmp/noug.log"
out=$(tools/hwcheck.sh --from-log "$tmp/noug.log" --out "$tmp/b" 2>&1)
rc=$?
if ! grep -q 'CTLS2 = 0x2177f7f' "$tmp/noug.log"; then
	result hwcheck-cannot-run FAIL "the fixture's PROCBASED_CTLS2 line changed: update this test"
elif [ $rc -ne 1 ] || ! printf '%s\n' "$out" | grep -q 'cannot run on this CPU: missing unrestricted guest'; then
	result hwcheck-cannot-run FAIL "exit $rc, want 1 with 'missing unrestricted guest': $(printf '%s\n' "$out" | tail -2)"
else
	result hwcheck-cannot-run PASS
fi

# A log without the capability lines: the report says how to get them.
grep -v '^bolt: vmx:' "$log" >"$tmp/novmx.log"
out=$(tools/hwcheck.sh --from-log "$tmp/novmx.log" --out "$tmp/c" 2>&1)
rc=$?
if [ $rc -ne 1 ] || ! printf '%s\n' "$out" | grep -q "debug = vmx"; then
	result hwcheck-no-caps FAIL "exit $rc, want 1 with a hint at 'debug = vmx'"
else
	result hwcheck-no-caps PASS
fi

# Not a Bolt log at all.
echo "hello" >"$tmp/junk.log"
tools/hwcheck.sh --from-log "$tmp/junk.log" --out "$tmp/d" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && result hwcheck-junk PASS || result hwcheck-junk FAIL "exit $rc, want 2"

# KVM mode where nested VMX is unusable (this test machine): one line why, exit 2.
if grep -qw vmx /proc/cpuinfo && [ -w /dev/kvm ]; then
	result hwcheck-no-kvm SKIP "this machine has VT-x and /dev/kvm: tools/hwcheck.sh would run for real"
else
	out=$(tools/hwcheck.sh --out "$tmp/e" 2>&1)
	rc=$?
	if [ $rc -ne 2 ] || ! printf '%s\n' "$out" | grep -q 'nested VMX is unusable here' ||
		! printf '%s\n' "$out" | grep -q -- '--from-log'; then
		result hwcheck-no-kvm FAIL "exit $rc, want 2 with the reason and the --from-log hint"
	else
		result hwcheck-no-kvm PASS
	fi
fi
