#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make stress`: the stress suite on one kernel for as long as asked (DURATION seconds, SEED to
# repeat a run, KERNEL a flavor of tests/vm/kernels.sh, CYCLES to make the load/unload storm run
# that many cycles of every module instead of 2/5 of DURATION), judged like every VM suite.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
duration=${DURATION:-600}
seed=${SEED:-$(($(date +%s) % 100000 + 1))}
flavor=${KERNEL:-6.12}

if ! [[ $duration =~ ^[0-9]+$ ]] || [ "$duration" -lt 10 ]; then
	echo "make stress: DURATION is whole seconds, at least 10; got '$duration'" >&2
	exit 2
fi
[[ $seed =~ ^[0-9]+$ ]] || { echo "make stress: SEED is a number; got '$seed'" >&2; exit 2; }
cycles=${CYCLES:-}
storm=
if [ -n "$cycles" ]; then
	[[ $cycles =~ ^[1-9][0-9]*$ ]] || { echo "make stress: CYCLES is a positive number; got '$cycles'" >&2; exit 2; }
	storm=" kdrv.storm_cycles=$cycles"
fi
line=$("$top/tests/vm/kernels.sh" "$flavor") || exit 2
read -r _ krel image kdir timeout root <<<"$line"
echo "make stress: $duration s${cycles:+ and a storm of $cycles cycles} on $krel, seed $seed"
# Under TCG a storm cycle of every module takes 1 to 3 s.
KDRV_GUEST_ARGS="kdrv.stress_seconds=$duration kdrv.seed=$seed$storm" \
	exec "$top/tests/vm/run-kernel.sh" "$krel" --image "$image" --kdir "$kdir" --root "$root" \
	--timeout $((duration * 2 + ${cycles:-0} * 5 + timeout)) --suite stress
