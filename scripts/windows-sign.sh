#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
# `make sign`: test-signs every built kdrv .sys into build/windows/signed/ and verifies each.
#
# The certificate is self-signed and made on first use under build/keys/ (never committed).
# Windows loads drivers signed with it only in test-signing mode (bcdedit /set testsigning on);
# a production driver needs Microsoft's attestation signature instead (docs/windows.md).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
keys=$top/build/keys
out=$top/build/windows
key=$keys/windows-test-signing.key
crt=$keys/windows-test-signing.crt
osslsigncode=${OSSLSIGNCODE:-osslsigncode}

for tool in openssl "$osslsigncode"; do
	command -v "$tool" >/dev/null ||
		{ echo "windows-sign.sh: $tool is missing (apt-get install ${tool##*/})" >&2; exit 1; }
done
compgen -G "$out/kdrv_*.sys" >/dev/null ||
	{ echo "windows-sign.sh: no drivers in $out: run make windows first" >&2; exit 1; }

if [ ! -f "$crt" ]; then
	mkdir -p "$keys"
	openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days 3650 -batch \
		-subj "/CN=kdrv test driver signing (untrusted)/" \
		-addext "keyUsage=digitalSignature" -addext "extendedKeyUsage=codeSigning" \
		-keyout "$key" -out "$crt" 2>/dev/null
	chmod 600 "$key"
	echo "windows-sign.sh: made a test-signing certificate $crt"
fi

mkdir -p "$out/signed"
failed=0
for sys in "$out"/kdrv_*.sys; do
	name=$(basename "$sys")
	signed=$out/signed/$name
	rm -f "$signed"
	if ! "$osslsigncode" sign -certs "$crt" -key "$key" -h sha256 -n "${name%.sys}" \
		-in "$sys" -out "$signed" >/dev/null; then
		echo "windows-sign.sh: signing $name failed" >&2
		failed=1
		continue
	fi
	# verify also recomputes the PE checksum, which Windows checks on drivers, and only warns
	# ("MISMATCH" in osslsigncode 2.5, Debian 12's; "invalid PE checksum" in later ones).
	if report=$("$osslsigncode" verify -in "$signed" -CAfile "$crt" 2>&1) &&
		grep -q '^Signature verification: ok' <<<"$report" &&
		! grep -qiE 'invalid PE checksum|MISMATCH' <<<"$report"; then
		echo "signed and verified: $signed"
	else
		echo "windows-sign.sh: $signed does not verify:" >&2
		echo "$report" | grep -iE 'fail|error|invalid|mismatch|verification' >&2 || true
		failed=1
	fi
done
exit $failed
