#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make new`: bad and taken names are refused; a new driver appears only where it should, and
# its unit tests and a W=1 module build pass, in a scratch copy of the tree.
#
# `new.sh [KREL [KDIR [ROOT]]]`: the module build is for that kernel, in ROOT (a chroot of
# scripts/chroot.sh, or `/`); without KREL it is left out.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/vm/guest/tap.sh
. "$top/tests/vm/guest/tap.sh"

krel=${1:-}
kdir=${2:-/lib/modules/$krel/build}
root=${3:-/}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The tree as it is now, committed or not, without build output.
(cd "$top" && git ls-files -co --exclude-standard -z | cpio -0pdm --quiet "$scratch/tree")
tree=$scratch/tree

refused() {
	local desc=$1 re=$2 out rc
	shift 2
	out=$(make -s -C "$tree" new NAME="$1" 2>&1)
	rc=$?
	if [ $rc = 2 ] && grep -Eq -- "$re" <<<"$out"; then
		ok "new: $desc"
	else
		not_ok "new: $desc" "expected exit 2 and /$re/" "seen: exit $rc" "$out"
	fi
}

refused "no NAME is a usage error" 'usage: make new NAME=foo' ''
refused "an uppercase name is refused" "'Foo' is not a driver name" Foo
refused "a name with a dash is refused" "'my-drv' is not a driver name" my-drv
refused "a name longer than 16 is refused" "is not a driver name" abcdefghijklmnopq
refused "a taken name is refused" "'pipe' is taken: drivers/pipe exists" pipe
refused "a name the kit uses is refused" "'user' is a name the kit uses itself" user
drivers=
for d in "$tree"/drivers/*/; do
	d=${d%/}
	drivers="$drivers ${d##*/}"
done
check_eq "new: refusals create nothing" " hello pipe procinfo random roulette" "$drivers"

(cd "$tree" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm t)
check "new: make new NAME=probe succeeds" make -s -C "$tree" new NAME=probe
check_eq "new: it adds files only in drivers/probe and one per test folder" \
	"drivers/probe/ tests/unit/test_probe.c tests/vm/guest/probe.sh tests/wine/probe.sh" \
	"$(cd "$tree" && git status --porcelain | sed 's/^?? //' | sort | tr '\n' ' ' | sed 's/ $//')"
out=$(make -s -C "$tree" unit 2>&1)
check_match "new: the unit tests pass with the new driver" '^unit: [0-9]+ passed, 0 failed$' "$out"
check_match "new: they include the new driver's group" '^ok [0-9]+ - probe: with repeat=3 a file reads three greetings$' "$out"
if [ -n "$krel" ]; then
	out=$("$top/scripts/chroot.sh" run "$root" --bind "$scratch" \
		make -C "$tree" linux KDIR="$("$top/scripts/chroot.sh" inside "$root" "$kdir")" W=1 2>&1)
	check_eq "new: kdrv_probe.ko builds warning-free with W=1 for $krel" "0 " \
		"$(grep -c 'warning:' <<<"$out") $(test -f "$tree/build/linux/$krel/kdrv_probe.ko" || echo missing)"
fi
check "new: the generated shell tests pass shellcheck" \
	shellcheck -s sh -e SC2154,SC2034 "$tree/tests/vm/guest/probe.sh"

echo "1..$tap_count"
echo "new: $tap_passed passed, $tap_failed failed"
[ "$tap_failed" = 0 ]
