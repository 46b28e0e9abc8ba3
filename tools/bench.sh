#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench: boot the benchmark configurations in Bochs, collect the raw
# samples the bench guests print, and report every figure of issue 4.
#
#   tools/bench.sh            full run: 2,000 samples per figure -> build/bench/
#   tools/bench.sh --smoke    50 samples, same checks on the output -> build/bench-smoke/
#   tools/bench.sh --list     the names of the BENCH lines, in output order
#
# Boots (two at a time, one Bochs each): bench/bench2.cfg on 2 CPUs (exit
# round trips, shm polling, event channels halted/running/lazy, doorbells,
# per-notification exits and hypervisor timings), bench/bench4.cfg on
# 4 CPUs (4 pairs at once against 1, and 4095 bound ports against 1) and
# bench/bench-ring.cfg on 2 CPUs (1,000,000 messages through the SDK's
# lossless ring: ring_msgs_per_mtick; 50,000 with --smoke).
# The guests (guests/bench, tests/guests/ring) print `CSV <figure> s1 s2 ...` and
# `BENCH <name> <value> <unit>` lines on port 0xE9 (Bochs' stdout).
#
# Output directory: <figure>.csv (one sample per line), <figure>-hist.png
# and -cdf.png (gnuplot), table.txt (the readable table), results.txt
# (the BENCH lines), boot-*/log.txt (each boot's console).
# Printed: the table, then one `BENCH <name> <value> <unit>` line per figure
# in a fixed order; a figure that could not be measured prints `nan`.
# Exit status: 0 if every figure was measured, 1 otherwise.
set -u
cd "$(dirname "$0")/.." || exit 1

# Latency figures (round trips, ticks), in output order.
LATENCY="vmcall_rt cpuid_rt pio_rt shm_poll_rt evtchn_rt_halted evtchn_rt_running
	evtchn_rt_lazy doorbell_rt pairs1_rt pairs4_rt ports4096_rt"
# Figures the guests compute from bolt_stats: name unit target.
DERIVED="exits_sender_per_notify exits <=1
exits_receiver_per_notify exits <=1
hv_send_ticks_p50 ticks <=150
hv_send_ticks_p99 ticks <=150
hv_send_ticks_mean ticks -
hv_wake_ticks_p50 ticks <=150
hv_wake_ticks_p99 ticks <=150
hv_wake_ticks_mean ticks -
ring_msgs_per_mtick msgs -"
# Ratios of p50s: name numerator denominator target.
RATIOS="evtchn_rt_halted_vs_lazy evtchn_rt_halted evtchn_rt_lazy <=0.05
evtchn_rt_halted_vs_shm_poll evtchn_rt_halted shm_poll_rt -
ports4096_vs_1 ports4096_rt pairs1_rt <=1.05
pairs4_vs_1 pairs4_rt pairs1_rt <=1.10"
# Boots: config, CPUs.
BOOTS="bench/bench2.cfg 2
bench/bench4.cfg 4
bench/bench-ring.cfg 2"

list_names() {
	local f
	for f in $LATENCY; do printf '%s_p50\n%s_p99\n%s_max\n' "$f" "$f" "$f"; done
	echo "$DERIVED" | awk '{ print $1 }'
	echo "$RATIOS" | awk '{ print $1 }'
}

mode=full
case "${1:-}" in
'') ;;
--smoke) mode=smoke ;;
--list)
	list_names
	exit 0
	;;
*)
	echo "usage: $0 [--smoke | --list]" >&2
	exit 2
	;;
esac

if [ $mode = smoke ]; then
	out=build/bench-smoke samples=50 warmup=10 timeout=90 ring_count=50000
else
	out=build/bench samples=2000 warmup=100 timeout=240 ring_count=1000000
fi
for f in build/bolt.img build/guests/bench.elf build/guests/ring.elf tools/bochsrc.sh; do
	if [ ! -r "$f" ]; then
		echo "$0: $f is missing: run 'make all' first" >&2
		exit 1
	fi
done
rm -rf "$out" && mkdir -p "$out"

# boot CFG CPUS: one Bochs run into $out/boot-<name>/log.txt.
boot() {
	local cfg=$1 cpus=$2 name dir start pid end_re='bolt: (powering off|halting|not starting|PANIC)'
	name=$(basename "$cfg" .cfg)
	dir=$out/boot-$name
	mkdir -p "$dir"
	# The built disk, with this config (sample counts adjusted) and fresh guests.
	cp build/bolt.img "$dir/disk.img"
	sed -e "s/samples=[0-9]*/samples=$samples/g" -e "s/warmup=[0-9]*/warmup=$warmup/g" \
		-e "s/count=[0-9]*/count=$ring_count/g" "$cfg" >"$dir/bolt.cfg"
	mcopy -o -i "$dir/disk.img@@1M" "$dir/bolt.cfg" ::bolt.cfg &&
		mcopy -o -i "$dir/disk.img@@1M" build/guests/bench.elf ::bench.elf &&
		mcopy -o -i "$dir/disk.img@@1M" build/guests/ring.elf ::ring.elf &&
		tools/bochsrc.sh "$dir/disk.img" "$cpus" "$dir" >/dev/null || {
		echo "bench: $name: could not prepare the disk image" >"$dir/log.txt"
		return 1
	}
	start=$(date +%s)
	bochs -q -unlock -f "$dir/bochsrc" -rc "$dir/bochs.rc" >"$dir/bochs.out" 2>&1 &
	pid=$!
	# Bochs exits by itself on Bolt's power-off; the grep covers the other endings.
	while kill -0 $pid 2>/dev/null; do
		grep -aqE "$end_re" "$dir/bochs.out" 2>/dev/null && sleep 1 && break
		[ $(($(date +%s) - start)) -ge $timeout ] && break
		sleep 0.5
	done
	# Still running here means we stop it; otherwise Bochs ended by itself.
	died=yes
	kill $pid 2>/dev/null && died=""
	rc=0
	wait $pid 2>/dev/null || rc=$?
	tr -d '\r' <"$dir/bochs.out" | sed 's/\x1b\[[0-9;=?]*[a-zA-Z]//g' >"$dir/log.txt"
	if grep -aqE "$end_re" "$dir/log.txt"; then
		echo "# $name: $cpus CPUs, $(($(date +%s) - start))s, log $dir/log.txt"
	elif [ -n "$died" ] && ! grep -q 'ACPI control: soft power off' "$dir/bochs.log" 2>/dev/null; then
		echo "# $name: $cpus CPUs: $(tools/bochsrc.sh --why "$dir" "$rc")"
	else
		echo "# $name: $cpus CPUs: no end of run within ${timeout}s, log $dir/log.txt"
	fi >"$dir/status.txt"
}

t0=$(date +%s)
while read -r cfg cpus; do
	# At most two Bochs at a time: each keeps a host core busy.
	while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n; done
	boot "$cfg" "$cpus" &
done <<<"$BOOTS"
wait

# Raw samples: every CSV line's numbers, one per line, per figure.
cat "$out"/boot-*/log.txt | grep -aoE 'CSV [A-Za-z0-9_]+( [0-9]+)+' |
	awk -v dir="$out" '{ f = dir "/" $2 ".csv"; for (i = 3; i <= NF; i++) print $i > f }'
# What the guests computed themselves (bolt_stats figures and cross-checks).
cat "$out"/boot-*/log.txt | grep -aoE 'BENCH [A-Za-z0-9_]+ [0-9.]+ [A-Za-z_]+' >"$out/guest-bench.txt"

# Nearest-rank percentile, as bolt_percentile: the smallest value with at
# least pct% of the samples at or below it.
stats() { # CSV -> "n p50 p99 max min"
	sort -n "$1" | awk '{ v[NR] = $1 }
		function rank(p,  r) { r = int((p * NR + 99) / 100); return v[r < 1 ? 1 : r] }
		END { if (NR) print NR, rank(50), rank(99), v[NR], v[1] }'
}

bench=$out/results.txt
table=$out/table.txt
: >"$bench"
declare -A p50
missing=0
emit() { # name value unit
	echo "BENCH $1 $2 $3" >>"$bench"
	[ "$2" = nan ] && missing=$((missing + 1))
}
# met VALUE TARGET -> yes/no/-
met() {
	case $2 in
	-) echo - ;;
	*) awk -v v="$1" -v t="${2#<=}" 'BEGIN { print (v == "nan" ? "?" : (v + 0 <= t + 0 ? "yes" : "no")) }' ;;
	esac
}

if gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo; then term=pngcairo; else term=png; fi
{
	printf '%-30s %10s %10s %10s %-6s %-8s %s\n' figure "p50/value" p99 max unit target met
	for f in $LATENCY; do
		s=""
		[ -s "$out/$f.csv" ] && s=$(stats "$out/$f.csv")
		if [ -z "$s" ]; then
			printf '%-30s %10s %10s %10s %-6s %-8s %s\n' "$f" missing - - ticks - -
			emit "${f}_p50" nan ticks
			emit "${f}_p99" nan ticks
			emit "${f}_max" nan ticks
			continue
		fi
		read -r n a b c lo <<<"$s"
		p50[$f]=$a
		printf '%-30s %10s %10s %10s %-6s %-8s %s\n' "$f" "$a" "$b" "$c" ticks - "(n=$n)"
		emit "${f}_p50" "$a" ticks
		emit "${f}_p99" "$b" ticks
		emit "${f}_max" "$c" ticks
		# Plot up to twice the p99 so that one stall does not squash the
		# rest; the title counts what lies beyond. Bins: ~40, >= 1 tick.
		hi=$c
		[ $hi -gt $((2 * b)) ] && hi=$((2 * b))
		beyond=$(awk -v h="$hi" '$1 > h { k++ } END { print k + 0 }' "$out/$f.csv")
		bw=$(((hi - lo) / 40))
		[ $bw -lt 1 ] && bw=1
		gnuplot -e "csv='$out/$f.csv'; fig='$f'; out='$out/$f'; n=$n; lo=$lo; hi=$hi; bw=$bw; beyond=$beyond; maxv=$c; term='$term'" \
			tools/bench-plot.gp 2>>"$out/gnuplot.err" || echo "bench: gnuplot failed for $f (see $out/gnuplot.err)" >&2
	done
	while read -r name unit target; do
		v=$(awk -v n="$name" '$2 == n { v = $3 } END { print v }' "$out/guest-bench.txt")
		[ -z "$v" ] && v=nan
		printf '%-30s %10s %10s %10s %-6s %-8s %s\n' "$name" "$([ $v = nan ] && echo missing || echo "$v")" - - "$unit" "$target" "$(met "$v" "$target")"
		emit "$name" "$v" "$unit"
	done <<<"$DERIVED"
	while read -r name num den target; do
		v=nan
		if [ -n "${p50[$num]:-}" ] && [ -n "${p50[$den]:-}" ] && [ "${p50[$den]}" != 0 ]; then
			v=$(awk -v a="${p50[$num]}" -v b="${p50[$den]}" 'BEGIN { printf "%.4f", a / b }')
		fi
		printf '%-30s %10s %10s %10s %-6s %-8s %s\n' "$name" "$([ $v = nan ] && echo missing || echo "$v")" - - ratio "$target" "$(met "$v" "$target")"
		emit "$name" "$v" ratio
	done <<<"$RATIOS"
} >"$table"

cat "$out"/boot-*/status.txt
echo "# total ${out}: $(($(date +%s) - t0))s wall, $samples samples + $warmup warm-up per figure"
echo "# targets are for information; figures are Bochs ticks (one per emulated instruction)"
cat "$table"
cat "$bench"
if [ $missing -gt 0 ]; then
	echo "# $missing figure(s) missing: see $out/boot-*/log.txt" >&2
	exit 1
fi
exit 0
