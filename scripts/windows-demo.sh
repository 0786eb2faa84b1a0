#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
# `make demo`'s Windows part: the signed kdrv_hello and kdrv_random loaded under Wine, their
# DbgPrint lines, and random bytes read through kdrvctl.exe. Needs make windows and make sign.
set -eu -o pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
win=$top/build/windows
out=$top/build/wine-demo
export WINEPREFIX=$out/prefix WINEARCH=win64 WINEDEBUG=warn+debugstr
export WINEDLLOVERRIDES="mscoree,mshtml="

if [ ! -f "$win/signed/kdrv_hello.sys" ] || [ ! -f "$win/signed/kdrv_random.sys" ]; then
	echo "windows-demo.sh: no signed drivers: run make windows and make sign first" >&2
	exit 1
fi
wine=$(command -v /usr/lib/wine/wine64 wine64 wine | head -n 1)
wineserver=$(command -v /usr/lib/wine/wineserver64 wineserver | head -n 1)
if [ -z "$wine" ] || [ -z "$wineserver" ]; then
	echo "windows-demo.sh: Wine is missing (apt-get install wine wine64)" >&2
	exit 1
fi
winpath() { local p=${1//\//\\}; echo "Z:$p"; }
kdrvctl() {
	echo "> kdrvctl $*"
	"$wine" "$(winpath "$win/kdrvctl.exe")" "$@" 2>&1 | grep -av '^[0-9a-f]\{4\}:\(fixme\|warn\|err\):'
}

mkdir -p "$out"
"$wineserver" -k 2>/dev/null || true
"$wineserver" -w
if [ ! -d "$WINEPREFIX" ]; then
	echo "windows-demo.sh: making a Wine prefix in $WINEPREFIX (once)"
	"$wine" wineboot -i >"$out/wineboot.out" 2>&1
	"$wineserver" -k
	"$wineserver" -w
fi
# The services, which host the drivers, print DbgPrint lines to their stderr: this log.
"$wineserver" -p
"$wine" wineboot >>"$out/wineboot.out" 2>"$out/wine.log"
trap '"$wineserver" -k 2>/dev/null' EXIT

signed=$(winpath "$win/signed")
kdrvctl install hello "$signed\\kdrv_hello.sys"
kdrvctl start hello
kdrvctl stop hello
kdrvctl remove hello
echo "> DbgPrint output of kdrv_hello.sys:"
grep -a '\[kdrv_hello\.sys\]' "$out/wine.log" | sed 's/^.*vDbgPrintExWithPrefix [0-9a-f:]*: /  /'

kdrvctl install random "$signed\\kdrv_random.sys"
kdrvctl start random
kdrvctl random -n 64
kdrvctl stop random
kdrvctl remove random
