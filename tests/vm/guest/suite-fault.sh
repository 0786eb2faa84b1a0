# SPDX-License-Identifier: GPL-2.0
# The fault suite (kernels with fault injection: the debug kernel): every module's load, then
# every request of its device, repeated with each allocation and user copy made with kdrv's
# code on the stack failing in turn (kdrv-fault_test). Refused loads leave nothing registered,
# refused requests give ENOMEM or EFAULT and lose no pipe byte, the next load works, and
# kmemleak finds nothing at the end. The user-space harness covers the kit's own allocations
# (tests/unit/test_kit.c); this covers the kernel's side of them: misc_register, sysfs, vmalloc,
# poll tables and copies.

. /kdrv/tests/tap.sh
. /kdrv/tests/lib.sh

FT=kdrv-fault_test
: >/tmp/fault

params() {
	case $1 in
	roulette) echo chance=0 ;;
	esac
}

# sweep DESC ARGS...: one kdrv-fault_test run, its counts kept for the totals.
sweep() {
	_desc=$1
	shift
	out=$($FT "$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" >>/tmp/fault
	check_eq "$_desc" 0 "$rc" || tap_diag "$out" "rerun: $FT$(printf " '%s'" "$@")"
}

if ! check "fault: the kernel has failslab, fail_page_alloc and fail_usercopy in debugfs" \
	test -d /sys/kernel/debug/failslab -a -d /sys/kernel/debug/fail_page_alloc \
	-a -d /sys/kernel/debug/fail_usercopy; then
	tap_done
	exit 1
fi
kmemleak_start
# A failed page or vmalloc allocation is reported by the kernel itself, with a backtrace.
expect_splat 'page allocation failure: order:|vmalloc error: size'
echo 0 >/proc/sys/kernel/kptr_restrict

for m in hello random roulette procinfo pipe; do
	for kind in slab page; do
		sweep "fault[$kind] kdrv_$m: a load failing at each site in turn is refused with ENOMEM, leaves nothing registered; the next load works" \
			load $kind "$M/kdrv_$m.ko" "$(params $m)"
	done
	[ "$m" = hello ] && continue
	# shellcheck disable=SC2046 # no parameter or one word
	check "fault: insmod kdrv_$m" insmod "$M/kdrv_$m.ko" $(params $m) || continue
	for kind in slab page usercopy; do
		sweep "fault[$kind] kdrv_$m: requests failing at each site in turn give ENOMEM, EFAULT or a short count and lose no byte" \
			ops $kind $m
	done
	check "fault: rmmod kdrv_$m after its requests failed" rmmod "kdrv_$m"
done

tap_diag "$(grep '^fault ' /tmp/fault)"
# Per driver: how many failures were injected in all, and at how many of them its call failed.
tap_diag "$(awk '/^fault / { split($0, a, ": "); split(a[2], b, " ");
	inj[$2] += b[1]; ref[$2] += b[3]; abs[$2] += b[5] }
	END { for (d in inj) printf "fault total %s: %d injected, %d refused, %d absorbed\n",
		d, inj[d], ref[d], abs[d] }' /tmp/fault | sort)"
check "fault: every kdrv_ module's load saw at least one injected failure" \
	test "$(grep -c ' load [a-z]*: [1-9]' /tmp/fault)" -ge 5
kmemleak_check
tap_done
