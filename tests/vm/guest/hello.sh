# SPDX-License-Identifier: GPL-2.0
# Guest tests of kdrv_hello: the messages at load and unload, their order, the debug line.

test_hello() {
	klog_clear
	check "hello: insmod kdrv_hello.ko" insmod $M/kdrv_hello.ko || return
	log=$(klog)
	check_match "hello: load logs 'Hello, world!' with the module prefix" \
		'^kdrv_hello: Hello, world!$' "$log"
	check_match "hello: load logs 'Hello kernel module!'" '^kdrv_hello: Hello kernel module!$' "$log"
	check_match "hello: address 0 is probed without faulting and reported unreadable" \
		'^kdrv_hello: copy_from_kernel_nofault\(0\) returned 0: address 0 is not readable$' "$log"
	if klog | grep -q 'debug-level lines'; then
		not_ok "hello: the release build logs no debug line" "seen: $(klog | grep debug-level)"
	else
		ok "hello: the release build logs no debug line"
	fi
	check "hello: rmmod kdrv_hello" rmmod kdrv_hello
	heap=$(klog_line 'kdrv_hello: My message is on the heap!')
	bye=$(klog_line 'kdrv_hello: Goodbye kernel module!')
	check_match "hello: unload logs the heap message, then goodbye" '^ok$' \
		"$([ -n "$heap" ] && [ -n "$bye" ] && [ "$heap" -lt "$bye" ] && echo ok ||
			echo "heap line ${heap:-missing}, goodbye line ${bye:-missing}")"

	if grep -q 'debug-level lines' $M/kdrv_hello.ko; then
		not_ok "hello: the release .ko does not contain the debug string"
	else
		ok "hello: the release .ko does not contain the debug string"
	fi
	klog_clear
	check "hello: insmod the debug build" insmod $M/kdrv_hello-debug.ko &&
		check_match "hello: the debug build logs its debug line" \
			'^kdrv_hello: debug build: debug-level lines are compiled in$' "$(klog)"
	check "hello: rmmod the debug build" rmmod kdrv_hello
}

suite_hello() {
	test_hello
}
