#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: runs every suite and ends with one "N passed, N failed" line counted across them.
#
# Each suite ends its output with "NAME: N passed, N failed". A suite that exits non-zero, or
# prints no such line, counts as one more failure: a suite that could not run is never a skip.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=$top/build/logs
mkdir -p "$logs"
passed=0
failed=0
summary=()

# run_suite NAME CMD...: runs CMD with output shown and kept, then adds its counts.
run_suite() {
	local name=$1 out rc line p f
	shift
	out=$logs/suite-$name.out
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[^ ]+( [^ ]+)*: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		p=0 f=1
		echo "check: suite $name printed no 'N passed, N failed' line (exit $rc): counted as a failure"
	else
		p=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
		f=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			f=1
			echo "check: suite $name exited $rc with no failed test: counted as a failure"
		fi
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	summary+=("$(printf '%-40s %5d passed, %d failed' "$name" "$p" "$f")")
}

# The stress suite's seed, printed so that a failure can be rerun: make stress SEED=...
stress_seed=${KDRV_SEED:-$(($(date +%s) % 100000 + 1))}
stress_args="kdrv.stress_seconds=${KDRV_STRESS_SECONDS:-60} kdrv.seed=$stress_seed"
echo "check: stress seed $stress_seed"

panic_re=$(awk -F'\t' '$1 == "panic" { print $3 }' tests/vm/guest/roulette-modes.txt)

scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
run_suite unit make -s unit
run_suite fuzz scripts/fuzz.sh
run_suite tapcheck tests/vm/tapcheck-test.sh

if kernels=$(tests/vm/kernels.sh ${KDRV_KERNELS:-}); then
	while read -r flavor krel image kdir timeout; do
		kernel=("$krel" --image "$image" --kdir "$kdir" --timeout "$timeout")
		run_suite "modules-$flavor" tests/host/modules.sh "$krel" "$kdir"
		run_suite "vm-$flavor-main" tests/vm/run-kernel.sh "${kernel[@]}" --suite main
		run_suite "vm-$flavor-panic" tests/vm/run-kernel.sh "${kernel[@]}" --suite panic \
			--expect-panic "$panic_re"
		run_suite "vm-$flavor-stress" env KDRV_GUEST_ARGS="$stress_args" \
			tests/vm/run-kernel.sh "${kernel[@]}" --suite stress
	done <<<"$kernels"
	read -r _ krel _ kdir _ <<<"$kernels"
	run_suite new tests/host/new.sh "$krel" "$kdir"
	run_suite bench scripts/bench.sh --smoke "${kernels%% *}"
else
	echo "check: tests/vm/kernels.sh could not provide the kernels: counted as a failure"
	failed=$((failed + 1))
	summary+=("kernels: could not be installed or resolved")
fi

run_suite wine tests/wine/run.sh

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
