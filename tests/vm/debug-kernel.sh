#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the debug kernel (KASAN, UBSAN, lockdep, kmemleak...) from Debian's linux-source-6.12 and
# tests/vm/debug-kernel.config, caches it outside build/ and prints "KREL IMAGE KDIR".
#
# The cache key is the source package's version and a hash of the fragment: a kernel is built
# once per pair and reused by every tree and every later run. Runs for the same key wait for
# each other (flock); a build that died leaves no completion stamp and is redone from scratch.
set -eu

die() {
	echo "debug-kernel.sh: $*" >&2
	exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug-kernel.config
cache=${KDRV_KERNEL_CACHE:-/var/cache/kdrv}/debug-kernel
source_pkg=linux-source-6.12
tarball=/usr/src/$source_pkg.tar.xz
jobs=${KDRV_KERNEL_JOBS:-2}

[ -r "$fragment" ] || die "expected the configuration fragment at $fragment; not found"

# What Kbuild needs for this configuration: libelf for objtool (ORC), openssl for the module
# signing key and sign-file, bc/bison/flex for the build itself.
"$here/../../scripts/deps.sh" --no-recommends "$source_pkg" gcc make libc6-dev bc bison flex \
	libelf-dev libssl-dev openssl xz-utils kmod || die "expected the kernel's build dependencies installed"
[ -r "$tarball" ] || die "expected $source_pkg to provide $tarball; not found"

version=$(dpkg-query -W -f='${Version}' "$source_pkg")
# Only the option lines count: editing a "# why" comment does not cost a rebuild.
hash=$(grep -E '^(CONFIG_|# CONFIG_)' "$fragment" | sha256sum | cut -c1-12)
dir=$cache/$version-$hash
kdir=$dir/linux
image=$kdir/arch/x86/boot/bzImage
stamp=$dir/complete

mkdir -p "$cache"
exec 9>"$dir.lock"
flock -n 9 || { echo "debug-kernel.sh: waiting for another build of $dir" >&2; flock 9; }

if [ ! -f "$stamp" ]; then
	rm -rf "$dir"
	mkdir -p "$kdir"
	echo "debug-kernel.sh: building the debug kernel in $dir (source $version, fragment $hash)" >&2
	start=$SECONDS
	tar -xf "$tarball" -C "$kdir" --strip-components=1
	# allnoconfig: everything the fragment does not ask for is off, which keeps the build small.
	make -C "$kdir" -s allnoconfig KCONFIG_ALLCONFIG="$fragment" >&2

	# Kconfig drops a request whose dependencies are unmet without a word: check each one.
	unmet=()
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$kdir/.config" ||
				unmet+=("$line (.config has: $(grep -E "^(# )?${line%%=*}[= ]" "$kdir/.config" || echo nothing))")
			;;
		'# CONFIG_'*' is not set')
			opt=${line#\# }
			opt=${opt%% *}
			! grep -q "^$opt=" "$kdir/.config" || unmet+=("$line (.config has: $(grep "^$opt=" "$kdir/.config"))")
			;;
		esac
	done <"$fragment"
	if [ ${#unmet[@]} -gt 0 ]; then
		printf 'debug-kernel.sh: expected %s set as the fragment says; it is not\n' "${unmet[@]}" >&2
		exit 1
	fi

	# "all" is vmlinux, bzImage and the module tree: Module.symvers, scripts, sign-file, objtool.
	if ! nice -n 10 make -C "$kdir" -j"$jobs" all >"$dir/build.log" 2>&1; then
		tail -n 30 "$dir/build.log" >&2
		die "expected the debug kernel to build; make failed (log: $dir/build.log)"
	fi
	[ -r "$image" ] || die "expected the build to leave $image; not found"
	[ -f "$kdir/Module.symvers" ] || die "expected the build to leave $kdir/Module.symvers; not found"
	krel=$(make -C "$kdir" -s kernelrelease)
	elapsed=$((SECONDS - start))
	echo "debug-kernel.sh: built $krel in $((elapsed / 60)) min $((elapsed % 60)) s" >&2
	printf 'krel %s\nseconds %s\n' "$krel" "$elapsed" >"$stamp.tmp"
	mv "$stamp.tmp" "$stamp"
fi

krel=$(sed -n 's/^krel //p' "$stamp")
[ -n "$krel" ] || die "expected a 'krel' line in $stamp; it has none: delete $dir to rebuild"
echo "$krel $image $kdir"
