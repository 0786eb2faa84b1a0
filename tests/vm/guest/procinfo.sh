# SPDX-License-Identifier: GPL-2.0
# Guest tests of kdrv_procinfo: answers match /proc, errors, sizes, references always released.

PT=kdrv-procinfo_test
PDEV=/sys/class/misc/kdrv-procinfo

# kdrvctl's answer for a pid against /proc/PID/stat: ppid, state, comm and start time.
proc_matches_stat() {
	out=$(kdrvctl proc "$1") || { echo "kdrvctl proc $1 failed"; return; }
	stat=$(cat /proc/$1/stat)
	comm=${stat#*(}
	comm=${comm%)*}
	set -- ${stat##*) }
	tick_ns=$((1000000000 / $(getconf CLK_TCK 2>/dev/null || echo 100)))
	want="ppid=$2 state=$1 comm=$comm start=${20}"
	seen=$(echo "$out" | awk -v t=$tick_ns '
		$1 == "ppid" { p = $2 } $1 == "state" { s = $2 } $1 == "comm" { c = $2 }
		$1 == "start_ns" { st = int($2 / t) }
		END { printf "ppid=%s state=%s comm=%s start=%s", p, s, c, st }')
	[ "$want" = "$seen" ] && echo match || echo "/proc: $want; kdrvctl: $seen"
}

slab_kb() {
	awk '$1 == "Slab:" { print $2 }' /proc/meminfo
}

test_procinfo() {
	check "procinfo: insmod the debug build (it shows outstanding references)" \
		insmod $M/kdrv_procinfo-debug.ko || return
	check_eq "procinfo: /dev/kdrv-procinfo has mode 0444" 444 \
		"$(stat -c %a /dev/kdrv-procinfo 2>&1)"
	check "procinfo: self matches /proc/self/stat" $PT self
	check "procinfo: the parent matches its /proc stat" $PT parent
	check "procinfo: pid 1 matches /proc/1/stat" $PT match 1
	check "procinfo: a zombie is found in state Z" $PT zombie
	check "procinfo: a reaped child is ESRCH" $PT reaped
	check "procinfo: pid <= 0 is EINVAL, unknown pids are ESRCH" $PT bogus
	check "procinfo: bad and short request pointers are EFAULT" $PT badptr
	check "procinfo: sizes below V1 are EINVAL, a newer client keeps its extra bytes" $PT sizes
	check "procinfo: unknown ioctls are ENOTTY" $PT unknown
	check "procinfo: pids are read in the caller's pid namespace; outer ones are ESRCH" \
		unshare -p -f $PT nsview $$
	check "procinfo: lookups racing the release of 2000 dying children give only true answers" \
		$PT race 2000
	check "procinfo: in a time namespace 1000 s ahead, start times match /proc there" \
		$PT timens 1000
	check "procinfo: comm is /proc's name for every task (a workqueue worker's without its queue)" \
		$PT allcomm
	check_eq "procinfo: kdrvctl proc 1 matches /proc/1/stat" match "$(proc_matches_stat 1)"
	check_eq "procinfo: kdrvctl proc \$\$ matches /proc/\$\$/stat" match "$(proc_matches_stat $$)"
	check_match "procinfo: kdrvctl proc self --json prints JSON" \
		'^\{"pid": [0-9]+, "tgid": [0-9]+, "ppid": [0-9]+, "state": "R", "uid": 0, "start_ns": [0-9]+, "comm": "kdrvctl"\}$' \
		"$(kdrvctl proc self --json)"
	kdrvctl proc 999999 >/dev/null 2>&1
	check_eq "procinfo: kdrvctl proc of a missing pid exits 1" 1 $?
	check_match "procinfo: kdrvctl says the pid is not visible" 'no process 999999 visible' \
		"$(kdrvctl proc 999999 2>&1)"

	l0=$(sysfs_get $PDEV/lookups)
	check "procinfo: 100000 lookups of self succeed" $PT many 100000
	check_eq "procinfo: 100000 lookups are counted" "$((l0 + 100000))" "$(sysfs_get $PDEV/lookups)"
	check_eq "procinfo: no outstanding references after 100000 lookups" 0 \
		"$(sysfs_get $PDEV/outstanding)"
	s0=$(slab_kb)
	check "procinfo: 1000 children looked up 20 times each, then reaped" $PT children 1000 20
	s1=$(slab_kb)
	echo "# slab before ${s0} kB, after ${s1} kB"
	check_match "procinfo: slab grew by less than 4 MiB (a leaked reference pins ~10 kB a child)" \
		'^ok$' "$([ $((s1 - s0)) -lt 4096 ] && echo ok || echo "grew $((s1 - s0)) kB")"
	check_eq "procinfo: no outstanding references after the children" 0 \
		"$(sysfs_get $PDEV/outstanding)"
	check "procinfo: rmmod kdrv_procinfo" rmmod kdrv_procinfo
	check "procinfo: the release build loads" insmod $M/kdrv_procinfo.ko
	check "procinfo: the release build hides the outstanding counter" test ! -e $PDEV/outstanding
	check "procinfo: rmmod the release build" rmmod kdrv_procinfo
}

suite_procinfo() {
	test_procinfo
}
