# SPDX-License-Identifier: MIT
# Latency histogram and CDF of one bench figure (called by tools/bench.sh):
#   gnuplot -e "csv='F.csv'; fig='NAME'; out='PREFIX'; n=N; lo=MIN; hi=XMAX; bw=BIN;
#               beyond=K; maxv=MAX; term='pngcairo'" tools/bench-plot.gp
# writes PREFIX-hist.png and PREFIX-cdf.png. F.csv holds one sample (ticks) per line.
# lo/hi/bw come from the runner so that a figure whose samples are all equal
# (Bochs is deterministic) still gets a non-empty x range; hi may be below
# the maximum (one long stall would hide everything else), and the K
# samples beyond it are named in the titles.
if (term eq 'pngcairo') {
	set terminal pngcairo size 900,520 font ',10'
} else {
	set terminal png size 900,520
}
set termoption noenhanced
set datafile separator whitespace
note = beyond > 0 ? sprintf(' (%d beyond the x range, max %d)', beyond, maxv) : ''

set grid
set key off
set xlabel 'ticks (Bochs: one tick per emulated instruction)'
set xrange [lo - bw : hi + 2 * bw]
bin(x) = bw * floor(x / bw)

set output out . '-hist.png'
set title sprintf('%s: histogram of %d samples, bins of %d ticks%s', fig, n, bw, note)
set ylabel 'samples'
set yrange [0:*]
set style fill solid 0.6 border -1
set boxwidth bw * 0.9 absolute
plot csv using (bin($1) + bw / 2.0):(1) smooth frequency with boxes

set output out . '-cdf.png'
set title sprintf('%s: cumulative distribution of %d samples%s', fig, n, note)
set ylabel 'fraction of samples <= x'
set yrange [0:1.02]
plot csv using 1:(1.0 / n) smooth cumulative with steps lw 2
set output
