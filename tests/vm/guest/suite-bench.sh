# SPDX-License-Identifier: GPL-2.0
# The bench suite: the release kdrv_random and kdrv_pipe against /dev/urandom, getrandom() and
# pipe(2) in this boot. Figures go out as "# bench KIND SIZE SOURCE MEDIAN MIN MAX" lines for
# scripts/bench.sh; the tests check only that every figure was produced, never a timing.
# Rounds and milliseconds per figure come from kdrv.bench_rounds= and kdrv.bench_ms=.

. /kdrv/tests/tap.sh
. /kdrv/tests/lib.sh

BT=kdrv-bench_test
SIZES="16 256 4096 65536 1048576"
rounds=5
ms=200
for arg in $(cat /proc/cmdline); do
	case $arg in
	kdrv.bench_rounds=*) rounds=${arg#kdrv.bench_rounds=} ;;
	kdrv.bench_ms=*) ms=${arg#kdrv.bench_ms=} ;;
	esac
done
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
tap_diag "bench-info kernel $(uname -r)" "bench-info cpu ${cpu:-unknown} x $(grep -c ^processor /proc/cpuinfo)" \
	"bench-info rounds $rounds of $ms ms per figure"

# run_bench WHAT: runs the program, relays its figures, fails on its exit status.
run_bench() {
	if $BT "$1" "$rounds" "$ms" >"/tmp/$1.out" 2>"/tmp/$1.err"; then
		ok "bench: $BT $1 runs"
	else
		not_ok "bench: $BT $1 runs" "$(cat "/tmp/$1.err")"
	fi
	while IFS= read -r line; do
		tap_diag "$line"
	done <"/tmp/$1.out"
}

# every_figure KIND SOURCE: a positive median, minimum and maximum at every size.
every_figure() {
	missing=
	for size in $SIZES; do
		grep -Eq "^bench $1 $size $2 [0-9.]*[1-9][0-9.]* [0-9.]*[1-9][0-9.]* [0-9.]*[1-9][0-9.]*$" \
			"/tmp/${1%%-*}.out" || missing="$missing $size"
	done
	check_eq "bench: $1 figures for $2 at every size" "" "$missing"
}

check "bench: insmod kdrv_random.ko (release)" insmod "$M/kdrv_random.ko"
check "bench: insmod kdrv_pipe.ko capacity=1048576 (release)" insmod "$M/kdrv_pipe.ko" capacity=1048576

run_bench random
for source in kdrv-random urandom getrandom; do
	every_figure random $source
done
run_bench pipe
for source in kdrv-pipe pipe; do
	every_figure pipe-rate $source
	every_figure pipe-rtt $source
done

check "bench: rmmod kdrv_random" rmmod kdrv_random
check "bench: rmmod kdrv_pipe" rmmod kdrv_pipe
tap_done
