#!/usr/bin/env bash
# Exact percentiles stay within a memory bound at any size: the backend's
# peak resident memory (VmHWM, read from /proc) grows by less than a stated
# bound while cx.percentile reads 16 million values (128 MB of doubles) with
# work_mem = 4MB, in one group, in 16 hash-aggregated groups and in a
# parallel plan (the leader).  Keeping every value in memory would grow it
# by 128 MB or more.  The answers are checked against the values' known
# order: x is a permutation of 1..N.
#
# VmHWM also counts the shared buffers the backend has touched, and a
# parallel leader touches as many as its share of the scan happens to be (on
# PostgreSQL 19 tens of MB more in one query than in the one before).  Those
# pages stay mapped for the backend's life, so RssShmem only grows: the peak
# less RssShmem read after the query is the private peak, short by at most
# the shared pages touched after that peak.  A state that kept its values
# would peak in its final function, after the scan, and be seen in full: the
# 1GB case below shows the measure sees states kept in memory.
# Needs PGHOST/PGPORT/PGUSER of a running server (test/run.sh sets them).
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_t_percentile_memory
trap 'cx_drop_db "$db"' EXIT
cx_fresh_db "$db" percentile_memory
ver=$(cx_psql -d "$db" -Atc "SHOW server_version_num")
[ -r /proc/self/status ] || { echo "PASS percentile_memory ($ver): skipped, no /proc"; exit 0; }

# 4M rows times 4: 4 * (a permutation of 0..4M-1) + 1..4 is a permutation of 1..16M
cx_psql -d "$db" >/dev/null <<'SQL' || { echo "FAIL percentile_memory: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
CREATE TABLE m AS SELECT ((g::bigint * 7919) % 4000000) * 4 AS base, g % 16 AS grp
FROM generate_series(0, 3999999) g;
ANALYZE m;
-- the peak less the shared memory mapped now (see above)
CREATE FUNCTION peak_kb() RETURNS bigint LANGUAGE sql AS
$$ SELECT substring(s FROM 'VmHWM:\s+(\d+) kB')::bigint - substring(s FROM 'RssShmem:\s+(\d+) kB')::bigint
   FROM pg_read_file('/proc/self/status') s $$;
SQL

bound_kb=$((32 * 1024))
n=16000000
# the 16M values: each row of m with 1..4 added (no materialized input)
input="m, LATERAL (VALUES (base + 1), (base + 2), (base + 3), (base + 4)) v(x)"
# run one query in a fresh backend, after a scan of the same input (its own
# peak, and the library loaded); prints "<growth kB> <result>"
measure() { # settings query [work_mem]
	cx_psql -d "$db" -At <<SQL
SET work_mem = '${3:-4MB}';
SET jit = off;
$1
SELECT cx.percentile(1::float8, 0.5) \\g /dev/null
SELECT count(*), sum(x) FROM $input \\g /dev/null
SELECT peak_kb() AS before \\gset
SELECT ($2) AS result \\gset
SELECT peak_kb() - :before || ' ' || :'result';
SQL
}
check() { # name growth ok
	if [ "$3" = t ] && [ "$2" -lt "$bound_kb" ]; then
		echo "PASS percentile_memory ($ver): $1 (peak memory +$(($2 / 1024)) MB, bound $((bound_kb / 1024)) MB)"
	else
		echo "FAIL percentile_memory ($ver): $1 (peak memory +$(($2 / 1024)) MB, bound $((bound_kb / 1024)) MB, answer right: $3)"
	fi
}

# one group: percentile_cont's and percentile_disc's answers over 1..N
q="SELECT abs(cx.percentile(x::float8, 0.9) - (1 + 0.9 * ($n - 1))) < 1e-6
          AND cx.percentile_disc(x::float8, 0.5) = $n / 2
   FROM $input"
read -r kb ok <<<"$(measure 'SET max_parallel_workers_per_gather = 0;' "$q")"
check "one group of $n values" "${kb:-999999999}" "${ok:-f}"

# the measurement sees states that stay in memory: with work_mem = 1GB the
# same query keeps all 128 MB in each of its two states
read -r kb ok <<<"$(measure 'SET max_parallel_workers_per_gather = 0;' "$q" 1GB)"
if [ "${ok:-f}" = t ] && [ "${kb:-0}" -ge $((120 * 1024)) ]; then
	echo "PASS percentile_memory ($ver): with work_mem = 1GB the values stay in memory (two states, peak memory +$((kb / 1024)) MB)"
else
	echo "FAIL percentile_memory ($ver): with work_mem = 1GB the peak grew by $((${kb:-0} / 1024)) MB, expected 120 MB or more"
fi

# 16 groups in a hash aggregate: the smallest and largest of each group
q="SELECT bool_and(lo = mn AND hi = mx) FROM (
     SELECT grp, cx.percentile_disc(x::float8, 0) AS lo, cx.percentile_disc(x::float8, 1) AS hi,
            min(x) AS mn, max(x) AS mx
     FROM $input GROUP BY grp) s"
read -r kb ok <<<"$(measure 'SET max_parallel_workers_per_gather = 0; SET enable_sort = off;' "$q")"
check "16 hash-aggregated groups of 1M values" "${kb:-999999999}" "${ok:-f}"

# a parallel plan: the workers hand their files to the leader
par='SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;'
q="SELECT abs(cx.percentile(x::float8, 0.25) - (1 + 0.25 * ($n - 1))) < 1e-6 FROM $input"
plan=$(cx_psql -d "$db" -At -c "$par" -c "EXPLAIN (COSTS OFF) SELECT cx.percentile(x::float8, 0.25) FROM $input")
read -r kb ok <<<"$(measure "$par" "$q")"
if ! grep -q 'Partial Aggregate' <<<"$plan"; then
	echo "FAIL percentile_memory ($ver): the parallel case has no parallel plan"
else
	check "a parallel plan, the leader" "${kb:-999999999}" "${ok:-f}"
fi
left=$(cx_psql -d "$db" -At -c "SELECT count(*) FROM pg_ls_tmpdir()")
[ "$left" = 0 ] && echo "PASS percentile_memory ($ver): no temporary file left" ||
	echo "FAIL percentile_memory ($ver): $left temporary files left"
