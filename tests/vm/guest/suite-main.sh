# SPDX-License-Identifier: GPL-2.0
# The main guest suite: every file here but the libraries and suites is one driver's (or tool's)
# tests and defines suite_<name>; they run by name, the roulette last since its oops taints.
# On a kernel with kmemleak, leaks made between the first and the last test fail the suite.

. /kdrv/tests/tap.sh
. /kdrv/tests/lib.sh

names=
for f in /kdrv/tests/*.sh; do
	name=${f##*/}
	name=${name%.sh}
	case $name in
	lib | tap | suite-*) continue ;;
	esac
	. "$f"
	[ "$name" = roulette ] || names="$names $name"
done
kmemleak_start
for name in $names roulette; do
	"suite_$name"
done
kmemleak_check
tap_done
