# SPDX-License-Identifier: GPL-2.0 OR MIT
# Wine tests of kdrv_random: the device, reads of many sizes, the quality of the bytes, refusals.
# shellcheck shell=bash disable=SC2154 # run.sh and lib.sh set the paths, rc, stdout and stderr

# The largest VmHWM of the driver hosts, and the wineserver's.
random_wine_peaks() {
	local p host=0 server=0 v

	for p in $(pgrep -f 'winedevice\.exe'); do
		v=$(awk '/^VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		[ -n "$v" ] && [ "$v" -gt "$host" ] && host=$v
	done
	for p in $(pgrep -f 'wineserver'); do
		v=$(awk '/^VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		[ -n "$v" ] && [ "$v" -gt "$server" ] && server=$v
	done
	echo "driver host $((host / 1024)) MiB, wineserver $((server / 1024)) MiB"
}

wine_test_random() {
	local len got values distinct packed

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
	# Direct I/O: no pool of the request's size on Windows. Wine still copies the whole
	# buffer through its own processes, so its memory is reported, not judged.
	expect "random: one 1 GiB ReadFile returns 1 GiB" 0 '^ok 1073741824 [0-9]+$' \
		probe bigread '\\.\KdrvRandom' 1024
	echo "# random: 1 GiB read in $(awk '{ print $3 }' <<<"$stdout") ms; peak memory (VmHWM):" \
		"$(random_wine_peaks)"
	expect "random: a zero-length read returns 0 bytes" 0 '^ok 0$' probe read '\\.\KdrvRandom' 0
	expect "random: reads of odd sizes on one handle" 0 '^ok 1 17 256 257 65536$' \
		probe read '\\.\KdrvRandom' 1 17 256 257 65536
	expect "random: writing is refused (ERROR_ACCESS_DENIED, the driver's EPERM)" 0 '^error 5$' \
		probe write '\\.\KdrvRandom' 16
	expect "random: an IOCTL is refused (ERROR_INVALID_FUNCTION)" 0 '^error 1$' \
		probe ioctl '\\.\KdrvRandom' 0x80000000 0x80006000 56 56 56 self
	expect "status shows random's read counter" 0 '^  counter reads: [1-9][0-9]*$' kdrvctl status
	if grep -qE '^  counter bytes: [1-9][0-9]*$' <<<"$stdout"; then
		ok "status shows random's byte counter"
	else
		not_ok "status shows random's byte counter" "$stdout"
	fi
	expect "random: the kit's counters ioctl answers" 0 '^ok [1-9][0-9]* ' \
		probe ioctl '\\.\KdrvRandom' 0x80000000 0x800063fc 0 4096 0 self
	expect "random: the counters into 4 bytes are ERROR_ARITHMETIC_OVERFLOW (ERANGE)" 0 \
		'^error 534$' probe ioctl '\\.\KdrvRandom' 0x80000000 0x800063fc 0 4 0 self
	expect "random: the counters need a handle with read access (ERROR_ACCESS_DENIED)" 0 \
		'^error 5$' probe ioctl '\\.\KdrvRandom' 0 0x800063fc 0 4096 0 self
	expect "stop kdrv_random" 0 'kdrv_random: stopped' kdrvctl stop random
	expect_log "random: the unload line counts reads and bytes" \
		'\[kdrv_random\.sys\] unloading: reads [0-9]+, bytes [0-9]+$'
	expect "random: the device is gone after stop (exit 3)" 3 \
		'KdrvRandom does not exist: install and start kdrv_random' kdrvctl random
	expect "remove kdrv_random" 0 'kdrv_random: removed' kdrvctl remove random
	host_alive
}
