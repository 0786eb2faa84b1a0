#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds and stages kdrv for one kernel, boots it with one guest suite and judges the console log.
#
# The kernel is a KREL installed by Debian's packages (/boot/vmlinuz-KREL, /lib/modules/KREL/build),
# a KREL with --image and --kdir, or a FLAVOR of tests/vm/kernels.sh, which provides it. The modules
# are built in ROOT (--root, or the flavor's: a suite's chroot, with that suite's compiler; `/` by
# default), the guest programs on the host.
set -eu

usage() {
	echo "usage: $0 KREL|FLAVOR [--image IMAGE --kdir KDIR [--root ROOT]] [--timeout SECONDS (300)]" >&2
	echo "       [--suite NAME] [--expect-panic REGEX]" >&2
	echo "env: KDRV_SKIP_BUILD=1 (stage existing build/ output), KDRV_VM_TIMEOUT=SECONDS" >&2
	echo "     (overrides --timeout and the flavor's), KDRV_KVM=1," >&2
	echo "     KDRV_GUEST_ARGS='kdrv.stress_seconds=N kdrv.seed=S' (more kernel command line)" >&2
	exit 2
}

die() {
	echo "run-kernel.sh: $*" >&2
	exit 2
}

[ $# -ge 1 ] || usage
krel=$1
shift
suite=main
panic=()
image=
kdir=
root=
timeout=
while [ $# -gt 0 ]; do
	case $1 in
	--image) [ $# -ge 2 ] || usage; image=$2; shift 2 ;;
	--kdir) [ $# -ge 2 ] || usage; kdir=$2; shift 2 ;;
	--root) [ $# -ge 2 ] || usage; root=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
	--suite) [ $# -ge 2 ] || usage; suite=$2; shift 2 ;;
	--expect-panic) [ $# -ge 2 ] || usage; panic=(--expect-panic "$2"); shift 2 ;;
	*) usage ;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/build
if [ -z "$image$kdir$root" ] && "$here/kernels.sh" --list | grep -qxF -- "$krel"; then
	flavor=$krel
	read -r _ krel image kdir flavor_timeout root <<<"$("$here/kernels.sh" "$flavor")"
	timeout=${timeout:-$flavor_timeout}
	[ -n "$kdir" ] || die "expected tests/vm/kernels.sh to provide flavor $flavor; it did not"
fi
image=${image:-/boot/vmlinuz-$krel}
kdir=${kdir:-/lib/modules/$krel/build}
root=${root:-/}
timeout=${KDRV_VM_TIMEOUT:-${timeout:-300}}

[[ $suite =~ ^[A-Za-z0-9_-]+$ ]] || die "expected a suite name of letters, digits, '-' or '_'; saw '$suite'"
[ -f "$here/guest/suite-$suite.sh" ] || die "expected suite file $here/guest/suite-$suite.sh; not found"
[ -d "$kdir" ] || die "expected kernel headers at $kdir; not found: run tests/vm/kernels.sh"
[ -r "$image" ] || die "expected a kernel image at $image; not found: run tests/vm/kernels.sh"
root_kdir=$("$top/scripts/chroot.sh" inside "$root" "$kdir") || die "expected --kdir under --root $root"

vm=$build/vm/$krel
mkdir -p "$vm"
# Runs share build/: one build-and-stage at a time, one run per kernel (its stage dir, initrd, logs).
exec 8>"$build/vm/.build.lock" 9>"$vm/.run.lock"
flock -n 9 || { echo "run-kernel.sh: waiting for another run on $krel" >&2; flock 9; }

modules=$build/linux/$krel
guest_bin=$build/guest/bin
flock 8
if [ "${KDRV_SKIP_BUILD:-0}" != 1 ]; then
	"$top/scripts/chroot.sh" run "$root" make -C "$top" linux KDIR="$root_kdir" >&2
	make -C "$top" guest >&2
	compgen -G "$modules/*.ko" >/dev/null ||
		die "expected 'make linux KDIR=$kdir' to leave modules in $modules/*.ko; found none"
	[ -d "$guest_bin" ] || die "expected 'make guest' to create $guest_bin; it does not exist"
fi

stage=$vm/stage
rm -rf "$stage"
mkdir -p "$stage/modules" "$stage/bin" "$stage/tests"
if compgen -G "$modules/*.ko" >/dev/null; then
	cp "$modules"/*.ko "$stage/modules/"
fi
if [ -d "$guest_bin" ]; then
	cp -R "$guest_bin/." "$stage/bin/"
fi
cp "$here"/guest/* "$stage/tests/"
if [ "$suite" = stress ]; then
	"$here/stage-tools.sh" "$stage"
fi
flock -u 8
"$here/mkinitramfs.sh" "$vm/initrd.gz" "$stage"

log=$build/logs/vm-$krel-$suite.log
boot_rc=0
"$here/boot.sh" "$image" "$vm/initrd.gz" "$log" --append "kdrv.suite=$suite ${KDRV_GUEST_ARGS:-}" \
	--timeout "$timeout" || boot_rc=$?
echo "run-kernel.sh: console log: $log" >&2
check_rc=0
"$here/tapcheck.sh" "$log" --kernel "$krel" --suite "$suite" "${panic[@]}" || check_rc=$?
if [ "$check_rc" = 0 ] && [ "$boot_rc" != 0 ]; then
	echo "run-kernel.sh: expected boot.sh to exit 0; it exited $boot_rc" >&2
	exit 1
fi
exit "$check_rc"
