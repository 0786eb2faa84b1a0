#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Checks built Windows binaries: each kdrv .sys is a native x86-64 driver importing only what
# os/windows/imports.allowed allows every driver (*) or that driver, and every import listed for that
# driver alone; kdrvctl.exe is a console program needing no extra DLLs.
#
# usage: windows-pecheck.sh [FILE...]   (default: everything under build/windows/)
# Prints one line per file, problems on stderr; exits 1 if any file fails.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
allowed=$top/os/windows/imports.allowed
objdump=${CROSS:-x86_64-w64-mingw32-}objdump
nm=${CROSS:-x86_64-w64-mingw32-}nm
# The kernel modules a driver may import from; user-mode DLLs, a CRT above all, cannot load there.
kernel_dlls='^(ntoskrnl\.exe|hal\.dll|cng\.sys)$'
# What a static mingw-w64 console program needs: all three ship with every Windows.
user_dlls='^(kernel32\.dll|advapi32\.dll|msvcrt\.dll)$'

problems=()
problem() { problems+=("$1"); }

# Prints "DLL FUNCTION" per import, DLL names in lower case.
imports() {
	awk '/^\tDLL Name:/ { dll = tolower($3); next }
	     dll && /^\t[0-9a-f]+\t +[0-9]+ +[^ ]+$/ { print dll, $3 }
	     /^$/ { dll = "" }' <<<"$1"
}

# Prints the value of a header field from `objdump -p`.
field() {
	awk -v f="$2" '$1 == f { print $2; exit }' <<<"$1"
}

check_common() {
	local hdr=$1

	grep -q 'file format pei-x86-64' <<<"$hdr" || problem "not a PE image for x86-64"
	[ "$(field "$hdr" Magic)" = 020b ] || problem "not PE32+ (Magic $(field "$hdr" Magic))"
	local dllch=$((16#$(field "$hdr" DllCharacteristics)))
	((dllch & 0x40)) || problem "not DYNAMIC_BASE (relocatable)"
	((dllch & 0x100)) || problem "not NX_COMPAT"
}

check_sys() {
	local file=$1 hdr=$2 name entry base sym
	name=$(basename "$file" .sys)
	name=${name#kdrv_}
	name=${name%-debug}

	check_common "$hdr"
	[ "$(field "$hdr" Subsystem)" = 00000001 ] ||
		problem "subsystem $(field "$hdr" Subsystem), expected 00000001 (native)"
	entry=$((16#$(field "$hdr" AddressOfEntryPoint)))
	base=$((16#$(field "$hdr" ImageBase)))
	sym=$("$nm" "$file" 2>/dev/null | awk '$2 == "T" && $3 == "DriverEntry" { print $1 }')
	if [ -z "$sym" ]; then
		problem "no DriverEntry symbol to compare the entry point with"
	elif [ $((16#$sym - base)) -ne "$entry" ]; then
		problem "entry point $(printf '%#x' "$entry") is not DriverEntry ($(printf '%#x' $((16#$sym - base))))"
	fi
	grep -qE '^Entry 9 0+ 0+ ' <<<"$hdr" || problem "has a TLS directory, which drivers cannot use"
	# A section both writable and executable: CODE without READONLY.
	"$objdump" -h "$file" | grep -q 'CODE' &&
		"$objdump" -h "$file" | grep 'CODE' | grep -vq 'READONLY' &&
		problem "a code section is writable"

	local got common own dlls
	got=$(imports "$hdr" | sort -u)
	dlls=$(awk '{ print $1 }' <<<"$got" | sort -u)
	while read -r dll; do
		[ -z "$dll" ] || [[ $dll =~ $kernel_dlls ]] ||
			problem "imports from $dll, which is not a kernel module (a user-mode CRT?)"
	done <<<"$dlls"
	# "DLL FUNCTION" per line: what every driver may import, and what this one alone may.
	common=$(awk '$1 == "*" { print tolower($2), $3 }' "$allowed" | sort -u)
	own=$(awk -v d="$name" '$1 == d { print tolower($2), $3 }' "$allowed" | sort -u)
	while read -r line; do
		[ -n "$line" ] && problem "imports $line, which $allowed allows neither for every driver (*) nor for '$name'"
	done < <(comm -23 <(echo "$got") <(sort -u <(echo "$common") <(echo "$own")))
	while read -r line; do
		[ -n "$line" ] && problem "does not import $line, which $allowed lists for '$name' alone (drop that line)"
	done < <(comm -13 <(echo "$got") <(echo "$own"))
}

check_exe() {
	local hdr=$1 dll

	check_common "$hdr"
	[ "$(field "$hdr" Subsystem)" = 00000003 ] ||
		problem "subsystem $(field "$hdr" Subsystem), expected 00000003 (console)"
	while read -r dll; do
		[ -z "$dll" ] || [[ $dll =~ $user_dlls ]] ||
			problem "needs $dll, which Windows does not ship (link it statically)"
	done < <(imports "$hdr" | awk '{ print $1 }' | sort -u)
}

if [ $# -eq 0 ]; then
	set -- "$top"/build/windows/kdrv_*.sys "$top"/build/windows/signed/kdrv_*.sys \
		"$top"/build/windows/kdrvctl.exe
fi
command -v "$objdump" >/dev/null ||
	{ echo "windows-pecheck.sh: $objdump is missing (apt-get install binutils-mingw-w64-x86-64)" >&2; exit 1; }

status=0
# A driver's line for a driver that no longer exists would never be checked.
while read -r d; do
	[ -d "$top/drivers/$d" ] || {
		echo "FAILED: $allowed names driver '$d', which drivers/ does not have" >&2
		status=1
	}
done < <(awk '!/^#/ && NF && $1 != "*" { print $1 }' "$allowed" | sort -u)
for file in "$@"; do
	problems=()
	if [ ! -f "$file" ]; then
		problem "does not exist (make windows first)"
	elif ! hdr=$("$objdump" -p "$file" 2>&1); then
		problem "objdump cannot read it: $hdr"
	elif [[ $file == *.sys ]]; then
		check_sys "$file" "$hdr"
	else
		check_exe "$hdr"
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		echo "ok: $file"
	else
		echo "FAILED: $file"
		printf '  %s\n' "${problems[@]}" >&2
		status=1
	fi
done
exit $status
