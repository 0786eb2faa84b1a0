# SPDX-License-Identifier: GPL-2.0 OR MIT
# Wine tests of unloading under load: kdrv_random stopped and started while a client keeps
# opening and reading it. Wine 8.0 itself sometimes kills the driver host in that race (it
# unmaps the image with a request already handed to it; docs/windows.md): those deaths are
# counted and reported, never failed, and the host restarted; the driver's own invariants fail.
# KDRV_WINE_UNLOAD_CYCLES sets the cycles (default 25); scripts measuring the race use 200.
# shellcheck shell=bash disable=SC2154 # run.sh and lib.sh set the paths, rc, stdout and stderr

# Starts `probe hammer` on \\.\KdrvRandom in the background, its output in $out/hammer.N.
unload_hammer_start() {
	unload_hammers=$((unload_hammers + 1))
	rm -f "$out/hammer.stop"
	probe hammer '\\.\KdrvRandom' 4096 "$(winpath "$out/hammer.stop")" \
		>"$out/hammer.$unload_hammers" 2>&1 &
	unload_hammer_pid=$!
}

unload_hammer_stop() {
	touch "$out/hammer.stop"
	wait "$unload_hammer_pid"
}

# unload_cycles N: N start/stop cycles under the hammer. Sets unload_deaths (cycles in which
# the host died), wine_race_death_lines (their lines in the log, which run.sh's whole-run check
# leaves out), unload_lines (unload lines logged), unload_bad (broken invariants, one line
# each) and unload_reads/unload_bytes/unload_requests/unload_refused (sums of the unload lines).
unload_cycles() {
	local n=$1 i line reads bytes requests completed refused dead seen now first

	seen=$(wc -l <"$log")
	first=$seen
	unload_deaths=0 unload_lines=0 unload_bad='' unload_hammers=0
	unload_reads=0 unload_bytes=0 unload_requests=0 unload_refused=0
	rm -f "$out"/hammer.[0-9]*
	unload_hammer_start
	for ((i = 1; i <= n; i++)); do
		mark
		kdrvctl start random >"$out/cycle.out" 2>&1
		sleep 0.2
		kdrvctl stop random >>"$out/cycle.out" 2>&1
		sleep 0.1
		# A death shows in the log a little after the fact: each check reads on from the last.
		now=$(wc -l <"$log")
		dead=$(sed -n "$((seen + 1)),${now}p" "$log" | grep -aE "$host_death_re" | head -n 1)
		seen=$now
		line=$(since_mark | grep -ao '\[kdrv_random\.sys\] unloading: reads .*' | tail -n 1)
		if [ -n "$line" ]; then
			unload_lines=$((unload_lines + 1))
			read -r reads bytes < <(awk -F'[ ,]+' '{ print $4, $6 }' <<<"$line")
			unload_reads=$((unload_reads + reads))
			unload_bytes=$((unload_bytes + bytes))
			# Every read is one handler call of at most 4096 bytes, and every one that
			# completed moved something (random never returns 0 for a non-empty read).
			if [ "$bytes" -gt $((reads * 4096)) ]; then
				unload_bad+="cycle $i: $bytes bytes in $reads reads$nl"
			fi
		fi
		line=$(since_mark | grep -ao '\[kdrv_random\.sys\] requests: .*' | tail -n 1)
		if [ -n "$line" ]; then
			read -r requests completed refused < <(awk -F'[ ,]+' '{ print $3, $5, $7 }' <<<"$line")
			unload_requests=$((unload_requests + requests))
			unload_refused=$((unload_refused + refused))
			# Each request the driver took is completed exactly once, by the time
			# DriverUnload returns.
			if [ "$requests" != "$completed" ]; then
				unload_bad+="cycle $i: $line$nl"
			fi
		fi
		if [ -n "$dead" ]; then
			unload_deaths=$((unload_deaths + 1))
			echo "# cycle $i: the driver host died: $dead"
			unload_hammer_stop
			wine_restart
			unload_hammer_start
		elif [ -z "$line" ] && ! grep -q 'kdrv_random: stopped' "$out/cycle.out"; then
			unload_bad+="cycle $i: no clean stop: $(tr -d '\r' <"$out/cycle.out" | head -c 300)$nl"
		fi
	done
	unload_hammer_stop
	# shellcheck disable=SC2034 # run.sh's whole-run check reads it
	wine_race_death_lines=$(tail -n +"$((first + 1))" "$log" | grep -acE "$host_death_re")
}

wine_test_unload() {
	local cycles=${KDRV_WINE_UNLOAD_CYCLES:-25} opens reads

	section "unload"
	expect "install kdrv_random for the unload cycles" 0 'installed' \
		kdrvctl install random "$signed\\kdrv_random.sys"
	unload_cycles "$cycles"
	read -r opens reads < <(cat "$out"/hammer.[0-9]* | tr -d '\r' |
		awk -F'[ =]+' '/^ok/ { o += $3; r += $5 } END { print o + 0, r + 0 }')
	echo "# unload: $cycles cycles, $unload_deaths driver-host deaths (Wine's own race)," \
		"$unload_lines unload lines; the client opened $opens times and read $reads times;" \
		"the driver counted $unload_requests requests, refused $unload_refused while stopping"
	if [ -z "$unload_bad" ]; then
		ok "unload: every request completed once, counters consistent, each stop clean"
	else
		not_ok "unload: every request completed once, counters consistent, each stop clean" \
			"$unload_bad"
	fi
	if [ $((unload_lines + unload_deaths)) -ge "$cycles" ] && [ "$reads" -gt 0 ] &&
		[ "$unload_reads" -ge "$reads" ]; then
		ok "unload: the client read between stops; the driver counted every read it got"
	else
		not_ok "unload: the client read between stops; the driver counted every read it got" \
			"$unload_lines unload lines, $unload_deaths deaths in $cycles cycles;" \
			"client reads $reads, driver reads $unload_reads"
	fi
	expect "remove kdrv_random after the unload cycles" 0 'kdrv_random: removed' \
		kdrvctl remove random
	# The deaths counted above are Wine's; anything else since is not.
	section "unload (after the cycles)"
	host_alive
}
