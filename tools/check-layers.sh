#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# No include cycles between Bolt's modules (issue 9).
#
#   tools/check-layers.sh [ROOT]     default: the repository
#
# A module is a source file and its header of the same name (core/guest.c
# and core/guest.h); an arch header arch/x86/include/arch/X.h belongs with
# arch/x86/X.c. Module A depends on B when a file of A includes a header
# of B. A cycle means two modules cannot be understood, tested or changed
# apart, whatever folders they sit in. The check covers the hypervisor and
# the guest SDK (boot/ arch/ core/ evtchn/ sched/ lib/ config/ guests/sdk/).
# Prints every cycle found (coreutils tsort names the modules on each) and
# exits 1, or prints the module and edge counts and exits 0.
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2

dirs=""
for d in boot arch core evtchn sched lib config guests/sdk; do
	[ -d "$d" ] && dirs="$dirs $d"
done
[ -n "$dirs" ] || { echo "check-layers: no source folders under $root" >&2; exit 2; }

edges=$(find $dirs -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) | sort | while read -r f; do
	awk -v file="$f" '
	function module(p) {
		sub(/\.(c|h|S)$/, "", p)
		sub(/^arch\/x86\/include\/arch\//, "arch/x86/", p)
		sub(/^guests\/sdk\/include\/bolt\/sdk\//, "guests/sdk/", p)
		return p
	}
	# The SDK includes its public headers as <bolt/sdk/X.h> (they install so).
	/^[ \t]*#[ \t]*include[ \t]*<bolt\/sdk\/[a-z_]+\.h>/ {
		inc = $0
		sub(/^[^<]*<bolt\/sdk\//, "", inc)
		sub(/>.*$/, "", inc)
		from = module(file)
		to = module("guests/sdk/" inc)
		if (from != to)
			print from, to
		next
	}
	/^[ \t]*#[ \t]*include[ \t]*"/ {
		inc = $0
		sub(/^[^"]*"/, "", inc)
		sub(/".*$/, "", inc)
		if (inc !~ /\//)
			next
		if (inc ~ /^arch\//)
			inc = "arch/x86/" substr(inc, 6)
		from = module(file)
		to = module(inc)
		if (from != to)
			print from, to
	}' "$f"
done | sort -u)

nodes=$(printf '%s\n' "$edges" | tr ' ' '\n' | sort -u | grep -c .)
out=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null)
if printf '%s\n' "$out" | grep -q 'loop'; then
	echo "check-layers: include cycles between modules (a module is X.c + X.h):"
	printf '%s\n' "$out" | sed 's/^tsort: -: //; s/^tsort: /  /'
	exit 1
fi
echo "check-layers: $nodes modules, $(printf '%s\n' "$edges" | grep -c .) include edges, no cycles"
