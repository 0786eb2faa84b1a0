# SPDX-License-Identifier: GPL-2.0
# Guest tests of kdrv_@NAME@: the device, the greeting, the parameter, the counter, rmmod.

suite_@NAME@() {
	klog_clear
	check "@NAME@: insmod kdrv_@NAME@.ko" insmod "$M/kdrv_@NAME@.ko" || return
	check_match "@NAME@: load is logged" '^kdrv_@NAME@: /dev/kdrv-@NAME@ ready$' "$(klog)"
	check_eq "@NAME@: a read of /dev/kdrv-@NAME@ greets" "hello from kdrv_@NAME@" \
		"$(cat /dev/kdrv-@NAME@)"
	echo 3 >/sys/module/kdrv_@NAME@/parameters/repeat
	check_eq "@NAME@: with repeat=3, three greetings" 3 "$(wc -l </dev/kdrv-@NAME@)"
	check_fail "@NAME@: repeat=11 is refused" sh -c 'echo 11 >/sys/module/kdrv_@NAME@/parameters/repeat'
	check_match "@NAME@: the refusal is logged with the range" \
		"^kdrv_@NAME@: repeat must be an integer from 1 to 10, got '11'$" "$(klog)"
	check_eq "@NAME@: the old value stays" 3 "$(cat /sys/module/kdrv_@NAME@/parameters/repeat)"
	check "@NAME@: reads are counted" test "$(cat /sys/class/misc/kdrv-@NAME@/reads)" -ge 2
	check "@NAME@: rmmod kdrv_@NAME@" rmmod kdrv_@NAME@
}
