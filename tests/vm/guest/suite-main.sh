# SPDX-License-Identifier: GPL-2.0
# The main guest suite: every driver on this kernel; the oops runs last since it taints the kernel.

. /kdrv/tests/tap.sh
. /kdrv/tests/lib.sh
for f in hello random kdrvctl procinfo roulette; do
	. /kdrv/tests/$f.sh
done

test_hello
test_random
test_random_cycles
test_kdrvctl
test_procinfo
test_roulette_params
test_roulette_syntax
test_roulette_reject_log
test_roulette_spins
test_roulette_modes
tap_done
