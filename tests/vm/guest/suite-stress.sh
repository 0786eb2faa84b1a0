# SPDX-License-Identifier: GPL-2.0
# The stress suite: load/unload storms under users, 8 threads mixing every operation while the
# pipe streams checked records, and a seeded fuzzer of the devices' operations. Its length and
# seed come from the kernel command line (kdrv.stress_seconds=, kdrv.seed=), so a run repeats.

. /kdrv/tests/tap.sh
. /kdrv/tests/lib.sh

ST=kdrv-stress_test
seconds=60
storm_cycles=
seed=$(($(date +%s) % 100000 + 1))
for arg in $(cat /proc/cmdline); do
	case $arg in
	kdrv.stress_seconds=*) seconds=${arg#kdrv.stress_seconds=} ;;
	kdrv.seed=*) seed=${arg#kdrv.seed=} ;;
	kdrv.storm_cycles=*) storm_cycles=${arg#kdrv.storm_cycles=} ;;
	esac
done
tap_diag "stress: $seconds s, seed $seed (rerun: make stress DURATION=$seconds SEED=$seed)"

modules=
for ko in "$M"/kdrv_*.ko; do
	case $ko in *-debug.ko) continue ;; esac
	m=${ko##*/kdrv_}
	modules="$modules ${m%.ko}"
done

# After a pause, so that objects freed after an RCU grace period are counted as freed.
slab_kb() {
	sleep 2
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}

load() {
	case $1 in
	roulette) insmod "$M/kdrv_roulette.ko" chance=50 ;;
	*) insmod "$M/kdrv_$1.ko" ;;
	esac
}

# Unloads, retrying while users hold it open; gives up after 10 s, which would be a hang.
unload() {
	tries=0
	while ! rmmod "kdrv_$1" 2>/dev/null; do
		refused=$((refused + 1))
		tries=$((tries + 1))
		[ $tries -lt 1000 ] || return 1
		sleep 0.01
	done
}

# storm SECONDS: cycles every module for SECONDS, or for kdrv.storm_cycles= cycles if given.
storm() {
	budget=$1
	users_budget=$budget
	[ -z "$storm_cycles" ] || users_budget=1000000
	end=$(($(date +%s) + budget))
	refused=0
	stuck=
	cycles=0
	# The first cycle warms caches; slab is measured from after it.
	for m in $modules; do load "$m" && unload "$m"; done
	slab0=$(slab_kb)
	$ST users "$users_budget" "$seed" >/tmp/users1 2>&1 &
	u1=$!
	$ST users "$users_budget" $((seed + 1)) >/tmp/users2 2>&1 &
	u2=$!
	start=$(date +%s)
	while [ -z "$stuck" ]; do
		if [ -n "$storm_cycles" ]; then
			[ "$cycles" -lt "$storm_cycles" ] || break
		else
			[ "$(date +%s)" -lt "$end" ] || break
		fi
		for m in $modules; do
			load "$m" || stuck="insmod kdrv_$m failed"
			sleep 0.1
			unload "$m" || stuck="rmmod kdrv_$m still refused after 10 s"
		done
		cycles=$((cycles + 1))
	done
	took=$(($(date +%s) - start))
	[ -z "$storm_cycles" ] || kill -TERM $u1 $u2
	wait $u1
	rc1=$?
	wait $u2
	rc2=$?
	slab1=$(slab_kb)
	tap_diag "storm: $cycles load/unload cycles of each of$modules in $took s," \
		"$refused rmmod refusals while open; slab ${slab0} kB -> ${slab1} kB"
	tap_diag "$(cat /tmp/users1 /tmp/users2)"
	check_eq "stress: every load and unload completed (none hung)" "" "$stuck"
	check "stress: the storm ran at least ${storm_cycles:-3} cycles" test "$cycles" -ge "${storm_cycles:-3}"
	check_eq "stress: users across the storm saw only documented results" "0 0" "$rc1 $rc2"
	# Process churn alone moves SUnreclaim by 50-150 kB here (300 opens of /dev/null or
	# /dev/urandom do), so this bound catches only a leak per open or per load. On a kernel
	# with kmemleak, KASAN's quarantine keeps freed objects in slab (4.5 MB after one storm)
	# and kmemleak_check, at the end, is the leak check instead.
	if [ ! -e "$KMEMLEAK" ]; then
		check "stress: unreclaimable slab grew by less than 512 kB" \
			test $((slab1 - slab0)) -lt 512
	fi
}

counters() {
	for d in random roulette procinfo pipe; do
		line=
		for f in /sys/class/misc/kdrv-$d/*; do
			[ -f "$f" ] && [ "${f##*/}" != dev ] && [ "${f##*/}" != uevent ] &&
				line="$line ${f##*/}=$(cat "$f")"
		done
		tap_diag "counters $d:$line"
	done
}

kmemleak_start
storm $((seconds * 2 / 5))

for m in random roulette procinfo pipe; do
	load "$m" || not_ok "stress: insmod kdrv_$m for the mix"
done
out=$($ST mix 8 $((seconds * 3 / 10)) "$seed" 2>&1)
rc=$?
tap_diag "$out"
check_eq "stress: 8 threads mixing every operation; the pipe's stream intact" 0 "$rc"
out=$($ST fuzz $((seconds * 3 / 10)) "$seed" 2>&1)
rc=$?
tap_diag "$out"
check_eq "stress: the seeded fuzzer saw only documented results (rerun: $ST fuzz $((seconds * 3 / 10)) $seed)" 0 "$rc"
# Syscall fuzzing from outside: trinity does not know kdrv's ioctls and rarely reads, so its
# reach shows in the drivers' counters, printed before and after.
counters
if command -v stress-ng >/dev/null; then
	for d in random roulette procinfo pipe; do
		out=$(stress-ng --dev 2 --dev-file /dev/kdrv-$d --timeout $((seconds / 20 + 2)) \
			--metrics-brief 2>&1)
		rc=$?
		tap_diag "$(printf '%s\n' "$out" | grep -E 'dev|fail' | tail -n 3)"
		check_eq "stress: stress-ng --dev on /dev/kdrv-$d" 0 "$rc"
	done
else
	not_ok "stress: stress-ng is in the guest" "tests/vm/stage-tools.sh stages it"
fi
counters
for m in random roulette procinfo pipe; do
	check "stress: rmmod kdrv_$m after it all" rmmod "kdrv_$m"
done
kmemleak_check
tap_done
