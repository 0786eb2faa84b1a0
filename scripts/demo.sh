#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: installs what it needs, builds, boots Debian's 6.12 kernel in QEMU and shows the drivers.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

scripts/deps.sh
mkdir -p build/logs
read -r _ krel _ <<<"$(tests/vm/kernels.sh 6.12)"
echo "== Linux: booting $krel in QEMU (software emulation, a few seconds)"
rc=0
tests/vm/run-kernel.sh "$krel" --suite demo >build/logs/demo-verdict.txt 2>build/logs/demo-build.txt || rc=$?
log=build/logs/vm-$krel-demo.log
# The guest's own lines, minus the TAP bookkeeping the verdict below summarises.
tr -d '\r' <"$log" | sed -n 's/^\[[^]]*\] kdrv-guest: //p' |
	grep -Ev '^(TAP version|1\.\.[0-9]+$|ok [0-9]+ |KDRV-)' || true
tail -n 1 build/logs/demo-verdict.txt
if [ "$rc" != 0 ]; then
	echo "demo: the Linux part failed; the verdict is in build/logs/demo-verdict.txt," \
		"the build output in build/logs/demo-build.txt and the console in $log" >&2
	exit 1
fi

echo
echo "== Windows: the same drivers as signed .sys files under Wine (not a Windows machine)"
scripts/deps.sh windows
make -s windows sign >build/logs/demo-windows-build.txt 2>&1 ||
	{ tail -n 20 build/logs/demo-windows-build.txt >&2; exit 1; }
scripts/windows-demo.sh
