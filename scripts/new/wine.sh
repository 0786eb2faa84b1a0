# SPDX-License-Identifier: GPL-2.0 OR MIT
# Wine tests of kdrv_@NAME@: install, start, the greeting, the parameter, the counter, stop.
# shellcheck shell=bash disable=SC2154 # run.sh and lib.sh set the paths, rc, stdout and stderr

@NAME@_key='HKLM\System\CurrentControlSet\Services\kdrv_@NAME@\Parameters'

wine_test_@NAME@() {
	section "@NAME@"
	mark
	expect "@NAME@: install kdrv_@NAME@ (signed release build)" 0 'installed' \
		kdrvctl install @NAME@ "$signed\\kdrv_@NAME@.sys"
	expect "@NAME@: start kdrv_@NAME@" 0 'kdrv_@NAME@: running' kdrvctl start @NAME@
	expect_log "@NAME@: the device link is ready" '\[kdrv_@NAME@\.sys\] \\DosDevices\\Kdrv@CAMEL@ ready'
	expect "@NAME@: a read greets" 0 '^open read=[0-9]+:hello from kdrv_@NAME@' \
		probe io '\\.\Kdrv@CAMEL@' open:1:r read:1:100
	expect "@NAME@: status shows the reads counter" 0 'counter reads: [1-9]' kdrvctl status
	expect "@NAME@: stop kdrv_@NAME@" 0 'kdrv_@NAME@: stopped' kdrvctl stop @NAME@

	"$wine" reg add "$@NAME@_key" /v repeat /t REG_SZ /d 11 /f >/dev/null 2>&1
	mark
	expect "@NAME@: repeat=11 in the registry fails the start" 1 'failed to start' \
		kdrvctl start @NAME@
	expect_log "@NAME@: the refusal is logged with the range" \
		"repeat must be an integer from 1 to 10, got '11'"
	"$wine" reg add "$@NAME@_key" /v repeat /t REG_DWORD /d 3 /f >/dev/null 2>&1
	expect "@NAME@: start with repeat=3" 0 'kdrv_@NAME@: running' kdrvctl start @NAME@
	expect "@NAME@: a read returns three greetings" 0 '^open read=@LEN3@:' \
		probe io '\\.\Kdrv@CAMEL@' open:1:r read:1:200
	expect "@NAME@: stop" 0 'kdrv_@NAME@: stopped' kdrvctl stop @NAME@
	expect "@NAME@: remove" 0 'kdrv_@NAME@: removed' kdrvctl remove @NAME@
	host_alive
}
