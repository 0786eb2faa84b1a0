# SPDX-License-Identifier: GPL-2.0 OR MIT
# Shared helpers of the Wine suite: TAP output, command and log expectations, Wine start and stop.
# shellcheck shell=bash

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$top/build/wine
win=$top/build/windows
log=$out/wine.log
# Drivers run inside winedevice.exe, started by the services of one long-lived wineserver.
# Their DbgPrint lines reach the log only because WINEDEBUG=warn+debugstr is set when that
# server's services start, which they do with the log file as their stderr.
export WINEPREFIX=$out/prefix WINEARCH=win64 WINEDEBUG=warn+debugstr
# No Mono or Gecko: their installers look for the network, and nothing here needs them.
export WINEDLLOVERRIDES="mscoree,mshtml="
export DEBIAN_FRONTEND=noninteractive

nl=$'\n'

# The one TAP library of the project's shell suites (the VM guest and host suites use it too).
# shellcheck source-path=SCRIPTDIR source=../vm/guest/tap.sh
. "$top/tests/vm/guest/tap.sh"

finish() {
	echo "1..$tap_count"
	echo "wine: $tap_passed passed, $tap_failed failed"
	[ "$tap_failed" -eq 0 ] && [ "$tap_count" -gt 0 ]
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

# shellcheck disable=SC2034 # used by the driver files
signed=$(winpath "$win/signed")
kdrvctl_exe=$(winpath "$win/kdrvctl.exe")
probe_exe_unix=$out/kdrv_probe.exe
probe_exe=$(winpath "$probe_exe_unix")

kdrvctl() {
	"$wine" "$kdrvctl_exe" "$@"
}

# shellcheck disable=SC2317 # only ever called through expect and run
probe() {
	"$wine" "$probe_exe" "$@"
}

# Sets $wine and $wineserver to the first of each that this machine has.
wine_find() {
	local w

	wine=
	for w in /usr/lib/wine/wine64 "$(command -v wine64)" "$(command -v wine)"; do
		[ -n "$w" ] && [ -x "$w" ] && { wine=$w; break; }
	done
	wineserver=
	for w in /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver "$(command -v wineserver)"; do
		[ -n "$w" ] && [ -x "$w" ] && { wineserver=$w; break; }
	done
	[ -n "$wine" ] && [ -n "$wineserver" ]
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
