#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make dkms-tarball`: the module sources and a dkms.conf in build/dkms/kdrv-VERSION.tar.gz,
# laid out as DKMS wants them in /usr/src/kdrv-VERSION; prints the tarball's path.
#
# The version is KDRV_VERSION of include/kdrv/abi.h, the one the modules and kdrvctl report.
set -eu

[ $# -eq 0 ] || { echo "usage: $0 (no arguments; writes build/dkms/kdrv-VERSION.tar.gz)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^#define KDRV_VERSION "\(.*\)"$/\1/p' "$top/include/kdrv/abi.h")
[[ $version =~ ^[0-9][0-9A-Za-z.+~]*$ ]] ||
	{ echo "dkms-tarball.sh: expected '#define KDRV_VERSION \"X.Y.Z\"' in include/kdrv/abi.h; saw '$version'" >&2; exit 1; }

out=$top/build/dkms
src=$out/kdrv-$version
rm -rf "$src"
mkdir -p "$src/os"
# What Kbuild reads: the drivers, the kit's portable half, the ABI and the Linux layer.
cp -R "$top/drivers" "$top/lib" "$top/include" "$src/"
cp -R "$top/os/linux" "$src/os/linux"
rm -rf "$src/os/linux/debian" "$src/os/linux/dkms.conf.in"

# One record per driver, so a new folder of drivers/ is packaged without editing dkms.conf.
modules=
i=0
for d in "$top"/drivers/*/; do
	d=$(basename "$d")
	modules+="BUILT_MODULE_NAME[$i]=\"kdrv_$d\""$'\n'
	modules+="BUILT_MODULE_LOCATION[$i]=\"build/linux/\${kernelver}/release/\""$'\n'
	modules+="DEST_MODULE_LOCATION[$i]=\"/updates/dkms\""$'\n'
	i=$((i + 1))
done
[ "$i" -gt 0 ] || { echo "dkms-tarball.sh: expected driver folders in $top/drivers; found none" >&2; exit 1; }
awk -v version="$version" -v modules="${modules%$'\n'}" \
	'{ gsub(/@VERSION@/, version); if ($0 == "@MODULES@") print modules; else print }' \
	"$top/os/linux/dkms.conf.in" >"$src/dkms.conf"

# The same bytes from the same commit: file times and owners come from it, not from this run.
epoch=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
tar -C "$out" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
	-cf - "kdrv-$version" | gzip -n >"$out/kdrv-$version.tar.gz"
echo "$out/kdrv-$version.tar.gz"
