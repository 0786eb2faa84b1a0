#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
# The Windows half of `make bench`: the release kdrv_random.sys under Wine, read with ReadFile,
# against user-mode BCryptGenRandom. Prints the "bench wine-random ..." lines of
# tests/wine/bench.c on stdout; progress and errors on stderr. Its own Wine prefix and server.
# shellcheck source-path=SCRIPTDIR
set -u

[ $# -eq 2 ] || { echo "usage: $0 ROUNDS MILLISECONDS" >&2; exit 2; }
rounds=$1 ms=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../tests/wine/lib.sh
. "$here/../tests/wine/lib.sh"
# lib.sh's paths are the Wine suite's; the benchmark keeps a prefix of its own beside its results.
out=$top/build/bench/wine
log=$out/wine.log
export WINEPREFIX=$out/prefix
bench_exe_unix=$out/kdrv_bench.exe
bench_exe=$(winpath "$bench_exe_unix")
driver=$(winpath "$win/kdrv_random.sys")

die() {
	echo "wine-bench.sh: $*" >&2
	exit 1
}

mkdir -p "$out"
"$top/scripts/deps.sh" windows >&2 || die "expected scripts/deps.sh windows to install mingw-w64 and Wine"
wine_find || die "expected wine64 and wineserver on this machine; not found"
make -s -C "$top/os/windows" -j2 >&2 || die "expected make -C os/windows to build the drivers"
x86_64-w64-mingw32-gcc -std=gnu11 -O2 -Wall -Wextra -Werror -D__USE_MINGW_ANSI_STDIO=1 \
	-I"$top/include" -static -o "$bench_exe_unix" "$top/tests/wine/bench.c" -lbcrypt >&2 ||
	die "expected tests/wine/bench.c to build"

trap '"$wineserver" -k 2>/dev/null' EXIT
: >"$log"
if ! wine_init || ! wine_start; then
	die "expected Wine to start in a fresh prefix ($out/wineboot.out)"
fi
kdrvctl install random "$driver" >&2 || die "expected kdrvctl.exe install random to succeed"
kdrvctl start random >&2 || die "expected kdrvctl.exe start random to succeed (log: $log)"
echo "bench-info wine $("$wine" --version 2>/dev/null | sed 's/^wine-//')"
"$wine" "$bench_exe" "$rounds" "$ms" | tr -d '\r'
rc=${PIPESTATUS[0]}
kdrvctl stop random >&2
kdrvctl remove random >&2
[ "$rc" = 0 ] || die "expected kdrv_bench.exe to exit 0; it exited $rc"
