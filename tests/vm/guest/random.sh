# SPDX-License-Identifier: GPL-2.0
# Guest tests of kdrv_random: the device node, every read size, faults, signals, counters, rmmod.

RT=kdrv-random_test
RDEV=/sys/class/misc/kdrv-random

test_random() {
	klog_clear
	check "random: insmod kdrv_random.ko" insmod $M/kdrv_random.ko || return
	check_match "random: load is logged" '^kdrv_random: /dev/kdrv-random ready$' "$(klog)"
	check_eq "random: /dev/kdrv-random is a character device made by devtmpfs" \
		"character special file" "$(stat -c %F /dev/kdrv-random 2>&1)"
	check_eq "random: /dev/kdrv-random has mode 0444" "444" "$(stat -c %a /dev/kdrv-random 2>&1)"

	for n in 0 1 255 256 257 4096 1048576 67108864; do
		check "random: a read of $n bytes returns exactly $n" $RT size $n
	done
	check_match "random: open is logged" '^kdrv_random: device opened$' "$(klog)"
	check "random: two reads of 16 bytes differ" $RT differ 16
	check "random: two reads of 1 MiB differ" $RT differ 1048576
	check "random: readv fills every iovec" $RT readv
	check "random: a bad buffer with nothing copied is EFAULT" $RT efault
	check "random: a buffer whose second page is unmapped gets a partial count" $RT partial
	check "random: a signal ends a 512 MiB read early with the bytes copied" $RT signal 536870912
	check "random: writes are refused with EPERM" $RT write
	# A good generator fails about 0.8 of 1000 blocks; more than 7 happens once in 500000 runs.
	check "random: FIPS 140-2 (rngtest's tests) on 2.5 MB: at most 7 of 1000 blocks fail" \
		$RT fips 2500000 7
	check "random: a byte histogram of 2.5 MB is uniform (chi-square, p > 1e-6)" \
		$RT histogram 2500000
	check "random: a 1 MiB read repeats no 64-byte block" $RT blocks 1048576
	check "random: eight concurrent readers (two sharing a file) share no 64-byte block" \
		$RT concurrent

	r0=$(sysfs_get $RDEV/reads)
	b0=$(sysfs_get $RDEV/bytes)
	$RT size 1000 >/dev/null 2>&1
	check_eq "random: the reads counter counts one read" "$((r0 + 1))" "$(sysfs_get $RDEV/reads)"
	check_eq "random: the bytes counter counts 1000 bytes" "$((b0 + 1000))" \
		"$(sysfs_get $RDEV/bytes)"
	check_eq "random: the counters are read-only" "444 444" \
		"$(stat -c %a $RDEV/reads) $(stat -c %a $RDEV/bytes)"

	rm -f /tmp/held
	$RT hold /tmp/held &
	holder=$!
	if wait_for_file /tmp/held; then
		if rmmod kdrv_random 2>/dev/null; then
			not_ok "random: rmmod is refused while the device is open"
			insmod $M/kdrv_random.ko
		else
			ok "random: rmmod is refused while the device is open"
		fi
	else
		not_ok "random: rmmod is refused while the device is open" "the holder never opened it"
	fi
	kill $holder
	wait $holder 2>/dev/null
	check "random: rmmod succeeds once the device is closed" rmmod kdrv_random
}

# 100 load/unload cycles with a reader between each; the counts are printed, not timed.
test_random_cycles() {
	fails=0
	i=0
	while [ $i -lt 100 ]; do
		insmod $M/kdrv_random.ko || fails=$((fails + 1))
		kdrvctl random -n 4096 >/dev/null || fails=$((fails + 1))
		rmmod kdrv_random || fails=$((fails + 1))
		i=$((i + 1))
	done
	check_eq "random: 100 load/read/unload cycles without a failure" 0 $fails
	check "random: the module is gone after the cycles" test ! -e /dev/kdrv-random
}

suite_random() {
	test_random
	test_random_cycles
}
