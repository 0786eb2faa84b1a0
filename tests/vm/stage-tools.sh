#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stages the host's stress-ng, with the shared libraries it loads, under STAGE/rootfs,
# which mkinitramfs.sh lays over the guest's /, for the stress suite.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 STAGEDIR" >&2; exit 2; }
root=$1/rootfs

bin=$(command -v stress-ng) || {
	echo "stage-tools.sh: expected stress-ng on this machine (apt-get install stress-ng); not found" >&2
	exit 1
}
mkdir -p "$root/usr/bin"
cp "$bin" "$root/usr/bin/"
# ldd prints "name => /path (addr)" and "/lib64/ld-linux... (addr)": copy each path.
ldd "$bin" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
