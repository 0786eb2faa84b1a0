#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
# `make new NAME=foo`: a working driver kdrv_foo from scripts/new/, with its unit, VM and Wine
# tests. Writes only drivers/foo/ and one new file in each test folder; refuses a bad or taken name.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
tmpl=$top/scripts/new

die() {
	echo "make new: $*" >&2
	exit 2
}

if [ $# -ne 1 ] || [ -z "$1" ]; then
	die "usage: make new NAME=foo (lowercase letters and digits)"
fi
name=$1

# The name becomes kdrv_NAME (module, symbols), /dev/kdrv-NAME and \\.\KdrvNAME: keep it
# to what all three accept, and clear of the kit's own kdrv_<word>_ prefixes.
[[ $name =~ ^[a-z][a-z0-9]{1,15}$ ]] ||
	die "'$name' is not a driver name: 2 to 16 lowercase letters and digits, starting with a letter"
reserved=" base counter dbg driver err file info ioctl kdrvctl kit lib linux log min mutex nt os"
reserved+=" param ratelimit run sink source spin stat suite tap this unit user wake warn "
case $reserved in
*" $name "*) die "'$name' is a name the kit uses itself (kdrv_${name}_...); pick another" ;;
esac
for taken in "drivers/$name" "tests/unit/test_$name.c" "tests/vm/guest/$name.sh" \
	"tests/wine/$name.sh"; do
	[ ! -e "$top/$taken" ] || die "'$name' is taken: $taken exists"
done

upper=${name^^}
camel=${name^}
len3=$((3 * (${#name} + 17)))

# render TEMPLATE OUT: the template with the name filled in.
render() {
	sed -e "s/@NAME@/$name/g" -e "s/@UPPER@/$upper/g" -e "s/@CAMEL@/$camel/g" \
		-e "s/@LEN3@/$len3/g" "$tmpl/$1" >"$top/$2"
	echo "  created $2"
}

mkdir -p "$top/drivers/$name"
render driver.c "drivers/$name/$name.c"
render abi.h "drivers/$name/${name}_abi.h"
render unit.c "tests/unit/test_$name.c"
render guest.sh "tests/vm/guest/$name.sh"
render wine.sh "tests/wine/$name.sh"
cat <<MSG
kdrv_$name is ready: /dev/kdrv-$name on Linux, \\\\.\\Kdrv$camel on Windows.
  make unit       its unit tests, in user space
  make check      every suite: its module on each kernel in QEMU, its .sys under Wine
Start reading at drivers/$name/$name.c; docs/writing-a-driver.md walks through the kit.
MSG
