#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Provides the test kernels (installing or building what is missing) and the VM tools, then prints
# "FLAVOR KREL IMAGE KDIR TIMEOUT" for each flavor asked for (all of them by default).
#
# `kernels.sh --list` prints the flavors without providing anything.
set -eu

die() {
	echo "kernels.sh: $*" >&2
	exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

# One kernel per line: FLAVOR, the VM timeout in seconds for a suite on it, then how it is provided.
#   apt IMAGE_META HEADERS_META   Debian's packages: /boot/vmlinuz-KREL, /lib/modules/KREL/build
#   cmd SCRIPT [ARGS...]          SCRIPT (relative to the tree's top) installs or builds the kernel
#                                 wherever it likes and prints "KREL IMAGE KDIR" as its last line
table() {
	cat <<-'EOF'
		6.1         300  apt  linux-image-cloud-amd64       linux-headers-cloud-amd64
		6.12        300  apt  linux-image-6.12-cloud-amd64  linux-headers-6.12-cloud-amd64
		6.12-rt     300  apt  linux-image-6.12-rt-amd64     linux-headers-6.12-rt-amd64
		6.12-debug  900  cmd  tests/vm/debug-kernel.sh
	EOF
}

entry_of() {
	table | awk -v f="$1" '$1 == f' | grep . ||
		{ echo "kernels.sh: unknown flavor '$1'; expected one of: $(table | awk '{ print $1 }' | xargs)" >&2; exit 2; }
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# The concrete package a metapackage depends on, e.g. linux-image-6.1.0-56-cloud-amd64.
dependency_of() {
	dpkg-query -W -f='${Depends}' "$1" | tr ',|' '\n' | sed 's/^ *//; s/ .*//' | grep -m1 "^$2-" ||
		die "expected metapackage $1 to depend on a $2-KREL package; its Depends: '$(dpkg-query -W -f='${Depends}' "$1")'"
}

# apt_kernel IMAGE_META HEADERS_META: prints "KREL IMAGE KDIR" of installed Debian packages.
apt_kernel() {
	local image_meta=$1 headers_meta=$2 krel headers
	krel=$(dependency_of "$image_meta" linux-image)
	krel=${krel#linux-image-}
	headers=$(dependency_of "$headers_meta" linux-headers)
	[ "$headers" = "linux-headers-$krel" ] ||
		die "expected $headers_meta to depend on linux-headers-$krel (as $image_meta uses $krel); it depends on $headers: upgrade both"
	echo "$krel /boot/vmlinuz-$krel /lib/modules/$krel/build"
}

if [ "${1:-}" = --list ]; then
	table | awk '{ print $1 }'
	exit 0
fi

flavors=("$@")
[ ${#flavors[@]} -gt 0 ] || mapfile -t flavors < <(table | awk '{ print $1 }')

for flavor in "${flavors[@]}"; do
	entry_of "$flavor" >/dev/null
done

wanted=(qemu-system-x86 busybox-static cpio kmod make stress-ng trinity)
for flavor in "${flavors[@]}"; do
	read -r _ _ kind args <<<"$(entry_of "$flavor")"
	if [ "$kind" = apt ]; then
		read -ra pkgs <<<"$args"
		wanted+=("${pkgs[@]}")
	fi
done
missing=()
for pkg in "${wanted[@]}"; do
	installed "$pkg" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "expected to run as root to install missing packages: ${missing[*]}"
	echo "kernels.sh: installing ${missing[*]}" >&2
	apt-get -o DPkg::Lock::Timeout=600 update >&2
	# Recommends (qemu GUI, GTK, mesa) are a third of the download and unused headless.
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
		"${missing[@]}" >&2
fi

for flavor in "${flavors[@]}"; do
	read -r _ timeout kind args <<<"$(entry_of "$flavor")"
	read -ra args <<<"$args"
	case $kind in
	apt) out=$(apt_kernel "${args[@]}") ;;
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
	echo "$flavor $krel $image $kdir $timeout"
done
