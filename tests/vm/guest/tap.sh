# SPDX-License-Identifier: GPL-2.0
# TAP 13 helpers for POSIX sh test suites; source it, then call tap_plan/check/... and tap_done.
#
# Each helper returns 0 for a pass and 1 for a failure, so suites can chain dependent steps
# (`check "load" insmod x.ko || return`); do not run suites under `set -e`, or the first
# failing check ends the suite and hides the tests after it.
#
# In the guest, init sets TAP_KMSG to a tag: lines then go to /dev/kmsg as whole printk
# records, so kernel messages can never split a TAP line on the shared serial console, and a
# line written before a crash is already in the kernel's log buffer.

tap_count=0
tap_passed=0
tap_failed=0
tap_planned=
tap_started=

_tap_line() {
	if [ -n "${TAP_KMSG:-}" ] &&
		printf '<5>%s: %s\n' "$TAP_KMSG" "$1" 2>/dev/null >/dev/kmsg; then
		return 0
	fi
	printf '%s\n' "$1"
}

_tap_emit() {
	if [ -z "$tap_started" ]; then
		tap_started=1
		_tap_line 'TAP version 13'
	fi
	_tap_line "$1"
}

# A '#' in a description would start a TAP directive.
_tap_desc() {
	printf '%s' "$1" | sed 's/#/\\#/g'
}

tap_diag() {
	for _tap_d in "$@"; do
		while IFS= read -r _tap_l; do
			_tap_emit "# $_tap_l"
		done <<-_TAP_EOF
			$_tap_d
		_TAP_EOF
	done
}

tap_plan() {
	tap_planned=$1
	_tap_emit "1..$1"
}

ok() {
	tap_count=$((tap_count + 1))
	tap_passed=$((tap_passed + 1))
	_tap_emit "ok $tap_count - $(_tap_desc "$1")"
}

not_ok() {
	tap_count=$((tap_count + 1))
	tap_failed=$((tap_failed + 1))
	_tap_emit "not ok $tap_count - $(_tap_desc "$1")"
	shift
	tap_diag "$@"
	return 1
}

skip() {
	tap_count=$((tap_count + 1))
	tap_passed=$((tap_passed + 1))
	_tap_emit "ok $tap_count - $(_tap_desc "$1") # SKIP $2"
}

check() {
	_tap_what=$1
	shift
	if _tap_out=$("$@" 2>&1); then
		ok "$_tap_what"
	else
		not_ok "$_tap_what" "expected: '$*' to exit 0" "seen: exit $?" "${_tap_out:-(no output)}"
	fi
}

# Passes when the command fails: a refusal the test expects.
check_fail() {
	_tap_what=$1
	shift
	if _tap_out=$("$@" 2>&1); then
		not_ok "$_tap_what" "expected: '$*' to fail" "seen: exit 0" "${_tap_out:-(no output)}"
	else
		ok "$_tap_what"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: '$2'" "seen:     '$3'"
	fi
}

check_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		ok "$1"
	else
		not_ok "$1" "expected text matching /$2/" "seen: '$3'"
	fi
}

# The host's tapcheck allows kernel splats matching REGEX (POSIX ERE) in this run.
expect_splat() {
	_tap_emit "# expect-splat: $1"
}

tap_done() {
	if [ -z "$tap_planned" ]; then
		_tap_emit "1..$tap_count"
	elif [ "$tap_planned" -ne "$tap_count" ]; then
		tap_diag "planned $tap_planned tests but ran $tap_count"
		return 1
	fi
	[ "$tap_failed" -eq 0 ]
}
