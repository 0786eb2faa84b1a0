#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make deb`: builds the kdrv-dkms package (Architecture: all) from `make dkms-tarball`'s tarball
# and os/linux/debian/ with dpkg-buildpackage and dh-dkms, then runs lintian on it.
#
# The package lands in build/deb/ and the last line printed is its path.
set -eu

[ $# -eq 0 ] || { echo "usage: $0 (no arguments; writes build/deb/kdrv-dkms_VERSION_all.deb)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh" make dpkg-dev debhelper dh-dkms lintian

tarball=$("$top/scripts/dkms-tarball.sh")
name=$(basename "$tarball" .tar.gz)
version=${name#kdrv-}
out=$top/build/deb
rm -rf "$out"
mkdir -p "$out"
tar -C "$out" -xzf "$tarball"
src=$out/$name
cp -R "$top/os/linux/debian" "$src/debian"

# The changelog is written here so the version has one home, include/kdrv/abi.h.
epoch=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
described=$(git -C "$top" describe --always --dirty 2>/dev/null || echo "a tree outside git")
maintainer=$(sed -n 's/^Maintainer: //p' "$src/debian/control")
cat >"$src/debian/changelog" <<-CHANGELOG
	kdrv ($version) unstable; urgency=medium

	  * kdrv $version, built from $described.

	 -- $maintainer  $(LC_ALL=C date -u -R -d "@$epoch")
CHANGELOG

# -b: binary only (the source is the tarball above); nothing here needs root.
(cd "$src" && SOURCE_DATE_EPOCH=$epoch dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; echo "deb.sh: dpkg-buildpackage failed; log: $out/build.log" >&2; exit 1; }
deb=$out/kdrv-dkms_${version}_all.deb
[ -f "$deb" ] || { echo "deb.sh: expected dpkg-buildpackage to write $deb; it did not" >&2; exit 1; }

echo "lintian:" >&2
lintian --info "$deb" >&2 || { echo "deb.sh: lintian found errors in $deb" >&2; exit 1; }
echo "$deb"
