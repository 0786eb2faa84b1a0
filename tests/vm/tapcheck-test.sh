#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Feeds crafted console logs to tapcheck.sh and checks its verdicts; prints TAP and a summary line.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=guest/tap.sh
. "$here/guest/tap.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/console.log
krel=6.12.0-test-amd64

kernel() {
	printf '[    1.000000] %s\r\n' "$@" >>"$log"
}

guest() {
	local line
	for line in "$@"; do
		kernel "kdrv-guest: $line"
	done
}

begin() {
	: >"$log"
	kernel "Linux version $krel" "Run /init as init process"
	guest "KDRV-BEGIN $krel demo" 'TAP version 13'
}

end() {
	guest "KDRV-END rc=${1:-0}"
	kernel 'reboot: Power down'
}

warn_splat() {
	kernel '------------[ cut here ]------------' \
		"WARNING: CPU: 0 PID: 155 at /src/$1.c:5 $1_init+0x15/0xff0 [$1]" \
		"Modules linked in: $1(OE+)" 'Call Trace:' ' <TASK>' ' do_one_initcall+0x5b/0x320' \
		' </TASK>' '---[ end trace 0000000000000000 ]---'
}

oops_splat() {
	kernel 'BUG: kernel NULL pointer dereference, address: 0000000000000000' \
		'Oops: 0000 [#1] PREEMPT SMP NOPTI' 'RIP: 0010:boom+0x5/0x10 [boom]' 'Call Trace:' \
		' <TASK>' ' </TASK>' '---[ end trace 0000000000000000 ]---'
}

# verdict DESC EXPECTED_SUMMARY EXPECTED_RC [TAPCHECK ARGS...]: judges $log.
verdict() {
	local desc=$1 want=$2 want_rc=$3 out rc=0
	shift 3
	out=$("$here/tapcheck.sh" "$log" "$@" 2>"$work/stderr") || rc=$?
	if [ "$(tail -n1 <<<"$out")" = "$want" ] && [ "$rc" = "$want_rc" ]; then
		ok "$desc"
	else
		not_ok "$desc" "expected: '$want' and exit $want_rc" \
			"seen: '$(tail -n1 <<<"$out")' and exit $rc" "$(cat "$work/stderr")" || true
	fi
}

begin
guest 'ok 1 - one' 'ok 2 - two # SKIP no device' 'ok 3 - three' '1..3'
end
verdict "a good run passes" "vm $krel demo: 3 passed, 0 failed" 0
verdict "the kernel named by --kernel must be the one that ran" \
	"vm 6.1.0-other demo: 3 passed, 1 failed" 1 --kernel 6.1.0-other

begin
guest '1..3' 'ok 1 - one' 'ok 2 - two'
end
verdict "a short plan fails" "vm $krel demo: 2 passed, 1 failed" 1

begin
guest 'ok 1 - one' 'ok 2 - two'
end
verdict "a missing plan fails" "vm $krel demo: 2 passed, 1 failed" 1

begin
guest '1..2' 'ok 1 - one' 'not ok 2 - two' '# expected: 1' '# seen: 2'
end 1
verdict "a not ok fails once, even with the suite's non-zero exit" "vm $krel demo: 1 passed, 1 failed" 1

begin
guest '1..1' 'ok 1 - one'
end 2
verdict "a suite exiting non-zero with all tests ok fails" "vm $krel demo: 1 passed, 1 failed" 1

begin
guest 'ok 1 - load'
oops_splat
guest '1..1'
end
verdict "an Oops fails the run" "vm $krel demo: 1 passed, 1 failed" 1

begin
guest 'ok 1 - load' 'ok 2 - unload' '1..2'
end
kernel 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000000'
verdict "a panic after KDRV-END fails the run" "vm $krel demo: 2 passed, 1 failed" 1

begin
guest '# expect-splat: at /src/warnme\.c' 'ok 1 - load'
warn_splat warnme
guest '1..1'
end
verdict "an expected WARN is allowed" "vm $krel demo: 1 passed, 0 failed" 0

begin
guest '# expect-splat: at /src/warnme\.c' 'ok 1 - load'
warn_splat warnme
warn_splat other
guest '1..1'
end
verdict "an expected WARN does not excuse another one" "vm $krel demo: 1 passed, 1 failed" 1

begin
guest '# expect-splat: Boom!'
kernel 'kdrv_roulette: Boom! sampled value is 3 (boom=error)'
guest 'ok 1 - error mode'
oops_splat
guest '1..1'
end
verdict "a matched line with no splat does not excuse a splat after the next test" \
	"vm $krel demo: 1 passed, 1 failed" 1

begin
guest '# expect-splat: NULL pointer dereference' 'ok 1 - load'
oops_splat
kernel 'Kernel panic - not syncing: Fatal exception'
verdict "an expected Oops does not excuse the panic it causes" "vm $krel demo: 1 passed, 2 failed" 1

: >"$log"
warn_splat boot
kernel 'Run /init as init process'
guest "KDRV-BEGIN $krel demo" '# expect-splat: at /src/boot\.c' '1..0'
end
verdict "expect-splat does not excuse a splat before KDRV-BEGIN" "vm $krel demo: 0 passed, 1 failed" 1

begin
kernel 'RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed attacks' \
	'  ? kmemleak_alloc+0x1f/0x30'
guest 'ok 1 - calm # notes about BUG: and Oops are not splats' '1..1'
end
verdict "a mid-line WARNING:, stack frames and guest text are not splats" \
	"vm $krel demo: 1 passed, 0 failed" 0

begin
guest 'ok 1 - about to crash'
kernel 'sysrq: Trigger a crash' 'Kernel panic - not syncing: sysrq triggered crash' \
	'Call Trace:' ' <TASK>' ' </TASK>'
verdict "an expected panic passes without KDRV-END" "vm $krel demo: 1 passed, 0 failed" 0 \
	--expect-panic 'sysrq triggered crash'
verdict "an unexpected panic fails" "vm $krel demo: 1 passed, 2 failed" 1
verdict "a panic not matching --expect-panic fails" "vm $krel demo: 1 passed, 2 failed" 1 \
	--expect-panic 'Fatal exception'

begin
guest 'ok 1 - fine' '1..1'
end
verdict "--expect-panic fails a run that did not panic" "vm $krel demo: 1 passed, 1 failed" 1 \
	--expect-panic 'sysrq triggered crash'

begin
guest '1..3' 'ok 1 - one' 'ok 2 - about to hang'
printf '\nkdrv-host: timeout after 20 s\n' >>"$log"
verdict "a timed-out run fails once" "vm $krel demo: 2 passed, 1 failed" 1

begin
guest '1..3' 'ok 1 - one'
verdict "a log cut off before KDRV-END fails" "vm $krel demo: 1 passed, 1 failed" 1

begin
guest '# expect-splat: (unclosed' '1..0'
end
verdict "a malformed expect-splat regex fails" "vm $krel demo: 0 passed, 1 failed" 1

: >"$log"
kernel 'Linux version x' 'Kernel panic - not syncing: VFS: Unable to mount root fs'
verdict "a log without KDRV-BEGIN fails" "vm unknown unknown: 0 passed, 2 failed" 1

tap_done || true
echo "tapcheck-selftest: $tap_passed passed, $tap_failed failed"
[ "$tap_failed" -eq 0 ]
