#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installs the test kernels and VM tools when missing, then prints "FLAVOR KREL" for each kernel flavor.
set -eu

die() {
	echo "kernels.sh: $*" >&2
	exit 1
}

packages_of() {
	case $1 in
	6.1) echo linux-image-cloud-amd64 linux-headers-cloud-amd64 ;;
	6.12) echo linux-image-6.12-cloud-amd64 linux-headers-6.12-cloud-amd64 ;;
	6.12-rt) echo linux-image-6.12-rt-amd64 linux-headers-6.12-rt-amd64 ;;
	*) echo "kernels.sh: unknown flavor '$1'; expected 6.1, 6.12 or 6.12-rt" >&2; exit 2 ;;
	esac
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

# The concrete package a metapackage depends on, e.g. linux-image-6.1.0-56-cloud-amd64.
dependency_of() {
	dpkg-query -W -f='${Depends}' "$1" | tr ',|' '\n' | sed 's/^ *//; s/ .*//' | grep -m1 "^$2-" ||
		die "expected metapackage $1 to depend on a $2-KREL package; its Depends: '$(dpkg-query -W -f='${Depends}' "$1")'"
}

flavors=("$@")
[ ${#flavors[@]} -gt 0 ] || flavors=(6.1 6.12 6.12-rt)

wanted=(qemu-system-x86 busybox-static cpio kmod make stress-ng)
for flavor in "${flavors[@]}"; do
	pkgs=$(packages_of "$flavor")
	read -ra pkgs <<<"$pkgs"
	wanted+=("${pkgs[@]}")
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
	read -r image_meta headers_meta <<<"$(packages_of "$flavor")"
	krel=$(dependency_of "$image_meta" linux-image)
	krel=${krel#linux-image-}
	headers=$(dependency_of "$headers_meta" linux-headers)
	[ "$headers" = "linux-headers-$krel" ] ||
		die "expected $headers_meta to depend on linux-headers-$krel (as $image_meta uses $krel); it depends on $headers: upgrade both"
	[ -r "/boot/vmlinuz-$krel" ] || die "expected /boot/vmlinuz-$krel for flavor $flavor; not found"
	[ -d "/lib/modules/$krel/build" ] || die "expected /lib/modules/$krel/build for flavor $flavor; not found"
	echo "$flavor $krel"
done
