# SPDX-License-Identifier: GPL-2.0
# Checks the test harness itself from inside the guest: mounts, command line, staged modules.

. /kdrv/tests/tap.sh

mounted() {
	grep -q "^[^ ]* $1 $2 " /proc/mounts
}

# busybox modinfo needs a modules.dep, which the guest does not have.
vermagic() {
	strings "$1" | sed -n 's/^vermagic=\([^ ]*\).*/\1/p'
}

check "/proc is procfs" mounted /proc proc
check "/sys is sysfs" mounted /sys sysfs
check "/dev is devtmpfs" mounted /dev devtmpfs
check "/tmp is tmpfs" mounted /tmp tmpfs
if [ -d /sys/kernel/debug ]; then
	check "debugfs is mounted" mounted /sys/kernel/debug debugfs
else
	skip "debugfs is mounted" "kernel has no debugfs"
fi
check_match "kernel command line names this suite" '(^| )kdrv\.suite=selftest( |$)' "$(cat /proc/cmdline)"
check_eq "stdin is empty" "" "$(cat)"

for ko in /kdrv/modules/*.ko; do
	[ -e "$ko" ] || { skip "staged modules match the kernel" "no modules staged"; break; }
	check_eq "$(basename "$ko") vermagic matches the kernel" "$(uname -r)" "$(vermagic "$ko")"
done

expect_splat 'sysrq: Show backtrace|NMI backtrace'
echo l >/proc/sysrq-trigger
check_match "an expected splat (sysrq backtrace) reaches the kernel log" 'NMI backtrace for cpu' "$(dmesg)"

tap_done
