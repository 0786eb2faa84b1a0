#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
# The Wine suite: builds, signs and checks the Windows drivers, then loads and drives the signed
# drivers under Wine 8 in a fresh 64-bit prefix. TAP on stdout; the last line is
# "wine: N passed, N failed", and the exit status is non-zero on any failure.
# shellcheck source-path=SCRIPTDIR
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

# Every other file here is one driver's tests: NAME.sh defines wine_test_NAME, run in name order,
# and may define wine_test_NAME_last, run after every driver's tests (for what kills the host).
wine_names=()
for f in "$here"/*.sh; do
	name=$(basename "$f" .sh)
	case $name in lib | run) continue ;; esac
	# shellcheck source=/dev/null
	. "$f"
	wine_names+=("$name")
done

install_packages() {
	"$top/scripts/deps.sh" windows >"$out/apt.log" 2>&1
}

# --- the build, signatures and PE checks

mkdir -p "$out"
if install_packages; then
	ok "packages: mingw-w64, Wine, osslsigncode and openssl are installed"
else
	bail "packages: mingw-w64, Wine, osslsigncode and openssl are installed" \
		"$(tail -n 20 "$out/apt.log")"
fi

if ! wine_find; then
	bail "wine64 and wineserver are on this machine"
fi
# The server is persistent: whatever ends the run must stop it and the drivers it hosts.
trap '"$wineserver" -k 2>/dev/null' EXIT
trap 'exit 130' INT TERM

run make -C "$top/os/windows" -j2
if [ "$rc" = 0 ]; then
	ok "make -C os/windows builds the drivers and kdrvctl.exe"
else
	bail "make -C os/windows builds the drivers and kdrvctl.exe" "$(tail -n 30 "$out/stderr")"
fi

run "$top/scripts/windows-sign.sh"
if [ "$rc" = 0 ]; then
	ok "every .sys is test-signed and its signature verifies"
else
	not_ok "every .sys is test-signed and its signature verifies" "$stdout" "$stderr"
fi

for f in "$win"/kdrv_*.sys "$win"/signed/kdrv_*.sys "$win/kdrvctl.exe"; do
	expect "PE check: ${f#"$top"/}" 0 '^ok:' "$top/scripts/windows-pecheck.sh" "$f"
done

run x86_64-w64-mingw32-gcc -std=gnu11 -O2 -Wall -Wextra -Werror -D__USE_MINGW_ANSI_STDIO=1 \
	-I"$top/include" -static -o "$probe_exe_unix" "$top/tests/wine/probe.c"
[ "$rc" = 0 ] || bail "the probe builds" "$stderr"

# --- Wine itself

rm -f "$out/wineboot.out"
: >"$log"
if wine_init && wine_start && run "$wine" cmd /c echo wine-works && [ "$rc" = 0 ] &&
	grep -q wine-works <<<"$stdout"; then
	ok "Wine starts in a fresh 64-bit prefix"
else
	bail "Wine starts in a fresh 64-bit prefix" "wine is $wine" \
		"$(tail -n 20 "$out/wineboot.out" "$log" 2>&1)"
fi

# --- the drivers; roulette's boom=panic kills the driver host and restarts Wine, so it runs last

for name in "${wine_names[@]}"; do
	"wine_test_$name"
done
for name in "${wine_names[@]}"; do
	if declare -F "wine_test_${name}_last" >/dev/null; then
		"wine_test_${name}_last"
	fi
done

# --- the whole run: one bugcheck, the one asked for, and no other host death but those of
# Wine's own unload race, which unload.sh counted

deaths=$(grep -aE "$host_death_re" "$log" | grep -avc 'err:ntoskrnl:KeBugCheckEx e2 6b647276 ')
deaths=$((deaths - ${wine_race_death_lines:-0}))
bugchecks=$(grep -ac 'err:ntoskrnl:KeBugCheckEx' "$log")
if [ "$bugchecks" = 1 ] && [ "$deaths" = 0 ]; then
	ok "the only driver-host death in the run is the bugcheck boom=panic asked for"
else
	not_ok "the only driver-host death in the run is the bugcheck boom=panic asked for" \
		"$bugchecks bugchecks; other signs of death:" \
		"$(grep -aE "$host_death_re" "$log" | head -n 5)"
fi

finish
