# SPDX-License-Identifier: GPL-2.0
# Checks a module signature the way the kernel would: PKCS#7 over the module's bytes, by our key.

# modsig_verify SIGNED_KO CERT_DER UNSIGNED_KO: 0 when the signature is valid for those bytes.
modsig_verify() {
	local ko=$1 cert=$2 orig=$3 tmp size trailer siglen body
	local magic='~Module signature appended~'

	tmp=$(mktemp -d)
	size=$(stat -c %s "$ko")
	# struct module_signature (12 bytes, sig_len big-endian last) sits before the 28-byte magic.
	[ "$(tail -c 28 "$ko" | head -c 27)" = "$magic" ] || { echo "no signature magic"; return 1; }
	trailer=$(tail -c 40 "$ko" | head -c 12 | od -An -tu1)
	set -- $trailer
	siglen=$((($9 << 24) | (${10} << 16) | (${11} << 8) | ${12}))
	body=$((size - 40 - siglen))
	head -c "$body" "$ko" >"$tmp/body"
	tail -c "+$((body + 1))" "$ko" | head -c "$siglen" >"$tmp/sig"
	openssl x509 -inform DER -in "$cert" -out "$tmp/cert.pem"
	cmp -s "$tmp/body" "$orig" || { echo "signed body differs from the module"; return 1; }
	openssl cms -verify -binary -inform DER -in "$tmp/sig" -content "$tmp/body" \
		-certfile "$tmp/cert.pem" -CAfile "$tmp/cert.pem" -purpose any -out /dev/null 2>&1
	local rc=$?
	rm -rf "$tmp"
	return $rc
}
