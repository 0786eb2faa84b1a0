#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stages the host's stress-ng and trinity, with the shared libraries they load, under
# STAGE/rootfs, which mkinitramfs.sh lays over the guest's /, for the stress suite.
#
# KDRV_GUEST_TOOLS="strace ..." stages more programs of the host's PATH the same way, to debug a
# suite by hand.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 STAGEDIR" >&2; exit 2; }
root=$1/rootfs

read -ra extra <<<"${KDRV_GUEST_TOOLS:-}"
for tool in stress-ng trinity "${extra[@]}"; do
	bin=$(command -v "$tool") || {
		echo "stage-tools.sh: expected $tool on this machine (apt-get install $tool," \
			"or tests/vm/kernels.sh); not found" >&2
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
done
