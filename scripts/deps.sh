#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installs Debian packages on the host when missing: the one place the kit calls apt-get for the host.
#
#   deps.sh                          what Linux builds and the host tests need
#   deps.sh windows                  the mingw-w64 build, signing and Wine
#   deps.sh [--no-recommends] PKG... those packages (the VM tools, a kernel, the debug build)
#
# Nothing is done for packages already installed; apt-get runs only as root, and only then.
set -eu

usage() {
	echo "usage: $0 [--no-recommends] [windows | PKG...]" >&2
	exit 2
}

recommends=()
if [ "${1:-}" = --no-recommends ]; then
	recommends=(--no-install-recommends)
	shift
fi
case ${1:-} in
-*) usage ;;
'')
	# Full perl: W=1 on Debian's 6.12 headers runs scripts/kernel-doc, which needs Pod::Usage.
	wanted=(gcc make libc6-dev binutils kmod openssl perl clang libclang-rt-14-dev jq xz-utils)
	;;
windows) wanted=(make gcc-mingw-w64-x86-64 wine wine64 wine64-preloader osslsigncode openssl) ;;
*) wanted=("$@") ;;
esac

for pkg in "${wanted[@]}"; do
	[[ $pkg =~ ^[a-z0-9][a-z0-9+.-]+$ ]] ||
		{ echo "deps.sh: expected a Debian package name; saw '$pkg'" >&2; exit 2; }
done
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null |
	awk '/ ok installed$/ { print $1 }')
missing=()
for pkg in "${wanted[@]}"; do
	grep -qxF -- "$pkg" <<<"$installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: expected root to install ${missing[*]}; run as root or install them" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
apt-get -o DPkg::Lock::Timeout=600 update >&2
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "${recommends[@]}" \
	"${missing[@]}" >&2
