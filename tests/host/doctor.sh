#!/bin/bash
# shellcheck disable=SC2016 # stub code and jq programs: single-quoted, expanded when run
# SPDX-License-Identifier: GPL-2.0
# kdrvctl doctor against crafted systems: a root tree read through --root, a fake kdrv tree and
# PATH-stubbed tools. Each broken setup must get its FAIL, warning or fix, a healthy one exit 0,
# and --json must be valid JSON; then doctor runs on this host and its output is shown.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/vm/guest/tap.sh
. "$top/tests/vm/guest/tap.sh"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
kdrvctl=$top/build/bin/kdrvctl
krel=6.12.99-doctor-amd64
other=6.1.0-99-doctor-amd64
gcc12='gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0'
sbvar=sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0b0f5ee4d24
modinfo=$(PATH=$PATH:/usr/sbin:/sbin command -v modinfo)

if ! make -s -C "$top" kdrvctl >"$scratch/build.log" 2>&1; then
	not_ok "doctor: kdrvctl builds" "$(tail -n 20 "$scratch/build.log")"
	echo "doctor: $tap_passed passed, $tap_failed failed"
	exit 1
fi
for tool in cc jq xz; do
	command -v $tool >/dev/null || not_ok "doctor: $tool is installed (scripts/deps.sh)"
done

# module FILE VERMAGIC: an ELF object with a .modinfo section naming VERMAGIC, as a .ko has.
module() {
	printf 'static const char v[] __attribute__((used, section(".modinfo"), aligned(1))) =
		"vermagic=%s";\n' "$2" | cc -c -x c -o "$1" -
}
mkdir -p "$scratch/mods"
module "$scratch/mods/ok.ko" "$krel SMP preempt mod_unload modversions "
module "$scratch/mods/other.ko" "$other SMP preempt mod_unload modversions "
cp "$scratch/mods/ok.ko" "$scratch/mods/signed.ko"
# What sign-file appends ends with this marker; doctor looks for nothing more.
printf '~Module signature appended~\n' >>"$scratch/mods/signed.ko"

# ere TEXT: TEXT as a POSIX extended regular expression matching just itself.
ere() {
	# shellcheck disable=SC2001 # a bracket class with a back-reference: sed, not ${//}
	sed 's/[][\.*^$(){}?+|]/\\&/g' <<<"$1"
}

# tool CASE NAME [SHELL CODE]: a stub NAME in CASE's PATH running the code (default: exit 0).
tool() {
	printf '#!/bin/sh\n%s\n' "${3:-exit 0}" >"$scratch/$1/bin/$2"
	chmod +x "$scratch/$1/bin/$2"
}

# conf CASE KEY VALUE|"": sets (or, with "", unsets) KEY in the headers' .config and auto.conf.
conf() {
	local f
	for f in "$scratch/$1/root/usr/src/linux-headers-$krel/"{.config,include/config/auto.conf}; do
		sed -i "/^$2=/d; /^# $2 is not set/d" "$f"
		if [ -n "$3" ]; then echo "$2=$3" >>"$f"; else echo "# $2 is not set" >>"$f"; fi
	done
}

# healthy CASE: Debian-like headers behind an absolute link, a tree with a module built for
# them, the kernel's compiler, no EFI, no lockdown, no signature enforcement, no dkms.
healthy() {
	local c=$scratch/$1 hdr=$scratch/$1/root/usr/src/linux-headers-$krel
	mkdir -p "$c/bin" "$c/root/proc/sys/kernel" "$c/root/lib/modules/$krel/kernel" \
		"$hdr/include/config" "$hdr/include/generated" "$hdr-common" \
		"$c/root/usr/lib/linux-kbuild-6.12/scripts" "$c/root/sys/kernel/security" \
		"$c/root/sys/module/module/parameters" "$c/tree/os/linux" "$c/tree/build/linux/$krel"
	echo "$krel" >"$c/root/proc/sys/kernel/osrelease"
	echo "BOOT_IMAGE=/boot/vmlinuz-$krel root=/dev/vda1 ro quiet" >"$c/root/proc/cmdline"
	: >"$c/root/proc/modules"
	echo 0 >"$c/root/proc/sys/kernel/modules_disabled"
	echo '[none] integrity confidentiality' >"$c/root/sys/kernel/security/lockdown"
	echo N >"$c/root/sys/module/module/parameters/sig_enforce"
	ln -s "/usr/src/linux-headers-$krel" "$c/root/lib/modules/$krel/build"
	echo "include /usr/src/linux-headers-$krel-common/Makefile" >"$hdr/Makefile"
	: >"$hdr-common/Makefile"
	ln -s ../../lib/linux-kbuild-6.12/scripts "$hdr/scripts"
	: >"$c/root/usr/lib/linux-kbuild-6.12/scripts/Makefile.build"
	printf '#define UTS_RELEASE "%s"\n' "$krel" >"$hdr/include/generated/utsrelease.h"
	printf 'CC = $(if $(DEBIAN_KERNEL_USE_CCACHE),$(CCACHE)) $(CROSS_COMPILE)gcc-12\n' \
		>"$hdr/.kernelvariables"
	printf '%s\n' "CONFIG_CC_VERSION_TEXT=\"$gcc12\"" CONFIG_GCC_VERSION=120200 \
		CONFIG_MODULES=y CONFIG_MODULE_SIG=y '# CONFIG_MODULE_SIG_FORCE is not set' \
		CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT=y >"$hdr/.config"
	cp "$hdr/.config" "$hdr/include/config/auto.conf"
	: >"$c/tree/os/linux/Kbuild"
	cp "$scratch/mods/ok.ko" "$c/tree/build/linux/$krel/kdrv_hello.ko"
	tool "$1" gcc-12 "echo '$gcc12'"
	for t in make x86_64-w64-mingw32-gcc osslsigncode wine; do
		tool "$1" $t
	done
	ln -s "$modinfo" "$c/bin/modinfo"
}

# secure CASE: booted through EFI with Secure Boot on, a kdrv signing key in the tree.
secure() {
	local c=$scratch/$1
	mkdir -p "$c/root/${sbvar%/*}" "$c/tree/build/keys"
	printf '\006\000\000\000\001' >"$c/root/$sbvar"
	echo key >"$c/tree/build/keys/linux-signing.x509"
}

# doctor CASE ARGS...: runs doctor on CASE's system with only CASE's stubs in PATH.
doctor() {
	local c=$scratch/$1
	shift
	out=$(PATH=$c/bin "$kdrvctl" doctor --root "$c/root" --tree "$c/tree" "$@" 2>"$c/stderr")
	rc=$?
}

# fix_of NAME: the fix printed under finding NAME.
fix_of() {
	awk -v n="$1:" '$2 == n { f = 1; next } f && /^      fix: / { sub(/^ +fix: /, ""); print }
		{ f = 0 }' <<<"$out"
}

finding() {
	check_match "doctor: $1" "^$2 +$3: .*$4" "$out"
}

exits() {
	check_eq "doctor: $1 exits $2" "$2" "$rc"
}

healthy ok
doctor ok
exits "a healthy system" 0
check_eq "doctor: a healthy system has no FAIL" "" "$(grep '^FAIL' <<<"$out")"
finding "headers behind an absolute link are found inside --root" ok headers \
	"/lib/modules/$krel/build: the headers of $krel"
finding "the kernel's own compiler is ok" ok compiler "Kbuild calls gcc-12: '$(ere "$gcc12")'"
finding "a module built for the kernel is ok" ok built \
	"/tree/build/linux/$krel: 1 module built for $krel \(vermagic '$krel SMP preempt mod_unload modversions'\), 0 signed"
finding "signatures are not enforced" ok signatures "not enforced"
finding "no dkms is information, not a problem" info dkms "dkms is not installed"
finding "the Windows cross-compiler is found" ok x86_64-w64-mingw32-gcc "/bin/x86_64-w64-mingw32-gcc"
check_match "doctor: the last line says nothing blocks" "nothing blocks building and loading kdrv on $krel \(0 warnings\)$" "$(tail -n 1 <<<"$out")"

doctor ok --json
exits "--json on a healthy system" 0
check "doctor: --json is valid JSON" jq -e . <<<"$out"
check "doctor: --json names the kernel, says running and not blocked" \
	jq -e --arg k "$krel" '.kernel == $k and .running == true and .blocked == false' <<<"$out"
check "doctor: --json findings each have name, status, detail and fix" \
	jq -e '(.findings | length >= 10) and all(.findings[]; (keys == ["detail", "fix", "name", "status"])
		and (.status | IN("ok", "info", "warn")))' <<<"$out"

healthy noheaders
rm -r "$scratch/noheaders/root/usr/src/linux-headers-$krel"
doctor noheaders
exits "missing headers" 4
finding "missing headers are a FAIL naming the dangling link" FAIL headers \
	"/lib/modules/$krel/build points to /usr/src/linux-headers-$krel, which is missing"
check_eq "doctor: the fix for missing headers names the package" \
	"sudo apt-get install linux-headers-$krel" "$(fix_of headers)"
check_match "doctor: the last line counts the problem" "^kdrvctl doctor: 1 problem blocks" \
	"$(tail -n 1 <<<"$out")"
doctor noheaders --json
check "doctor: --json of a blocked system is valid JSON and says blocked" \
	jq -e --arg k "$krel" '.blocked == true and any(.findings[]; .name == "headers" and
		.status == "fail" and .fix == "sudo apt-get install linux-headers-" + $k)' <<<"$out"

healthy nocommon
rm -r "$scratch/nocommon/root/usr/src/linux-headers-$krel-common"
doctor nocommon
exits "headers without their -common part" 4
finding "a missing -common Makefile is a FAIL" FAIL headers \
	"Makefile includes /usr/src/linux-headers-$krel-common/Makefile, which is missing"
check_eq "doctor: its fix reinstalls the headers" \
	"sudo apt-get install --reinstall linux-headers-$krel" "$(fix_of headers)"

healthy wrongrel
sed -i "s/$krel/$other/" "$scratch/wrongrel/root/usr/src/linux-headers-$krel/include/generated/utsrelease.h"
doctor wrongrel
finding "headers of another release are a FAIL" FAIL headers "holds the headers of $other, not of $krel"

healthy gcc14
conf gcc14 CONFIG_CC_VERSION_TEXT '"gcc-14 (Debian 14.2.0-19) 14.2.0"'
conf gcc14 CONFIG_GCC_VERSION 140200
sed -i 's/gcc-12/gcc-14/' "$scratch/gcc14/root/usr/src/linux-headers-$krel/.kernelvariables"
doctor gcc14
exits "a kernel built by a compiler that is not installed" 4
finding "the kernel's missing compiler is a FAIL" FAIL compiler \
	"built by 'gcc-14 \(Debian 14.2.0-19\) 14.2.0'; Kbuild would call gcc-14, which is not installed"
check_eq "doctor: the fix installs the kernel's compiler" "sudo apt-get install gcc-14" \
	"$(fix_of compiler)"

healthy plaingcc
conf plaingcc CONFIG_CC_VERSION_TEXT '"gcc (GCC) 14.2.1 20250207"'
conf plaingcc CONFIG_GCC_VERSION 140201
rm "$scratch/plaingcc/root/usr/src/linux-headers-$krel/.kernelvariables"
tool plaingcc gcc "echo '$gcc12'"
doctor plaingcc
exits "gcc 12 for a kernel built by gcc 14" 4
finding "another major version of gcc is a FAIL" FAIL compiler \
	"\(gcc 14\); Kbuild would call gcc, which is '$(ere "$gcc12")'"
check_eq "doctor: the fix installs gcc-14 and builds with it" \
	"sudo apt-get install gcc-14, then build with make linux CC=gcc-14" "$(fix_of compiler)"

healthy rebuilt
tool rebuilt gcc-12 "echo 'gcc-12 (Debian 12.2.0-14) 12.2.0'"
doctor rebuilt
exits "another build of the same gcc" 0
finding "another build of the same major version is a warning" warn compiler \
	"the same major version, another build"

healthy vermagic
cp "$scratch/mods/other.ko" "$scratch/vermagic/tree/build/linux/$krel/kdrv_pipe.ko"
doctor vermagic
exits "a built module of another kernel" 4
finding "a built module's wrong vermagic is a FAIL" FAIL built \
	"1 of 2 modules will not load on $krel .*kdrv_pipe.ko has vermagic '$other SMP preempt mod_unload modversions', built for $other"
check_match "doctor: the fix rebuilds for the kernel" \
	"make linux KDIR=/lib/modules/$krel/build$" "$(fix_of built)"

healthy junk
echo 'not an ELF' >"$scratch/junk/tree/build/linux/$krel/kdrv_junk.ko"
doctor junk
finding "a .ko that is no module is a FAIL" FAIL built "kdrv_junk.ko: not a kernel module"

healthy elsewhere
mv "$scratch/elsewhere/tree/build/linux/$krel" "$scratch/elsewhere/tree/build/linux/$other"
doctor elsewhere
exits "modules built for another kernel only" 0
finding "modules built only for another kernel are information" info built \
	"no kdrv module built for $krel .*\(built for: $other\)"
check_eq "doctor: its fix builds for this kernel" "make linux KDIR=/lib/modules/$krel/build" \
	"$(fix_of built)"

healthy installed
mkdir -p "$scratch/installed/root/lib/modules/$krel/updates/dkms"
xz -c "$scratch/mods/ok.ko" >"$scratch/installed/root/lib/modules/$krel/updates/dkms/kdrv_hello.ko.xz"
doctor installed
finding "an installed compressed module of this kernel is ok (through modinfo)" ok installed \
	"/lib/modules/$krel: 1 module built for $krel"
xz -c "$scratch/mods/other.ko" >"$scratch/installed/root/lib/modules/$krel/updates/dkms/kdrv_pipe.ko.xz"
doctor installed
exits "an installed module of another kernel" 4
finding "an installed module's wrong vermagic is a FAIL" FAIL installed \
	"/lib/modules/$krel/updates/dkms/kdrv_pipe.ko.xz has vermagic '$other .*', built for $other"
rm "$scratch/installed/bin/modinfo"
doctor installed
finding "a compressed module without modinfo is a warning" warn installed \
	"compressed, and modinfo is missing"
check_eq "doctor: its fix installs kmod" "sudo apt-get install kmod" "$(fix_of installed)"

healthy forced
secure forced
conf forced CONFIG_MODULE_SIG_FORCE y
tool forced mokutil 'echo "$2 is not enrolled"; exit 1'
doctor forced
exits "a kernel forcing signatures with no enrolled key" 4
finding "Secure Boot is read from the efivar" info secure-boot "Secure Boot is on \(/$sbvar\)"
finding "enforced signatures with no enrolled key are a FAIL" FAIL signatures \
	"enforced \(CONFIG_MODULE_SIG_FORCE=y\) and no kdrv signing key is enrolled \(not enrolled: $scratch/forced/tree/build/keys/linux-signing.x509\)"
check_match "doctor: the fix imports the key with mokutil" \
	"^sudo mokutil --import $scratch/forced/tree/build/keys/linux-signing.x509, reboot" \
	"$(fix_of signatures)"
tool forced mokutil 'echo "$2 is already in the enrollment request"; exit 1'
doctor forced
finding "a key awaiting enrollment is a FAIL" FAIL signatures "awaits enrollment at the next boot"
tool forced mokutil 'echo "$2 is already enrolled"'
doctor forced
exits "an enrolled key but unsigned modules" 0
finding "an enrolled key with unsigned modules is a warning" warn signatures \
	"is enrolled, but none of the 1 modules built for $krel is signed"
mkdir "$scratch/forced/tree/build/linux/$krel/signed"
cp "$scratch/mods/signed.ko" "$scratch/forced/tree/build/linux/$krel/signed/kdrv_hello.ko"
doctor forced
exits "an enrolled key and signed modules" 0
finding "an enrolled key with signed modules is ok" ok signatures "is enrolled: modules signed with it load"
finding "the signed module is counted" ok built "2 modules built for $krel .*, 1 signed"
tool forced mokutil "printf 'weird \"quoted\" \\\\ text\\t\\001 end\\n'"
doctor forced --json
check "doctor: --json escapes quotes, backslashes and control characters" \
	jq -e '.findings[] | select(.name == "signatures") | .status == "warn" and
		(.detail | contains("mokutil says '"'"'weird \"quoted\" \\ text\t\u0001 end'"'"'"))' <<<"$out"
rm "$scratch/forced/bin/mokutil"
doctor forced
exits "enforced signatures and no mokutil" 0
finding "no mokutil means it could not tell" warn signatures \
	"could not tell whether .* is enrolled: mokutil is not installed"
rm "$scratch/forced/tree/build/keys/linux-signing.x509"
doctor forced
finding "enforced signatures and no key at all are a FAIL" FAIL signatures \
	"no kdrv signing key to enroll yet"
check_match "doctor: its fix makes and enrolls a key" \
	"^make sign-linux KDIR=/lib/modules/$krel/build, then sudo mokutil --import" "$(fix_of signatures)"

healthy cmdline
echo "root=/dev/vda1 module.sig_enforce=1" >"$scratch/cmdline/root/proc/cmdline"
doctor cmdline
exits "module.sig_enforce=1 without EFI" 4
finding "module.sig_enforce without EFI is a FAIL" FAIL signatures \
	"enforced \(module.sig_enforce on the command line\) and without EFI"
check_match "doctor: its fix removes it from the command line" "^remove module.sig_enforce" \
	"$(fix_of signatures)"

healthy lockdown
secure lockdown
echo 'none [integrity] confidentiality' >"$scratch/lockdown/root/sys/kernel/security/lockdown"
tool lockdown mokutil 'echo "$2 is not enrolled"; exit 1'
doctor lockdown
finding "lockdown is reported" info lockdown "lockdown: integrity"
finding "lockdown enforces signatures" FAIL signatures "enforced \(lockdown=integrity\)"

healthy predicted
secure predicted
rm "$scratch/predicted/root/$sbvar"
tool predicted mokutil 'if [ "$1" = --sb-state ]; then echo "SecureBoot enabled"; else
	echo "$2 is not enrolled"; exit 1; fi'
echo "$other" >"$scratch/predicted/root/proc/sys/kernel/osrelease"
doctor predicted --kernel "$krel"
finding "another kernel is checked as not running" info kernel "$krel is installed, not running \(running: $other\)"
finding "Secure Boot falls back to mokutil --sb-state" info secure-boot "Secure Boot is on \(mokutil --sb-state\)"
check_eq "doctor: another kernel's lockdown is not read from the running one" "" \
	"$(grep ' lockdown:' <<<"$out")"
finding "lockdown under Secure Boot is predicted from the configuration" FAIL signatures \
	"Secure Boot with CONFIG_LOCK_DOWN_IN_EFI_SECURE_BOOT=y"

healthy nomods
rm "$scratch/nomods/root/proc/modules"
doctor nomods
exits "a kernel without module support" 4
finding "no /proc/modules is a FAIL" FAIL modules "no loadable module support"
healthy nomodule
echo "root=/dev/vda1 nomodule" >"$scratch/nomodule/root/proc/cmdline"
doctor nomodule
finding "nomodule on the command line is a FAIL" FAIL modules "'nomodule' on its command line"
echo "root=/dev/vda1 -- nomodule" >"$scratch/nomodule/root/proc/cmdline"
doctor nomodule
finding "nomodule after -- belongs to init, not the kernel" ok modules "loads modules"
echo 1 >"$scratch/nomodule/root/proc/sys/kernel/modules_disabled"
doctor nomodule
finding "kernel.modules_disabled=1 is a FAIL" FAIL modules "kernel.modules_disabled=1"

healthy dkms
tool dkms dkms "echo 'kdrv/0.1, $krel, x86_64: installed'"
doctor dkms
finding "kdrv installed by DKMS is ok" ok dkms "kdrv/0.1, $krel, x86_64: installed"
tool dkms dkms "echo 'kdrv/0.1, $krel, x86_64: built'"
doctor dkms
finding "kdrv built but not installed by DKMS is a warning" warn dkms "not installed for $krel"
tool dkms dkms "echo 'kdrv/0.1, $other, x86_64: installed'"
doctor dkms
exits "DKMS for another kernel only" 0
finding "kdrv in DKMS for other kernels only is a warning" warn dkms "for other kernels only"
check_eq "doctor: its fix installs it for this kernel" "sudo dkms install kdrv/0.1 -k $krel" \
	"$(fix_of dkms)"
tool dkms dkms
doctor dkms
finding "kdrv unknown to DKMS is information" info dkms "not registered with DKMS"

healthy linuxonly
rm "$scratch/linuxonly/bin/"{x86_64-w64-mingw32-gcc,osslsigncode,wine}
doctor linuxonly
exits "no Windows tools" 0
for t in x86_64-w64-mingw32-gcc osslsigncode wine; do
	finding "a missing $t is a warning" warn $t "not installed: only .* needs it"
done

doctor ok --kernel 9.9.9-none
exits "a kernel that is not installed" 4
finding "a kernel that is not installed is a FAIL" FAIL kernel "9.9.9-none is not installed"
check_eq "doctor: its fix installs the image" "sudo apt-get install linux-image-9.9.9-none" \
	"$(fix_of kernel)"

doctor ok --kernel ../x
exits "--kernel ../x" 2
check_match "doctor: a bad --kernel says what it wants" "wants a kernel release" \
	"$(cat "$scratch/ok/stderr")"
doctor ok --root "$scratch/none"
exits "--root of a missing folder" 2
doctor ok extra
exits "an extra argument" 2
doctor ok --bogus
exits "an unknown option" 2
rm "$scratch/ok/root/proc/sys/kernel/osrelease"
doctor ok
exits "a root that names no running kernel, without --kernel" 2
check_match "doctor: it asks for --kernel" "pass --kernel KREL" "$(cat "$scratch/ok/stderr")"

# This host, as it is: whatever it finds, the verdict and the exit status agree.
out=$("$kdrvctl" doctor --tree "$top" 2>&1)
rc=$?
tap_diag "kdrvctl doctor on this host (exit $rc):" "$out"
check_match "doctor: on this host it exits 0 or 4" '^[04]$' "$rc"
json=$("$kdrvctl" doctor --tree "$top" --json)
check "doctor: on this host --json is valid JSON" jq -e . <<<"$json"
check_eq "doctor: on this host --json says blocked exactly when it exits 4" \
	"$([ "$rc" = 4 ] && echo true || echo false)" "$(jq -r .blocked <<<"$json")"

tap_done
echo "doctor: $tap_passed passed, $tap_failed failed"
[ "$tap_failed" -eq 0 ]
