#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debian chroots for building against other suites' kernels with their own compilers.
#
#   chroot.sh path SUITE                  the chroot's directory (nothing is created)
#   chroot.sh ensure SUITE [PKG...]       creates the chroot when missing or half-made, installs
#                                         the build tools and PKG..., refreshes them when due;
#                                         prints the directory as its last line
#   chroot.sh run ROOT [--bind DIR]... [--] CMD [ARG...]
#                                         runs CMD in ROOT, the kdrv tree and each DIR mounted at
#                                         their own paths, /proc /sys /dev mounted, in a private
#                                         mount namespace (nothing stays mounted after it); the
#                                         working directory is kept when ROOT has it; ROOT "/"
#                                         runs CMD on the host as it is
#   chroot.sh inside ROOT PATH            PATH (a host path under ROOT) as seen inside ROOT
#
# A suite's chroot is ${KDRV_KERNEL_CACHE:-/var/cache/kdrv}/chroot/SUITE, a `debootstrap
# --variant=minbase` tree with gcc, make, libc6-dev, binutils, kmod, openssl, perl and bc. Its apt
# is its own (the host's apt sources and lists are never touched); debootstrap is installed on
# the host when missing. A tree is built in SUITE.new and renamed when complete; it is ready only
# with its stamp (var/lib/kdrv/ready), which an upgrade removes until it succeeds, so a run
# that died is repaired (or the tree rebuilt) by the next `ensure`. `ensure` refreshes the apt
# lists at most once per KDRV_CHROOT_REFRESH_HOURS (24) and then upgrades the tools and named
# packages to the suite's newest (a refresh that fails on a whole tree, offline say, keeps it as
# it is); a warm `ensure` reads only the stamp and the dpkg status.
#
# Locking: `ensure` holds SUITE.lock exclusively while it changes the tree; `run` holds it
# shared, so no upgrade happens under a build. Code that uses the tree otherwise (a lower dir of
# an overlay, say) should hold `flock -s "$(chroot.sh path SUITE).lock"` meanwhile.
set -eu

self=$(readlink -f "$0")
top=$(cd "$(dirname "$self")/.." && pwd)
cache=${KDRV_KERNEL_CACHE:-/var/cache/kdrv}/chroot
mirror=${KDRV_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${KDRV_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
refresh_hours=${KDRV_CHROOT_REFRESH_HOURS:-24}
tools=(gcc make libc6-dev binutils kmod openssl perl bc)
path_env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() {
	echo "chroot.sh: $*" >&2
	exit 1
}

usage() {
	sed -n '4,15s/^# \{0,1\}//p' "$self" >&2
	exit 2
}

check_suite() {
	[[ $1 =~ ^[a-z]+$ ]] || die "expected a Debian suite name such as bullseye or sid; saw '$1'"
}

# enter ROOT NBINDS BIND... CMD...: the inside of `run`, already in its own mount namespace.
enter() {
	local root=$1 n=$2 dir
	shift 2
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --rbind /dev "$root/dev"
	while [ "$n" -gt 0 ]; do
		dir=$1
		shift
		n=$((n - 1))
		mkdir -p "$root$dir"
		mount --bind "$dir" "$root$dir"
	done
	# shellcheck disable=SC2016 # expanded by the chroot's shell
	exec chroot "$root" /usr/bin/env -u TMPDIR "$path_env" LC_ALL=C /bin/sh -c \
		'cd "$0" 2>/dev/null || cd /; exec "$@"' "$PWD" "$@"
}

# run_in ROOT BIND... -- CMD...: `run` without the lock, for `ensure`, which holds it already.
run_in() {
	local root=$1 binds=()
	shift
	while [ "$1" != -- ]; do
		binds+=("$(readlink -f "$1")")
		shift
	done
	shift
	unshare -m --propagation private "$self" __enter "$root" ${#binds[@]} "${binds[@]}" "$@"
}

# INITRD=No: the kernel's postinst skips the initramfs; QEMU boots the image with kdrv's own.
apt_in() {
	run_in "$1" -- env DEBIAN_FRONTEND=noninteractive INITRD=No apt-get -q -y \
		-o DPkg::Lock::Timeout=600 "${@:2}"
}

installed_in() {
	local root=$1
	shift
	[ "$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}\n' "$@" 2>/dev/null |
		grep -c ' ok installed$')" = $# ]
}

# configure ROOT SUITE: the chroot's own apt sources and options.
configure() {
	local root=$1 suite=$2
	case $suite in
	sid | unstable | experimental)
		echo "deb $mirror $suite main" >"$root/etc/apt/sources.list"
		# sid's Release carries a Valid-Until this machine's clock may be past.
		echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99kdrv"
		;;
	bullseye)
		# bullseye's LTS ended in 2026-08: bullseye-security still lists kernels (5.10.262)
		# whose files its mirrors no longer serve (404), so its last point release it is.
		printf 'deb %s %s main\n' "$mirror" bullseye "$mirror" bullseye-updates \
			>"$root/etc/apt/sources.list"
		;;
	*)
		printf 'deb %s %s main\n' "$mirror" "$suite" "$mirror" "$suite-updates" \
			"$security_mirror" "$suite-security" >"$root/etc/apt/sources.list"
		;;
	esac
	# Building modules needs no firmware, apparmor or the like that kernel images recommend.
	echo 'APT::Install-Recommends "false";' >>"$root/etc/apt/apt.conf.d/99kdrv"
}

# provide ROOT PKG...: refreshes the lists, installs or upgrades the tools and PKG..., stamps.
provide() {
	local root=$1 ready=$1/var/lib/kdrv/ready
	shift
	rm -f "$ready"
	# Checked step by step: `if provide` would switch set -e off in here.
	apt_in "$root" update >&2 &&
		run_in "$root" -- dpkg --configure -a >&2 &&
		apt_in "$root" install "${tools[@]}" "$@" >&2 &&
		apt_in "$root" autoremove --purge >&2 &&
		apt_in "$root" clean >&2 || return 1
	mkdir -p "$(dirname "$ready")"
	touch "$root/var/lib/kdrv/refreshed"
	printf '%s\n' "${tools[@]}" "$@" >"$ready"
}

create() {
	local suite=$1 root=$2 new=$2.new start=$SECONDS
	shift 2
	"$top/scripts/deps.sh" --no-recommends debootstrap
	rm -rf --one-file-system "$new"
	echo "chroot.sh: creating the $suite chroot in $root (debootstrap, then ${tools[*]} $*)" >&2
	debootstrap --variant=minbase "$suite" "$new" "$mirror" >&2 ||
		die "expected debootstrap to create $new for $suite; it failed (log: $new/debootstrap/debootstrap.log)"
	configure "$new" "$suite"
	provide "$new" "$@"
	mv "$new" "$root"
	echo "chroot.sh: made the $suite chroot in $((SECONDS - start)) s ($(du -sh "$root" | cut -f1))" >&2
}

# current ROOT PKG...: the tree is complete, has PKG... and its lists are recent enough.
current() {
	local root=$1
	shift
	[ -f "$root/var/lib/kdrv/ready" ] && installed_in "$root" "${tools[@]}" "$@" &&
		[ -n "$(find "$root/var/lib/kdrv/refreshed" -mmin -$((refresh_hours * 60)) 2>/dev/null)" ]
}

ensure() {
	local suite=$1 root=$cache/$1 fd
	shift
	check_suite "$suite"
	[[ $refresh_hours =~ ^[0-9]+$ ]] ||
		die "expected KDRV_CHROOT_REFRESH_HOURS to be whole hours; saw '$refresh_hours'"
	mkdir -p "$cache"
	exec {fd}>"$root.lock"
	flock -s "$fd"
	if ! current "$root" "$@"; then
		[ "$(id -u)" = 0 ] || die "expected root to create or refresh $root"
		flock -x "$fd"
		if [ ! -d "$root" ]; then
			create "$suite" "$root" "$@"
		elif ! current "$root" "$@"; then
			echo "chroot.sh: refreshing the $suite chroot in $root" >&2
			if provide "$root" "$@"; then
				:
			elif installed_in "$root" "${tools[@]}" "$@" &&
				[ -z "$(run_in "$root" -- dpkg --audit)" ]; then
				# Offline, say: the tree is whole, so use it and try again next time.
				echo "chroot.sh: could not refresh $root; using it as it is" >&2
				printf '%s\n' "${tools[@]}" "$@" >"$root/var/lib/kdrv/ready"
			else
				echo "chroot.sh: could not repair $root; making it anew" >&2
				rm -rf --one-file-system "$root"
				create "$suite" "$root" "$@"
			fi
		fi
	fi
	exec {fd}>&-
	echo "$root"
}

case ${1:-} in
path)
	[ $# = 2 ] || usage
	check_suite "$2"
	echo "$cache/$2"
	;;
ensure)
	[ $# -ge 2 ] || usage
	shift
	ensure "$@"
	;;
inside)
	[ $# = 3 ] || usage
	root=${2%/}
	case $3 in
	"$root"/*) echo "${3#"$root"}" ;;
	*) die "expected a path under $2; saw '$3'" ;;
	esac
	;;
run)
	[ $# -ge 3 ] || usage
	root=$2
	shift 2
	binds=("$top")
	while [ $# -gt 0 ]; do
		case $1 in
		--bind) [ $# -ge 2 ] || usage; binds+=("$2"); shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	[ $# -ge 1 ] || usage
	[ "$root" != / ] || exec "$@"
	[ -x "$root/bin/sh" ] || die "expected a chroot at $root; it has no /bin/sh: run 'chroot.sh ensure SUITE'"
	[ "$(id -u)" = 0 ] || die "expected root to enter the chroot $root"
	if [ -e "$root.lock" ]; then
		exec flock -s "$root.lock" "$self" __run "$root" "${binds[@]}" -- "$@"
	fi
	run_in "$root" "${binds[@]}" -- "$@"
	;;
__run)
	shift
	run_in "$@"
	;;
__enter)
	shift
	enter "$@"
	;;
-h | --help) usage ;;
*) usage ;;
esac
