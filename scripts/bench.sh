#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: kdrv's devices against what a user would use instead, measured in the same boot
# of each kernel (QEMU) and under Wine, written as Markdown and SVG plots under build/bench/.
#
# Figures are printed, never judged: the checks (last line "bench: N passed, N failed") are
# only that every figure was produced and every output file written.
# shellcheck source-path=SCRIPTDIR
set -u

usage() {
	cat >&2 <<-EOF
		usage: $0 [--smoke] [FLAVOR...]
		  FLAVOR       kernels of tests/vm/kernels.sh (default: \$KERNELS, else all of them)
		  --smoke      a quick run to keep the benchmark working: the first kernel only, 2 rounds
		               of 20 ms, into build/bench/smoke/ (make check runs it)
		env: KERNELS="6.1 6.12", KVM=1 (use KVM where it works; TCG otherwise, said so),
		     KDRV_BENCH_ROUNDS (5), KDRV_BENCH_MS (milliseconds per figure, 200),
		     KDRV_BENCH_WINE=0 (no Wine figures), KDRV_VM_TIMEOUT
	EOF
	exit 2
}

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/bench
smoke=0
flavors=()
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	-h | --help) usage ;;
	-*) usage ;;
	*) flavors+=("$1") ;;
	esac
	shift
done
# shellcheck disable=SC2206 # a list of flavor names
[ ${#flavors[@]} -gt 0 ] || flavors=(${KERNELS:-})
if [ ${#flavors[@]} -eq 0 ]; then
	mapfile -t flavors < <("$top/tests/vm/kernels.sh" --list)
	[ "$smoke" = 0 ] || flavors=("${flavors[0]}")
fi
if [ "$smoke" = 1 ]; then
	# Kept apart, so that make check never overwrites the results of a make bench.
	out=$out/smoke
	rounds=${KDRV_BENCH_ROUNDS:-2} ms=${KDRV_BENCH_MS:-20}
else
	rounds=${KDRV_BENCH_ROUNDS:-5} ms=${KDRV_BENCH_MS:-200}
fi
[[ $rounds =~ ^[1-9][0-9]?$ ]] || { echo "bench: expected 1-99 rounds; saw '$rounds'" >&2; exit 2; }
[[ $ms =~ ^[1-9][0-9]*$ ]] || { echo "bench: expected whole milliseconds; saw '$ms'" >&2; exit 2; }

# shellcheck source=../tests/vm/guest/tap.sh
. "$top/tests/vm/guest/tap.sh"
mkdir -p "$out"
rm -f "$out"/*.md "$out"/*.svg "$out"/*.dat "$out"/*.txt

"$top/scripts/deps.sh" gnuplot-nox || exit 1
kernels=$("$top/tests/vm/kernels.sh" "${flavors[@]}") || exit 2

cpu_of() {
	sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1
}

# KVM is never assumed: it must have booted a guest here first.
accel=TCG
accel_note="TCG (software emulation): absolute figures are far below real hardware; compare ratios"
if [ "${KVM:-0}" = 1 ]; then
	read -r flavor krel _ <<<"$kernels"
	if [ ! -w /dev/kvm ]; then
		accel_note="KVM was asked for but /dev/kvm is missing here: TCG instead. $accel_note"
	elif KDRV_KVM=1 KDRV_VM_TIMEOUT=120 "$top/tests/vm/run-kernel.sh" "$flavor" --suite selftest \
		>"$out/kvm-probe.out" 2>&1; then
		accel=KVM
		accel_note="KVM"
	else
		accel_note="KVM was asked for but a guest did not run under it here (build/logs/vm-$krel-selftest.log): TCG instead. $accel_note"
	fi
	echo "bench: $accel_note"
fi

# figure FILE KIND SIZE SOURCE FIELD: FIELD 1 median, 2 min, 3 max, from "bench KIND SIZE SOURCE ..."
figure() {
	awk -v k="$2" -v s="$3" -v src="$4" -v f="$5" \
		'$1 == "bench" && $2 == k && $3 == s && $4 == src { print $(4 + f); exit }' "$1"
}

# rcell FILE KIND SIZE NAME: a ratio measured round by round, "median× (min–max)".
rcell() {
	printf '%.2f× (%.2f–%.2f)' "$(figure "$@" 1)" "$(figure "$@" 2)" "$(figure "$@" 3)"
}

human() {
	case $1 in
	1048576) echo "1 MiB" ;;
	65536) echo "64 KiB" ;;
	4096) echo "4 KiB" ;;
	*) echo "$1 B" ;;
	esac
}

# cell FILE KIND SIZE SOURCE: "median (min-max)".
cell() {
	printf '%s (%s–%s)' "$(figure "$@" 1)" "$(figure "$@" 2)" "$(figure "$@" 3)"
}

sizes="16 256 4096 65536 1048576"

# expect_figures FILE WHAT KIND SOURCE...: one check per source that every size has its figure.
expect_figures() {
	local file=$1 what=$2 kind=$3 source size missing
	shift 3
	for source in "$@"; do
		missing=
		for size in $sizes; do
			[ -n "$(figure "$file" "$kind" "$size" "$source" 1)" ] || missing="$missing $size"
		done
		check_eq "bench[$what]: $kind figures for $source at every size" "" "$missing"
	done
}

# plot SVG TITLE YLABEL DAT COLUMN:TITLE...: one line per series, its median in COLUMN and its
# min and max in the two after, drawn as bars; PLOT_RATIO=1 plots ratios, with a line at 1.
plot() {
	local svg=$1 title=$2 ylabel=$3 dat=$4 spec c series='' scale='set logscale xy'
	shift 4
	if [ "${PLOT_RATIO:-0}" = 1 ]; then
		scale="set logscale x; set yrange [0:*]; set key bottom right"
		series="1 with lines dashtype 2 linecolor 'black' title 'parity'"
	fi
	for spec in "$@"; do
		c=${spec%%:*}
		series+="${series:+, }'$dat' using 1:$c:$((c + 1)):$((c + 2)) with yerrorlines"
		series+=" title '${spec#*:}'"
	done
	gnuplot <<-EOF
		set terminal svg size 800,500 dynamic background '#ffffff' noenhanced
		set output '$svg'
		set title '$title'
		set xlabel 'size (bytes)'
		set ylabel '$ylabel'
		set key top left
		$scale
		set xrange [10:2000000]
		set xtics ('16' 16, '256' 256, '4K' 4096, '64K' 65536, '1M' 1048576)
		set grid
		plot $series
	EOF
}

# dat FILE KIND SOURCE...: size, then median, min, max of each source.
dat() {
	local file=$1 kind=$2 size source
	shift 2
	for size in $sizes; do
		printf '%s' "$size"
		for source in "$@"; do
			printf ' %s %s %s' "$(figure "$file" "$kind" "$size" "$source" 1)" \
				"$(figure "$file" "$kind" "$size" "$source" 2)" \
				"$(figure "$file" "$kind" "$size" "$source" 3)"
		done
		echo
	done
}

md=$out/results.md
{
	echo "# kdrv bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Host CPU: $(cpu_of) ($(nproc) cores). Guests: $accel_note."
	echo "$rounds rounds; in each, the sources take turns in slices of about 16 KiB until each has"
	echo "run $ms ms. Each cell is the median (min–max) over the rounds; a ratio is taken round by"
	echo "round, between figures measured side by side."
	echo "MB/s is 10^6 bytes per second. The VMs share the host with whatever else runs on it:"
	echo "ratios within one boot are what the figures can tell."
} >"$md"

# Lines are "FLAVOR KREL IMAGE KDIR TIMEOUT ..."; run-kernel.sh is given the flavor, so that how a
# kernel's modules are built stays kernels.sh's business.
while read -r flavor krel _ _ timeout _; do
	log=$top/build/logs/vm-$krel-bench.log
	raw=$out/$flavor.txt
	echo "=== bench: $flavor ($krel), $rounds rounds of $ms ms"
	KDRV_KVM=$([ "$accel" = KVM ] && echo 1 || echo 0) \
		KDRV_GUEST_ARGS="kdrv.bench_rounds=$rounds kdrv.bench_ms=$ms" \
		"$top/tests/vm/run-kernel.sh" "$flavor" \
		--timeout "$((timeout + rounds * ms * 35 * 3 / 1000))" --suite bench \
		>"$out/$flavor.run" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		ok "bench[$flavor]: the bench suite ran (tapcheck passed)"
	else
		not_ok "bench[$flavor]: the bench suite ran (tapcheck passed)" \
			"exit $rc; log $log" "$(tail -n 15 "$out/$flavor.run")"
	fi
	tr -d '\r' <"$log" 2>/dev/null | sed -n 's/.*kdrv-guest: # \(bench.*\)/\1/p' >"$raw"
	expect_figures "$raw" "$flavor" random kdrv-random urandom getrandom
	expect_figures "$raw" "$flavor" random-ratio kdrv-random/urandom kdrv-random/getrandom
	expect_figures "$raw" "$flavor" pipe-rate kdrv-pipe pipe
	expect_figures "$raw" "$flavor" pipe-rate-ratio kdrv-pipe/pipe
	expect_figures "$raw" "$flavor" pipe-rtt kdrv-pipe pipe
	expect_figures "$raw" "$flavor" pipe-rtt-ratio kdrv-pipe/pipe
	guest_cpu=$(sed -n 's/^bench-info cpu //p' "$raw")

	dat "$raw" random kdrv-random urandom getrandom >"$out/$flavor-random.dat"
	dat "$raw" pipe-rate kdrv-pipe pipe >"$out/$flavor-pipe.dat"
	plot "$out/$flavor-random.svg" "Linux $krel ($accel): random bytes" 'MB/s' \
		"$out/$flavor-random.dat" 2:/dev/kdrv-random 5:/dev/urandom 8:'getrandom()'
	plot "$out/$flavor-pipe.svg" "Linux $krel ($accel): kdrv_pipe against pipe(2)" 'MB/s' \
		"$out/$flavor-pipe.dat" 2:kdrv_pipe 5:'pipe(2)'
	{
		dat "$raw" random-ratio kdrv-random/urandom kdrv-random/getrandom
	} >"$out/$flavor-ratio.dat"
	PLOT_RATIO=1 plot "$out/$flavor-ratio.svg" "Linux $krel ($accel): kdrv-random, round by round" \
		'ratio' "$out/$flavor-ratio.dat" 2:'kdrv-random / urandom' 5:'kdrv-random / getrandom()'
	{
		echo
		echo "## Linux $krel ($flavor), $accel"
		echo
		echo "Guest CPU: ${guest_cpu:-unknown}. Plots: \`$flavor-random.svg\`, \`$flavor-ratio.svg\`," \
			"\`$flavor-pipe.svg\`."
		echo
		echo "| read size | /dev/kdrv-random MB/s | /dev/urandom MB/s | getrandom() MB/s | kdrv ÷ urandom | kdrv ÷ getrandom |"
		echo "|---|---|---|---|---|---|"
		for size in $sizes; do
			echo "| $(human "$size") | $(cell "$raw" random "$size" kdrv-random) |" \
				"$(cell "$raw" random "$size" urandom) | $(cell "$raw" random "$size" getrandom) |" \
				"$(rcell "$raw" random-ratio "$size" kdrv-random/urandom) |" \
				"$(rcell "$raw" random-ratio "$size" kdrv-random/getrandom) |"
		done
		echo
		echo "kdrv_pipe (capacity=1048576) against a pipe(2) of the same capacity (F_SETPIPE_SZ):"
		echo "throughput from a writer thread to a reader, each moving SIZE bytes per call, and"
		echo "the time for one thread to write SIZE bytes and read them back."
		echo
		echo "| size | kdrv_pipe MB/s | pipe(2) MB/s | kdrv ÷ pipe | kdrv_pipe µs write+read | pipe(2) µs write+read | kdrv ÷ pipe |"
		echo "|---|---|---|---|---|---|---|"
		for size in $sizes; do
			echo "| $(human "$size") | $(cell "$raw" pipe-rate "$size" kdrv-pipe) |" \
				"$(cell "$raw" pipe-rate "$size" pipe) |" \
				"$(rcell "$raw" pipe-rate-ratio "$size" kdrv-pipe/pipe) |" \
				"$(cell "$raw" pipe-rtt "$size" kdrv-pipe) | $(cell "$raw" pipe-rtt "$size" pipe) |" \
				"$(rcell "$raw" pipe-rtt-ratio "$size" kdrv-pipe/pipe) |"
		done
	} >>"$md"
	check "bench[$flavor]: $flavor-random.svg, $flavor-ratio.svg and $flavor-pipe.svg are written" \
		test -s "$out/$flavor-random.svg" -a -s "$out/$flavor-ratio.svg" -a -s "$out/$flavor-pipe.svg"
done <<<"$kernels"

if [ "${KDRV_BENCH_WINE:-1}" != 0 ]; then
	"$top/scripts/wine-bench.sh" "$rounds" "$ms" >"$out/wine.txt" 2>"$out/wine.err"
	rc=$?
	if [ "$rc" = 0 ]; then
		ok "bench[wine]: the Wine benchmark ran"
	else
		not_ok "bench[wine]: the Wine benchmark ran" "exit $rc" "$(tail -n 15 "$out/wine.err")"
	fi
	raw=$out/wine.txt
	expect_figures "$raw" wine wine-random kdrv-random bcryptgenrandom
	expect_figures "$raw" wine wine-random-ratio kdrv-random/bcryptgenrandom
	dat "$raw" wine-random kdrv-random bcryptgenrandom >"$out/wine-random.dat"
	plot "$out/wine-random.svg" 'Wine: ReadFile on \\.\KdrvRandom against BCryptGenRandom' \
		'MB/s' "$out/wine-random.dat" 2:'ReadFile \\.\KdrvRandom' 5:'BCryptGenRandom (user mode)'
	{
		echo
		echo "## Windows build under Wine $(sed -n 's/^bench-info wine //p' "$raw") (Wine figures, not Windows)"
		echo
		echo "The release kdrv_random.sys in Wine's driver host, read with ReadFile, against"
		echo "user-mode BCryptGenRandom in the same run, on the host CPU. Plot: \`wine-random.svg\`."
		echo
		printf '%s\n' '| read size | ReadFile \\.\KdrvRandom MB/s | BCryptGenRandom MB/s | kdrv ÷ BCryptGenRandom |'
		echo "|---|---|---|---|"
		for size in $sizes; do
			echo "| $(human "$size") | $(cell "$raw" wine-random "$size" kdrv-random) |" \
				"$(cell "$raw" wine-random "$size" bcryptgenrandom) |" \
				"$(rcell "$raw" wine-random-ratio "$size" kdrv-random/bcryptgenrandom) |"
		done
	} >>"$md"
	check "bench[wine]: wine-random.svg is written" test -s "$out/wine-random.svg"
fi

check "bench: results.md is written" test -s "$md"
echo
cat "$md"
echo
echo "bench: results in $md and ${out#"$top"/}/*.svg"
tap_done
echo "bench: $tap_passed passed, $tap_failed failed"
[ "$tap_failed" -eq 0 ]
