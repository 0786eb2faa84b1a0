# SPDX-License-Identifier: GPL-2.0 OR MIT
# Wine tests of kdrv_roulette: registry parameters, determinism, each boom mode, the refusals.
# shellcheck shell=bash disable=SC2154 # run.sh and lib.sh set the paths, rc, stdout and stderr

roulette_key='HKLM\System\CurrentControlSet\Services\kdrv_roulette\Parameters'

roulette_param() {
	"$wine" reg add "$roulette_key" /v "$1" /t "$2" /d "$3" /f >/dev/null 2>&1
}

# roulette_param_text NAME TEXT: a REG_SZ holding exactly TEXT (printf %b escapes, newlines
# included), which `reg add` cannot write: imported from a REGEDIT4 file, whose hex(1) is ANSI.
roulette_param_text() {
	local hex
	hex=$(printf '%b' "$2" | od -An -tx1 -v | tr -s ' \n' ',')
	printf 'REGEDIT4\r\n\r\n[%s]\r\n"%s"=hex(1):%s00\r\n' \
		"${roulette_key/HKLM/HKEY_LOCAL_MACHINE}" "$1" "${hex#,}" >"$out/param.reg"
	"$wine" reg import "$(winpath "$out/param.reg")" >/dev/null 2>&1
}

roulette_params_clear() {
	"$wine" reg delete "$roulette_key" /f >/dev/null 2>&1
	return 0
}

wine_test_roulette() {
	local splats name text want type value x33 bad

	section "roulette"
	expect "install kdrv_roulette" 0 'installed' kdrvctl install roulette "$signed\\kdrv_roulette.sys"

	mark
	expect "start with no Parameters" 0 'kdrv_roulette: running' kdrvctl start roulette
	expect_log "roulette: no chance parameter draws C in [0, 100)" \
		'\[kdrv_roulette\.sys\] Panic probability: [0-9]{1,2}/100$'
	expect_log "roulette: no boom parameter means boom=error" '\[kdrv_roulette\.sys\] boom=error$'
	expect "kdrvctl roulette runs 20 spins" 0 '^spins: 20, survived: [0-9]+, booms: [0-9]+' \
		kdrvctl roulette --spins 20
	expect "stop" 0 'stopped' kdrvctl stop roulette

	roulette_param chance REG_SZ 0
	mark
	expect "start with chance=0" 0 'running' kdrvctl start roulette
	expect_log "roulette: chance=0 is announced" '\[kdrv_roulette\.sys\] Panic probability: 0/100$'
	expect "chance=0: one spin survives with the seed's message" 0 \
		'^Survived\.\.\. sampled value is [0-9]{1,2}, which is >= 0$' kdrvctl roulette
	expect "chance=0: 200 spins all survive" 0 '^spins: 200, survived: 200, booms: 0,' \
		kdrvctl roulette --spins 200
	expect "chance=0: the text reads in pieces, then EOF" 0 '^ok 10 3[0-9] 0$' \
		probe read '\\.\KdrvRoulette' 10 100 100
	expect "status shows the roulette's counters, the spin of its own open included" 0 \
		'^  counter spins: 204$' kdrvctl status
	expect "stop" 0 'stopped' kdrvctl stop roulette
	expect_log "roulette: the unload line counts spins" \
		'\[kdrv_roulette\.sys\] unloading: spins 204, survivals 204, booms_error 0,'

	roulette_param chance REG_SZ 100
	mark
	expect "start with chance=100" 0 'running' kdrvctl start roulette
	expect "chance=100 boom=error: a spin reads as EIO" 0 '^Boom! \(the read failed with EIO\)' \
		kdrvctl roulette
	expect "chance=100 boom=error: 30 spins all boom" 0 '^spins: 30, survived: 0, booms: 30,' \
		kdrvctl roulette --spins 30
	expect "chance=100: the read fails with ERROR_IO_DEVICE (1117)" 0 '^error 1117$' \
		probe read '\\.\KdrvRoulette' 100
	expect "chance=100: even a zero-length read booms" 0 '^error 1117$' \
		probe read '\\.\KdrvRoulette' 0
	expect_log "roulette: a Boom is logged at the error level" \
		'0000004d:00000001: \[kdrv_roulette\.sys\] Boom! sampled value is [0-9]{1,2}, which is < 100 \(boom=error\)'
	expect_log "roulette: error-mode boom lines thin out after 10" \
		'\[kdrv_roulette\.sys\] 10 error-mode booms logged; from now on one in 100'
	expect "the driver still stops after booms" 0 'kdrv_roulette: stopped' kdrvctl stop roulette
	expect_log "roulette: the unload line counts the error booms" \
		'unloading: spins 33, survivals 0, booms_error 33, booms_warn 0, booms_oops 0,'

	roulette_param boom REG_SZ warn
	mark
	expect "start with chance=100 boom=warn" 0 'running' kdrvctl start roulette
	expect_log "roulette: boom=warn is read from the registry" '\[kdrv_roulette\.sys\] boom=warn$'
	expect "boom=warn: the read still fails with EIO" 0 '^Boom! \(the read failed with EIO\)' \
		kdrvctl roulette
	expect_log "roulette: boom=warn logs a warning splat" \
		'0000004d:00000002: \[kdrv_roulette\.sys\] WARNING: kdrv_roulette: Boom! sampled value is'
	mark
	expect "boom=warn: three reads of one boomed handle fail with ERROR_IO_DEVICE" 0 \
		'^error 1117 error 1117 error 1117$' probe read '\\.\KdrvRoulette' 10 10 10
	expect_log "boom=warn: the boom is logged" '\[kdrv_roulette\.sys\] Boom! .*\(boom=warn\)'
	splats=$(since_mark | grep -ac '\[kdrv_roulette\.sys\] WARNING: ')
	if [ "$splats" = 1 ]; then
		ok "boom=warn: three reads of one boomed handle give one warning splat"
	else
		not_ok "boom=warn: three reads of one boomed handle give one warning splat" "seen: $splats"
	fi
	expect "boom=warn: the driver still stops" 0 'stopped' kdrvctl stop roulette

	roulette_param boom REG_SZ oops
	mark
	expect "start with chance=100 boom=oops" 0 'running' kdrvctl start roulette
	expect "boom=oops: the read fails with EIO and the system lives on" 0 \
		'^Boom! \(the read failed with EIO\)' kdrvctl roulette
	expect_log "roulette: boom=oops says why it did not crash" \
		'Boom! sampled value is [0-9]{1,2}, which is < 100: boom=oops: Windows has no oops'
	expect "boom=oops: the driver still stops" 0 'stopped' kdrvctl stop roulette

	roulette_params_clear
	roulette_param chance REG_DWORD 0
	mark
	expect "a REG_DWORD chance is accepted" 0 'running' kdrvctl start roulette
	expect_log "roulette: REG_DWORD chance=0 is announced" 'Panic probability: 0/100$'
	expect "stop" 0 'stopped' kdrvctl stop roulette

	# Every row of the shared syntax table, as a REG_SZ: accepted values are announced at start,
	# refused ones fail the start with ERROR_INVALID_PARAMETER.
	while IFS=$'\t' read -r name text want; do
		case $name in '#'* | '') continue ;; esac
		roulette_params_clear
		[ "$text" = '<empty>' ] && text=''
		roulette_param_text "$name" "$text"
		mark
		if [ "$want" = EINVAL ]; then
			expect "$name '$text' (REG_SZ) is refused" 1 \
				'kdrv_roulette failed to start: .*\(Win32 error 87\)' kdrvctl start roulette
			continue
		fi
		expect "$name '$text' (REG_SZ) is accepted" 0 'running' kdrvctl start roulette
		if [ "$name" = chance ]; then
			expect_log "$name '$text' sets $want" "Panic probability: $want/100\$"
		else
			expect_log "$name '$text' sets $want" "\] boom=$want\$"
		fi
		kdrvctl stop roulette >/dev/null 2>&1
	done <"$top/tests/vm/guest/roulette-params.txt"

	roulette_params_clear
	roulette_param_text chance '5\nkdrv_roulette: forged'
	mark
	expect "a chance with a newline inside is refused" 1 'Win32 error 87' kdrvctl start roulette
	expect_log "the refused chance is logged escaped and cut at 16 bytes" \
		"got '5\\\\x0akdrv_roulette:'\\.\\.\\.\$"
	expect_no_log "the refused chance starts no log line of its own" 'kdrv_roulette: forged'

	# 33 characters: one more than the driver reads from a value; 40 do not fit its buffer.
	x33=$(printf 'x%.0s' {1..33})
	for bad in "chance REG_SZ abc|chance must be an integer from 0 to 100, got 'abc'" \
		"chance REG_SZ 101|chance must be an integer from 0 to 100, got '101'" \
		"chance REG_SZ -1|chance must be an integer from 0 to 100, got '-1'" \
		"chance REG_SZ |chance must be an integer from 0 to 100, got ''" \
		"chance REG_DWORD 1000|chance must be an integer from 0 to 100, got '1000'" \
		"boom REG_SZ kaboom|boom must be one of error, warn, oops, panic, got 'kaboom'" \
		"boom REG_DWORD 1|boom must be one of error, warn, oops, panic, got '1'" \
		"boom REG_MULTI_SZ warn|Parameters.boom must be a REG_SZ or REG_DWORD" \
		"boom REG_SZ $x33|boom must be one of error, warn, oops, panic, got 'x{16}'\.\.\.$" \
		"boom REG_SZ ${x33}1234567|Parameters.boom must be a REG_SZ or REG_DWORD of at most 32"; do
		read -r name type value <<<"${bad%%|*}"
		roulette_params_clear
		roulette_param "$name" "$type" "$value"
		mark
		expect "$name=$value ($type): start fails with ERROR_INVALID_PARAMETER" 1 \
			'kdrv_roulette failed to start: .*\(Win32 error 87\)' kdrvctl start roulette
		expect_log "$name=$value ($type): the log says why" "${bad#*|}"
	done
	roulette_params_clear
	expect "status shows the roulette stopped" 3 'kdrv_roulette: stopped' kdrvctl status
	host_alive
}

# boom=panic kills the driver host, so run.sh calls this after every driver's tests;
# Wine is restarted for those that come after.
wine_test_roulette_last() {
	section "roulette panic"
	roulette_param chance REG_SZ 100
	roulette_param boom REG_SZ panic
	mark
	expect "start with chance=100 boom=panic" 0 'running' kdrvctl start roulette
	expect "boom=panic: the reader's read fails as the host dies" 1 'reading .*KdrvRoulette' \
		kdrvctl roulette
	expect_log "boom=panic: the bugcheck line with MANUALLY_INITIATED_CRASH and the kdrv mark" \
		'err:ntoskrnl:KeBugCheckEx e2 6b647276 '
	expect_log "boom=panic: the driver said why before the bugcheck" \
		'\[kdrv_roulette\.sys\] kdrv_roulette: Boom! sampled value is [0-9]{1,2}, which is < 100: bugchecking'
	expect "boom=panic: the device is gone with the host" 3 'does not exist' kdrvctl roulette
	if wine_restart; then
		ok "Wine restarts after the bugcheck"
	else
		bail "Wine restarts after the bugcheck" "$(tail -n 20 "$log")"
	fi
	section "after the restart"
	roulette_params_clear
	expect "remove kdrv_roulette after the restart" 0 'kdrv_roulette: removed' kdrvctl remove roulette
}
