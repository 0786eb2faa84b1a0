#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make fuzz`: a bounded, seeded libFuzzer run of the portable cores through os/user.
#
# FUZZ_RUNS (default 300000) and FUZZ_SEED (default 1) make a run repeatable; a crash
# leaves its input in build/fuzz/ and fails the suite.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/fuzz
runs=${FUZZ_RUNS:-300000}
seed=${FUZZ_SEED:-1}
mkdir -p "$out/corpus"

if ! make -s -C "$top" "$out/kdrv-fuzz"; then
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
echo "fuzz: $runs runs, seed $seed"
if (cd "$out" && ./kdrv-fuzz -runs="$runs" -seed="$seed" -max_len=128 corpus >run.log 2>&1); then
	tail -n 1 "$out/run.log"
	echo "ok 1 - fuzz: $runs inputs through every driver's parameters, random's read and procinfo's ioctl"
	echo "fuzz: 1 passed, 0 failed"
else
	tail -n 30 "$out/run.log"
	echo "not ok 1 - fuzz: $runs inputs through every driver's parameters, random's read and procinfo's ioctl"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
