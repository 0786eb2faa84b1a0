# SPDX-License-Identifier: GPL-2.0 OR MIT
# Wine tests of kdrv_procinfo, debug build: lookups, bad requests, process references.
# shellcheck shell=bash disable=SC2154 # run.sh and lib.sh set the paths, rc, stdout and stderr

wine_test_procinfo() {
	local D refs requests

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
	# A buffer shorter than the struct's size says is EFAULT, as Linux's copy_from_user() gives.
	expect "raw: no input buffer is ERROR_INVALID_USER_BUFFER (EFAULT)" 0 '^error 1784$' \
		probe ioctl "$D" 0x80000000 0x80006000 0 56 56 self
	expect "raw: an 8-byte input buffer is ERROR_INVALID_USER_BUFFER (EFAULT)" 0 '^error 1784$' \
		probe ioctl "$D" 0x80000000 0x80006000 8 56 56 self
	expect "raw: an 8-byte output buffer is ERROR_INVALID_USER_BUFFER (EFAULT)" 0 '^error 1784$' \
		probe ioctl "$D" 0x80000000 0x80006000 56 8 56 self
	expect "raw: a size field older than v1 is ERROR_INVALID_PARAMETER" 0 '^error 87$' \
		probe ioctl "$D" 0x80000000 0x80006000 56 56 40 self
	expect "raw: a newer caller's larger struct gets the 56 bytes we know" 0 '^ok 56 size 56 ' \
		probe ioctl "$D" 0x80000000 0x80006000 200 200 200 self
	expect "raw: a size field larger than the buffers still moves only the 56 bytes we know" 0 \
		'^ok 56 size 56 ' probe ioctl "$D" 0x80000000 0x80006000 56 56 200 self
	expect "raw: an output buffer short of the struct is ERROR_INVALID_USER_BUFFER" 0 '^error 1784$' \
		probe ioctl "$D" 0x80000000 0x80006000 56 55 56 self
	expect "raw: an unknown IOCTL is ERROR_INVALID_FUNCTION" 0 '^error 1$' \
		probe ioctl "$D" 0x80000000 0x80006004 56 56 56 self
	expect "raw: the same code with FILE_ANY_ACCESS is unknown too" 0 '^error 1$' \
		probe ioctl "$D" 0x80000000 0x80002000 56 56 56 self
	expect "raw: a read is ERROR_INVALID_PARAMETER (EINVAL, as Linux says for no read)" 0 \
		'^error 87$' probe read "$D" 16
	expect "stop kdrv_procinfo" 0 'kdrv_procinfo: stopped' kdrvctl stop procinfo
	expect_log "procinfo: the unload line counts the lookups; none is outstanding" \
		'\[kdrv_procinfo\.sys\] unloading: lookups [0-9]+, outstanding 0$'
	refs=$(since_mark | grep -ao 'outstanding process references: [0-9-]*' | awk '{ print $NF }')
	requests=$(grep -c . <<<"$refs")
	# The lookups above that found a process: proc self twice, raw self, the short output
	# buffers (answered, then refused on the way out) and the larger structs.
	if [ "$requests" -eq 7 ] && ! grep -qv '^0$' <<<"$refs"; then
		ok "procinfo: after each of $requests requests, 0 process references are outstanding"
	else
		not_ok "procinfo: after each request, 0 process references are outstanding" \
			"$requests requests logged, 7 expected; counts: $(sort <<<"$refs" | uniq -c | tr '\n' ' ')"
	fi
	expect "remove kdrv_procinfo" 0 'kdrv_procinfo: removed' kdrvctl remove procinfo
	expect "status: nothing installed again" 3 'kdrv_procinfo: not installed' kdrvctl status
	host_alive
}
