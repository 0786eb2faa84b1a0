#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host checks of the modules for one kernel: a warning-free W=1 build and complete modinfo.
set -u

{ [ $# -ge 1 ] && [ $# -le 2 ]; } || { echo "usage: $0 KREL [KDIR]" >&2; exit 2; }
krel=$1
kdir=${2:-/lib/modules/$krel/build}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/linux/$krel
log=$top/build/logs/build-$krel.log
. "$top/tests/vm/guest/tap.sh"
. "$top/tests/host/modsig.sh"

drivers=$(cd "$top/drivers" && ls -d -- */ | tr -d /)

mkdir -p "$(dirname "$log")"
# Modules a previous build left behind must not stand in for this one's.
rm -f "$out"/*.ko "$out"/signed/*.ko
if make -C "$top" linux KDIR="$kdir" W=1 >"$log" 2>&1; then
	ok "build[$krel]: every module builds with W=1"
else
	not_ok "build[$krel]: every module builds with W=1" "$(tail -n 20 "$log")"
fi
warnings=$(grep -E 'warning:' "$log")
check_eq "build[$krel]: the W=1 build is warning-free" "" "$warnings"

for m in $drivers; do
	ko=$out/kdrv_$m.ko
	info=$(modinfo "$ko" 2>&1)
	check_match "modinfo[$krel] kdrv_$m: license GPL" '^license: +GPL$' "$info"
	check_match "modinfo[$krel] kdrv_$m: a description" '^description: +kdrv '"$m"': .+' "$info"
	check_match "modinfo[$krel] kdrv_$m: an author" '^author: +.+' "$info"
	check_eq "modinfo[$krel] kdrv_$m: built for $krel" "$krel" \
		"$(modinfo -F vermagic "$ko" | cut -d' ' -f1)"
done
# Its ChaCha20 is vmlinux's generic code: no crypto module must come with it.
check_eq "modinfo[$krel] kdrv_random: depends on no other module" "" \
	"$(modinfo -F depends "$out/kdrv_random.ko" 2>&1)"
info=$(modinfo "$out/kdrv_roulette.ko" 2>&1)
check_match "modinfo[$krel] kdrv_roulette: chance is documented" \
	'^parm: +chance:Boom probability in percent, 0-100' "$info"
check_match "modinfo[$krel] kdrv_roulette: boom is documented" \
	'^parm: +boom:What a Boom does: error' "$info"
check_eq "modinfo[$krel]: no parameter lacks a description" "" \
	"$(for m in $drivers; do modinfo -F parm "$out/kdrv_$m.ko"; done |
		grep -v ':.\{10,\}')"

if "$top/scripts/sign-linux.sh" "$kdir" >>"$log" 2>&1; then
	ok "sign[$krel]: make sign-linux signs every release module"
	for m in $drivers; do
		ko=$out/signed/kdrv_$m.ko
		check_eq "sign[$krel] kdrv_$m: modinfo names our signer" "kdrv test module signing key" \
			"$(modinfo -F signer "$ko")"
		check "sign[$krel] kdrv_$m: the appended signature verifies against our key" \
			modsig_verify "$ko" "$top/build/keys/linux-signing.x509" "$out/release/kdrv_$m.ko"
	done
else
	not_ok "sign[$krel]: make sign-linux signs every release module" "$(tail -n 5 "$log")"
fi

tap_done
echo "modules $krel: $tap_passed passed, $tap_failed failed"
[ "$tap_failed" -eq 0 ]
