#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots one kernel (an image, or the KREL of one in /boot) with an initramfs in QEMU (TCG) and
# captures the serial console to a log.
set -eu

usage() {
	echo "usage: $0 KREL|IMAGE INITRD LOG [--append 'EXTRA CMDLINE'] [--timeout SECONDS]" >&2
	exit 2
}

die() {
	echo "boot.sh: $*" >&2
	exit 2
}

[ $# -ge 3 ] || usage
kernel=$1 initrd=$2 log=$3
shift 3
extra=
timeout=300
while [ $# -gt 0 ]; do
	case $1 in
	--append) [ $# -ge 2 ] || usage; extra=$2; shift 2 ;;
	--timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
	*) usage ;;
	esac
done

[[ $kernel == */* ]] || kernel=/boot/vmlinuz-$kernel
[ -r "$kernel" ] || die "expected a readable kernel at $kernel; not found: is its package installed (tests/vm/kernels.sh)?"
[ -r "$initrd" ] || die "expected a readable initramfs at $initrd; not found"
command -v qemu-system-x86_64 >/dev/null || die "expected qemu-system-x86_64 in PATH; not found: run tests/vm/kernels.sh"
case $timeout in '' | *[!0-9]*) die "expected --timeout to be whole seconds; saw '$timeout'" ;; esac

# KVM only on request: on some hosts /dev/kvm exists but guests never run.
accel=()
[ "${KDRV_KVM:-0}" = 1 ] && accel=(-enable-kvm)

# loglevel=7 keeps WARN (level 4) and everything up to info on the console, whatever the
# kernel's default; "quiet" would hide the WARN splats the host must see.
cmdline="console=ttyS0 panic=-1 loglevel=7 $extra"

mkdir -p "$(dirname "$log")"
: >"$log"
set +e
timeout -k 10 "$timeout" qemu-system-x86_64 "${accel[@]}" \
	-nodefaults -nographic -no-reboot -monitor none \
	-m 1024 -smp 2 -cpu max \
	-chardev "file,id=console,path=${log//,/,,}" -serial chardev:console \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" </dev/null
rc=$?
set -e

case $rc in
0) ;;
124 | 137)
	echo "kdrv-host: timeout after $timeout s" >>"$log"
	echo "boot.sh: expected the guest to power off within $timeout s; it was still running and was killed (log: $log)" >&2
	exit 124
	;;
*)
	echo "boot.sh: expected qemu-system-x86_64 to exit 0; it exited $rc (log: $log)" >&2
	exit 1
	;;
esac
