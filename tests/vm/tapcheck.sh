#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Judges a guest console log: the suite's TAP between KDRV-BEGIN and KDRV-END, and kernel splats anywhere.
#
# Guest lines are the kernel-log records tagged "kdrv-guest:" (see tests/vm/init); every other
# line is the kernel's. Splat rules are in tests/vm/README.md.
set -eu

usage() {
	echo "usage: $0 LOG [--expect-panic REGEX] [--kernel KREL] [--suite NAME]" >&2
	exit 2
}

[ $# -ge 1 ] || usage
log=$1
shift
panic_re='' want_krel='' want_suite=''
while [ $# -gt 0 ]; do
	case $1 in
	--expect-panic) [ $# -ge 2 ] || usage; panic_re=$2; shift 2 ;;
	--kernel) [ $# -ge 2 ] || usage; want_krel=$2; shift 2 ;;
	--suite) [ $# -ge 2 ] || usage; want_suite=$2; shift 2 ;;
	*) usage ;;
	esac
done
[ -r "$log" ] || { echo "tapcheck.sh: expected a readable console log at '$log'; not found" >&2; exit 2; }

# bash returns 2 for a malformed regex, which would otherwise read as "no match".
valid_ere() {
	local rc=0
	# shellcheck disable=SC2319
	[[ "" =~ $1 ]] || rc=$?
	[ "$rc" != 2 ]
}
[ -z "$panic_re" ] || valid_ere "$panic_re" ||
	{ echo "tapcheck.sh: expected --expect-panic to be a POSIX extended regex; saw '$panic_re'" >&2; exit 2; }

splat_re='^WARNING: |Oops|BUG:|kernel BUG at|Kernel panic|general protection fault|Call Trace:'
# die()'s header, "invalid opcode: 0000 [#1] SMP NOPTI" until 6.1, "Oops: " before it from 6.2.
splat_re+='|^[a-z][a-z ]*: [0-9a-f]{4} \[#[0-9]+\]'
splat_re+='|lockdep|possible circular locking|KASAN|UBSAN|suspected memory leak|unreferenced object 0x'
splat_re+='|refcount_t:|list_(add|del) corruption|RCU stall|rcu_[a-z_]+ (self-)?detected (expedited )?stall'
splat_re+='|soft lockup|hard LOCKUP|hung task|blocked for more than [0-9]+ seconds'
# The debug kernel's checkers (most also print a "WARNING: " or "BUG: " line): lockdep, might_sleep,
# debugobjects, and SLUB's own "BUG kmalloc-64 (Tainted: ...): Poison overwritten".
splat_re+='|inconsistent lock state|possible recursive locking|suspicious RCU usage|bad unlock balance'
splat_re+='|sleeping function called from invalid context|ODEBUG: |^BUG [^ ]+ \(.*\): '
# Lines that match the above but report nothing: the debug kernel's boot banner.
benign_re='RCU lockdep checking is enabled'
# Stack frames ("  ? kmemleak_alloc+0x1f/0x30") name functions, not problems.
frame_re='^ +(\? )?[][A-Za-z0-9_.$]+\+0x[0-9a-f]+/0x[0-9a-f]+'
tap_re='^(not )?ok( +([0-9]+))?($| )(.*)$'
stamp_re='^\[ *[0-9]+\.[0-9]+\](\[ *[CT][0-9]+\])? ?(.*)$'

harness_failures=0
problem() {
	echo "tapcheck.sh: $log:$1" >&2
	harness_failures=$((harness_failures + 1))
}

mapfile -t lines <"$log"
texts=() guest=()
begin='' end='' end_rc='' krel='' suite='' timed_out=''
for i in "${!lines[@]}"; do
	line=${lines[i]%$'\r'}
	text=$line
	[[ $line =~ $stamp_re ]] && text=${BASH_REMATCH[2]}
	texts[i]=$text
	guest[i]=
	if [[ $text == kdrv-guest:\ * ]]; then
		guest[i]=${text#kdrv-guest: }
		case ${guest[i]} in
		KDRV-BEGIN\ *)
			[ -z "$begin" ] || problem "$((i + 1)): expected one KDRV-BEGIN; saw another (did the guest reboot?)"
			begin=$i
			read -r _ krel suite _ <<<"${guest[i]}"
			;;
		KDRV-END\ rc=*)
			[ -n "$begin" ] && [ -z "$end" ] && end=$i && end_rc=${guest[i]#KDRV-END rc=}
			;;
		esac
	elif [[ $line == kdrv-host:\ timeout* ]]; then
		timed_out=$i
	fi
done

tag=${want_krel:-${krel:-unknown}}
[ -n "$want_suite" ] || want_suite=${suite:-unknown}

# The TAP stream between BEGIN and END (or the end of the log after a crash).
passed=0 failed=0 count=0 plan='' last_not_ok='' expects=()
if [ -n "$begin" ]; then
	stop=${end:-${#lines[@]}}
	for ((i = begin + 1; i < stop; i++)); do
		[ -n "${guest[i]}" ] || continue
		t=${guest[i]}
		if [[ $t =~ $tap_re ]]; then
			count=$((count + 1))
			num=${BASH_REMATCH[3]}
			[ -z "$num" ] || [ "$num" -eq "$count" ] ||
				problem "$((i + 1)): expected test number $count; saw '$t'"
			echo "[$tag] $t"
			shopt -s nocasematch
			if [ -z "${BASH_REMATCH[1]}" ] || [[ ${BASH_REMATCH[5]} =~ \#\ *TODO ]]; then
				passed=$((passed + 1))
				last_not_ok=
			else
				failed=$((failed + 1))
				last_not_ok=1
			fi
			shopt -u nocasematch
		elif [[ $t =~ ^1\.\.([0-9]+) ]]; then
			[ -z "$plan" ] || problem "$((i + 1)): expected one plan line; saw a second: '$t'"
			plan=${BASH_REMATCH[1]}
		elif [[ $t == '# expect-splat: '* ]]; then
			if valid_ere "${t#\# expect-splat: }"; then
				expects+=("${t#\# expect-splat: }")
			else
				problem "$((i + 1)): expected a POSIX extended regex after 'expect-splat:'; saw '$t'"
			fi
		elif [[ $t == '#'* ]]; then
			[ -z "$last_not_ok" ] || echo "[$tag] $t"
		elif [[ $t == 'Bail out!'* ]]; then
			echo "[$tag] $t"
			problem "$((i + 1)): the suite bailed out: '$t'"
		fi
	done
fi

# Kernel splats: see "Splats" in README.md for the block rule.
open='' bad='' dying='' panicked=''
for i in "${!lines[@]}"; do
	if [ -n "${guest[i]}" ]; then
		[[ ${guest[i]} =~ $tap_re ]] && open='' bad=''
		continue
	fi
	t=${texts[i]}
	after_begin=
	[ -n "$begin" ] && [ "$i" -gt "$begin" ] && after_begin=1
	if [[ $t == *'------------[ cut here ]------------'* ]]; then
		open='' bad=''
	fi
	if [ -n "$after_begin" ]; then
		for re in "${expects[@]}"; do
			if [[ $t =~ $re ]]; then
				open=1
				break
			fi
		done
		if [ -n "$panic_re" ] && [ -z "$dying" ] && [[ $t =~ $panic_re ]]; then
			dying=$i
		fi
	fi
	if ! [[ $t =~ $frame_re ]] && [[ $t =~ $splat_re ]] && ! [[ $t =~ $benign_re ]]; then
		if [ -n "$dying" ]; then
			[[ $t == *'Kernel panic - not syncing'* ]] && panicked=1
		elif [ -z "$open" ] && [ -z "$bad" ]; then
			bad=1
			problem "$((i + 1)): expected no kernel splat (none declared by '# expect-splat:'); saw '$t'"
		fi
	fi
	if [[ $t == *'</TASK>'* || $t == *'---[ end '* ]]; then
		open='' bad=''
	fi
done

if [ -z "$begin" ]; then
	problem " expected a 'kdrv-guest: KDRV-BEGIN' line from the guest's /init; saw none"
else
	[ -z "$want_krel" ] || [ "$krel" = "$want_krel" ] ||
		problem "$((begin + 1)): expected the guest to run kernel $want_krel; it runs '$krel'"
	[ "$suite" = "$want_suite" ] ||
		problem "$((begin + 1)): expected the guest to run suite '$want_suite'; it runs '$suite'"
fi
if [ -n "$timed_out" ]; then
	problem "$((timed_out + 1)): expected the guest to power off; it hung until the host's timeout"
elif [ -n "$panic_re" ]; then
	if [ -z "$dying" ]; then
		problem " expected a kernel panic matching /$panic_re/ after KDRV-BEGIN; saw no line matching it"
	elif [ -z "$panicked" ]; then
		problem "$((dying + 1)): expected 'Kernel panic - not syncing' at or after this line matching /$panic_re/; saw none"
	fi
elif [ -n "$begin" ] && [ -z "$end" ]; then
	problem " expected a 'KDRV-END rc=N' line after KDRV-BEGIN; saw none (guest crashed or stopped early)"
fi
if [ -n "$end" ]; then
	if [ -z "$plan" ]; then
		problem "$((end + 1)): expected a TAP plan line '1..N' before KDRV-END; saw none"
	elif [ "$plan" -ne "$count" ]; then
		problem "$((end + 1)): expected $plan tests as planned; saw $count"
	fi
	[ "$end_rc" = 0 ] || [ "$failed" -gt 0 ] ||
		problem "$((end + 1)): expected the suite to exit 0; it exited $end_rc"
fi

failed=$((failed + harness_failures))
echo "vm $tag $want_suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
