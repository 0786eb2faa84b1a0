# SPDX-License-Identifier: GPL-2.0
# `make demo`'s guest: loads hello and random, shows their log lines and some bytes, unloads.

. /kdrv/tests/tap.sh
. /kdrv/tests/lib.sh

# Runs a command for the audience: the command line, then its output.
show() {
	echo "\$ $*"
	"$@"
}

klog_clear
show insmod $M/kdrv_hello.ko
show insmod $M/kdrv_random.ko
echo '$ dmesg | grep kdrv_'
klog | grep '^kdrv_'
check_match "demo: hello greeted" '^kdrv_hello: Hello, world!$' "$(klog)"
show ls -l /dev/kdrv-random
show kdrvctl random -n 64
check_match "demo: kdrvctl printed random bytes" '^00000000 ( [0-9a-f]{2}){16}$' \
	"$(kdrvctl random -n 16)"
show insmod $M/kdrv_roulette.ko chance=0
show kdrvctl roulette
check_match "demo: the roulette survived" '^Survived' "$(kdrvctl roulette)"
show kdrvctl status
klog_clear
show rmmod kdrv_roulette
show rmmod kdrv_random
show rmmod kdrv_hello
echo '$ dmesg | grep kdrv_'
klog | grep '^kdrv_'
check_match "demo: hello said goodbye" '^kdrv_hello: Goodbye kernel module!$' "$(klog)"
tap_done
