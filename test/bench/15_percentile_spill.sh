# Exact percentiles past work_mem: one group of 100M values and 64 groups of
# 1M with work_mem = 64MB, cx.percentile against percentile_cont with the
# same work_mem, and the backend's peak memory (VmHWM growth over a scan of
# the same input).  One process (no parallel plan), jit off, one timed run
# after a warm-up.  Sourced by test/bench.sh.
bench_durations_table
# 100M values (bench_cycle's 10M durations times 1.0, 1.1, ... 1.9) and 64
# groups of 1M (8M lognormal durations times 1.0 ... 1.7, group (i % 8) * 8 + k),
# stored once (unlogged) so that the input costs a plain scan
if [ "$(cx_psql -Atc "SELECT to_regclass('bench_big') IS NOT NULL")" != t ]; then
	cx_say "creating bench_big (100M rows) and bench_g64 (64M rows)"
	cx_psql <<'SQL'
CREATE UNLOGGED TABLE bench_big AS
SELECT secs * (1 + k / 10.0) AS x FROM generate_series(0, 9) k, bench_cycle;
SELECT setseed(0.43);
CREATE UNLOGGED TABLE bench_g64 AS
SELECT (i % 8) * 8 + k AS g, s * (1 + k / 10.0) AS x
FROM generate_series(0, 7) k,
     (SELECT i, round(exp(ln(432000) + 1.0 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::numeric, 6)::float8 AS s
      FROM generate_series(0, 7999999) AS i) d;
VACUUM ANALYZE bench_big;
VACUUM ANALYZE bench_g64;
SQL
fi
spill_opts="-c work_mem=64MB -c max_parallel_workers_per_gather=0 -c jit=off"
one=bench_big
grp=bench_g64

# peak memory growth (MB) of a fresh backend running a query after a scan of its input
spill_peak_mb() { # input query
	PGOPTIONS="$spill_opts" "$PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 2>>/tmp/cx_bench_psql.log <<SQL
SELECT count(*), sum(x) FROM $1 \g /dev/null
SELECT substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\s+(\d+) kB')::bigint AS before \gset
$2 \g /dev/null
SELECT round((substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\s+(\d+) kB')::bigint - :before) / 1024.0, 1);
SQL
}
spill_bar() { # text value op limit (op: < or >=)
	if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN {exit !(op == "<" ? v < l : v >= l)}'; then
		printf '  bar: %-60s %s (%s %s)  met\n' "$1" "$2" "$3" "$4"
	else
		printf '  bar: %-60s %s (%s %s)  NOT met\n' "$1" "$2" "$3" "$4"
	fi
}

echo "exact percentiles past work_mem (work_mem = 64MB, one process, jit off; one run after a warm-up)"
s_floor=$(PGOPTIONS="$spill_opts" bench_ms "SELECT count(*), sum(x) FROM $one" 1)
s_cx=$(PGOPTIONS="$spill_opts" bench_ms "SELECT cx.percentile(x, 0.9) FROM $one" 1)
s_pc=$(PGOPTIONS="$spill_opts" bench_ms "SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY x) FROM $one" 1)
s_same=$(PGOPTIONS="$spill_opts" cx_psql -Atc "SELECT (SELECT cx.percentile(x, 0.9) FROM $one) = (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY x) FROM $one)")
s_mem=$(spill_peak_mb "$one" "SELECT cx.percentile(x, 0.9) FROM $one")
s_pcmem=$(spill_peak_mb "$one" "SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY x) FROM $one")
bench_row "100M values: count(*), sum(x)" "$s_floor"
bench_row "100M values: percentile_cont(0.9)" "$s_pc" floor "$s_floor"
bench_row "100M values: cx.percentile(x, 0.9)" "$s_cx" floor "$s_floor" percentile_cont "$s_pc"
echo "  100M values: same answer as percentile_cont: $s_same; peak memory: cx.percentile +$s_mem MB, percentile_cont +$s_pcmem MB"
g_floor=$(PGOPTIONS="$spill_opts" bench_ms "SELECT g, count(*), sum(x) FROM $grp GROUP BY g" 1)
g_cx=$(PGOPTIONS="$spill_opts" bench_ms "SELECT g, cx.percentile(x, 0.9) FROM $grp GROUP BY g" 1)
g_pc=$(PGOPTIONS="$spill_opts" bench_ms "SELECT g, percentile_cont(0.9) WITHIN GROUP (ORDER BY x) FROM $grp GROUP BY g" 1)
g_same=$(PGOPTIONS="$spill_opts" cx_psql -Atc "SELECT count(*) FROM (SELECT g, cx.percentile(x, 0.9) a FROM $grp GROUP BY g) c JOIN (SELECT g, percentile_cont(0.9) WITHIN GROUP (ORDER BY x) a FROM $grp GROUP BY g) r USING (g) WHERE c.a = r.a")
g_plan=$(PGOPTIONS="$spill_opts" cx_psql -Atc "EXPLAIN (COSTS OFF) SELECT g, cx.percentile(x, 0.9) FROM $grp GROUP BY g" | head -1)
g_mem=$(spill_peak_mb "$grp" "SELECT g, cx.percentile(x, 0.9) FROM $grp GROUP BY g")
bench_row "64 groups x 1M: count(*), sum(x)" "$g_floor"
bench_row "64 groups x 1M: percentile_cont(0.9)" "$g_pc" floor "$g_floor"
bench_row "64 groups x 1M: cx.percentile(x, 0.9)" "$g_cx" floor "$g_floor" percentile_cont "$g_pc"
echo "  64 groups: $g_same of 64 answers equal percentile_cont's; plan: $g_plan; peak memory: cx.percentile +$g_mem MB"
spill_bar "100M values: percentile_cont / cx.percentile" "$(track_ratio "$s_pc" "$s_cx")" ">=" 2
spill_bar "100M values: peak memory of cx.percentile (MB)" "$s_mem" "<" 256
spill_bar "64 groups: percentile_cont / cx.percentile" "$(track_ratio "$g_pc" "$g_cx")" ">=" 3
spill_bar "64 groups: peak memory of cx.percentile (MB)" "$g_mem" "<" 512
