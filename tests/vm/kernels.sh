#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Provides the test kernels (installing or building what is missing) and the VM tools, then prints
# "FLAVOR KREL IMAGE KDIR TIMEOUT ROOT" for each flavor asked for (all of them by default): ROOT
# is the tree to build the kernel's modules in (`/`, the host, or a suite's chroot, entered with
# `scripts/chroot.sh run ROOT`); IMAGE and KDIR are host paths, under ROOT.
#
# `kernels.sh --list` prints the flavors without providing anything; `kernels.sh --suites
# [FLAVOR...]` their Debian suites as "SUITE IMAGE_META HEADERS_META" (the suite's first kernel).
set -eu

die() {
	echo "kernels.sh: $*" >&2
	exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

# One kernel per line: FLAVOR, the VM timeout in seconds for a suite on it, the Debian suite its
# users build with (the host's own, or a chroot made by scripts/chroot.sh), then how it is provided:
#   apt IMAGE_META HEADERS_META   the suite's packages: ROOT/boot/vmlinuz-KREL and
#                                 ROOT/lib/modules/KREL/build, KREL taken from the metapackages
#   cmd SCRIPT [ARGS...]          SCRIPT (relative to the tree's top) runs on the host, installs or
#                                 builds the kernel wherever it likes and prints "KREL IMAGE KDIR"
#                                 as its last line
table() {
	cat <<-'EOF'
		5.10         300  bullseye  apt  linux-image-cloud-amd64       linux-headers-cloud-amd64
		6.1          300  bookworm  apt  linux-image-cloud-amd64       linux-headers-cloud-amd64
		6.12         300  bookworm  apt  linux-image-6.12-cloud-amd64  linux-headers-6.12-cloud-amd64
		6.12-rt      300  bookworm  apt  linux-image-6.12-rt-amd64     linux-headers-6.12-rt-amd64
		6.12-trixie  300  trixie    apt  linux-image-cloud-amd64       linux-headers-cloud-amd64
		7.2          300  sid       apt  linux-image-cloud-amd64       linux-headers-cloud-amd64
		7.2-rt       300  sid       apt  linux-image-rt-amd64          linux-headers-rt-amd64
		6.12-debug   900  bookworm  cmd  tests/vm/debug-kernel.sh
	EOF
}

entry_of() {
	table | awk -v f="$1" '$1 == f' | grep . ||
		{ echo "kernels.sh: unknown flavor '$1'; expected one of: $(table | awk '{ print $1 }' | xargs)" >&2; exit 2; }
}

# shellcheck source=/dev/null
host_suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$host_suite" ] || die "expected VERSION_CODENAME in /etc/os-release (a Debian host); saw none"

# dpkg_field ROOT PKG FIELD: a field of a package installed in ROOT.
dpkg_field() {
	dpkg-query --admindir="$1/var/lib/dpkg" -W -f="\${$3}" "$2"
}

# The concrete package a metapackage depends on, e.g. linux-image-6.1.0-56-cloud-amd64.
dependency_of() {
	dpkg_field "$1" "$2" Depends | tr ',|' '\n' | sed 's/^ *//; s/ .*//' | grep -m1 "^$3-" ||
		die "expected metapackage $2 in $1 to depend on a $3-KREL package; its Depends: '$(dpkg_field "$1" "$2" Depends)'"
}

# apt_kernel ROOT IMAGE_META HEADERS_META: prints "KREL IMAGE KDIR" of the packages installed in
# ROOT, as host paths.
apt_kernel() {
	local root=${1%/} image_meta=$2 headers_meta=$3 krel headers kdir
	krel=$(dependency_of "$1" "$image_meta" linux-image)
	krel=${krel#linux-image-}
	headers=$(dependency_of "$1" "$headers_meta" linux-headers)
	[ "$headers" = "linux-headers-$krel" ] ||
		die "expected $headers_meta to depend on linux-headers-$krel (as $image_meta uses $krel); it depends on $headers: upgrade both"
	kdir=/lib/modules/$krel/build
	# In a chroot the link's absolute target means the chroot's /usr/src, not the host's.
	if [ -n "$root" ]; then
		kdir=$(readlink "$root$kdir") ||
			die "expected $root/lib/modules/$krel/build (from $headers) to be a link; it is not"
		case $kdir in
		/*) kdir=$root$kdir ;;
		*) kdir=$(cd -P "$root/lib/modules/$krel/$kdir" && pwd) ;;
		esac
	fi
	echo "$krel $root/boot/vmlinuz-$krel $kdir"
}

if [ "${1:-}" = --list ]; then
	table | awk '{ print $1 }'
	exit 0
fi

# The Debian suites of the flavors asked for (all by default), each with its first kernel's
# packages: where tests/host/dkms.sh installs kdrv-dkms.
if [ "${1:-}" = --suites ]; then
	shift
	for flavor in "$@"; do
		entry_of "$flavor" >/dev/null
	done
	table | awk -v want=" $* " '$4 == "apt" && (want == "  " || index(want, " " $1 " ")) &&
		!seen[$3]++ { print $3, $5, $6 }'
	exit 0
fi

flavors=("$@")
[ ${#flavors[@]} -gt 0 ] || mapfile -t flavors < <(table | awk '{ print $1 }')

for flavor in "${flavors[@]}"; do
	entry_of "$flavor" >/dev/null
done

# Packages for the host, and per chroot suite. The host builds the guest programs, and the
# modules of its own suite's kernels: full perl, as W=1 on 6.12 runs kernel-doc (Pod::Usage).
wanted=(qemu-system-x86 busybox-static cpio kmod make stress-ng trinity gcc libc6-dev perl openssl)
declare -A suite_pkgs=()
for flavor in "${flavors[@]}"; do
	read -r _ _ suite kind args <<<"$(entry_of "$flavor")"
	[[ $suite =~ ^[a-z]+$ ]] || die "flavor $flavor: expected a Debian suite in the table; saw '$suite'"
	[ "$suite" = "$host_suite" ] || suite_pkgs[$suite]+=
	if [ "$kind" = apt ]; then
		if [ "$suite" = "$host_suite" ]; then
			read -ra pkgs <<<"$args"
			wanted+=("${pkgs[@]}")
		else
			suite_pkgs[$suite]+=" $args"
		fi
	fi
done
# Recommends (qemu GUI, GTK, mesa) are a third of the download and unused headless.
"$top/scripts/deps.sh" --no-recommends "${wanted[@]}" || die "expected the VM tools and kernels installed"
declare -A roots=()
for suite in "${!suite_pkgs[@]}"; do
	# shellcheck disable=SC2086 # a list of package names
	roots[$suite]=$("$top/scripts/chroot.sh" ensure "$suite" ${suite_pkgs[$suite]}) ||
		die "expected scripts/chroot.sh to provide the $suite chroot; it failed"
done
roots[$host_suite]=/

for flavor in "${flavors[@]}"; do
	read -r _ timeout suite kind args <<<"$(entry_of "$flavor")"
	root=${roots[$suite]}
	read -ra args <<<"$args"
	case $kind in
	apt) out=$(apt_kernel "$root" "${args[@]}") ;;
	cmd)
		out=$("$top/${args[0]}" "${args[@]:1}") ||
			die "expected ${args[0]} to provide flavor $flavor; it failed"
		out=$(tail -n 1 <<<"$out")
		;;
	*) die "flavor $flavor: expected kind 'apt' or 'cmd' in the table; saw '$kind'" ;;
	esac
	read -r krel image kdir extra <<<"$out"
	{ [ -n "$kdir" ] && [ -z "$extra" ]; } ||
		die "expected 'KREL IMAGE KDIR' for flavor $flavor; saw '$out'"
	[ -r "$image" ] || die "expected a kernel image at $image for flavor $flavor; not found"
	[ -f "$kdir/Makefile" ] || die "expected a kernel build tree at $kdir for flavor $flavor; not found"
	"$top/scripts/chroot.sh" inside "$root" "$kdir" >/dev/null ||
		die "expected the build tree of flavor $flavor under its root $root; it is at $kdir"
	# A suite moves to a newer kernel in time: then the table's flavor name needs the new number.
	if [[ $flavor =~ ^([0-9]+\.[0-9]+) ]] && [[ $krel != "${BASH_REMATCH[1]}"[.-]* ]]; then
		echo "kernels.sh: warning: flavor $flavor is now kernel $krel: rename it in the table" >&2
	fi
	echo "$flavor $krel $image $kdir $timeout $root"
done
