#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host checks of the modules for one kernel: a warning-free W=1 build and complete modinfo.
#
# The build and the signing run in ROOT (a suite's chroot, with that suite's compiler and
# sign-file; `/` by default); the checks read the results from the host.
set -u

usage() {
	echo "usage: $0 KREL [KDIR] [--root ROOT] | $0 FLAVOR (a flavor of tests/vm/kernels.sh)" >&2
	exit 2
}

top=$(cd "$(dirname "$0")/../.." && pwd)
args=()
root=
while [ $# -gt 0 ]; do
	case $1 in
	--root) [ $# -ge 2 ] || usage; root=$2; shift 2 ;;
	-*) usage ;;
	*) args+=("$1"); shift ;;
	esac
done
{ [ ${#args[@]} -ge 1 ] && [ ${#args[@]} -le 2 ]; } || usage
krel=${args[0]}
kdir=${args[1]:-}
if [ -z "$kdir$root" ] && "$top/tests/vm/kernels.sh" --list | grep -qxF -- "$krel"; then
	read -r _ krel _ kdir _ root <<<"$("$top/tests/vm/kernels.sh" "$krel")"
	[ -n "$root" ] || { echo "modules.sh: expected tests/vm/kernels.sh to provide ${args[0]}" >&2; exit 2; }
fi
kdir=${kdir:-/lib/modules/$krel/build}
root=${root:-/}
root_kdir=$("$top/scripts/chroot.sh" inside "$root" "$kdir") || exit 2
out=$top/build/linux/$krel
log=$top/build/logs/build-$krel.log
# shellcheck source=tests/vm/guest/tap.sh
. "$top/tests/vm/guest/tap.sh"
# shellcheck source=tests/host/modsig.sh
. "$top/tests/host/modsig.sh"

in_root() {
	"$top/scripts/chroot.sh" run "$root" "$@"
}

drivers=$(for d in "$top"/drivers/*/; do d=${d%/}; echo "${d##*/}"; done)

mkdir -p "$(dirname "$log")"
# Modules a previous build left behind must not stand in for this one's: neither the copies
# checked here nor the release builds that sign-linux.sh signs.
rm -f "$out"/*.ko "$out"/release/*.ko "$out"/debug/*.ko "$out"/signed/*.ko
if in_root make -C "$top" linux KDIR="$root_kdir" W=1 >"$log" 2>&1; then
	ok "build[$krel]: every module builds with W=1"
	check_eq "build[$krel]: the W=1 build is warning-free" "" "$(grep -E 'warning:' "$log")"
else
	not_ok "build[$krel]: every module builds with W=1" "$(tail -n 20 "$log")"
	not_ok "build[$krel]: the W=1 build is warning-free" "the build failed: its log is $log"
fi

built=1
for m in $drivers; do
	ko=$out/kdrv_$m.ko
	if [ ! -f "$ko" ]; then
		not_ok "modinfo[$krel] kdrv_$m: the build left $ko" "expected the module; not found"
		built=
		continue
	fi
	info=$(modinfo "$ko" 2>&1)
	check_match "modinfo[$krel] kdrv_$m: license GPL" '^license: +GPL$' "$info"
	check_match "modinfo[$krel] kdrv_$m: a description" '^description: +kdrv '"$m"': .+' "$info"
	check_match "modinfo[$krel] kdrv_$m: an author" '^author: +.+' "$info"
	check_eq "modinfo[$krel] kdrv_$m: built for $krel" "$krel" \
		"$(modinfo -F vermagic "$ko" | cut -d' ' -f1)"
done
if [ -n "$built" ]; then
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
fi

if in_root "$top/scripts/sign-linux.sh" "$root_kdir" >>"$log" 2>&1; then
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
