# SPDX-License-Identifier: GPL-2.0
# Roulette's panic mode in a boot of its own: the host passes it only on the expected panic line.

. /kdrv/tests/tap.sh
. /kdrv/tests/lib.sh

check "roulette[panic]: loads with chance=100 boom=panic" \
	insmod $M/kdrv_roulette.ko chance=100 boom=panic || { tap_done; exit 1; }
echo "# reading the roulette: the kernel must panic now"
kdrvctl roulette
not_ok "roulette[panic]: the kernel panicked" "seen: kdrvctl returned $?"
tap_done
