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

# Kernels built with kmemleak (the debug kernel): leaks made during a suite fail it.
KMEMLEAK=/sys/kernel/debug/kmemleak

# Sets aside what kmemleak suspects before the suite (early-boot objects, none of kdrv's):
# they are reported once, here, and never again. The scan's "N new suspected memory leaks"
# line is then the kernel's, not a splat; kmemleak_check judges leaks by reading the list.
kmemleak_start() {
	[ -e "$KMEMLEAK" ] || return 0
	expect_splat 'kmemleak: [0-9]+ new suspected memory leaks'
	# An object younger than 5 s is never reported: let boot's settle first.
	sleep 5
	echo scan >"$KMEMLEAK"
	_kml_boot=$(grep -c '^unreferenced object' "$KMEMLEAK")
	echo clear >"$KMEMLEAK"
	ok "kmemleak: $_kml_boot suspects from boot set aside"
}

# Every object kmemleak finds unreferenced since kmemleak_start fails the suite, kdrv's or not:
# a reference kdrv forgets to drop leaks an object the kernel allocated, and a frame in a module
# that has been unloaded (or in its freed __init code) shows as a bare address, never as kdrv_.
kmemleak_check() {
	[ -e "$KMEMLEAK" ] || return 0
	# Not reported before 5 s old; a second scan drops objects whose only reference was in
	# flight (a register, a list being spliced) during the first.
	sleep 5
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	_kml=$(cat "$KMEMLEAK")
	if [ -z "$_kml" ]; then
		ok "kmemleak: no leak since the suite started"
		return 0
	fi
	not_ok "kmemleak: no leak since the suite started" \
		"seen: $(printf '%s\n' "$_kml" | grep -c '^unreferenced object') leaks," \
		"$(printf '%s\n' "$_kml" | grep -cE '\[kdrv_|^ +0x[0-9a-f]+$') backtrace lines in a kdrv_ module" \
		"or in code since unloaded (a bare address):" \
		"$(printf '%s\n' "$_kml" | head -n 200)"
}
