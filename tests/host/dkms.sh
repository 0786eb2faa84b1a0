#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kdrv-dkms package on one Debian suite: installed with apt into a throwaway overlay of the
# suite's cached chroot, DKMS builds and signs the modules for each of its kernels, a kernel
# installed later gets them too, the main VM suite passes on each kernel with DKMS's modules,
# and removing the package leaves none behind. The cached chroot is never written.
set -u

usage() {
	echo "usage: $0 [--boot all|none|KREL] SUITE CHROOT" >&2
	echo "  SUITE   the Debian suite CHROOT holds (bookworm, bullseye, ...)" >&2
	echo "  CHROOT  a debootstrap chroot of SUITE with at least one kernel image and its headers" >&2
	echo "  --boot  which kernels boot the main VM suite with DKMS's modules (default: all)" >&2
	echo "env: KDRV_VM_TIMEOUT=SECONDS (for run-kernel.sh)" >&2
	exit 2
}

die() {
	echo "dkms.sh: $*" >&2
	exit 2
}

boot=all
while [ $# -gt 0 ]; do
	case $1 in
	--boot) [ $# -ge 2 ] || usage; boot=$2; shift 2 ;;
	-h | --help) usage ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || usage
suite=$1
chroot=$(cd "$2" 2>/dev/null && pwd) || die "expected CHROOT to be a directory; saw '$2'"

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/vm/guest/tap.sh
. "$top/tests/vm/guest/tap.sh"

[ "$(id -u)" = 0 ] || die "expected to run as root (overlay mounts, chroot); running as uid $(id -u)"
# The VM tools run-kernel.sh needs (kernels.sh would install them with its kernels), and xz.
"$top/scripts/deps.sh" --no-recommends qemu-system-x86 busybox-static cpio kmod xz-utils ||
	die "expected scripts/deps.sh to install the VM tools; it failed"
[ -x "$chroot/usr/bin/apt-get" ] || die "expected a Debian chroot at $chroot; it has no usr/bin/apt-get"
# sid's os-release names the next release (forky); its debian_version says "forky/sid".
if [ "$suite" = sid ]; then
	codename=$(sed -n 's|^.*/\(sid\)$|\1|p' "$chroot/etc/debian_version" 2>/dev/null)
else
	# shellcheck disable=SC1091
	codename=$(. "$chroot/etc/os-release" 2>/dev/null && echo "${VERSION_CODENAME:-}")
fi
[ "$codename" = "$suite" ] ||
	die "expected $chroot to be a $suite chroot; its os-release or debian_version says '$codename'"

# scripts/chroot.sh upgrades a chroot only under CHROOT.lock held exclusively: hold it shared
# while the chroot is an overlay's lower layer.
if [ -e "$chroot.lock" ]; then
	exec 7<"$chroot.lock"
	flock -s 7
fi

log=$top/build/logs/dkms-$suite
rm -rf "$log"
mkdir -p "$log"
# Downloads (dkms, kernels) survive the overlay, so a second run fetches nothing.
apt_cache=/var/cache/kdrv/dkms-apt/$suite
mkdir -p "$apt_cache/partial"
tmp=$(mktemp -d /var/tmp/kdrv-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/upper" "$tmp/work" "$tmp/root" "$tmp/out"

# in_root CMD...: runs CMD in the overlay (lower: the cached chroot; upper: $tmp/upper), with
# /proc, /sys, /dev, the apt cache and $tmp/out (as /mnt) mounted. The mount namespace dies with
# the command, so nothing stays mounted and the chroot itself only ever sees reads.
in_root() {
	# shellcheck disable=SC2016
	unshare -m --propagation private -- bash -c '
		set -e
		chroot=$1 tmp=$2 cache=$3
		shift 3
		root=$tmp/root
		mount -t overlay overlay \
			-o "lowerdir=$chroot,upperdir=$tmp/upper,workdir=$tmp/work" "$root"
		mount -t proc proc "$root/proc"
		mount -t sysfs sysfs "$root/sys"
		mount --rbind /dev "$root/dev"
		mount --bind "$cache" "$root/var/cache/apt/archives"
		mount --bind "$tmp/out" "$root/mnt"
		exec chroot "$root" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 \
			DEBIAN_FRONTEND=noninteractive \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
	' in_root "$chroot" "$tmp" "$apt_cache" "$@"
}

# apt-get in the overlay, its output in FILE; when a package cannot be found or fetched (the
# chroot's lists are stale or missing), updates the lists (in the overlay) and tries once more.
# sid's Release outlives its Valid-Until on this machine's clock.
apt_opts=(-y -o Acquire::Check-Valid-Until=false -o DPkg::Lock::Timeout=600)
apt_in_root() {
	local out=$1
	shift
	in_root apt-get "${apt_opts[@]}" "$@" >"$out" 2>&1 && return 0
	grep -Eq 'Unable to locate package|has no installation candidate|Failed to fetch|404 +Not Found' \
		"$out" || return 1
	echo "dkms.sh: apt-get could not find a package; updating the lists in the overlay" >>"$out"
	in_root apt-get "${apt_opts[@]}" update >>"$out" 2>&1 &&
		in_root apt-get "${apt_opts[@]}" "$@" >>"$out" 2>&1
}

# Kernels with an image and headers in the overlay, oldest first.
kernels_in_root() {
	# shellcheck disable=SC2016
	in_root sh -c 'for m in /lib/modules/*; do
		[ -e "$m/modules.builtin" ] && [ -d "$m/build/include" ] && echo "${m##*/}"
	done | sort -V'
}

# The package owning PATH in the overlay: dpkg knows /lib/... on bookworm and before, /usr/lib/...
# on suites whose packages moved there (sid).
owner_of() {
	# shellcheck disable=SC2016
	in_root sh -c 'dpkg-query -S "$1" 2>/dev/null || dpkg-query -S "/usr$1" 2>/dev/null' owner "$1" |
		cut -d: -f1 | head -n 1
}

# dkms status for kdrv on one kernel, e.g. "kdrv/0.1.0, KREL, x86_64: installed" (dkms 3) or
# "kdrv, 0.1.0, KREL, x86_64: installed" (dkms 2).
# (dkms 3.0.10 also prints readelf's warnings about the modules on stderr.)
status_of() {
	in_root dkms status -m kdrv -v "$version" -k "$1" 2>/dev/null
}

# The kernels dkms status says kdrv is installed for, oldest first.
installed_kernels() {
	in_root dkms status -m kdrv 2>/dev/null | grep ': installed' |
		awk -F', ' '{ print ($1 ~ /\//) ? $2 : $3 }' | sort -V | xargs
}

# shellcheck disable=SC2001
ere_quote() {
	sed 's/[][\\.*^$+?(){}|]/\\&/g' <<<"$1"
}

installed_re() {
	printf '^kdrv[/,] ?%s, %s, [^:]+: installed' "$(ere_quote "$version")" "$(ere_quote "$1")"
}

# Every chroot file's path, size and mtime: equal before and after, or the test wrote into it.
fingerprint() {
	find "$chroot" -xdev -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort | md5sum
}

phase() {
	phase_start=$(date +%s)
	tap_diag "$1"
}

phase_end() {
	timings+=("$1: $(($(date +%s) - phase_start)) s")
}

timings=()
drivers=$(for d in "$top"/drivers/*/; do basename "$d"; done | xargs)
lower_before=$(fingerprint)

phase "building the package with make deb"
# make deb empties build/deb/ first: another suite's run builds and copies under the same lock.
mkdir -p "$top/build"
# shellcheck disable=SC2016
if flock "$top/build/.deb.lock" sh -c \
	'make -s -C "$1" deb 2>"$2" | tail -n 1 >"$3/deb-path" && cp "$(cat "$3/deb-path")" "$3/"' \
	deb "$top" "$log/deb.log" "$tmp/out"; then
	deb=$tmp/out/$(basename "$(cat "$tmp/out/deb-path")")
	ok "deb: make deb builds $(basename "$deb")"
else
	not_ok "deb: make deb builds kdrv-dkms_VERSION_all.deb" "$(tail -n 20 "$log/deb.log")"
	tap_done
	echo "dkms: $tap_passed passed, $tap_failed failed"
	exit 1
fi
version=$(dpkg-deb -f "$deb" Version)
check_eq "deb: lintian reports nothing" "" "$(lintian "$deb" 2>&1 | grep -v '^running with root privileges')"
phase_end "make deb"

mapfile -t kernels < <(kernels_in_root)
[ ${#kernels[@]} -gt 0 ] ||
	die "expected a kernel image and its headers in $chroot (lib/modules/*/modules.builtin and build/include); found none"
newest=${kernels[-1]}
tap_diag "kernels with headers in the $suite chroot: ${kernels[*]}"
case $boot in
all) boots=("${kernels[@]}") ;;
none) boots=() ;;
*)
	printf '%s\n' "${kernels[@]}" | grep -qxF -- "$boot" ||
		die "expected --boot all, none or one of: ${kernels[*]}; saw '$boot'"
	boots=("$boot")
	;;
esac

# A kernel that comes after the package. With several, the oldest: its image and headers go after
# the install and come back with apt, and the kernel's hooks (/etc/kernel/*.d/dkms) must remove
# and rebuild kdrv for it. With one, its headers go before the install and come back after it
# (/etc/kernel/header_postinst.d/dkms): dkms 2 forgets a module when the last kernel it was
# installed for goes, so removing a suite's only kernel would lose kdrv with it.
late=${kernels[0]}
# The image is linux-image-KREL; on sid its modules and vmlinuz come in linux-base-KREL.
# shellcheck disable=SC2016
if in_root dpkg-query -W -f='${Status}\n' "linux-image-$late" 2>/dev/null | grep -q ' installed$'; then
	late_image=linux-image-$late
else
	late_image=$(owner_of "/lib/modules/$late/modules.builtin")
fi
late_headers=$(owner_of "/lib/modules/$late/build")
{ [ -n "$late_image" ] && [ -n "$late_headers" ]; } ||
	die "expected packages to own /lib/modules/$late/modules.builtin and build; dpkg says '$late_image' and '$late_headers'"
if [ ${#kernels[@]} -gt 1 ]; then
	late_pkgs="$late_image $late_headers"
	at_install=("${kernels[@]}")
else
	late_pkgs=$late_headers
	at_install=()
	phase "removing $late_headers before the package comes"
	if apt_in_root "$log/headers-remove.log" remove "$late_headers"; then
		ok "late[$late]: apt remove $late_headers succeeds"
	else
		not_ok "late[$late]: apt remove $late_headers succeeds" "$(tail -n 20 "$log/headers-remove.log")"
	fi
	phase_end "headers of $late removed"
fi

# In a chroot, uname -r is the host's kernel, which dkms' common postinst takes for a build
# machine's and then builds for every kernel. A user's machine runs one of the suite's kernels:
# the newest is the case where dkms (3.0.10, bookworm) builds for it alone, so kdrv's own
# postinst must add the others.
phase "installing $(basename "$deb") with apt on a machine running $newest"
mkdir -p "$tmp/upper/usr/local/bin"
cat >"$tmp/upper/usr/local/bin/uname" <<-EOF
	#!/bin/sh
	# kdrv's DKMS test: this chroot stands for a machine running $newest.
	[ "\$1" = -r ] && [ \$# -eq 1 ] && exec echo "$newest"
	exec /bin/uname "\$@"
EOF
chmod 755 "$tmp/upper/usr/local/bin/uname"
# dkms recommends linux-headers-amd64, which would bring back the headers removed above.
recommends=()
[ ${#at_install[@]} -gt 0 ] || recommends=(--no-install-recommends)
# apt runs dpkg with its own PATH (DPkg::Path): the maintainer scripts must find the uname above.
if apt_in_root "$log/install.log" \
	-o DPkg::Path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	install "${recommends[@]}" "/mnt/$(basename "$deb")"; then
	ok "install: apt install ./$(basename "$deb") succeeds"
else
	not_ok "install: apt install ./$(basename "$deb") succeeds" "$(tail -n 30 "$log/install.log")"
fi
check_fail "install: dkms' postinst saw the running kernel installed (not a chroot's host)" \
	grep -q "belongs to a chroot's host" "$log/install.log"
# Which others it adds depends on how dkms ranks kernels (sid's 3.2 ranks cloud above rt). With
# no headers it builds nothing (dkms 3.2 says so instead of "Building for").
if [ ${#at_install[@]} -gt 0 ]; then
	building=$(grep '^Building for' "$log/install.log" | tr -d '\r')
	check_match "install: dkms' postinst built for the running kernel" \
		"^Building for (.* )?$(ere_quote "$newest")( |,|$)" "$building"
	tap_diag "dkms' postinst: $building"
fi
phase_end "apt install (DKMS builds for ${#at_install[@]} kernel(s))"

# check_modules KREL WHEN CERT: DKMS's modules for KREL are installed, ours, and signed with the
# key of certificate CERT (DER, in the overlay) when the kernel asks for signed modules; CERT
# "none": DKMS signed nothing.
check_modules() {
	local k=$1 when=$2 cert=$3 m ko status config cert_cn cert_serial
	status=$(status_of "$k")
	check_match "${when}[$k]: dkms status says installed" "$(installed_re "$k")" "$status"
	config=$(in_root cat "/boot/config-$k" 2>/dev/null)
	cert_cn=$(in_root openssl x509 -inform DER -in "$cert" -noout -subject \
		-nameopt multiline 2>/dev/null | sed -n 's/^ *commonName *= *//p')
	cert_serial=$(in_root openssl x509 -inform DER -in "$cert" -noout -serial \
		2>/dev/null | sed 's/^serial=//')
	for m in $drivers; do
		ko=$(in_root sh -c "ls /lib/modules/$k/updates/dkms/kdrv_$m.ko* 2>/dev/null")
		if [ -z "$ko" ]; then
			not_ok "${when}[$k] kdrv_$m: installed under /lib/modules/$k/updates/dkms" \
				"seen: $(in_root ls "/lib/modules/$k/updates/dkms" 2>&1 | xargs)"
			continue
		fi
		ok "${when}[$k] kdrv_$m: installed under /lib/modules/$k/updates/dkms"
		check_eq "${when}[$k] kdrv_$m: modinfo version is the package's" "$version" \
			"$(in_root modinfo -F version "$ko" 2>&1)"
		check_eq "${when}[$k] kdrv_$m: built for $k" "$k" \
			"$(in_root modinfo -F vermagic "$ko" 2>&1 | cut -d' ' -f1)"
		if [ "$cert" = none ]; then
			check_eq "${when}[$k] kdrv_$m: unsigned (dkms $dkms_version signs only through a sign_tool)" \
				"" "$(in_root modinfo -F signer "$ko" 2>&1)"
			continue
		fi
		if ! grep -q '^CONFIG_MODULE_SIG=y' <<<"$config"; then
			skip "${when}[$k] kdrv_$m: signed by the key of $cert" "no CONFIG_MODULE_SIG in /boot/config-$k"
			continue
		fi
		check_eq "${when}[$k] kdrv_$m: signed by the key of $cert (signer is its CN)" \
			"${cert_cn:-(no $cert)}" "$(in_root modinfo -F signer "$ko" 2>&1)"
		check_eq "${when}[$k] kdrv_$m: the signature names $cert's serial" \
			"${cert_serial:-(no $cert)}" \
			"$(in_root modinfo -F sig_key "$ko" 2>&1 | tr -d ':' | tr a-f A-F)"
	done
}

phase "checking the modules DKMS installed"
# "dkms-3.0.10" (bookworm), "dkms:2.8" (bullseye)
dkms_version=$(in_root dkms --version 2>/dev/null | sed -n 's/^dkms[-:]//p')
tap_diag "dkms $dkms_version"
# dkms 3 signs every build, with its own MOK key unless told otherwise; dkms 2 (bullseye) signs
# only through a sign_tool script named in /etc/dkms/framework.conf.
if [ "${dkms_version%%.*}" -ge 3 ] 2>/dev/null; then
	default_cert=/var/lib/dkms/mok.pub
else
	default_cert=none
fi
# kdrv's postinst adds every other kernel with an image and headers, and no headers-only one
# (apt installs dkms' Recommends, linux-headers-amd64, which need not match the image).
check_eq "install: DKMS installed kdrv for exactly the kernels with an image and headers" \
	"${at_install[*]}" "$(installed_kernels)"
for k in "${at_install[@]}"; do
	check_modules "$k" install "$default_cert"
done
if [ ${#at_install[@]} -eq 0 ]; then
	check_match "install: with no kernel headers, kdrv is only added to DKMS" \
		"^kdrv[/,] ?$(ere_quote "$version"): added" "$(in_root dkms status -m kdrv 2>/dev/null)"
fi
in_root dkms status >"$log/status-install.txt" 2>&1
tap_diag "dkms status:" "$(cat "$log/status-install.txt")"
phase_end "checks after install"

# The later kernel's modules are signed with a key the user configured for DKMS. uname -r is the
# host's again from here: a machine never removes the kernel it runs.
rm -f "$tmp/upper/usr/local/bin/uname"
phase "installing $late_pkgs after the package"
if [ ${#kernels[@]} -gt 1 ]; then
	# shellcheck disable=SC2086
	if apt_in_root "$log/kernel-remove.log" remove $late_pkgs; then
		ok "late[$late]: apt remove $late_pkgs succeeds"
	else
		not_ok "late[$late]: apt remove $late_pkgs succeeds" "$(tail -n 20 "$log/kernel-remove.log")"
	fi
	check_eq "late[$late]: removing the kernel removed kdrv's modules for it" "" \
		"$(in_root sh -c "ls /lib/modules/$late/updates/dkms/kdrv_* 2>/dev/null")"
	check_fail "late[$late]: dkms status no longer says installed" grep -Eq "$(installed_re "$late")" \
		<<<"$(status_of "$late")"
fi
# dkms 3: mok_signing_key and mok_certificate; dkms 2: a sign_tool that runs the kernel's sign-file.
# shellcheck disable=SC2016
if in_root sh -c '
	set -e
	mkdir -p /root/mok /etc/dkms/framework.conf.d
	openssl req -new -x509 -nodes -days 30 -subj "/CN=kdrv test user key/" -newkey rsa:2048 \
		-keyout /root/mok/user.key -outform DER -out /root/mok/user.der
	if [ "$1" = none ]; then
		cat >/root/mok/sign-tool <<-"EOF"
			#!/bin/sh
			hash=$(sed -n "s/^CONFIG_MODULE_SIG_HASH=\"\(.*\)\"/\1/p" /boot/config-$1)
			exec /lib/modules/$1/build/scripts/sign-file "${hash:-sha512}" \
				/root/mok/user.key /root/mok/user.der "$2"
		EOF
		chmod 755 /root/mok/sign-tool
		echo sign_tool=/root/mok/sign-tool >>/etc/dkms/framework.conf
	else
		printf "%s\n" mok_signing_key=/root/mok/user.key mok_certificate=/root/mok/user.der \
			>/etc/dkms/framework.conf.d/kdrv-test.conf
	fi' key "$default_cert" >"$log/user-key.log" 2>&1; then
	ok "late[$late]: a signing key of the user's is configured for DKMS"
else
	not_ok "late[$late]: a signing key of the user's is configured for DKMS" "$(cat "$log/user-key.log")"
fi
# shellcheck disable=SC2086
if apt_in_root "$log/kernel-install.log" install $late_pkgs; then
	ok "late[$late]: apt install $late_pkgs succeeds"
else
	not_ok "late[$late]: apt install $late_pkgs succeeds" "$(tail -n 20 "$log/kernel-install.log")"
fi
check_match "late[$late]: a kernel hook ran DKMS's autoinstall for it" \
	"[Aa]uto(install| installation service).* for kernel:? $(ere_quote "$late")" \
	"$(grep -Ei 'autoinstall|auto installation' "$log/kernel-install.log")"
check_modules "$late" late /root/mok/user.der
phase_end "$late_pkgs installed after the package"

# The boot needs each kernel's image and, for the main suite's debug-build tests, kdrv_*-debug.ko:
# built here from the sources the package installed, with the suite's compiler.
phase "copying out DKMS's modules and building the debug variants from /usr/src/kdrv-$version"
for k in "${boots[@]}"; do
	mkdir -p "$tmp/out/$k"
	# shellcheck disable=SC2016
	if in_root sh -c '
		set -e
		k=$1 v=$2 out=/mnt/$1
		cp /boot/vmlinuz-$k $out/vmlinuz 2>/dev/null || cp /lib/modules/$k/vmlinuz $out/vmlinuz
		cp /lib/modules/$k/updates/dkms/kdrv_*.ko* $out/
		rm -rf /tmp/kdrv-debug
		cp -R /usr/src/kdrv-$v /tmp/kdrv-debug
		make -C /tmp/kdrv-debug/os/linux KDIR=/lib/modules/$k/build debug
		for ko in /tmp/kdrv-debug/build/linux/$k/debug/kdrv_*.ko; do
			m=${ko##*/}
			cp "$ko" "$out/${m%.ko}-debug.ko"
		done' copy "$k" "$version" >"$log/debug-$k.log" 2>&1; then
		ok "boot[$k]: DKMS's modules copied out, debug variants built from the package's sources"
	else
		not_ok "boot[$k]: DKMS's modules copied out, debug variants built from the package's sources" \
			"$(tail -n 20 "$log/debug-$k.log")"
	fi
	# The guest's busybox insmod takes plain .ko files.
	for xz in "$tmp/out/$k"/*.ko.xz; do
		[ -e "$xz" ] && xz -d "$xz"
	done
done
phase_end "copy out and debug builds"

phase "removing the package"
if apt_in_root "$log/remove.log" remove kdrv-dkms; then
	ok "remove: apt remove kdrv-dkms succeeds"
else
	not_ok "remove: apt remove kdrv-dkms succeeds" "$(tail -n 20 "$log/remove.log")"
fi
check_eq "remove: dkms status lists no kdrv" "" "$(in_root dkms status -m kdrv 2>&1)"
check_eq "remove: no kdrv module is left under /lib/modules" "" \
	"$(in_root sh -c 'find /lib/modules -name "kdrv_*"')"
check_eq "remove: /usr/src/kdrv-$version and /var/lib/dkms/kdrv are gone" "" \
	"$(in_root sh -c "ls -d /usr/src/kdrv-$version /var/lib/dkms/kdrv 2>/dev/null")"
phase_end "apt remove"

check_eq "chroot: the cached chroot is unchanged" "$lower_before" "$(fingerprint)"
exec 7<&-

for k in "${boots[@]}"; do
	phase "booting $k with DKMS's modules: the main suite"
	if "$top/tests/vm/run-kernel.sh" "$k" --image "$tmp/out/$k/vmlinuz" \
		--modules "$tmp/out/$k" --suite main >"$log/vm-$k.out" 2>"$log/vm-$k.err"; then
		ok "boot[$k]: the main VM suite passes with DKMS's modules ($(tail -n 1 "$log/vm-$k.out"))"
	else
		not_ok "boot[$k]: the main VM suite passes with DKMS's modules" \
			"$(grep -v '^\[.*\] ok ' "$log/vm-$k.out")" "$(tail -n 5 "$log/vm-$k.err")"
	fi
	phase_end "VM main suite on $k"
done

tap_diag "timings (logs in $log):" "${timings[@]}"
tap_done
echo "dkms: $tap_passed passed, $tap_failed failed"
[ "$tap_failed" -eq 0 ]
