# SPDX-License-Identifier: GPL-2.0 OR MIT
# Wine tests of kdrv_pipe: requests that pend until another handle moves data, cancelled ones.
# shellcheck shell=bash disable=SC2154 # run.sh and lib.sh set the paths, rc, stdout and stderr

pipe_key='HKLM\System\CurrentControlSet\Services\kdrv_pipe\Parameters'

# pipe_io DESC REGEX STEP...: one `probe io` run on \\.\KdrvPipe, its line matching REGEX.
pipe_io() {
	local desc=$1 re=$2
	shift 2
	expect "pipe: $desc" 0 "$re" probe io '\\.\KdrvPipe' "$@"
}

wine_test_pipe() {
	local bytes_in bytes_out fill

	section "pipe"
	"$wine" reg add "$pipe_key" /v capacity /t REG_SZ /d abc /f >/dev/null 2>&1
	expect "install kdrv_pipe" 0 'installed' kdrvctl install pipe "$signed\\kdrv_pipe.sys"
	mark
	expect "a capacity that is not a number fails the start (ERROR_INVALID_PARAMETER)" 1 \
		'kdrv_pipe failed to start: .*\(Win32 error 87\)' kdrvctl start pipe
	expect_log "pipe: the refused capacity is logged" "capacity must be an integer .*, got 'abc'"
	"$wine" reg add "$pipe_key" /v capacity /t REG_DWORD /d 4096 /f >/dev/null 2>&1
	mark
	expect "start kdrv_pipe with capacity=4096 (a REG_DWORD)" 0 'kdrv_pipe: running' \
		kdrvctl start pipe
	expect_log "pipe: the capacity is read from the registry" '\[kdrv_pipe\.sys\] capacity 4096 bytes'
	expect_log "pipe: the device link is ready" '\[kdrv_pipe\.sys\] \\DosDevices\\KdrvPipe ready'

	# Each handle is opened overlapped, so a request the driver pends returns ERROR_IO_PENDING.
	pipe_io "a read of the empty pipe pends; a write from another handle completes it" \
		'^open read-pending open write=5 done=5:hello$' \
		open:1:r read:1:10 open:2:w write:2:hello wait:1
	pipe_io "CancelIoEx of a pended read: ERROR_OPERATION_ABORTED; the next write is read whole" \
		'^open read-pending cancel done-error 995 open write=3 open read=3:abc$' \
		open:1:r read:1:10 cancel:1 wait:1 open:2:w write:2:abc open:3:r read:3:10
	pipe_io "CloseHandle under a pended read cancels it; nothing written later is lost" \
		'^open read-pending close done-error 995 open write=3 open read=3:xyz$' \
		open:1:r read:1:10 close:1 wait:1 open:2:w write:2:xyz open:3:r read:3:10
	pipe_io "CancelIoEx with nothing pended finds nothing (ERROR_NOT_FOUND)" \
		'^open cancel-error 1168$' open:1:r cancel:1

	# Larger than the pipe, so larger than an atomic write: it moves in pieces as reads make room.
	pipe_io "a 10000-byte write pends on a 4096-byte pipe and completes once reads took it all" \
		'^open write-pending open read=4096:x{64}\.\.\. read=4096:x+\.\.\. read=1808:x+\.\.\. done=10000$' \
		open:1:w write:1:@10000 open:2:r read:2:65536 read:2:65536 read:2:65536 wait:1
	pipe_io "CancelIoEx of a write that moved 4096 bytes: success with 4096; the reader gets them" \
		'^open write-pending cancel done=4096 open read=4096:x+\.\.\.$' \
		open:1:w write:1:@5000 cancel:1 wait:1 open:2:r read:2:65536
	pipe_io "CloseHandle under a write that moved 4096 bytes: success with 4096, as on CancelIoEx" \
		'^open write-pending close done=4096 open read=4096:x+\.\.\.$' \
		open:1:w write:1:@5000 close:1 wait:1 open:2:r read:2:65536
	pipe_io "a write into a full pipe pends; CancelIoEx: ERROR_OPERATION_ABORTED, nothing moved" \
		'^open write=4096 open write-pending cancel done-error 995 open read=4096:x+\.\.\.$' \
		open:1:w write:1:@4096 open:2:w write:2:@8 cancel:2 wait:2 open:3:r read:3:65536
	pipe_io "an atomic write waits until it fits whole, then lands after the bytes before it" \
		'^open write=4090 open write-pending open read=4090:x+\.\.\. done=10 read=10:x{10}$' \
		open:1:w write:1:@4090 open:2:w write:2:@10 open:3:r read:3:65536 wait:2 read:3:65536
	# Wine passes IRP_MJ_CREATE no DesiredAccess, so every handle counts as a writer there and
	# a read of the empty pipe pends even on its only handle; on Windows it would be end of file.
	pipe_io "under Wine a lone reader of the empty pipe waits (every handle counts as a writer)" \
		'^open read-pending cancel done-error 995$' open:1:r read:1:10 sleep:200 cancel:1 wait:1

	printf 'through kdrvctl\n' >"$out/pipe-in"
	expect "kdrvctl pipe write copies standard input in" 0 '' kdrvctl pipe write <"$out/pipe-in"
	expect "kdrvctl pipe read -n 16 copies it back out" 0 '^through kdrvctl$' \
		kdrvctl pipe read -n 16
	expect "status shows the pipe's counters" 0 '  counter [a-z_]+: [0-9]+' kdrvctl status
	# Wine unloads a driver whose files are open: DriverUnload cancels what they left pended.
	probe io '\\.\KdrvPipe' open:1:r read:1:10 wait:1 >"$out/pipe-reader" 2>&1 &
	sleep 1.5
	mark
	expect "stop kdrv_pipe under a pended read" 0 'kdrv_pipe: stopped' kdrvctl stop pipe
	wait $!
	if tr -d '\r' <"$out/pipe-reader" | grep -q '^open read-pending done-error 995$'; then
		ok "pipe: the stop cancelled the pended read (ERROR_OPERATION_ABORTED)"
	else
		not_ok "pipe: the stop cancelled the pended read (ERROR_OPERATION_ABORTED)" \
			"$(tr -d '\r' <"$out/pipe-reader")"
	fi
	if expect_log "pipe: the unload line lists the counters" \
		'\[kdrv_pipe\.sys\] unloading: bytes_in [0-9]+, bytes_out [0-9]+, fill [0-9]+'; then
		read -r bytes_in bytes_out fill < <(since_mark | grep -ao 'unloading: .*' |
			awk -F'[ ,]+' '{ print $3, $5, $7 }')
		if [ "$bytes_in" -gt 0 ] && [ "$bytes_in" = $((bytes_out + fill)) ]; then
			ok "pipe: nothing lost or duplicated: $bytes_in bytes in, $bytes_out out, $fill left"
		else
			not_ok "pipe: nothing lost or duplicated" \
				"bytes_in $bytes_in, bytes_out $bytes_out, fill $fill"
		fi
	fi
	"$wine" reg delete "$pipe_key" /f >/dev/null 2>&1
	expect "remove kdrv_pipe" 0 'kdrv_pipe: removed' kdrvctl remove pipe
	host_alive
}
