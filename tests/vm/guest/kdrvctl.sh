# SPDX-License-Identifier: GPL-2.0
# Guest tests of kdrvctl against the real devices: output formats and exit codes.

test_kdrvctl() {
	check "kdrvctl: --help exits 0" kdrvctl --help
	check_match "kdrvctl: --version prints the version" '^kdrvctl [0-9]+\.[0-9]+\.[0-9]+$' \
		"$(kdrvctl --version)"
	kdrvctl random -n nope >/dev/null 2>&1
	check_eq "kdrvctl: a bad argument exits 2" 2 $?
	kdrvctl frobnicate >/dev/null 2>&1
	check_eq "kdrvctl: an unknown command exits 2" 2 $?

	err=$(kdrvctl random -n 16 2>&1 >/dev/null)
	check_eq "kdrvctl: random without the module exits 3" 3 "$(kdrvctl random >/dev/null 2>&1; echo $?)"
	check_match "kdrvctl: the missing-device message names the module to load" \
		'^kdrvctl: /dev/kdrv-random does not exist: load the kdrv_random module first' "$err"
	check_eq "kdrvctl: status with nothing loaded exits 3" 3 "$(kdrvctl status >/dev/null; echo $?)"

	insmod $M/kdrv_random.ko
	check_match "kdrvctl: random prints a hex dump of 16 bytes" \
		'^00000000 ( [0-9a-f]{2}){16}$' "$(kdrvctl random -n 16)"
	check_match "kdrvctl: random -n 40 prints three hex lines" '^3$' \
		"$(kdrvctl random -n 40 | wc -l)"
	check_eq "kdrvctl: random --raw -n 1000 writes 1000 bytes" 1000 \
		"$(kdrvctl random --raw -n 1000 | wc -c)"
	status=$(kdrvctl status)
	check_match "kdrvctl: status shows kdrv_random loaded" '^kdrv_random: loaded$' "$status"
	check_match "kdrvctl: status shows the device and its mode" \
		'^  device /dev/kdrv-random: mode 0444$' "$status"
	check_match "kdrvctl: status shows the counters" '^  counter bytes: [0-9]+$' "$status"
	check_match "kdrvctl: status shows what is not loaded" '^kdrv_hello: not loaded$' "$status"
	rmmod kdrv_random
}

suite_kdrvctl() {
	test_kdrvctl
}
