#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the test guest's initramfs: static busybox, tests/vm/init as /init and STAGEDIR under /kdrv.
set -eu

die() {
	echo "mkinitramfs.sh: $*" >&2
	exit 1
}

[ $# -eq 2 ] || { echo "usage: $0 OUT STAGEDIR" >&2; exit 2; }
out=$1
stage=$2
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox

[ -d "$stage" ] || die "expected STAGEDIR '$stage' to be a directory; it is not"
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
	die "expected package busybox-static (a static $busybox); not installed: run tests/vm/kernels.sh"
command -v cpio >/dev/null || die "expected cpio in PATH; not found: run tests/vm/kernels.sh"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp made it 0700, and it becomes the guest's /: no other user could reach anything.
chmod 0755 "$root"

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,kdrv,etc}
# Users for a suite that drops privileges (su -s /bin/sh nobody).
printf '%s\n' 'root:x:0:0:root:/:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
	>"$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >"$root/etc/group"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
cp "$here/init" "$root/init"
chmod 0755 "$root/init"
cp -R "$stage/." "$root/kdrv/"
# Tools with their libraries, staged at the paths they expect (tests/vm/stage-tools.sh).
if [ -d "$stage/rootfs" ]; then
	cp -R "$stage/rootfs/." "$root/"
	rm -rf "$root/kdrv/rootfs"
fi

# /dev/console comes from the kernel's built-in initramfs, so no device node (and no root) is needed here.
mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -n >"$out.tmp"
mv "$out.tmp" "$out"
