#!/usr/bin/env bash
# Build the libFuzzer targets test/fuzz/fuzz_*.c (clang, AddressSanitizer and
# UndefinedBehaviorSanitizer) against the pure-C parts (src/*_core.c) and run
# each for FUZZ_SECONDS seconds (default 60) from a corpus of valid values
# that test/fuzz/seeds.c writes.  A crash, a sanitizer report, a failed
# property, a timeout (an input running 10 s) or running out of memory fails
# the target; the input that did it is kept in test/fuzz/bin/.
# Exits non-zero when a target fails or cannot be built.
set -u
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=test/lib.sh
. test/lib.sh

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
CC=${FUZZ_CC:-clang}
out=test/fuzz/bin
core=$(ls src/*_core.c)
flags="-O1 -g -Wall -Wextra -Werror -std=gnu99 -Isrc -Itest/fuzz -fno-omit-frame-pointer"
san="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

# Can $CC build and link a libFuzzer program with the sanitizers?
fuzz_toolchain_ok() {
	mkdir -p "$out"
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void) d; (void) n; return 0; }' >"$out/probe.c"
	command -v "$CC" >/dev/null 2>&1 && $CC $san -o "$out/probe" "$out/probe.c" >"$out/probe.log" 2>&1
}

if ! fuzz_toolchain_ok; then
	pkgs=(clang libclang-rt-14-dev llvm)
	if [ "$(id -u)" -ne 0 ]; then
		cx_say "make fuzz needs clang with libFuzzer and the sanitizer runtimes ($CC could not link a fuzz target; see $out/probe.log)"
		cx_say "install them with:  sudo apt-get install ${pkgs[*]}   (or run make fuzz as root)"
		echo "0 passed, 1 failed"
		exit 2
	fi
	cx_say "installing ${pkgs[*]} with apt-get"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"; } >/tmp/cx_apt_fuzz.log 2>&1 ||
		{ cx_say "apt-get could not install ${pkgs[*]}; see /tmp/cx_apt_fuzz.log"; echo "0 passed, 1 failed"; exit 2; }
	fuzz_toolchain_ok || { cat "$out/probe.log" >&2; cx_say "$CC still cannot link a fuzz target"; echo "0 passed, 1 failed"; exit 2; }
fi
command -v llvm-symbolizer >/dev/null 2>&1 || cx_say "llvm-symbolizer not found: crash reports will show addresses only (apt-get install llvm)"

# The seed corpus: valid encodings written by the core itself.
if ! $CC -O1 -g -Wall -Wextra -Werror -std=gnu99 -Isrc -o "$out/seeds" test/fuzz/seeds.c $core -lm 2>"$out/seeds.log"; then
	cat "$out/seeds.log"; cx_say "the seed generator does not build"; echo "0 passed, 1 failed"; exit 1
fi
"$out/seeds" "$out/corpus" || { cx_say "the seed generator failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
for t in test/fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	name=${name#fuzz_}
	if ! $CC $flags $san -o "$out/$name" "$t" $core -lm 2>"$out/$name.build.log"; then
		cat "$out/$name.build.log"; echo "FAIL fuzz $name: does not build"; failed=$((failed + 1)); continue
	fi
	mkdir -p "$out/corpus/$name"
	rm -f "$out/$name".crash-* "$out/$name".timeout-* "$out/$name".oom-* "$out/$name".leak-*
	"$out/$name" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
		-print_final_stats=1 -artifact_prefix="$out/$name." "$out/corpus/$name" >"$out/$name.log" 2>&1
	code=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log" | tail -1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$out/$name.log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$name.log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$out/$name.log" | tail -1)
	if [ $code -eq 0 ]; then
		echo "PASS fuzz $name: ${execs:-?} executions in ${secs:-?} s (${rate:-?}/s), ${cov:-cov: ?}"
		passed=$((passed + 1))
	else
		grep -E '^(==[0-9]+==ERROR|SUMMARY|property failed|.*runtime error)' "$out/$name.log" | head -5
		echo "FAIL fuzz $name: exited with status $code; input in $(ls "$out/$name".*-* 2>/dev/null | head -1); log in $out/$name.log"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
