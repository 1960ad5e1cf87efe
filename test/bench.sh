#!/usr/bin/env bash
# make bench: benchmarks, not tests.  Starts a throwaway cluster with default
# settings (2 parallel workers per gather), then runs each part in
# test/bench/*.sh (sourced, in name order).  Every figure is the median of
# several runs and is printed beside the reference measured in the same run.
set -u
. "$(dirname "$0")/lib.sh"
cd "$CX_ROOT" || exit 2
cx_lock
cx_ensure_deps || exit 1
cx_try_packages "postgresql-$PG_MAJOR-tdigest" || cx_say "tdigest comparison will be skipped"
cx_build_install || exit 1
CX_EXTRA_CONF="shared_buffers = '2GB'
work_mem = '256MB'
maintenance_work_mem = '1GB'
max_parallel_workers_per_gather = 2
max_wal_size = '8GB'
checkpoint_timeout = '30min'"
cx_cluster_start || exit 1
cx_psql -d postgres -c "CREATE DATABASE cx_bench" || exit 1
export PGDATABASE=cx_bench
cx_psql -c "CREATE EXTENSION cx_metrics" || exit 1
BENCH_RUNS=${BENCH_RUNS:-5}

# Median wall time in ms of running SQL $BENCH_RUNS times (after one warm-up).
bench_ms() {
	local sql=$1 runs=${2:-$BENCH_RUNS} i
	{
		echo '\timing on'
		for ((i = 0; i <= runs; i++)); do echo "${sql%;};"; done
	} | "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -o /dev/null 2>&1 |
		tee -a /tmp/cx_bench_psql.log |
		sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n +2 | sort -g |
		awk '{a[NR]=$1} END {if (NR == 0) print "NaN"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

# Print one row of a results table: label, ms, then ratio to each reference ms.
bench_row() {
	local label=$1 ms=$2; shift 2
	printf '  %-46s %10.1f ms' "$label" "$ms"
	while [ $# -gt 0 ]; do
		printf '   %6.2fx %s' "$(awk -v a="$ms" -v b="$2" 'BEGIN {print (b > 0 ? a / b : 0)}')" "$1"
		shift 2
	done
	printf '\n'
}

# The shared 10-million-row table of lognormal cycle times (median 5 days),
# as double precision seconds and as interval, over 12 product lines.
bench_durations_table() {
	local rows=${BENCH_ROWS:-10000000}
	[ "$(cx_psql -Atc "SELECT to_regclass('bench_cycle') IS NOT NULL")" = t ] && return 0
	cx_say "creating bench_cycle with $rows rows"
	cx_psql <<SQL
SELECT setseed(0.42);
CREATE TABLE bench_cycle AS
SELECT (i % 12) + 1 AS product_line, s AS secs, make_interval(secs => s) AS dur
FROM (SELECT i, round(exp(ln(432000) + 1.0 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))::numeric, 6)::float8 AS s
      FROM generate_series(1, $rows) AS i) g;
VACUUM ANALYZE bench_cycle;
SQL
}

# Helpers of the tracking parts (test/bench/5*_track*.sh).
# Median wall ms of the timed SQL over runs, running the setup SQL untimed before each.
track_ms() {
	local setup=$1 timed=$2 runs=${3:-$track_runs} i
	{
		for ((i = 0; i < runs; i++)); do
			echo '\timing off'
			echo "$setup"
			echo '\timing on'
			echo "$timed"
		done
	} | "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -o /dev/null 2>&1 |
		sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | sort -g |
		awk '{a[NR]=$1} END {if (NR == 0) print "NaN"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

# a ratio a/b with two decimals
track_ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }

# PASS/FAIL-style verdict line for a bar
track_bar() { # text value op limit
	if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN {exit !(op == "<=" ? v <= l : v >= l)}'; then
		printf '  bar: %-60s %s (%s %s)  met\n' "$1" "$2" "$3" "$4"
	else
		printf '  bar: %-60s %s (%s %s)  NOT met\n' "$1" "$2" "$3" "$4"
	fi
}

# the median of numbers
track_median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# BENCH_ONLY=name runs only the parts whose file name contains name.
for part in test/bench/*.sh; do
	[ -e "$part" ] || continue
	case $(basename "$part") in *"${BENCH_ONLY:-}"*) ;; *) continue ;; esac
	echo
	echo "== $(basename "$part" .sh)"
	. "$part"
done
cx_cluster_stop
trap - EXIT
