# shellcheck shell=bash
# Business calendars: cx.business_days over 1 million rows against the
# plain date difference finish::date - start::date over the same rows
# (bar: at most 2x), plus add_business_days and due_at for reference.
# Sourced by test/bench.sh (bench_ms, bench_row, cx_psql).
rows=1000000
cx_say "creating bench_bd with $rows rows"
cx_psql >/dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_bd;
SELECT setseed(0.4);
CREATE TABLE bench_bd AS
SELECT s, s + random() * interval '60 days' AS f
FROM (SELECT timestamptz '2020-01-01 00:00+00' + random() * interval '2500 days' AS s
	  FROM generate_series(1, $rows)) g;
VACUUM ANALYZE bench_bd;
SQL
ref=$(bench_ms "SELECT sum(f::date - s::date) FROM bench_bd;")
bd=$(bench_ms "SELECT sum(cx.business_days(s, f)) FROM bench_bd;")
bdd=$(bench_ms "SELECT sum(cx.business_days(s::date, f::date)) FROM bench_bd;")
add=$(bench_ms "SELECT max(cx.add_business_days(s, 30)) FROM bench_bd;")
due=$(bench_ms "SELECT max(cx.due_at(s, '90% within 30 business days')) FROM bench_bd;")
due_e=$(bench_ms "SELECT max(cx.due_at(s, '80% within 20 minutes')) FROM bench_bd;")
plus=$(bench_ms "SELECT max(s + interval '20 minutes') FROM bench_bd;")
echo "  1M rows, $BENCH_RUNS runs, median (bar: business_days <= 2x date difference)"
bench_row "finish::date - start::date (reference)" "$ref"
bench_row "cx.business_days(start, finish)" "$bd" "date-diff" "$ref"
bench_row "cx.business_days(start::date, finish::date)" "$bdd" "date-diff" "$ref"
bench_row "cx.add_business_days(start, 30)" "$add" "date-diff" "$ref"
bench_row "cx.due_at(start, '... 30 business days')" "$due" "date-diff" "$ref"
bench_row "cx.due_at(start, '... 20 minutes')" "$due_e" "s + interval" "$plus"
awk -v a="$bd" -v b="$ref" 'BEGIN { r = a / b; printf "  business_days / date difference = %.2fx (bar 2x): %s\n", r, (r <= 2 ? "met" : "NOT MET") }'
cx_psql -c "DROP TABLE bench_bd"
