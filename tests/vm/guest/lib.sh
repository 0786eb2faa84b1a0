# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the kdrv guest suites: module paths, the kernel log without the TAP relay.

M=/kdrv/modules

# The kernel log since the last klog_clear, without timestamps or the suite's own TAP lines.
klog() {
	dmesg | sed 's/^\[[^]]*\] *//' | grep -v '^kdrv-guest: '
}

klog_clear() {
	dmesg -c >/dev/null
}

# Line numbers let a test assert the order of two messages.
klog_line() {
	klog | grep -n -F -- "$1" | head -n 1 | cut -d: -f1
}

# Waits up to 10 s for a file a background helper creates when it is ready.
wait_for_file() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ]
}

is_loaded() {
	[ -d "/sys/module/$1" ]
}

sysfs_get() {
	cat "$1" 2>/dev/null || echo "unreadable:$1"
}
