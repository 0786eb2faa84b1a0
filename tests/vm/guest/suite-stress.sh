# SPDX-License-Identifier: GPL-2.0
# The stress suite: load/unload storms under users, 8 threads mixing every operation while the
# pipe streams checked records, a seeded fuzzer of the devices' operations, then trinity's
# syscall fuzzing (as nobody, on the four nodes only, for a sixth of the length) and stress-ng
# from outside, each with what it moved in the drivers' counters. Its length and seed come from
# the kernel command line (kdrv.stress_seconds=, kdrv.seed=), so a run repeats.

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
	check "stress: the storm ran ${storm_cycles:-at least 1} cycles" test "$cycles" -ge "${storm_cycles:-1}"
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

# One line per driver counter: DEVICE NAME VALUE. Builtins only: on the debug kernel every
# process started costs a good part of a second.
counter_values() {
	for d in random roulette procinfo pipe; do
		for f in /sys/class/misc/kdrv-$d/*; do
			case ${f##*/} in dev | uevent) continue ;; esac
			[ -f "$f" ] && read -r v <"$f" && echo "$d ${f##*/} $v"
		done
	done
}

counters() {
	counter_values >/tmp/counters.now
	for d in random roulette procinfo pipe; do
		tap_diag "counters $d:$(awk -v d="$d" '$1 == d { printf " %s=%s", $2, $3 }' /tmp/counters.now)"
	done
}

# Prints "WHO: random reads +N bytes +N; roulette ...": moves since FILE, a counter_values list.
counter_deltas() {
	counter_values | awk -v who="$1" '
		NR == FNR { was[$1 " " $2] = $3; next }
		{
			if ($1 != dev)
				line = line (line == "" ? " " : "; ") $1
			dev = $1
			d = $3 - was[$1 " " $2]
			line = line " " $2 " " (d >= 0 ? "+" : "") d
		}
		END { print who ":" line }' "$2" -
}

# Sets $up to the seconds since boot.
uptime_now() {
	read -r up _ </proc/uptime
	up=${up%.*}
}

# Sets $state to the state (R, S, D, Z...) of process $1, empty once it is gone.
proc_state() {
	state=
	{ read -r st <"/proc/$1/stat"; } 2>/dev/null || return 0
	# shellcheck disable=SC2086 # the fields after "PID (COMM) "
	set -- ${st##*) }
	state=$1
}

# Sets $live to the number of processes in process group $1, zombies not counted.
group_count() {
	live=0
	for f in /proc/[0-9]*/stat; do
		{ read -r st <"$f"; } 2>/dev/null || continue
		# shellcheck disable=SC2086 # the fields after "PID (COMM) "
		set -- "$1" ${st##*) }
		[ "$4" = "$1" ] && [ "$2" != Z ] && live=$((live + 1))
	done
}

# Trinity, the syscall fuzzer, against the four nodes for BUDGET seconds after its set-up.
#
# As nobody: the nodes' modes are for users, and trinity 2023.01 never drops the root its
# children start with (-X only changes which files it thinks it may open). On 8 copies of each
# node and nothing else (-V, only the "pseudo" fd provider): it opens one fd per name it finds,
# each a random pick, so with one node per device a device was often left without an fd. The
# syscalls are those that reach a misc device's file operations (open, read, write, poll,
# llseek, splice) or change how they behave (fcntl's O_NONBLOCK). Not ioctl: trinity 2023.01's
# ioctl argument picker walks the socket fd list, which is NULL when the sockets provider is
# off, so nearly every ioctl killed its child; with sockets on, its socket set-up crashed. Not
# mmap (no driver has the op, so the VFS refuses it before kdrv) nor close (trinity never calls
# it). 64-bit calls only: the 32-bit ones reach the same file operations (kdrv's only compat
# code is compat_ioctl), and on a kernel without IA32 emulation (the debug kernel) each one
# kills its child until trinity gives them up. 16 children: most of their time goes to pipe
# reads and writes that block until trinity's 1 s alarm, so more children make more calls.
trinity_run() {
	budget=$1
	tr=/tmp/kdrv-trinity
	rm -rf "$tr"
	mkdir -p "$tr/nodes" "$tr/work"
	chown 65534:65534 "$tr/work"
	for d in random roulette procinfo pipe; do
		# shellcheck disable=SC2046 # major, minor (hex) and mode, as separate words
		set -- $(stat -c '%t %T %a' "/dev/kdrv-$d")
		for i in 1 2 3 4 5 6 7 8; do
			mknod -m "$3" "$tr/nodes/kdrv-$d.$i" c $((0x$1)) $((0x$2))
		done
	done
	counter_values >"$tr/counters"

	cd "$tr/work" || return 1
	# shellcheck disable=SC2016 # expanded by the shell su starts
	setsid su -s /bin/sh -c 'echo $$ >pid; exec "$0" "$@"' nobody -- trinity -q -l off \
		-s "$seed" -C 16 -a 64 -V "$tr/nodes" --enable-fds=pseudo \
		-c open -c openat -c read -c readv -c pread64 -c preadv -c write -c writev \
		-c pwrite64 -c poll -c ppoll -c select -c lseek -c fcntl -c splice -c sendfile \
		>"$tr/out" 2>&1 &
	session=$!
	cd /tmp || return 1
	uptime_now
	start=$up
	pg=
	while [ -z "$pg" ] && [ "$up" -lt $((start + 10)) ]; do
		sleep 0.1
		{ read -r pg <"$tr/work/pid"; } 2>/dev/null
		uptime_now
	done
	# Set-up (the main process and its 16 children up) does not count against the budget:
	# 4-7 s on Debian's kernels under TCG, longer on the debug kernel.
	live=0
	while [ -n "$pg" ] && [ "$live" -lt 17 ] && [ "$up" -lt $((start + 120)) ]; do
		sleep 0.5
		group_count "$pg"
		[ "$live" -gt 0 ] || break
		uptime_now
	done
	setup=$((up - start))
	fuzzing=no
	if [ "$live" -ge 17 ]; then
		sleep "$budget"
		proc_state "$pg"
		case $state in '' | Z) ;; *) fuzzing=yes ;; esac
	fi
	# Its ctrl-c: the main process tells the children to stop, reaps them and reports.
	lingering=0
	if [ -n "$pg" ]; then
		kill -s INT "-$pg" 2>/dev/null
		uptime_now
		stop=$up
		group_count "$pg"
		while [ "$live" != 0 ] && [ "$up" -lt $((stop + 10)) ]; do
			sleep 0.2
			group_count "$pg"
			uptime_now
		done
		lingering=$live
		kill -s KILL "-$pg" 2>/dev/null
	fi
	wait "$session"

	ran=$(sed -n 's/^.*Ran \([0-9]*\) syscalls.*$/\1/p' "$tr/out")
	why=$(grep -m 1 'Bailing main loop' "$tr/out")
	line="trinity: ${ran:-no} syscalls in $budget s after $setup s of set-up (seed $seed,"
	tap_diag "$line 16 children as nobody); ${why#*] }"
	tap_diag "$(counter_deltas trinity "$tr/counters")"
	check_eq "stress: trinity was still fuzzing the nodes when its $budget s were up" yes \
		"$fuzzing" || tap_diag "$(tail -n 30 "$tr/out")"
	check "stress: trinity made syscalls" test "${ran:-0}" -gt 0
	check_eq "stress: trinity's session ended within 10 s of its SIGINT" 0 "$lingering"
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
# From outside: trinity and stress-ng know nothing of kdrv, so what they reach shows in the
# drivers' counters.
counters
if command -v trinity >/dev/null; then
	budget=$((seconds / 6))
	[ "$budget" -ge 5 ] || budget=5
	trinity_run "$budget"
else
	not_ok "stress: trinity is in the guest" "tests/vm/stage-tools.sh stages it"
fi
if command -v stress-ng >/dev/null; then
	counter_values >/tmp/counters.stress-ng
	for d in random roulette procinfo pipe; do
		out=$(stress-ng --dev 2 --dev-file /dev/kdrv-$d --timeout $((seconds / 20 + 2)) \
			--metrics-brief 2>&1)
		rc=$?
		tap_diag "$(printf '%s\n' "$out" | grep -E 'dev|fail' | tail -n 3)"
		check_eq "stress: stress-ng --dev on /dev/kdrv-$d" 0 "$rc"
	done
	tap_diag "$(counter_deltas stress-ng /tmp/counters.stress-ng)"
else
	not_ok "stress: stress-ng is in the guest" "tests/vm/stage-tools.sh stages it"
fi
counters
for m in random roulette procinfo pipe; do
	check "stress: rmmod kdrv_$m after it all" rmmod "kdrv_$m"
done
kmemleak_check
tap_done
