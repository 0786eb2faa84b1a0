# SPDX-License-Identifier: GPL-2.0
# Guest tests of kdrv_pipe: the parameter, order, blocking, signals, poll, faults, many
# writers and readers, counters, and rmmod with a blocked reader.

PIPE_T=kdrv-pipe_test
PIPE_SYS=/sys/class/misc/kdrv-pipe

test_pipe_load() {
	klog_clear
	check_fail "pipe: insmod with capacity=100 is refused" insmod $M/kdrv_pipe.ko capacity=100
	check_match "pipe: the refusal names the range and the value" \
		"^kdrv_pipe: capacity must be an integer from 4096 to 1048576, got '100'$" "$(klog)"
	check_fail "pipe: so the module is not loaded" is_loaded kdrv_pipe
	check "pipe: insmod kdrv_pipe.ko capacity=4096" insmod $M/kdrv_pipe.ko capacity=4096 || return 1
	check_match "pipe: load says the capacity" '^kdrv_pipe: capacity 4096 bytes$' "$(klog)"
	check_eq "pipe: /dev/kdrv-pipe is a character device with mode 0666" \
		"character special file 666" "$(stat -c '%F %a' /dev/kdrv-pipe 2>&1)"
	check_eq "pipe: capacity shows in sysfs, read-only" "4096 444" \
		"$(cat /sys/module/kdrv_pipe/parameters/capacity) $(stat -c %a /sys/module/kdrv_pipe/parameters/capacity)"
}

test_pipe_io() {
	check "pipe: order, EAGAIN, EOF, 0-byte calls, a write kept for a later reader" $PIPE_T basic
	check "pipe: bad and short buffers give EFAULT or a partial count, losing nothing" $PIPE_T fault
	check "pipe: signals end blocked reads and writes (EINTR, SA_RESTART, partial count)" \
		$PIPE_T signal 4096
	check "pipe: poll, select and epoll report and wake" $PIPE_T poll
	check "pipe: one 1 MiB write through a 4 KiB FIFO arrives whole" $PIPE_T big 1048576
	check "pipe: 4 writers and 3 readers: every record once, in order" $PIPE_T stream 4 3 2000
	echo hello >/dev/kdrv-pipe
	check_eq "pipe: echo into it, cat out of it" "hello" "$(cat /dev/kdrv-pipe)"
	bytes_in=$(sysfs_get $PIPE_SYS/bytes_in)
	check_eq "pipe: bytes in equal bytes out and nothing is left (in, out, fill)" \
		"$bytes_in $bytes_in 0" "$bytes_in $(sysfs_get $PIPE_SYS/bytes_out) $(sysfs_get $PIPE_SYS/fill)"
	check "pipe: blocked waits are counted" test "$(sysfs_get $PIPE_SYS/waits)" -gt 0
}

test_pipe_kdrvctl() {
	printf 'line one\nline two\n' | kdrvctl pipe write
	check_eq "pipe: kdrvctl pipe write, then kdrvctl pipe read" "line one
line two" "$(kdrvctl pipe read)"
	head -c 100000 /dev/urandom >/tmp/pipe-in
	# A writer held open on fd 3, so the reader cannot see EOF before the writer starts;
	# the children must not inherit it, or the reader would never see EOF at all.
	exec 3>/dev/kdrv-pipe
	kdrvctl pipe write </tmp/pipe-in 3>&- &
	writer=$!
	kdrvctl pipe read >/tmp/pipe-out 3>&- &
	reader=$!
	wait $writer
	exec 3>&-
	wait $reader
	check "pipe: 100000 bytes through kdrvctl, 4 KiB at a time, arrive whole" \
		cmp /tmp/pipe-in /tmp/pipe-out
	printf 'abcdef' | kdrvctl pipe write
	check_eq "pipe: kdrvctl pipe read -n 3 reads 3 bytes" "abc" "$(kdrvctl pipe read -n 3)"
	check_eq "pipe: and leaves the rest" "def" "$(kdrvctl pipe read)"
	check_eq "pipe: kdrvctl pipe without read or write exits 2" 2 \
		"$(kdrvctl pipe >/dev/null 2>&1; echo $?)"
	status=$(kdrvctl status)
	check_match "pipe: kdrvctl status shows it loaded" '^kdrv_pipe: loaded$' "$status"
	check_match "pipe: and its capacity" '^  parameter capacity: 4096$' "$status"
	check_match "pipe: and its counters" '^  counter bytes_in: [0-9]+$' "$status"
}

test_pipe_rmmod() {
	rm -f /tmp/pipe-held
	$PIPE_T hold /tmp/pipe-held &
	holder=$!
	if wait_for_file /tmp/pipe-held; then
		check_fail "pipe: rmmod is refused while a reader is blocked in it" rmmod kdrv_pipe
	else
		not_ok "pipe: rmmod is refused while a reader is blocked in it" "the holder never opened it"
	fi
	kill $holder
	wait $holder 2>/dev/null
	check "pipe: rmmod succeeds once the reader is gone" rmmod kdrv_pipe
	check "pipe: and it loads again" insmod $M/kdrv_pipe.ko
	check "pipe: with the default capacity" test "$(cat /sys/module/kdrv_pipe/parameters/capacity)" = 65536
	check "pipe: rmmod" rmmod kdrv_pipe
}

suite_pipe() {
	test_pipe_load || return
	test_pipe_io
	test_pipe_kdrvctl
	test_pipe_rmmod
}
