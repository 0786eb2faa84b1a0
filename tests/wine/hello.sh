# SPDX-License-Identifier: GPL-2.0 OR MIT
# Wine tests of kdrv_hello: its debug build through plain sc, then kdrvctl's service commands on it.
# shellcheck shell=bash disable=SC2154 # run.sh and lib.sh set the paths, rc, stdout and stderr

wine_test_hello() {
	section "hello via sc"
	mark
	expect "sc create kdrv_hello (debug build)" 0 '' \
		"$wine" sc create kdrv_hello binPath= "$signed\\kdrv_hello-debug.sys" type= kernel \
		start= demand
	expect "sc start kdrv_hello" 0 'RUNNING' "$wine" sc start kdrv_hello
	expect_log "hello: Hello, world! at DriverEntry" '\[kdrv_hello\.sys\] Hello, world!$'
	expect_log "hello: MmIsAddressValid(NULL) is logged" \
		'\[kdrv_hello\.sys\] MmIsAddressValid\(0\) returned 0: address 0 is not readable'
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
}
