#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make sign-linux`: signs the release modules for one kernel with the kernel's own sign-file.
#
# The key is made on first use under build/keys/ (never committed). A kernel trusts it only
# once it is enrolled (mokutil --import on a Secure Boot machine); until then a kernel
# without CONFIG_MODULE_SIG_FORCE loads the module and logs that it could not verify it.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 KDIR" >&2; exit 2; }
kdir=$1
top=$(cd "$(dirname "$0")/.." && pwd)
keys=$top/build/keys
krel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h" 2>/dev/null)
[ -n "$krel" ] || { echo "sign-linux.sh: expected a kernel build tree at $kdir" >&2; exit 1; }
hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"/\1/p' "$kdir/.config")
signfile=$kdir/scripts/sign-file
out=$top/build/linux/$krel

[ -x "$signfile" ] || { echo "sign-linux.sh: expected $signfile (from linux-kbuild)" >&2; exit 1; }
[ -n "$hash" ] || { echo "sign-linux.sh: $kdir/.config has no CONFIG_MODULE_SIG_HASH" >&2; exit 1; }
compgen -G "$out/release/kdrv_*.ko" >/dev/null ||
	{ echo "sign-linux.sh: no modules in $out/release: run make linux KDIR=$kdir" >&2; exit 1; }

if [ ! -f "$keys/linux-signing.pem" ]; then
	mkdir -p "$keys"
	openssl req -new -nodes -utf8 -x509 -days 3650 -batch -newkey rsa:3072 -"$hash" \
		-subj "/CN=kdrv test module signing key/" \
		-addext "keyUsage=digitalSignature" -addext "extendedKeyUsage=codeSigning" \
		-keyout "$keys/linux-signing.pem" -outform DER -out "$keys/linux-signing.x509" 2>/dev/null
	chmod 600 "$keys/linux-signing.pem"
	echo "sign-linux.sh: made a signing key in $keys (enroll linux-signing.x509 to trust it)"
fi

mkdir -p "$out/signed"
for ko in "$out"/release/kdrv_*.ko; do
	signed=$out/signed/$(basename "$ko")
	cp "$ko" "$signed"
	"$signfile" "$hash" "$keys/linux-signing.pem" "$keys/linux-signing.x509" "$signed"
	echo "signed: $signed"
done
