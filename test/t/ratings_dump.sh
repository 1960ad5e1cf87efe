#!/usr/bin/env bash
# cx.ratings values survive pg_dump -Fc / pg_restore and a client-side
# binary COPY round trip (send/recv), with every accessor unchanged.
# Needs PGHOST/PGPORT/PGUSER of a running server (test/run.sh sets them).
set -u
. "$(dirname "$0")/../lib.sh"
src=cx_ratings_dump_src dst=cx_ratings_dump_dst
dump=$(mktemp /tmp/cx_ratings_dump.XXXXXX) bin=$(mktemp /tmp/cx_ratings_bin.XXXXXX)
cleanup() { cx_psql -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" >/dev/null 2>&1; rm -f "$dump" "$bin"; }
trap cleanup EXIT
cleanup
check() { if [ "$2" = "$3" ]; then echo "PASS ratings_dump: $1"; else echo "FAIL ratings_dump: $1 (got '$2', want '$3')"; fi; }

cx_psql -d postgres -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst" >/dev/null || { echo "FAIL ratings_dump: create databases"; exit 1; }
cx_psql -d $src >/dev/null <<'SQL' || { echo "FAIL ratings_dump: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
SELECT setseed(0.9);
CREATE TABLE answers AS
SELECT i % 5 AS service, CASE WHEN i % 13 = 0 THEN NULL ELSE 1 + floor(random() * 5)::int END AS a5,
	   floor(random() * 11)::int AS a11, floor(random() * 101)::int AS a100
FROM generate_series(1, 20000) AS i;
CREATE TABLE tallies (service int PRIMARY KEY, a5 cx.ratings NOT NULL, a11 cx.ratings, a100 cx.ratings);
INSERT INTO tallies
SELECT service, cx.ratings(a5, 1, 5), cx.ratings(a11, 0, 10), cx.ratings(a100, 0, 100) FROM answers GROUP BY service;
INSERT INTO tallies VALUES (99, '-3..3: 0 0 0 0 0 0 0; 5 skipped', NULL, NULL);
SQL
all_sql="SELECT string_agg(format('%s|%s|%s|%s', service, a5, a11, a100), ';' ORDER BY service) FROM tallies"
acc_sql="SELECT string_agg(format('%s|%s|%s|%s|%s|%s', cx.count(a5), cx.skipped(a5), cx.csat(a5), cx.mean(a5), cx.nps(a11), cx.index100(a100)), ';' ORDER BY service) FROM tallies"
before=$(cx_psql -d $src -Atc "$all_sql"); before_acc=$(cx_psql -d $src -Atc "$acc_sql")

"$PG_BINDIR/pg_dump" -Fc -d $src -f "$dump" 2>/tmp/cx_ratings_dump.err || { echo "FAIL ratings_dump: pg_dump"; cat /tmp/cx_ratings_dump.err; exit 1; }
if "$PG_BINDIR/pg_restore" --exit-on-error -d $dst "$dump" 2>/tmp/cx_ratings_restore.err; then
	echo "PASS ratings_dump: pg_restore without errors"
else
	echo "FAIL ratings_dump: pg_restore reported errors: $(head -3 /tmp/cx_ratings_restore.err)"
fi
check "tallies restored" "$(cx_psql -d $dst -Atc "$all_sql")" "$before"
check "accessors equal after restore" "$(cx_psql -d $dst -Atc "$acc_sql")" "$before_acc"
check "rollup after restore equals tally of the rows" \
	"$(cx_psql -d $dst -Atc "SELECT cx.rollup(a5) FROM tallies WHERE service < 99")" \
	"$(cx_psql -d $src -Atc "SELECT cx.ratings(a5, 1, 5) FROM answers")"

# client-side binary COPY: the type's send on the way out, its recv on the way in
cx_psql -d $src -c "\\copy tallies TO '$bin' (FORMAT binary)" || echo "FAIL ratings_dump: binary copy out"
cx_psql -d $dst -c "TRUNCATE tallies" -c "\\copy tallies FROM '$bin' (FORMAT binary)" || echo "FAIL ratings_dump: binary copy in"
check "binary COPY round trip" "$(cx_psql -d $dst -Atc "$all_sql")" "$before"
# a corrupted binary file (the first tally's version byte) is rejected with an error, not a crash
printf '\377' | dd of="$bin" bs=1 seek=33 conv=notrunc 2>/dev/null
out=$(cx_psql -d $dst -c "TRUNCATE tallies" -c "\\copy tallies FROM '$bin' (FORMAT binary)" 2>&1)
case $out in *ERROR*) echo "PASS ratings_dump: corrupted binary COPY rejected" ;; *) echo "FAIL ratings_dump: corrupted binary COPY accepted: $out" ;; esac
check "server still up" "$(cx_psql -d $dst -Atc "SELECT 1")" "1"
