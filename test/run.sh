#!/usr/bin/env bash
# make test: install what is missing, build, install, start a throwaway
# cluster, run the unit tests, pg_regress over sql/, and the scripted tests in
# test/t/; stop the cluster; print "N passed, N failed" last.
set -u
. "$(dirname "$0")/lib.sh"
cd "$CX_ROOT" || exit 2
cx_lock

passed=0 failed=0
count() { # count PASS/FAIL lines of a log
	local p f
	p=$(grep -c '^PASS' "$1"); f=$(grep -c '^FAIL' "$1")
	passed=$((passed + p)); failed=$((failed + f))
}

cx_ensure_deps || { echo "0 passed, 1 failed"; exit 1; }
cx_try_packages "postgresql-$PG_MAJOR-cron" || true
cx_build_install || { echo "0 passed, 1 failed"; exit 1; }

# 1. unit tests of the pure-C parts (plain, then under ASan + UBSan)
log=$(mktemp)
bash test/unit.sh >"$log" 2>&1
ucode=$?
grep -E '^(PASS|FAIL)' "$log" | grep '^FAIL' >&2
grep -q '^FAIL' "$log" || [ $ucode -eq 0 ] || { cat "$log" >&2; echo "FAIL unit test build" >>"$log"; }
count "$log"
echo "unit tests: $(grep -c '^PASS' "$log") passed, $(grep -c '^FAIL' "$log") failed"

# 1b. the extension builds warning-free with clang too (a copy of the tree,
# PostgreSQL's recorded gcc flags aside), and, run as root, the build works
# as an ordinary user (nobody)
if command -v clang >/dev/null; then
	cdir=$(mktemp -d /tmp/cx_clang.XXXXXX)
	tar -cf - --exclude='*.o' --exclude='*.so' --exclude='*.bc' --exclude=.git --exclude=results --exclude='.build' --exclude='test/*/bin' . |
		tar -C "$cdir" -xf -
	as=()
	if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
		chown -R nobody "$cdir" && chmod 755 "$cdir" && as=(runuser -u nobody --)
	fi
	if [ -f "$cdir/Makefile" ] && "${as[@]}" make -C "$cdir" -s -j"$(nproc)" CC=clang WERROR=-Werror PG_CONFIG="$PG_BINDIR/pg_config" >"$cdir/build.log" 2>&1 &&
		! grep -q 'warning:' "$cdir/build.log"; then
		echo "PASS build: make CC=clang builds warning-free${as:+, as the user nobody}"; passed=$((passed + 1))
	else
		cat "$cdir/build.log" >&2; echo "FAIL build: make CC=clang${as:+ as nobody}"; failed=$((failed + 1))
	fi
	rm -rf "$cdir"
fi

# 2. pg_regress over sql/ on a throwaway cluster
if [ -f "$("$PG_BINDIR/pg_config" --pkglibdir)/pg_cron.so" ]; then
	export CX_PRELOAD=pg_cron CX_CRON_DB=cx_regress
fi
cx_cluster_start || { echo "$passed passed, $((failed + 1)) failed"; exit 1; }
info=$(cx_psql -d postgres -Atc "SELECT current_setting('server_version') || ' ' || current_setting('debug_assertions')")
cx_say "server: PostgreSQL ${info% *}, debug_assertions ${info##* }"
if [ -n "${CX_EXPECT_ASSERTS:-}" ]; then
	[ "${info##* }" = on ] && { echo "PASS server: assertions are enabled"; passed=$((passed + 1)); } ||
		{ echo "FAIL server: assertions are not enabled"; failed=$((failed + 1)); }
fi
tests=$(ls sql/*.sql 2>/dev/null | sed 's|sql/||; s|\.sql$||' | tr '\n' ' ')
rm -rf results regression.diffs regression.out
"$("$PG_BINDIR/pg_config" --pkglibdir)/pgxs/src/test/regress/pg_regress" \
	--inputdir=. --bindir="$PG_BINDIR" --host="$PGHOST" --port="$PGPORT" \
	--user=postgres --dbname=cx_regress $tests >"$log" 2>&1
# pg_regress prints "test x ... ok" up to PostgreSQL 15 and TAP ("ok 1 - x",
# "not ok 2 - y") from 16 on
grep -E '^(test |ok |not ok )' "$log" | head -100
rp=$(grep -Ec '\.\.\. ok|^ok [0-9]' "$log"); rf=$(grep -Ec '\.\.\. (FAILED|failed)|^not ok [0-9]' "$log")
passed=$((passed + rp)); failed=$((failed + rf))
nt=$(echo $tests | wc -w)
if [ $((rp + rf)) -ne "$nt" ]; then
	tail -20 "$log" >&2
	echo "FAIL pg_regress reported $((rp + rf)) of $nt tests"; failed=$((failed + 1))
fi
[ "$rf" -eq 0 ] || { cx_say "pg_regress failures: see regression.diffs"; head -200 regression.diffs >&2; }

# 3. scripted end-to-end tests (dump/restore, concurrency, LISTEN, ...)
for t in test/t/*.sh; do
	[ -e "$t" ] || continue
	bash "$t" >"$log" 2>&1
	code=$?
	grep -E '^(PASS|FAIL)' "$log"
	if [ $code -ne 0 ] && ! grep -q '^FAIL' "$log"; then
		tail -20 "$log" >&2; echo "FAIL $t exited $code" | tee -a "$log"
	fi
	count "$log"
done
rm -f "$log"
cx_cluster_stop
trap - EXIT

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
