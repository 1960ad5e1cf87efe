#!/usr/bin/env bash
# Build and run the unit tests of the pure-C parts (src/*_core.c), once plain
# and once under AddressSanitizer + UndefinedBehaviorSanitizer.
# Each test program prints PASS/FAIL lines and exits non-zero on failure.
set -u
cd "$(dirname "$0")/.." || exit 2
out=test/unit/bin
mkdir -p "$out"
CC=${CC:-gcc}
status=0
core=$(ls src/*_core.c 2>/dev/null)
for t in test/unit/test_*.c; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .c)
	for mode in plain asan; do
		flags="-O2 -g -Wall -Wextra -Werror -std=gnu99 -Isrc"
		[ $mode = asan ] && flags="-O1 -g -Wall -Wextra -Werror -std=gnu99 -Isrc -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
		if ! $CC $flags -o "$out/$name.$mode" "$t" $core -lm 2>"$out/$name.$mode.log"; then
			cat "$out/$name.$mode.log"; echo "FAIL $name ($mode): does not build"; status=1; continue
		fi
		"$out/$name.$mode" >"$out/$name.$mode.out" 2>&1
		code=$?
		sed "s/^\(PASS\|FAIL\) /\1 [$mode] /" "$out/$name.$mode.out"
		[ $code -eq 0 ] || { echo "FAIL $name ($mode): exited with status $code"; status=1; }
	done
done
exit $status
