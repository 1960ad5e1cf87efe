# Cycle-time sketches (issue 3): build cost vs the scan floor and tdigest,
# accuracy beside tdigest's, dashboard rollups, stored size.
# Sourced by test/bench.sh.
bench_durations_table
rows=$(cx_psql -Atc "SELECT count(*) FROM bench_cycle")
have_td=$(cx_psql -Atc "SELECT count(*) FROM pg_available_extensions WHERE name = 'tdigest'")
if [ "$have_td" = 1 ]; then
	cx_psql -c "CREATE EXTENSION IF NOT EXISTS tdigest" >/dev/null 2>&1 || have_td=0
fi
[ "$have_td" = 1 ] || cx_say "tdigest is not installed: its columns are skipped (apt-get install postgresql-$PG_MAJOR-tdigest)"

echo "building one sketch over bench_cycle ($rows rows, lognormal; median of $BENCH_RUNS runs; ratios: to the scan floor, to tdigest)"
floor=$(bench_ms "SELECT count(*), sum(secs) FROM bench_cycle;")
sk_f=$(bench_ms "SELECT cx.number_sketch(secs) IS NOT NULL FROM bench_cycle;")
sk_i=$(bench_ms "SELECT cx.cycle_sketch(dur) IS NOT NULL FROM bench_cycle;")
floor_iv=$(bench_ms "SELECT count(*), sum(dur) FROM bench_cycle;")
bench_row "scan floor: count(*), sum(secs)" "$floor"
bench_row "scan floor: count(*), sum(dur)" "$floor_iv"
if [ "$have_td" = 1 ]; then
	td=$(bench_ms "SELECT tdigest(secs, 100) IS NOT NULL FROM bench_cycle;")
	bench_row "tdigest(secs, 100)" "$td" floor "$floor"
	bench_row "cx.number_sketch(secs)" "$sk_f" floor "$floor" tdigest "$td"
	bench_row "cx.cycle_sketch(dur)" "$sk_i" floor "$floor" tdigest "$td"
else
	bench_row "cx.number_sketch(secs)" "$sk_f" floor "$floor"
	bench_row "cx.cycle_sketch(dur)" "$sk_i" floor "$floor"
fi
floor_g=$(bench_ms "SELECT product_line, count(*), sum(secs) FROM bench_cycle GROUP BY product_line;")
sk_g=$(bench_ms "SELECT product_line, cx.number_sketch(secs) IS NOT NULL FROM bench_cycle GROUP BY product_line;")
bench_row "GROUP BY 12 lines: count, sum" "$floor_g"
bench_row "GROUP BY 12 lines: cx.number_sketch(secs)" "$sk_g" floor "$floor_g"

# Pareto data (shape 1.1, scale 1 hour) beside the lognormal table
if [ "$(cx_psql -Atc "SELECT to_regclass('bench_pareto') IS NOT NULL")" != t ]; then
	cx_psql -c "SELECT setseed(0.5); CREATE TABLE bench_pareto AS SELECT 3600 / power(1 - random(), 1 / 1.1) AS secs FROM generate_series(1, 1000000);" >/dev/null
	cx_psql -c "VACUUM ANALYZE bench_pareto" >/dev/null
fi
echo
echo "accuracy: worst relative error over q = 0.5, 0.9, 0.95, 0.99 against percentile_disc (alpha = 0.01)"
for t in bench_cycle bench_pareto; do
	td_sql="NULL::float8[]"
	[ "$have_td" = 1 ] && td_sql="tdigest_percentile(secs, 100, ARRAY[0.5, 0.9, 0.95, 0.99])"
	cx_psql -At -F ' ' -c "
	WITH e AS (SELECT percentile_disc(ARRAY[0.5, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY secs) AS ex FROM $t),
	     o AS (SELECT cx.percentile(cx.number_sketch(secs), ARRAY[0.5, 0.9, 0.95, 0.99]) AS sk, $td_sql AS td FROM $t)
	SELECT round(max(abs(s - x) / x)::numeric, 5), coalesce(round(max(abs(d - x) / x)::numeric, 5)::text, 'n/a'),
	       coalesce(round((abs(td[2] - ex[2]) / ex[2])::numeric, 5)::text, 'n/a')
	FROM e, o, unnest(ex, sk, td) AS u(x, s, d) GROUP BY td, ex" |
		while read -r ours theirs p90; do
			printf '  %-14s cx sketch worst %-8s (bar <= 0.01)   tdigest(100) worst %-8s (its p90 error %s)\n' "$t" "$ours" "$theirs" "$p90"
		done
done

# A year of daily sketches for 12 services: 4,380 rows
if [ "$(cx_psql -Atc "SELECT to_regclass('bench_sketch_daily') IS NOT NULL")" != t ]; then
	cx_psql -c "CREATE TABLE bench_sketch_daily AS
		SELECT product_line AS service, date '2025-01-01' + ((secs * 1e6)::bigint % 365)::int AS day, cx.cycle_sketch(dur) AS s
		FROM bench_cycle GROUP BY 1, 2" >/dev/null
	cx_psql -c "VACUUM ANALYZE bench_sketch_daily" >/dev/null
fi
echo
drows=$(cx_psql -Atc "SELECT count(*) FROM bench_sketch_daily")
echo "dashboard: p90 over a year of stored daily sketches ($drows rows; bar < 20 ms)"
r1=$(bench_ms "SELECT cx.percentile(cx.rollup(s), 0.9) FROM bench_sketch_daily;")
r12=$(bench_ms "SELECT service, cx.percentile(cx.rollup(s), 0.9) FROM bench_sketch_daily GROUP BY service;")
rq=$(bench_ms "SELECT service, date_trunc('quarter', day), cx.percentile(cx.rollup(s), ARRAY[0.5, 0.9]) FROM bench_sketch_daily GROUP BY 1, 2;")
bench_row "p90 of all services, one year" "$r1"
bench_row "p90 per service (12 rows), one year" "$r12"
bench_row "p50+p90 per service and quarter (48 rows)" "$rq"

echo
echo "stored size (pg_column_size; bar: 1M lognormal durations at alpha 0.01 <= 2048 bytes)"
cx_psql -At -F ' ' -c "
	SELECT pg_column_size(cx.cycle_sketch(dur)), pg_column_size(cx.cycle_sketch(dur, 0.001)), pg_column_size(cx.number_sketch(secs))
	FROM (SELECT dur, secs FROM bench_cycle LIMIT 1000000) t" |
	while read -r a b c; do
		printf '  1M lognormal durations: cycle_sketch %s bytes (alpha 0.01), %s bytes (alpha 0.001); number_sketch %s bytes\n' "$a" "$b" "$c"
	done
if [ "$have_td" = 1 ]; then
	echo "  tdigest(secs, 100) for the same rows: $(cx_psql -Atc "SELECT pg_column_size(tdigest(secs, 100)) FROM (SELECT secs FROM bench_cycle LIMIT 1000000) t") bytes"
fi
echo "  daily sketches: $(cx_psql -Atc "SELECT round(avg(pg_column_size(s))) || ' bytes on average, ' || pg_size_pretty(pg_total_relation_size('bench_sketch_daily')) || ' for the table' FROM bench_sketch_daily")"
