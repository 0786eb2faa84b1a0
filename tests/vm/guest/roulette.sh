# SPDX-License-Identifier: GPL-2.0
# Guest tests of kdrv_roulette: parameters, survivals, statistics, and each boom mode in the table.

RLT=kdrv-roulette_test
RLP=/sys/module/kdrv_roulette/parameters
RLS=/sys/class/misc/kdrv-roulette
MODES=/kdrv/tests/roulette-modes.txt
PARAMS=/kdrv/tests/roulette-params.txt

test_roulette_params() {
	klog_clear
	if insmod $M/kdrv_roulette.ko chance=101 2>/dev/null; then
		not_ok "roulette: chance=101 is refused at load"
		rmmod kdrv_roulette
	else
		ok "roulette: chance=101 is refused at load"
	fi
	check_match "roulette: the refusal is one clear log line" \
		"^kdrv_roulette: chance must be an integer from 0 to 100, got '101'$" "$(klog)"
	if insmod $M/kdrv_roulette.ko boom=nuke 2>/dev/null; then
		not_ok "roulette: boom=nuke is refused at load"
		rmmod kdrv_roulette
	else
		ok "roulette: boom=nuke is refused at load"
	fi

	klog_clear
	check "roulette: loads with a random chance" insmod $M/kdrv_roulette.ko || return
	check_match "roulette: load logs the probability" \
		'^kdrv_roulette: Panic probability: [0-9]+/100$' "$(klog)"
	c=$(sysfs_get $RLP/chance)
	check_match "roulette: the drawn chance is in 0..99 and matches the log" \
		"^kdrv_roulette: Panic probability: $c/100$" "$(klog)"
	check_eq "roulette: boom defaults to error" error "$(sysfs_get $RLP/boom)"
	check "roulette: root sets chance at runtime" sh -c "echo 0 > $RLP/chance"
	check_eq "roulette: the new chance is in force" 0 "$(sysfs_get $RLP/chance)"
	if sh -c "echo 150 > $RLP/chance" 2>/dev/null; then
		not_ok "roulette: a runtime chance of 150 is refused"
	else
		ok "roulette: a runtime chance of 150 is refused"
	fi
	check_eq "roulette: a refused chance leaves the old one" 0 "$(sysfs_get $RLP/chance)"
	if sh -c "echo nuke > $RLP/boom" 2>/dev/null; then
		not_ok "roulette: a runtime boom of 'nuke' is refused"
	else
		ok "roulette: a runtime boom of 'nuke' is refused"
	fi
	check_eq "roulette: parameters are root-writable only" "644 644" \
		"$(stat -c %a $RLP/chance) $(stat -c %a $RLP/boom)"
	check "roulette: rmmod" rmmod kdrv_roulette
}

# A bad value at load: refused, and each refusal the kernel logs ("invalid for parameter") comes
# with one line of the driver's saying what was expected, whether the value is wrong, empty or
# missing. busybox insmod tries finit_module, then init_module: two refusals per insmod.
roulette_bad_load() {
	klog_clear
	if insmod $M/kdrv_roulette.ko "$1" 2>/dev/null; then
		not_ok "roulette: insmod $1 is refused"
		rmmod kdrv_roulette
		return
	fi
	ok "roulette: insmod $1 is refused"
	kernel=$(klog | grep -c "^kdrv_roulette: .* invalid for parameter")
	ours=$(klog | grep -cE '^kdrv_roulette: (chance|boom) must be')
	check_eq "roulette: insmod $1: one line of the driver's per refusal" \
		"$kernel refusals, $kernel lines" "$kernel refusals, $ours lines"
}

# Every row of the shared syntax table, written at runtime; refused values keep the old one.
test_roulette_syntax() {
	roulette_bad_load chance=101
	roulette_bad_load chance=050
	roulette_bad_load chance=
	roulette_bad_load chance
	roulette_bad_load boom
	check "roulette: loads with chance=0 boom=error for the syntax table" \
		insmod $M/kdrv_roulette.ko chance=0 boom=error || return
	while IFS='	' read -r param text want; do
		case $param in '#'* | '') continue ;; esac
		# A 0-byte write never reaches a sysfs store: the empty value is tested at load.
		[ "$text" = '<empty>' ] && continue
		before=$(sysfs_get $RLP/$param)
		if printf '%b' "$text" >$RLP/$param 2>/dev/null; then rc=ok; else rc=EINVAL; fi
		now=$(sysfs_get $RLP/$param)
		if [ "$want" = EINVAL ]; then
			check_eq "roulette: $param '$text' is refused and keeps $before" \
				"EINVAL $before" "$rc $now"
		else
			check_eq "roulette: $param '$text' sets $want" "ok $want" "$rc $now"
		fi
	done <$PARAMS
	check "roulette: rmmod after the syntax table" rmmod kdrv_roulette
}

# Refusals are logged rate-limited, escaped and short: no forged lines, no flood.
test_roulette_reject_log() {
	check "roulette: loads for the refusal log tests" insmod $M/kdrv_roulette.ko chance=0 ||
		return
	klog_clear
	printf '5\nkdrv_roulette: forged line' >$RLP/chance 2>/dev/null
	check_eq "roulette: a refused value starts no log line of its own" 0 \
		"$(klog | grep -c '^kdrv_roulette: forged')"
	check_match "roulette: the refused value is logged escaped and cut at 16 bytes" \
		"^kdrv_roulette: chance must be an integer from 0 to 100, got '5\\\\x0akdrv_roulette:'\\.\\.\\.$" \
		"$(klog)"
	head -c 4000 /dev/zero | tr '\0' 7 >$RLP/boom 2>/dev/null
	check_match "roulette: a refused 4000-byte value is logged in one short line" \
		"^kdrv_roulette: boom must be one of error, warn, oops, panic, got '7{16}'\\.\\.\\.$" \
		"$(klog | grep '^kdrv_roulette: boom must')"
	klog_clear
	ms=$($RLT param-flood 2000)
	lines=$(klog | grep -c '^kdrv_roulette: chance must be')
	# printk_ratelimit's policy: 10 lines per 5 s; one interval more for the one in progress.
	bound=$((10 * (${ms:-0} / 5000 + 2)))
	echo "# 2000 refused writes in ${ms} ms logged ${lines} lines"
	check_match "roulette: 2000 refused writes in ${ms} ms log at most $bound lines" '^ok$' \
		"$([ -n "$ms" ] && [ "$lines" -ge 1 ] && [ "$lines" -le $bound ] && echo ok ||
			echo "$lines lines")"
	check "roulette: rmmod after the refusal log tests" rmmod kdrv_roulette
}

test_roulette_spins() {
	check "roulette: loads with chance=0" insmod $M/kdrv_roulette.ko chance=0 || return
	check "roulette: chance=0 survives with the seed's text, short reads, EOF, lseek" \
		$RLT survive 0
	s0=$(sysfs_get $RLS/spins)
	out=$(kdrvctl roulette --spins 300)
	check_match "roulette: kdrvctl: chance=0 never booms in 300 spins" \
		'^spins: 300, survived: 300, booms: 0, observed boom rate: 0.00%$' "$out"
	check_eq "roulette: spins are counted" $((s0 + 300)) "$(sysfs_get $RLS/spins)"
	check_match "roulette: kdrvctl prints one survived spin" \
		'^Survived\.\.\. sampled value is [0-9]+, which is >= 0$' "$(kdrvctl roulette | head -n 1)"
	check "roulette: 3000 spins at chance=0 show every V from 0 to 99" $RLT stats 3000 0
	echo 30 >$RLP/chance
	check "roulette: 5000 spins at chance=30 boom within 6 sigma and survivors cover 30..99" \
		$RLT stats 5000 30
	echo 100 >$RLP/chance
	e0=$(sysfs_get $RLS/booms_error)
	out=$(kdrvctl roulette --spins 200)
	check_match "roulette: kdrvctl: chance=100 always booms" \
		'^spins: 200, survived: 0, booms: 200, observed boom rate: 100.00%$' "$out"
	check_eq "roulette: booms are counted per mode" $((e0 + 200)) "$(sysfs_get $RLS/booms_error)"
	check "roulette: rmmod after booms" rmmod kdrv_roulette
}

# One mode from the table: load with chance=100, read, compare outcome and log, then rmmod.
roulette_mode() {
	mode=$1 outcome=$2 text=$3
	klog_clear
	[ "$mode" = error ] || expect_splat "$text"
	check "roulette[$mode]: loads with chance=100 boom=$mode" \
		insmod $M/kdrv_roulette.ko chance=100 boom=$mode || return
	case $outcome in
	EIO) check "roulette[$mode]: the read fails with EIO" $RLT boom-eio ;;
	killed)
		$RLT boom-read >/dev/null 2>&1
		rc=$?
		check_match "roulette[$mode]: the reader is killed by the oops" '^(139|137|135|132)$' "$rc"
		;;
	esac
	check_match "roulette[$mode]: the log shows the expected text" "$text" "$(klog)"
	check_match "roulette[$mode]: the boom line names V, C and the mode" \
		"kdrv_roulette: Boom! sampled value is [0-9]+, which is < 100 \\(boom=$mode\\)" "$(klog)"
	klog_clear
	check "roulette[$mode]: a boomed file read by a child, then by its parent: EIO after one boom" \
		$RLT boom-shared
	splats=1
	[ "$mode" = error ] && splats=0
	check_eq "roulette[$mode]: three reads of one boomed file: one Boom line, $splats splat" \
		"1 $splats" \
		"$(klog | grep -c '^kdrv_roulette: Boom!.*(boom=') $(klog | grep -cE '^WARNING:|invalid opcode: 0000')"
	check "roulette[$mode]: the module can be removed after the boom" rmmod kdrv_roulette
}

test_roulette_modes() {
	while IFS='	' read -r mode outcome text; do
		case $mode in '#'* | '' | panic) continue ;; esac
		roulette_mode "$mode" "$outcome" "$text"
	done <$MODES
}

suite_roulette() {
	test_roulette_params
	test_roulette_syntax
	test_roulette_reject_log
	test_roulette_spins
	test_roulette_modes
}
