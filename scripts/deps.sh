#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installs the host packages kdrv builds with when missing: `deps.sh` for Linux and the host
# tests, `deps.sh windows` for the mingw-w64 build, signing and Wine, `deps.sh bench` for the
# benchmark's plots.
set -eu

case ${1:-} in
'') wanted=(gcc make libc6-dev binutils kmod openssl clang libclang-rt-14-dev) ;;
windows) wanted=(make gcc-mingw-w64-x86-64 wine wine64 wine64-preloader osslsigncode openssl) ;;
bench) wanted=(gnuplot-nox) ;;
*)
	echo "usage: $0 [windows|bench]" >&2
	exit 2
	;;
esac
missing=()
for pkg in "${wanted[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: expected root to install ${missing[*]}; run as root or install them" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
apt-get -o DPkg::Lock::Timeout=600 update >&2
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "${missing[@]}" >&2
