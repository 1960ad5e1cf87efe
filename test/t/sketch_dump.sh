#!/usr/bin/env bash
# Stored sketches survive pg_dump -Fc / pg_restore and a binary COPY out and
# back in, byte for byte (compared through their text form), and answer the
# same percentiles afterwards.
# Needs PGHOST/PGPORT/PGUSER of a running server (test/run.sh sets them).
set -u
. "$(dirname "$0")/../lib.sh"
src=cx_sk_dump_src dst=cx_sk_dump_dst
dump=$(mktemp /tmp/cx_sk_dump.XXXXXX) bin=$(mktemp /tmp/cx_sk_bin.XXXXXX)
cleanup() {
	cx_psql -d postgres -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" >/dev/null 2>&1
	rm -f "$dump" "$bin"
}
trap cleanup EXIT
cleanup
cx_psql -d postgres -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst" >/dev/null || { echo "FAIL sketch_dump: create databases"; exit 1; }
cx_psql -d $src >/dev/null <<'SQL' || { echo "FAIL sketch_dump: set up"; exit 1; }
CREATE EXTENSION cx_metrics;
SELECT setseed(0.9);
CREATE TABLE daily AS
SELECT i % 30 AS day,
       cx.cycle_sketch(make_interval(secs => exp(ln(432000) + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))) AS s,
       cx.number_sketch((random() - 0.2) * 1e4, 0.001) AS n
FROM generate_series(1, 30000) i GROUP BY 1;
SQL
summary="SELECT md5(string_agg(s::text || n::text, ',' ORDER BY day)),
                cx.percentile(cx.rollup(s), ARRAY[0.5, 0.9, 0.99])::text,
                cx.percentile(cx.rollup(n), 0.9)::text FROM daily"
before=$(cx_psql -d $src -Atc "$summary")

if "$PG_BINDIR/pg_dump" -Fc -d $src -f "$dump" 2>/dev/null && "$PG_BINDIR/pg_restore" -d $dst "$dump" 2>/dev/null; then
	after=$(cx_psql -d $dst -Atc "$summary")
	if [ -n "$before" ] && [ "$before" = "$after" ]; then
		echo "PASS sketch_dump: pg_dump/pg_restore keeps every sketch and answer"
	else
		echo "FAIL sketch_dump: after restore got '$after', want '$before'"
	fi
else
	echo "FAIL sketch_dump: pg_dump or pg_restore failed"
fi

cx_psql -d $src -c "\\copy daily TO '$bin' WITH (FORMAT binary)" >/dev/null &&
	cx_psql -d $src -c "CREATE TABLE daily2 (LIKE daily)" -c "\\copy daily2 FROM '$bin' WITH (FORMAT binary)" >/dev/null
after=$(cx_psql -d $src -Atc "${summary/FROM daily/FROM daily2}")
if [ -n "$before" ] && [ "$before" = "$after" ]; then
	echo "PASS sketch_dump: binary COPY out and in keeps every sketch"
else
	echo "FAIL sketch_dump: after binary COPY got '$after', want '$before'"
fi
