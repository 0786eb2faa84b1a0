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

# The debug kernel's reports, as 6.12 prints them.
kasan_report() {
	kernel '==================================================================' \
		'BUG: KASAN: slab-out-of-bounds in kdrv_pipe_write+0x1a2/0x300 [kdrv_pipe]' \
		'Write of size 1 at addr ffff888004c3d140 by task kdrv-pipe_test/131' '' \
		'CPU: 1 UID: 0 PID: 131 Comm: kdrv-pipe_test Tainted: G           OE      6.12.117-kdrv-debug #1' \
		'Call Trace:' ' <TASK>' ' dump_stack_lvl+0x6f/0xa0' ' print_report+0xd1/0x670' \
		' kasan_report+0xd6/0x120' ' kdrv_pipe_write+0x1a2/0x300 [kdrv_pipe]' ' vfs_write+0x1d5/0x8e0' \
		' </TASK>' '' 'Allocated by task 131:' ' kasan_save_stack+0x30/0x50' \
		' __kmalloc_noprof+0x1b3/0x430' ' kdrv_os_alloc+0x1c/0x30 [kdrv_pipe]' '' \
		'The buggy address belongs to the object at ffff888004c3d100' \
		' which belongs to the cache kmalloc-64 of size 64' \
		'Memory state around the buggy address:' \
		'>ffff888004c3d100: 00 00 00 00 00 00 00 00 fc fc fc fc fc fc fc fc' \
		'                                           ^' \
		'=================================================================='
}

ubsan_report() {
	kernel '------------[ cut here ]------------' \
		'UBSAN: shift-out-of-bounds in /src/drivers/roulette/roulette.c:42:17' \
		"shift exponent 64 is too large for 64-bit type 'long unsigned int'" \
		'CPU: 0 UID: 0 PID: 140 Comm: kdrvctl Tainted: G           OE      6.12.117-kdrv-debug #1' \
		'Call Trace:' ' <TASK>' ' dump_stack_lvl+0x6f/0xa0' \
		' __ubsan_handle_shift_out_of_bounds+0x1e7/0x3f0' ' kdrv_roulette_read+0x9e/0x1b0 [kdrv_roulette]' \
		' </TASK>' '---[ end trace ]---'
}

lockdep_circular_report() {
	kernel '======================================================' \
		'WARNING: possible circular locking dependency detected' \
		'6.12.117-kdrv-debug #1 Tainted: G           OE     ' \
		'------------------------------------------------------' \
		'kdrv-pipe_test/133 is trying to acquire lock:' \
		'ffff888004a8e0b8 (&pipe->lock){+.+.}-{3:3}, at: kdrv_pipe_read+0x5c/0x2f0 [kdrv_pipe]' '' \
		'but task is already holding lock:' \
		'ffff888004a8e0f0 (&pipe->wait){....}-{2:2}, at: kdrv_os_wait+0x3d/0x140 [kdrv_pipe]' '' \
		'which lock already depends on the new lock.' '' \
		'-> #1 (&pipe->lock){+.+.}-{3:3}:' '       lock_acquire+0x1a9/0x520' \
		'       __mutex_lock+0x15b/0x1200' '' ' Possible unsafe locking scenario:' '' \
		'       CPU0                    CPU1' '  lock(&pipe->wait);' '                               lock(&pipe->lock);' \
		'' ' *** DEADLOCK ***' '' '1 lock held by kdrv-pipe_test/133:' \
		' #0: ffff888004a8e0f0 (&pipe->wait){....}-{2:2}, at: kdrv_os_wait+0x3d/0x140 [kdrv_pipe]' '' \
		'stack backtrace:' \
		'CPU: 0 UID: 0 PID: 133 Comm: kdrv-pipe_test Tainted: G           OE      6.12.117-kdrv-debug #1' \
		'Call Trace:' ' <TASK>' ' dump_stack_lvl+0x6f/0xa0' ' print_circular_bug+0x3fd/0x560' \
		' __lock_acquire+0x2a4e/0x5290' ' </TASK>'
}

lockdep_inconsistent_report() {
	kernel '================================' 'WARNING: inconsistent lock state' \
		'6.12.117-kdrv-debug #1 Tainted: G           OE     ' '--------------------------------' \
		'inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage.' \
		'kdrvctl/137 [HC0[0]:SC0[0]:HE1:SE1] takes:' \
		'ffff888004b21018 (&dev->lock){+.?.}-{2:2}, at: kdrv_os_lock+0x19/0x30 [kdrv_random]' \
		'{IN-SOFTIRQ-W} state was registered at:' '  lock_acquire+0x1a9/0x520' '' \
		'other info that might help us debug this:' ' Possible unsafe locking scenario:' '' \
		' *** DEADLOCK ***' '' 'no locks held by kdrvctl/137.' '' 'stack backtrace:' \
		'Call Trace:' ' <TASK>' ' mark_lock+0x8d7/0x1720' ' </TASK>'
}

might_sleep_report() {
	kernel 'BUG: sleeping function called from invalid context at mm/slab.h:1174' \
		'in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 129, name: insmod' \
		'preempt_count: 1, expected: 0' 'RCU nest depth: 0, expected: 0' \
		'1 lock held by insmod/129:' \
		' #0: ffffffffc0a020d0 (kdrv_lock){+.+.}-{2:2}, at: kdrv_hello_init+0x1b/0x90 [kdrv_hello]' \
		'Preemption disabled at:' '[<ffffffffc0a0001b>] kdrv_hello_init+0x1b/0x90 [kdrv_hello]' \
		'CPU: 0 UID: 0 PID: 129 Comm: insmod Tainted: G           OE      6.12.117-kdrv-debug #1' \
		'Call Trace:' ' <TASK>' ' dump_stack_lvl+0x6f/0xa0' ' __might_resched.cold+0x1f4/0x243' \
		' __kmalloc_cache_noprof+0x2f2/0x3b0' ' </TASK>'
}

# warn_report MESSAGE FILE: a WARN() whose message line comes first, as refcount_t and DEBUG_LIST do.
warn_report() {
	kernel '------------[ cut here ]------------' "$1" \
		"WARNING: CPU: 1 PID: 142 at $2 kdrv_x+0x6d/0xb0" \
		'Modules linked in: kdrv_procinfo(OE)' \
		'CPU: 1 UID: 0 PID: 142 Comm: kdrv-procinfo_t Tainted: G           OE      6.12.117-kdrv-debug #1' \
		'RIP: 0010:refcount_warn_saturate+0x13d/0x1a0' 'Call Trace:' ' <TASK>' ' ? __warn+0xea/0x2f0' \
		' kdrv_procinfo_ioctl+0x2e1/0x400 [kdrv_procinfo]' ' </TASK>' \
		'irq event stamp: 4017' 'hardirqs last  enabled at (4023): [<ffffffff813a1d7e>] __up_console_sem+0x5e/0x80' \
		'---[ end trace 0000000000000000 ]---'
}

slub_report() {
	kernel '=============================================================================' \
		'BUG kmalloc-64 (Tainted: G    B   OE     ): Poison overwritten' \
		'-----------------------------------------------------------------------------' '' \
		'0xffff888004c3d150-0xffff888004c3d150 @offset=336. First byte 0x6c instead of 0x6b' \
		'Allocated in kdrv_os_alloc+0x1c/0x30 [kdrv_pipe] age=95 cpu=1 pid=131' \
		'Slab 0xffffea0000130f00 objects=21 used=21 fp=0x0000000000000000 flags=0x100000000000200(slab|node=0|zone=1)' \
		'Object   ffff888004c3d140: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk' \
		'CPU: 0 UID: 0 PID: 135 Comm: kdrvctl Tainted: G    B   OE      6.12.117-kdrv-debug #1' \
		'Call Trace:' ' <TASK>' ' check_bytes_and_report+0x12c/0x170' ' </TASK>' \
		'FIX kmalloc-64: Restoring Poison 0xffff888004c3d150-0xffff888004c3d150=0x6b'
}

odebug_report() {
	kernel '------------[ cut here ]------------' \
		'ODEBUG: free active (active state 0) object: ffff888004d2a0c8 object type: timer_list hint: kdrv_tick+0x0/0x40 [kdrv_hello]' \
		'WARNING: CPU: 0 PID: 150 at lib/debugobjects.c:514 debug_print_object+0x1a1/0x2b0' \
		'Call Trace:' ' <TASK>' ' debug_check_no_obj_freed+0x3f4/0x530' ' kfree+0x10a/0x2e0' \
		' </TASK>' '---[ end trace 0000000000000000 ]---'
}

# kmemleak_suite LEAKS: the main suite's kmemleak bracket, with LEAKS objects found at its end.
kmemleak_suite() {
	guest '# expect-splat: kmemleak: [0-9]+ new suspected memory leaks'
	kernel 'kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'
	guest 'ok 1 - kmemleak: 3 suspects from boot set aside' 'ok 2 - hello: loads'
	if [ "$1" = 0 ]; then
		guest 'ok 3 - kmemleak: no leak since the suite started'
	else
		kernel "kmemleak: $1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)"
		guest 'not ok 3 - kmemleak: no leak since the suite started' "# seen: $1 leaks," \
			'# 1 backtrace lines in a kdrv_ module' '# or in code since unloaded (a bare address):' \
			'# unreferenced object 0xffff888004e1c000 (size 64):' \
			'#   comm "insmod", pid 129, jiffies 4294937296' '#   backtrace (crc 1c5a3f2e):' \
			'#     __kmalloc_cache_noprof+0x2f2/0x3b0' '#     0xffffffffa0006031'
	fi
	guest '1..3'
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
kernel 'Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar' \
	'... MAX_LOCKDEP_SUBCLASSES:  8' 'rcu: 	RCU lockdep checking is enabled.' \
	'kasan: KernelAddressSanitizer initialized (generic)' \
	'kmemleak: Kernel memory leak detector initialized (mem pool available: 14904)'
guest 'ok 1 - calm' '1..1'
end
verdict "the debug kernel's boot banner is not a splat" "vm $krel demo: 1 passed, 0 failed" 0

# report_fails DESC REPORT...: one failure for one report of the debug kernel, whatever its format.
report_fails() {
	local desc=$1
	shift
	begin
	guest 'ok 1 - load'
	"$@"
	guest '1..1'
	end
	verdict "$desc fails the run once" "vm $krel demo: 1 passed, 1 failed" 1
}

report_fails "a KASAN report" kasan_report
report_fails "a UBSAN report" ubsan_report
report_fails "lockdep's circular dependency" lockdep_circular_report
report_fails "lockdep's inconsistent lock state" lockdep_inconsistent_report
report_fails "sleeping in atomic context" might_sleep_report
report_fails "SLUB's poison check" slub_report
report_fails "a debugobjects report" odebug_report
report_fails "a refcount_t underflow" warn_report 'refcount_t: underflow; use-after-free.' lib/refcount.c:28
report_fails "list_add corruption" warn_report \
	'list_add corruption. prev->next should be next (ffff888004a8e0d0), but was 0000000000000000. (prev=ffff888004a8e0d0).' \
	lib/list_debug.c:32
report_fails "list_del corruption" warn_report \
	'list_del corruption, ffff888004a8e0d0->next is LIST_POISON1 (dead000000000100)' lib/list_debug.c:56

begin
kmemleak_suite 0
end
verdict "kmemleak's boot-time suspects, set aside by the suite, pass" "vm $krel demo: 3 passed, 0 failed" 0

begin
kmemleak_suite 1
end 1
verdict "a leak found by the suite's last scan fails once" "vm $krel demo: 2 passed, 1 failed" 1

begin
guest 'ok 1 - load'
kernel 'kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'
guest '1..1'
end
verdict "kmemleak's leak line fails a run that did not set it aside" "vm $krel demo: 1 passed, 1 failed" 1

# Each kernel's own WARN and BUG, as its console printed them in the main suite (tests/vm/splats/),
# against the regexes the roulette suite declares for them.
for f in "$here"/splats/*.txt; do
	name=${f##*/}
	name=${name%.txt}
	mode=${name##*-}
	re=$(awk -F'\t' -v m="$mode" '$1 == m { print $3 }' "$here/guest/roulette-modes.txt")
	mapfile -t splat < <(grep -v '^#' "$f")
	begin
	guest "# expect-splat: $re" 'ok 1 - boom'
	kernel "${splat[@]}"
	guest 'ok 2 - after the boom' '1..2'
	end
	verdict "${name%-*}: the $mode splat passes where the suite expects it" \
		"vm $krel demo: 2 passed, 0 failed" 0
	begin
	guest 'ok 1 - calm'
	kernel "${splat[@]}"
	guest '1..1'
	end
	verdict "${name%-*}: the $mode splat fails once where nothing expects it" \
		"vm $krel demo: 1 passed, 1 failed" 1
done

begin
guest 'ok 1 - calm'
grep -E '^(invalid opcode|CPU:|RIP:)' "$here/splats/5.10-oops.txt" | while IFS= read -r line; do kernel "$line"; done
guest '1..1'
end
verdict "5.10's die line (no 'Oops:') fails a run even with its stack dump lost" \
	"vm $krel demo: 1 passed, 1 failed" 1

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
