#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: runs every suite and ends with one "N passed, N failed" line counted across them.
#
# `check.sh [FLAVOR...]` (`make check KERNELS="7.2 5.10"`) runs the kernel suites on those flavors
# of tests/vm/kernels.sh only; KDRV_KERNELS is read when no flavor is given.
#
# Each suite ends its output with "NAME: N passed, N failed". A suite that exits non-zero, or
# prints no such line, counts as one more failure: a suite that could not run is never a skip.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
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
stress_args="kdrv.stress_seconds=${KDRV_STRESS_SECONDS:-40} kdrv.seed=$stress_seed"
echo "check: stress seed $stress_seed"

panic_re=$(awk -F'\t' '$1 == "panic" { print $3 }' tests/vm/guest/roulette-modes.txt)

scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
run_suite unit make -s unit
run_suite fuzz scripts/fuzz.sh
run_suite tapcheck tests/vm/tapcheck-test.sh
run_suite doctor tests/host/doctor.sh

# The guest's static test programs are the same for every kernel.
make -s guest || { failed=$((failed + 1)); summary+=("guest: make guest failed"); }
flavors=("$@")
[ $# -gt 0 ] || read -ra flavors <<<"${KDRV_KERNELS:-}"
[ ${#flavors[@]} -gt 0 ] || mapfile -t flavors < <(tests/vm/kernels.sh --list)
# One kernel at a time: a suite's mirror being down, or one kernel failing to build, costs that
# kernel's suites and no other's. The suites' stdin is empty, here and for DKMS below.
first=
provided=()
for flavor in "${flavors[@]}"; do
	if ! line=$(tests/vm/kernels.sh "$flavor"); then
		echo "check: tests/vm/kernels.sh could not provide kernel $flavor: counted as a failure"
		failed=$((failed + 1))
		summary+=("$(printf '%-40s could not be installed or resolved' "kernel $flavor")")
		continue
	fi
	read -r _ krel image kdir timeout root <<<"$line"
	first=${first:-$line}
	provided+=("$flavor")
	kernel=("$krel" --image "$image" --kdir "$kdir" --root "$root" --timeout "$timeout")
	# The VM suites boot the modules modules.sh built (W=1 changes warnings, not code), so each
	# kernel's modules are compiled once; had that build failed, they boot none and fail.
	run_suite "modules-$flavor" tests/host/modules.sh "$krel" "$kdir" --root "$root"
	run_suite "vm-$flavor-main" env KDRV_SKIP_BUILD=1 \
		tests/vm/run-kernel.sh "${kernel[@]}" --suite main
	run_suite "vm-$flavor-panic" env KDRV_SKIP_BUILD=1 \
		tests/vm/run-kernel.sh "${kernel[@]}" --suite panic --expect-panic "$panic_re"
	run_suite "vm-$flavor-stress" env KDRV_SKIP_BUILD=1 KDRV_GUEST_ARGS="$stress_args" \
		tests/vm/run-kernel.sh "${kernel[@]}" --suite stress
	# Fault injection needs a kernel built for it: the debug kernel.
	case $flavor in
	*-debug)
		run_suite "vm-$flavor-fault" env KDRV_SKIP_BUILD=1 \
			tests/vm/run-kernel.sh "${kernel[@]}" --suite fault
		;;
	esac
done </dev/null
# kdrv-dkms installed with apt in a chroot of each Debian suite of the kernels provided above, built by DKMS for its
# kernels, which then boot the main suite with those modules.
while read -r -u 3 suite image headers; do
	if chroot=$(scripts/chroot.sh ensure "$suite" "$image" "$headers" | tail -n 1) &&
		[ -d "$chroot" ]; then
		run_suite "dkms-$suite" tests/host/dkms.sh "$suite" "$chroot"
	else
		echo "check: scripts/chroot.sh could not provide a $suite chroot for the DKMS test: counted as a failure"
		failed=$((failed + 1))
		summary+=("$(printf '%-40s could not be provided' "dkms-$suite chroot")")
	fi
done 3< <([ ${#provided[@]} -eq 0 ] || tests/vm/kernels.sh --suites "${provided[@]}") </dev/null
if [ -n "$first" ]; then
	read -r _ krel _ kdir _ root <<<"$first"
	run_suite new tests/host/new.sh "$krel" "$kdir" "$root"
	run_suite bench scripts/bench.sh --smoke "${first%% *}"
else
	echo "check: no kernel could be provided, so tests/host/new.sh has none to build for: counted as a failure"
	failed=$((failed + 1))
	summary+=("new: no kernel to build for")
fi

run_suite wine tests/wine/run.sh

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
