#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
# The Wine suite: builds, signs and checks the Windows drivers, then loads and drives the signed
# drivers under Wine 8 in a fresh 64-bit prefix. TAP on stdout; the last line is
# "wine: N passed, N failed", and the exit status is non-zero on any failure.
#
# Drivers run inside winedevice.exe, started by the services of one long-lived wineserver.
# Their DbgPrint lines reach the log only because WINEDEBUG=warn+debugstr is set when that
# server's services start, which they do with the log file as their stderr.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/wine
win=$top/build/windows
log=$out/wine.log
roulette_key='HKLM\System\CurrentControlSet\Services\kdrv_roulette\Parameters'
export WINEPREFIX=$out/prefix WINEARCH=win64 WINEDEBUG=warn+debugstr
# No Mono or Gecko: their installers look for the network, and nothing here needs them.
export WINEDLLOVERRIDES="mscoree,mshtml="
export DEBIAN_FRONTEND=noninteractive

n=0
passed=0
failed=0
nl=$'\n'

ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1"
}

# not_ok DESC [DIAGNOSTIC...]: each diagnostic line is printed as a TAP comment.
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	printf '%s\n' "$@" | sed 's/^/#   /'
}

finish() {
	echo "1..$n"
	echo "wine: $passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$n" -gt 0 ]
	exit
}

# bail DESC [DIAGNOSTIC...]: a failure the rest of the suite cannot run without.
bail() {
	not_ok "$@"
	finish
}

# Runs CMD, keeping its exit status in $rc and its output in $stdout and $stderr.
run() {
	"$@" >"$out/stdout" 2>"$out/stderr"
	rc=$?
	# Windows programs end lines with CRLF; --raw output may hold NULs.
	stdout=$(tr -d '\r\0' <"$out/stdout")
	stderr=$(tr -d '\r\0' <"$out/stderr" | grep -avE '^[0-9a-f]{4}:(fixme|warn|trace):')
	return $rc
}

# expect DESC RC REGEX CMD...: CMD must exit RC with stdout or stderr matching REGEX.
expect() {
	local desc=$1 want=$2 re=$3
	shift 3
	run "$@"
	if [ "$rc" = "$want" ] && grep -qE -- "$re" <<<"$stdout$nl$stderr"; then
		ok "$desc"
	else
		not_ok "$desc" "expected exit $want and output matching /$re/; got exit $rc" \
			"stdout: $(head -c 2000 <<<"$stdout")" "stderr: $(head -c 2000 <<<"$stderr")"
	fi
}

# Log positions: expectations look at what was logged since mark; host checks since section.
mark() {
	mark_line=$(wc -l <"$log")
}

since_mark() {
	tail -n +"$((mark_line + 1))" "$log"
}

# expect_log DESC REGEX: a line since the mark must match; drivers log from another process,
# so give it a moment.
expect_log() {
	local desc=$1 re=$2 i

	for i in 1 2 3 4 5 6 7 8 9 10; do
		if since_mark | grep -qaE -- "$re"; then
			ok "$desc"
			return 0
		fi
		[ $i -lt 10 ] && sleep 0.3
	done
	not_ok "$desc" "expected a log line matching /$re/ since line $mark_line of $log; got:" \
		"$(since_mark | grep -a 'kdrv_\|err:' | tail -n 15)"
	return 1
}

expect_no_log() {
	local desc=$1 re=$2

	if since_mark | grep -qaE -- "$re"; then
		not_ok "$desc" "expected no log line matching /$re/; got:" \
			"$(since_mark | grep -aE -- "$re" | head -n 5)"
	else
		ok "$desc"
	fi
}

# The signs of a driver host that died: a bugcheck, a call into a Wine stub, a fault.
host_death_re='err:ntoskrnl:KeBugCheckEx|Unimplemented function|[Uu]nhandled (exception|page fault)|err:seh:|service protocol error|wine: Call from .* to unimplemented'

section() {
	echo "# --- $1"
	section_name=$1
	section_line=$(wc -l <"$log")
}

host_alive() {
	local bad

	bad=$(tail -n +"$((section_line + 1))" "$log" | grep -aE "$host_death_re")
	if [ -z "$bad" ]; then
		ok "$section_name: the driver host did not die"
	else
		not_ok "$section_name: the driver host died unexpectedly" "$(head -n 5 <<<"$bad")"
	fi
}

winpath() {
	local p=${1//\//\\}
	echo "Z:$p"
}

kdrvctl() {
	"$wine" "$kdrvctl_exe" "$@"
}

# shellcheck disable=SC2317 # only ever called through expect and run
probe() {
	"$wine" "$probe_exe" "$@"
}

roulette_param() {
	"$wine" reg add "$roulette_key" /v "$1" /t "$2" /d "$3" /f >/dev/null 2>&1
}

# roulette_param_text NAME TEXT: a REG_SZ holding exactly TEXT (printf %b escapes, newlines
# included), which `reg add` cannot write: imported from a REGEDIT4 file, whose hex(1) is ANSI.
roulette_param_text() {
	local hex
	hex=$(printf '%b' "$2" | od -An -tx1 -v | tr -s ' \n' ',')
	printf 'REGEDIT4\r\n\r\n[%s]\r\n"%s"=hex(1):%s00\r\n' \
		"${roulette_key/HKLM/HKEY_LOCAL_MACHINE}" "$1" "${hex#,}" >"$out/param.reg"
	"$wine" reg import "$(winpath "$out/param.reg")" >/dev/null 2>&1
}

roulette_params_clear() {
	"$wine" reg delete "$roulette_key" /f >/dev/null 2>&1
	return 0
}

# Makes a fresh prefix. Its first boot restarts the services and can leave two SCMs behind,
# each answering some commands, so this server is stopped and a clean one started after.
wine_init() {
	"$wineserver" -k 2>/dev/null
	"$wineserver" -w
	rm -rf "$WINEPREFIX"
	"$wine" wineboot -i >>"$out/wineboot.out" 2>&1 || return 1
	"$wineserver" -k
	"$wineserver" -w
}

# Starts the wineserver and, through wineboot, its services with the log as their stderr.
wine_start() {
	"$wineserver" -p || return 1
	"$wine" wineboot >>"$out/wineboot.out" 2>>"$log"
}

wine_restart() {
	"$wineserver" -k
	"$wineserver" -w
	wine_start
}

install_packages() {
	"$top/scripts/deps.sh" windows >"$out/apt.log" 2>&1
}

# --- the build, signatures and PE checks

mkdir -p "$out"
if install_packages; then
	ok "packages: mingw-w64, Wine, osslsigncode and openssl are installed"
else
	bail "packages: mingw-w64, Wine, osslsigncode and openssl are installed" \
		"$(tail -n 20 "$out/apt.log")"
fi

wine=
for w in /usr/lib/wine/wine64 "$(command -v wine64)" "$(command -v wine)"; do
	[ -n "$w" ] && [ -x "$w" ] && { wine=$w; break; }
done
wineserver=
for w in /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver "$(command -v wineserver)"; do
	[ -n "$w" ] && [ -x "$w" ] && { wineserver=$w; break; }
done
if [ -z "$wine" ] || [ -z "$wineserver" ]; then
	bail "wine64 and wineserver are on this machine"
fi
# The server is persistent: whatever ends the run must stop it and the drivers it hosts.
trap '"$wineserver" -k 2>/dev/null' EXIT
trap 'exit 130' INT TERM

run make -C "$top/os/windows" -j2
if [ "$rc" = 0 ]; then
	ok "make -C os/windows builds the drivers and kdrvctl.exe"
else
	bail "make -C os/windows builds the drivers and kdrvctl.exe" "$(tail -n 30 "$out/stderr")"
fi

run "$top/scripts/windows-sign.sh"
if [ "$rc" = 0 ]; then
	ok "every .sys is test-signed and its signature verifies"
else
	not_ok "every .sys is test-signed and its signature verifies" "$stdout" "$stderr"
fi

for f in "$win"/kdrv_*.sys "$win"/signed/kdrv_*.sys "$win/kdrvctl.exe"; do
	expect "PE check: ${f#"$top"/}" 0 '^ok:' "$top/scripts/windows-pecheck.sh" "$f"
done

probe_exe_unix=$out/kdrv_probe.exe
run x86_64-w64-mingw32-gcc -std=gnu11 -O2 -Wall -Wextra -Werror -D__USE_MINGW_ANSI_STDIO=1 \
	-I"$top/include" -static -o "$probe_exe_unix" "$top/tests/wine/probe.c"
[ "$rc" = 0 ] || bail "the probe builds" "$stderr"
kdrvctl_exe=$(winpath "$win/kdrvctl.exe")
probe_exe=$(winpath "$probe_exe_unix")
signed=$(winpath "$win/signed")

# --- Wine itself

rm -f "$out/wineboot.out"
: >"$log"
if wine_init && wine_start && run "$wine" cmd /c echo wine-works && [ "$rc" = 0 ] &&
	grep -q wine-works <<<"$stdout"; then
	ok "Wine starts in a fresh 64-bit prefix"
else
	bail "Wine starts in a fresh 64-bit prefix" "wine is $wine" \
		"$(tail -n 20 "$out/wineboot.out" "$log" 2>&1)"
fi

# --- kdrv_hello, debug build, through plain sc

section "hello via sc"
mark
expect "sc create kdrv_hello (debug build)" 0 '' \
	"$wine" sc create kdrv_hello binPath= "$signed\\kdrv_hello-debug.sys" type= kernel \
	start= demand
expect "sc start kdrv_hello" 0 'RUNNING' "$wine" sc start kdrv_hello
expect_log "hello: Hello, world! at DriverEntry" '\[kdrv_hello\.sys\] Hello, world!$'
expect_log "hello: MmIsAddressValid(NULL) is logged" \
	'\[kdrv_hello\.sys\] MmIsAddressValid\(0\) returned 0: address 0 is not readable'
expect_log "hello: a UNICODE_STRING from a wide literal is logged" \
	'\[kdrv_hello\.sys\] UNICODE_STRING: Hello from a UNICODE_STRING! \(Length 56, MaximumLength 58\)'
expect_log "hello: the debug build logs at the debug level (DPFLTR_INFO_LEVEL)" \
	'0000004d:00000008: \[kdrv_hello\.sys\] debug build: debug-level lines are compiled in'
expect "sc stop kdrv_hello" 0 'STOPPED' "$wine" sc stop kdrv_hello
expect_log "hello: the heap message at DriverUnload" '\[kdrv_hello\.sys\] My message is on the heap!$'
expect_log "hello: goodbye at DriverUnload" '\[kdrv_hello\.sys\] Goodbye kernel module!$'
if since_mark | grep -aoE 'My message is on the heap!|Goodbye kernel module!' | tr '\n' '|' |
	grep -q '^My message is on the heap!|Goodbye kernel module!|$'; then
	ok "hello: the heap message comes before goodbye, once each"
else
	not_ok "hello: the heap message comes before goodbye, once each" "$(since_mark | grep -a kdrv_hello)"
fi
expect "sc delete kdrv_hello" 0 '' "$wine" sc delete kdrv_hello
host_alive

# --- kdrvctl's service commands, and kdrv_hello's release build

section "kdrvctl service commands"
expect "kdrvctl --help lists the service commands" 0 'install DRIVER \[PATH\.sys\]' kdrvctl --help
expect "kdrvctl status with nothing installed exits 3" 3 'kdrv_hello: not installed' kdrvctl status
expect "install with no path uses kdrv_hello.sys beside kdrvctl.exe" 0 \
	'kdrv_hello: installed as a demand-start kernel service for .*\\build\\windows\\kdrv_hello\.sys' \
	kdrvctl install hello
expect "install of an installed driver says it already exists" 1 \
	'kdrv_hello already exists \(kdrvctl remove hello first\)' kdrvctl install hello
expect "remove a stopped driver" 0 'kdrv_hello: removed' kdrvctl remove hello
expect "start of a driver not installed exits 3" 3 'kdrv_hello is not installed' \
	kdrvctl start hello
expect "stop of a driver not installed exits 3" 3 'kdrv_hello is not installed' kdrvctl stop hello
expect "an unknown driver is a usage error" 2 "unknown driver 'nosuch'" kdrvctl install nosuch
expect "install of a missing .sys exits 3" 3 'nosuch\.sys does not exist' \
	kdrvctl install hello 'Z:\nonexistent\nosuch.sys'
cp "$win/signed/kdrv_hello.sys" "$out/kdrv_hello-gone.sys"
run kdrvctl install hello "$(winpath "$out/kdrv_hello-gone.sys")"
rm -f "$out/kdrv_hello-gone.sys"
expect "start with the .sys gone fails with its Win32 error" 1 \
	'kdrv_hello failed to start: .*\(Win32 error [0-9]+\)' kdrvctl start hello
expect "remove after a failed start" 0 'kdrv_hello: removed' kdrvctl remove hello

mark
expect "install kdrv_hello (signed release build)" 0 'installed' \
	kdrvctl install hello "$signed\\kdrv_hello.sys"
expect "start kdrv_hello" 0 'kdrv_hello: running' kdrvctl start hello
expect "start of a running driver says so" 0 'kdrv_hello: already running' kdrvctl start hello
expect "status shows kdrv_hello running" 0 'kdrv_hello: running' kdrvctl status
expect_log "hello (release): Hello, world!" '\[kdrv_hello\.sys\] Hello, world!$'
expect "stop kdrv_hello" 0 'kdrv_hello: stopped' kdrvctl stop hello
expect "stop of a stopped driver says so" 0 'kdrv_hello: not running' kdrvctl stop hello
expect_log "hello (release): goodbye" '\[kdrv_hello\.sys\] Goodbye kernel module!$'
expect_no_log "hello (release): the debug level is compiled out" 'debug build'
expect "remove kdrv_hello" 0 'kdrv_hello: removed' kdrvctl remove hello
host_alive

# --- kdrv_random

section "random"
mark
expect "install kdrv_random (signed release build)" 0 'installed' \
	kdrvctl install random "$signed\\kdrv_random.sys"
expect "start kdrv_random" 0 'kdrv_random: running' kdrvctl start random
expect_log "random: the device link is ready" '\[kdrv_random\.sys\] \\DosDevices\\KdrvRandom ready'
expect "status shows the device" 0 'device \\\\\.\\KdrvRandom: present' kdrvctl status
expect "kdrvctl random prints 32 bytes by default" 0 '^00000010 ( [0-9a-f]{2}){16}$' kdrvctl random
for len in 0 1 255 256 257 4096 65536 1048576 3000000; do
	run kdrvctl random -n $len --raw
	got=$(wc -c <"$out/stdout")
	if [ "$rc" = 0 ] && [ "$got" = $len ]; then
		ok "random: a read of $len bytes returns $len bytes"
	else
		not_ok "random: a read of $len bytes returns $len bytes" "exit $rc, $got bytes" "$stderr"
	fi
done
kdrvctl random -n 4096 --raw >"$out/r1" 2>/dev/null
kdrvctl random -n 4096 --raw >"$out/r2" 2>/dev/null
if [ "$(wc -c <"$out/r1")" = 4096 ] && ! cmp -s "$out/r1" "$out/r2"; then
	ok "random: two reads differ"
else
	not_ok "random: two reads differ"
fi
kdrvctl random -n 1048576 --raw >"$out/r3" 2>/dev/null
values=$(od -An -v -tx1 "$out/r3" | tr -s ' ' '\n' | grep -c . | tr -d ' ')
distinct=$(od -An -v -tx1 "$out/r3" | tr -s ' ' '\n' | grep . | sort -u | wc -l)
packed=$(gzip -9c "$out/r3" | wc -c)
if [ "$values" = 1048576 ] && [ "$distinct" = 256 ] && [ "$packed" -gt 1048576 ]; then
	ok "random: 1 MiB has all 256 byte values and does not compress"
else
	not_ok "random: 1 MiB has all 256 byte values and does not compress" \
		"$values bytes, $distinct distinct values, $packed bytes gzipped"
fi
expect "random: a zero-length read returns 0 bytes" 0 '^ok 0$' probe read '\\.\KdrvRandom' 0
expect "random: reads of odd sizes on one handle" 0 '^ok 1 17 256 257 65536$' \
	probe read '\\.\KdrvRandom' 1 17 256 257 65536
expect "random: writing is refused (ERROR_INVALID_FUNCTION)" 0 '^error 1$' \
	probe write '\\.\KdrvRandom' 16
expect "random: an IOCTL is refused (ERROR_INVALID_FUNCTION)" 0 '^error 1$' \
	probe ioctl '\\.\KdrvRandom' 0x80000000 0x80006000 56 56 56 self
expect "stop kdrv_random" 0 'kdrv_random: stopped' kdrvctl stop random
expect_log "random: the unload line counts reads and bytes" \
	'\[kdrv_random\.sys\] unloading after [0-9]+ reads, [0-9]+ bytes'
expect "random: the device is gone after stop (exit 3)" 3 \
	'KdrvRandom does not exist: install and start kdrv_random' kdrvctl random
expect "remove kdrv_random" 0 'kdrv_random: removed' kdrvctl remove random
host_alive

# --- kdrv_roulette: parameters, determinism, error modes

section "roulette"
expect "install kdrv_roulette" 0 'installed' kdrvctl install roulette "$signed\\kdrv_roulette.sys"

mark
expect "start with no Parameters" 0 'kdrv_roulette: running' kdrvctl start roulette
expect_log "roulette: no chance parameter draws C in [0, 100)" \
	'\[kdrv_roulette\.sys\] Panic probability: [0-9]{1,2}/100$'
expect_log "roulette: no boom parameter means boom=error" '\[kdrv_roulette\.sys\] boom=error$'
expect "kdrvctl roulette runs 20 spins" 0 '^spins: 20, survived: [0-9]+, booms: [0-9]+' \
	kdrvctl roulette --spins 20
expect "stop" 0 'stopped' kdrvctl stop roulette

roulette_param chance REG_SZ 0
mark
expect "start with chance=0" 0 'running' kdrvctl start roulette
expect_log "roulette: chance=0 is announced" '\[kdrv_roulette\.sys\] Panic probability: 0/100$'
expect "chance=0: one spin survives with the seed's message" 0 \
	'^Survived\.\.\. sampled value is [0-9]{1,2}, which is >= 0$' kdrvctl roulette
expect "chance=0: 200 spins all survive" 0 '^spins: 200, survived: 200, booms: 0,' \
	kdrvctl roulette --spins 200
expect "chance=0: the text reads in pieces, then EOF" 0 '^ok 10 3[0-9] 0$' \
	probe read '\\.\KdrvRoulette' 10 100 100
expect "stop" 0 'stopped' kdrvctl stop roulette
expect_log "roulette: the unload line counts spins" \
	'\[kdrv_roulette\.sys\] unloading after 202 spins: 202 survived, booms: 0 error'

roulette_param chance REG_SZ 100
mark
expect "start with chance=100" 0 'running' kdrvctl start roulette
expect "chance=100 boom=error: a spin reads as EIO" 0 '^Boom! \(the read failed with EIO\)' \
	kdrvctl roulette
expect "chance=100 boom=error: 30 spins all boom" 0 '^spins: 30, survived: 0, booms: 30,' \
	kdrvctl roulette --spins 30
expect "chance=100: the read fails with ERROR_IO_DEVICE (1117)" 0 '^error 1117$' \
	probe read '\\.\KdrvRoulette' 100
expect "chance=100: even a zero-length read booms" 0 '^error 1117$' \
	probe read '\\.\KdrvRoulette' 0
expect_log "roulette: a Boom is logged at the error level" \
	'0000004d:00000001: \[kdrv_roulette\.sys\] Boom! sampled value is [0-9]{1,2}, which is < 100 \(boom=error\)'
expect_log "roulette: error-mode boom lines thin out after 10" \
	'\[kdrv_roulette\.sys\] 10 error-mode booms logged; from now on one in 100'
expect "the driver still stops after booms" 0 'kdrv_roulette: stopped' kdrvctl stop roulette
expect_log "roulette: the unload line counts the error booms" \
	'unloading after 33 spins: 0 survived, booms: 33 error, 0 warn, 0 oops'

roulette_param boom REG_SZ warn
mark
expect "start with chance=100 boom=warn" 0 'running' kdrvctl start roulette
expect_log "roulette: boom=warn is read from the registry" '\[kdrv_roulette\.sys\] boom=warn$'
expect "boom=warn: the read still fails with EIO" 0 '^Boom! \(the read failed with EIO\)' \
	kdrvctl roulette
expect_log "roulette: boom=warn logs a warning splat" \
	'0000004d:00000002: \[kdrv_roulette\.sys\] WARNING: kdrv_roulette: Boom! sampled value is'
mark
expect "boom=warn: three reads of one boomed handle fail with ERROR_IO_DEVICE" 0 \
	'^error 1117 error 1117 error 1117$' probe read '\\.\KdrvRoulette' 10 10 10
expect_log "boom=warn: the boom is logged" '\[kdrv_roulette\.sys\] Boom! .*\(boom=warn\)'
splats=$(since_mark | grep -ac '\[kdrv_roulette\.sys\] WARNING: ')
if [ "$splats" = 1 ]; then
	ok "boom=warn: three reads of one boomed handle give one warning splat"
else
	not_ok "boom=warn: three reads of one boomed handle give one warning splat" "seen: $splats"
fi
expect "boom=warn: the driver still stops" 0 'stopped' kdrvctl stop roulette

roulette_param boom REG_SZ oops
mark
expect "start with chance=100 boom=oops" 0 'running' kdrvctl start roulette
expect_log "roulette: boom=oops warns at start what it means on Windows" \
	"\[kdrv_roulette\.sys\] boom=oops: Windows has no oops that spares the system"
expect "boom=oops: the read fails with EIO and the system lives on" 0 \
	'^Boom! \(the read failed with EIO\)' kdrvctl roulette
expect_log "roulette: boom=oops says why it did not crash" \
	'Boom! sampled value is [0-9]{1,2}, which is < 100: boom=oops: Windows has no oops'
expect "boom=oops: the driver still stops" 0 'stopped' kdrvctl stop roulette

roulette_params_clear
roulette_param chance REG_DWORD 0
mark
expect "a REG_DWORD chance is accepted" 0 'running' kdrvctl start roulette
expect_log "roulette: REG_DWORD chance=0 is announced" 'Panic probability: 0/100$'
expect "stop" 0 'stopped' kdrvctl stop roulette

# Every row of the shared syntax table, as a REG_SZ: accepted values are announced at start,
# refused ones fail the start with ERROR_INVALID_PARAMETER.
while IFS=$'\t' read -r name text want; do
	case $name in '#'* | '') continue ;; esac
	roulette_params_clear
	[ "$text" = '<empty>' ] && text=''
	roulette_param_text "$name" "$text"
	mark
	if [ "$want" = EINVAL ]; then
		expect "$name '$text' (REG_SZ) is refused" 1 \
			'kdrv_roulette failed to start: .*\(Win32 error 87\)' kdrvctl start roulette
		continue
	fi
	expect "$name '$text' (REG_SZ) is accepted" 0 'running' kdrvctl start roulette
	if [ "$name" = chance ]; then
		expect_log "$name '$text' sets $want" "Panic probability: $want/100\$"
	else
		expect_log "$name '$text' sets $want" "\] boom=$want\$"
	fi
	kdrvctl stop roulette >/dev/null 2>&1
done <"$top/tests/vm/guest/roulette-params.txt"

roulette_params_clear
roulette_param_text chance '5\nkdrv_roulette: forged'
mark
expect "a chance with a newline inside is refused" 1 'Win32 error 87' kdrvctl start roulette
expect_log "the refused chance is logged escaped and cut at 16 bytes" \
	"got '5\\\\x0akdrv_roulette:'\\.\\.\\.\$"
expect_no_log "the refused chance starts no log line of its own" 'kdrv_roulette: forged'

# 33 characters: one more than the driver reads from a value; 40 do not fit its buffer.
x33=$(printf 'x%.0s' {1..33})
for bad in "chance REG_SZ abc|chance must be an integer from 0 to 100, got 'abc'" \
	"chance REG_SZ 101|chance must be an integer from 0 to 100, got '101'" \
	"chance REG_SZ -1|chance must be an integer from 0 to 100, got '-1'" \
	"chance REG_SZ |chance must be an integer from 0 to 100, got ''" \
	"chance REG_DWORD 1000|chance must be an integer from 0 to 100, got '1000'" \
	"boom REG_SZ kaboom|boom must be one of error, warn, oops, panic, got 'kaboom'" \
	"boom REG_DWORD 1|boom must be one of error, warn, oops, panic, got '1'" \
	"boom REG_MULTI_SZ warn|Parameters.boom must be a REG_SZ or REG_DWORD" \
	"boom REG_SZ $x33|boom must be one of error, warn, oops, panic, got 'x{16}'\.\.\.$" \
	"boom REG_SZ ${x33}1234567|Parameters.boom must be a REG_SZ or REG_DWORD of at most 32"; do
	read -r name type value <<<"${bad%%|*}"
	roulette_params_clear
	roulette_param "$name" "$type" "$value"
	mark
	expect "$name=$value ($type): start fails with ERROR_INVALID_PARAMETER" 1 \
		'kdrv_roulette failed to start: .*\(Win32 error 87\)' kdrvctl start roulette
	expect_log "$name=$value ($type): the log says why" "${bad#*|}"
done
roulette_params_clear
expect "status shows the roulette stopped" 3 'kdrv_roulette: stopped' kdrvctl status
host_alive

# --- kdrv_roulette: boom=panic bugchecks, then Wine is restarted

section "roulette panic"
roulette_param chance REG_SZ 100
roulette_param boom REG_SZ panic
mark
expect "start with chance=100 boom=panic" 0 'running' kdrvctl start roulette
expect "boom=panic: the reader's read fails as the host dies" 1 'reading .*KdrvRoulette' \
	kdrvctl roulette
expect_log "boom=panic: the bugcheck line with MANUALLY_INITIATED_CRASH and the kdrv mark" \
	'err:ntoskrnl:KeBugCheckEx e2 6b647276 '
expect_log "boom=panic: the driver said why before the bugcheck" \
	'\[kdrv_roulette\.sys\] kdrv_roulette: Boom! sampled value is [0-9]{1,2}, which is < 100: bugchecking'
expect "boom=panic: the device is gone with the host" 3 'does not exist' kdrvctl roulette
if wine_restart; then
	ok "Wine restarts after the bugcheck"
else
	bail "Wine restarts after the bugcheck" "$(tail -n 20 "$log")"
fi
section "after the restart"
roulette_params_clear
expect "remove kdrv_roulette after the restart" 0 'kdrv_roulette: removed' kdrvctl remove roulette

# --- kdrv_procinfo, debug build: lookups, bad requests, references

section "procinfo"
mark
expect "install kdrv_procinfo (signed debug build)" 0 'installed' \
	kdrvctl install procinfo "$signed\\kdrv_procinfo-debug.sys"
expect "start kdrv_procinfo" 0 'kdrv_procinfo: running' kdrvctl start procinfo
expect "proc self: pid and tgid, the facts Wine can give" 0 '^pid +[0-9]+$' kdrvctl proc self
if grep -qE '^tgid +[0-9]+$' <<<"$stdout" &&
	[ "$(awk '$1 == "pid" { print $2 }' <<<"$stdout")" = \
		"$(awk '$1 == "tgid" { print $2 }' <<<"$stdout")" ] &&
	! grep -qE '^(ppid|uid|state|start_ns|comm) ' <<<"$stdout"; then
	ok "proc self: tgid equals pid; facts Wine cannot give are left out"
else
	not_ok "proc self: tgid equals pid; facts Wine cannot give are left out" "$stdout"
fi
expect "proc self --json" 0 '^\{"pid": ([0-9]+), "tgid": \1\}$' kdrvctl proc self --json
expect "a bogus pid: no such process (ESRCH), exit 1" 1 'no process 999999 visible' \
	kdrvctl proc 999999
expect_log "a bogus pid: Wine's STATUS_INVALID_PARAMETER became ESRCH" \
	'PsLookupProcessByProcessId\(999999\) failed with 0xc000000d'
expect "pid 0 is invalid (EINVAL), exit 1" 1 'proc 0: Invalid argument' kdrvctl proc 0
D='\\.\KdrvProcinfo'
expect "raw: the caller's own pid" 0 '^ok 56 size 56 mask 0x1 pid ([0-9]+) tgid \1 expected \1$' \
	probe ioctl "$D" 0x80000000 0x80006000 56 56 56 self
expect "raw: a pid with its low bits set is not rounded to a process (ERROR_NOT_FOUND)" 0 \
	'^error 1168$' probe ioctl "$D" 0x80000000 0x80006000 56 56 56 self+1
expect "raw: a handle opened with access 0 gets ERROR_ACCESS_DENIED" 0 '^error 5$' \
	probe ioctl "$D" 0 0x80006000 56 56 56 self
expect "raw: no input buffer is ERROR_INVALID_PARAMETER" 0 '^error 87$' \
	probe ioctl "$D" 0x80000000 0x80006000 0 56 56 self
expect "raw: an 8-byte input buffer is ERROR_INVALID_PARAMETER" 0 '^error 87$' \
	probe ioctl "$D" 0x80000000 0x80006000 8 56 56 self
expect "raw: an 8-byte output buffer is ERROR_INVALID_PARAMETER" 0 '^error 87$' \
	probe ioctl "$D" 0x80000000 0x80006000 56 8 56 self
expect "raw: a size field older than v1 is ERROR_INVALID_PARAMETER" 0 '^error 87$' \
	probe ioctl "$D" 0x80000000 0x80006000 56 56 40 self
expect "raw: a newer caller's larger struct gets the 56 bytes we know" 0 '^ok 56 size 56 ' \
	probe ioctl "$D" 0x80000000 0x80006000 200 200 200 self
expect "raw: a size field larger than the buffers still moves only the 56 bytes we know" 0 \
	'^ok 56 size 56 ' probe ioctl "$D" 0x80000000 0x80006000 56 56 200 self
expect "raw: an output buffer short of the struct is ERROR_INVALID_PARAMETER" 0 '^error 87$' \
	probe ioctl "$D" 0x80000000 0x80006000 56 55 56 self
expect "raw: an unknown IOCTL is ERROR_INVALID_FUNCTION" 0 '^error 1$' \
	probe ioctl "$D" 0x80000000 0x80006004 56 56 56 self
expect "raw: the same code with FILE_ANY_ACCESS is unknown too" 0 '^error 1$' \
	probe ioctl "$D" 0x80000000 0x80002000 56 56 56 self
expect "raw: a read is ERROR_INVALID_FUNCTION" 0 '^error 1$' probe read "$D" 16
expect "stop kdrv_procinfo" 0 'kdrv_procinfo: stopped' kdrvctl stop procinfo
expect_log "procinfo: the unload line counts the lookups" \
	'\[kdrv_procinfo\.sys\] unloading after [0-9]+ lookups'
expect_log "procinfo: no process reference is outstanding at unload" \
	'\[kdrv_procinfo\.sys\] outstanding process references at unload: 0$'
refs=$(since_mark | grep -ao 'outstanding process references: [0-9-]*' | awk '{ print $NF }')
requests=$(grep -c . <<<"$refs")
# Every IOCTL above reaches the driver but the one Wine refuses for access 0.
if [ "$requests" -eq 15 ] && ! grep -qv '^0$' <<<"$refs"; then
	ok "procinfo: after each of $requests requests, 0 process references are outstanding"
else
	not_ok "procinfo: after each request, 0 process references are outstanding" \
		"$requests requests logged, 15 expected; counts: $(sort <<<"$refs" | uniq -c | tr '\n' ' ')"
fi
expect "remove kdrv_procinfo" 0 'kdrv_procinfo: removed' kdrvctl remove procinfo
expect "status: nothing installed again" 3 'kdrv_procinfo: not installed' kdrvctl status
host_alive

# --- the whole run: one bugcheck, the one asked for, and no other host death

deaths=$(grep -aE "$host_death_re" "$log" | grep -avc 'err:ntoskrnl:KeBugCheckEx e2 6b647276 ')
bugchecks=$(grep -ac 'err:ntoskrnl:KeBugCheckEx' "$log")
if [ "$bugchecks" = 1 ] && [ "$deaths" = 0 ]; then
	ok "the only driver-host death in the run is the bugcheck boom=panic asked for"
else
	not_ok "the only driver-host death in the run is the bugcheck boom=panic asked for" \
		"$bugchecks bugchecks; other signs of death:" \
		"$(grep -aE "$host_death_re" "$log" | head -n 5)"
fi

finish
