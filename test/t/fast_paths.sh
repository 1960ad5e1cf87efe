#!/usr/bin/env bash
# The code that reaches into executor and heap internals takes its fast path
# on this PostgreSQL version, and its public fallback when it must, with the
# same results either way: the tracking trigger's in-place write (and the new
# row it forms otherwise), the breach log's direct writer (and its SPI
# fallback), and the parallel percentiles' transfer of partial states through
# the Gather node's shared memory (and through the tuple queue).  Each path
# announces itself at DEBUG1; the results are checked against plain SQL.
# Needs PGHOST/PGPORT/PGUSER of a running server (test/run.sh sets them).
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_t_fast_paths
trap 'cx_drop_db "$db"' EXIT
cx_fresh_db "$db" fast_paths
ver=$(cx_psql -d "$db" -Atc "SHOW server_version_num")

cx_psql -d "$db" >/dev/null <<'SQL' || { echo "FAIL fast_paths: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
CREATE TABLE apps (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
SELECT cx.track('apps', 'within 10 days', started => 'received_at', finished => 'decided_at',
				status => 'cx_status', key => 'id');
-- the independent reference: the status from the stored due time
CREATE FUNCTION expected(r apps) RETURNS text LANGUAGE sql AS $$
	SELECT CASE
		WHEN r.received_at IS NULL THEN NULL
		WHEN r.decided_at IS NOT NULL THEN CASE WHEN r.decided_at <= r.cx_due THEN 'met' ELSE 'missed' END
		WHEN statement_timestamp() > r.cx_due THEN 'breached'
		WHEN extract(epoch FROM statement_timestamp()) >
			 extract(epoch FROM r.received_at) + 0.8 * extract(epoch FROM r.cx_due - r.received_at) THEN 'at_risk'
		ELSE 'on_track' END
$$;
CREATE TABLE nums AS SELECT (random() * 1e6)::int::float8 AS x FROM generate_series(1, 400000);
ANALYZE nums;
SQL

# run SQL at DEBUG1 and keep the extension's own messages
debug() { cx_psql -d "$db" -c "SET client_min_messages = debug1" "$@" 2>&1 | grep 'cx_metrics:' ; }
check() { # what expected-count actual-count
	if [ "$3" -ge "$2" ] && [ "$2" -gt 0 -o "$3" -eq 0 ]; then echo "PASS fast_paths ($ver): $1"; else echo "FAIL fast_paths ($ver): $1 (expected $2, got $3)"; fi
}
rows_ok() { # label: every row's status and due agree with the reference
	local bad
	bad=$(cx_psql -d "$db" -Atc "SELECT count(*) FROM apps WHERE cx_status IS DISTINCT FROM expected(apps)
		OR cx_due IS DISTINCT FROM CASE WHEN received_at IS NULL THEN NULL ELSE cx.due_at(received_at, 'within 10 days', 'us_federal') END")
	[ "$bad" = 0 ] && echo "PASS fast_paths ($ver): $1" || echo "FAIL fast_paths ($ver): $1 ($bad rows wrong)"
}

# 1. the trigger writes status and due in place over the defaults cx.track
# gave (text 'on_track'): every row whose status has the default's length;
# the others (at_risk, missed, met) are formed anew
out=$(debug -c "INSERT INTO apps SELECT g, now() - g * interval '1 day', NULL FROM generate_series(1, 20) g")
same=$(cx_psql -d "$db" -Atc "SELECT count(*) FROM apps WHERE length(cx_status) = length('on_track')")
[ "$(grep -c 'written in place' <<<"$out")" = "$same" ] && [ "$same" -gt 0 ] &&
	[ "$(grep -c 'formed anew' <<<"$out")" = $((20 - same)) ] &&
	echo "PASS fast_paths ($ver): new rows written in place by the trigger ($same of 20; the rest formed anew)" ||
	echo "FAIL fast_paths ($ver): in place $(grep -c 'written in place' <<<"$out") of 20, $same expected"
rows_ok "rows written in place hold the reference status and due"

# 2. a row another trigger's WHEN clause has taken apart is formed anew
cx_psql -d "$db" -c "CREATE FUNCTION never() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'fired'; END \$\$" \
	-c "CREATE TRIGGER a_reads BEFORE INSERT OR UPDATE ON apps FOR EACH ROW WHEN (NEW.cx_due IS NULL) EXECUTE FUNCTION never()" >/dev/null
out=$(debug -c "INSERT INTO apps SELECT g, now() - (g - 20) * interval '1 day', NULL FROM generate_series(21, 30) g")
check "rows read by another trigger first are formed anew" 10 "$(grep -c 'formed anew' <<<"$out")"
check "and none of them written in place" 0 "$(grep -c 'written in place' <<<"$out")"
rows_ok "rows formed anew hold the reference status and due"
cx_psql -d "$db" -c "DROP TRIGGER a_reads ON apps" >/dev/null

# 3. events go to the log through the direct writer
n_events() { cx_psql -d "$db" -Atc "SELECT count(*) FROM cx.breach_log WHERE tbl = 'public.apps' AND new_status = '$1'"; }
out=$(debug -c "UPDATE apps SET decided_at = now() WHERE id BETWEEN 1 AND 15")
check "the log rows of a statement written directly" 1 "$(grep -c 'breach log rows written directly' <<<"$out")"
want=$(cx_psql -d "$db" -Atc "SELECT count(*) FROM apps WHERE id BETWEEN 1 AND 15 AND cx_status = 'missed'")
[ "$(n_events missed)" = "$want" ] && [ "$want" -gt 0 ] &&
	echo "PASS fast_paths ($ver): the direct writer logged one event per missed row ($want)" ||
	echo "FAIL fast_paths ($ver): direct writer logged $(n_events missed) missed events, $want rows missed"
rows_ok "rows after the update hold the reference status and due"

# 4. an expression index on the log sends the writer through SPI
cx_psql -d "$db" -c "CREATE INDEX log_lower_key ON cx.breach_log ((lower(key)))" >/dev/null
before=$(n_events missed)
out=$(debug -c "UPDATE apps SET decided_at = now() WHERE id BETWEEN 16 AND 30")
check "with an expression index on the log, the log rows go through SPI" 1 "$(grep -c 'written through SPI' <<<"$out")"
check "and not through the direct writer" 0 "$(grep -c 'written directly' <<<"$out")"
want=$(cx_psql -d "$db" -Atc "SELECT count(*) FROM apps WHERE cx_status = 'missed'")
[ "$(n_events missed)" = "$want" ] && [ "$want" -gt "$before" ] &&
	echo "PASS fast_paths ($ver): the SPI writer logged one event per missed row ($want in all)" ||
	echo "FAIL fast_paths ($ver): SPI writer: $(n_events missed) missed events, $want rows missed"
[ "$(cx_psql -d "$db" -Atc "SET enable_seqscan = off; SELECT count(*) FROM cx.breach_log WHERE lower(key) = '20'")" = \
	"$(cx_psql -d "$db" -Atc "SELECT count(*) FROM cx.breach_log WHERE key = '20'")" ] &&
	echo "PASS fast_paths ($ver): the log's expression index holds the SPI writer's rows" ||
	echo "FAIL fast_paths ($ver): the log's expression index disagrees with the table"
cx_psql -d "$db" -c "DROP INDEX cx.log_lower_key" >/dev/null
[ "$(cx_psql -d "$db" -Atc "SELECT count(*) FROM cx.breach_log WHERE id IS NULL OR relid <> 'apps'::regclass OR key IS NULL")" = 0 ] &&
	echo "PASS fast_paths ($ver): every log row has its id, table and key" ||
	echo "FAIL fast_paths ($ver): log rows without id, table or key"

# 4b. (a row whose key column is NULL is logged without a key) a NOT NULL
# constraint added to the log stops the direct writer where
# an INSERT would stop, with the same error; a column of another type sends
# the writer through SQL
cx_psql -d "$db" >/dev/null <<'SQL' || echo "FAIL fast_paths ($ver): setup of the keyless table"
CREATE TABLE nokey (id int, received_at timestamptz, decided_at timestamptz, cx_status text);
SELECT cx.track('nokey', 'within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status', key => 'id');
ALTER TABLE cx.breach_log ALTER COLUMN key SET NOT NULL;
SQL
ins="INSERT INTO nokey VALUES (NULL, now() - interval '30 days', NULL)"
direct=$(cx_psql -d "$db" -c "$ins" 2>&1 | grep ERROR)
cx_psql -d "$db" -c "CREATE INDEX log_lower_key ON cx.breach_log ((lower(key)))" >/dev/null
viaspi=$(cx_psql -d "$db" -c "$ins" 2>&1 | grep ERROR)
cx_psql -d "$db" -c "DROP INDEX cx.log_lower_key" -c "ALTER TABLE cx.breach_log ALTER COLUMN key DROP NOT NULL" >/dev/null
case $direct in
*'null value in column "key" of relation "breach_log" violates not-null constraint'*)
	[ "$direct" = "$viaspi" ] && echo "PASS fast_paths ($ver): a NOT NULL added to the log stops the direct writer as it stops an INSERT" ||
		echo "FAIL fast_paths ($ver): NOT NULL: direct '$direct', SQL '$viaspi'" ;;
*) echo "FAIL fast_paths ($ver): the direct writer ignored a NOT NULL on the log: '$direct'" ;;
esac
[ "$(cx_psql -d "$db" -Atc "SELECT count(*) FROM nokey")" = 0 ] &&
	echo "PASS fast_paths ($ver): the refused statement left no row" || echo "FAIL fast_paths ($ver): a refused row was kept"
cx_psql -d "$db" -c "ALTER TABLE cx.breach_log ALTER COLUMN score TYPE numeric" >/dev/null
out=$(debug -c "$ins")
check "a log column of another type sends the writer through SPI" 1 "$(grep -c 'written through SPI' <<<"$out")"
[ "$(cx_psql -d "$db" -Atc "SELECT count(*) FROM cx.breach_log WHERE relid = 'nokey'::regclass AND key IS NULL AND new_status = 'breached'")" = 1 ] &&
	echo "PASS fast_paths ($ver): and its row is logged" || echo "FAIL fast_paths ($ver): the row of the retyped log is missing"
cx_psql -d "$db" -c "ALTER TABLE cx.breach_log ALTER COLUMN score TYPE float8" >/dev/null
out=$(debug -c "UPDATE nokey SET decided_at = now()")
check "back to its own type, the log is written directly again" 1 "$(grep -c 'written directly' <<<"$out")"
# a type modifier (rounding) and a rule on the log send it through SQL too
cx_psql -d "$db" -c "ALTER TABLE cx.breach_log ALTER COLUMN logged_at TYPE timestamptz(0)" >/dev/null
out=$(debug -c "INSERT INTO nokey VALUES (NULL, now() - interval '40 days', NULL)")
check "a log column with a type modifier sends the writer through SPI" 1 "$(grep -c 'written through SPI' <<<"$out")"
[ "$(cx_psql -d "$db" -Atc "SELECT count(*) FROM cx.breach_log WHERE logged_at <> date_trunc('second', logged_at) AND id = (SELECT max(id) FROM cx.breach_log)")" = 0 ] &&
	echo "PASS fast_paths ($ver): and its rows are rounded as the column says" || echo "FAIL fast_paths ($ver): an unrounded logged_at in a timestamptz(0) column"
cx_psql -d "$db" -c "ALTER TABLE cx.breach_log ALTER COLUMN logged_at TYPE timestamptz" \
	-c "CREATE TABLE log_audit (n int)" \
	-c "CREATE RULE log_audit AS ON INSERT TO cx.breach_log DO ALSO INSERT INTO public.log_audit VALUES (1)" >/dev/null
out=$(debug -c "INSERT INTO nokey VALUES (NULL, now() - interval '50 days', NULL)")
check "a rule on the log sends the writer through SPI" 1 "$(grep -c 'written through SPI' <<<"$out")"
[ "$(cx_psql -d "$db" -Atc "SELECT count(*) FROM log_audit")" = 1 ] &&
	echo "PASS fast_paths ($ver): and the rule ran" || echo "FAIL fast_paths ($ver): the rule on the log did not run"
cx_psql -d "$db" -c "DROP RULE log_audit ON cx.breach_log" >/dev/null

# 5. parallel percentiles: partial states through the Gather node's shared memory
par="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
	SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;"
plan=$(cx_psql -d "$db" -Atc "$par EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT cx.percentile(x, 0.9) FROM nums")
launched=$(sed -n 's/.*Workers Launched: \([0-9]*\).*/\1/p' <<<"$plan")
if [ "${launched:-0}" -gt 0 ]; then
	echo "PASS fast_paths ($ver): the percentile ran in a parallel plan ($launched workers)"
else
	echo "FAIL fast_paths ($ver): no parallel workers launched: $plan"
fi
ref=$(cx_psql -d "$db" -Atc "SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY x) FROM nums")
for mode in on off; do
	out=$(cx_psql -d "$db" -At -c "SET client_min_messages = debug1" -c "SET cx.shared_transfer = $mode" \
		-c "$par" -c "SELECT cx.percentile(x, 0.9) FROM nums" 2>&1)
	got=$(grep -v 'DEBUG\|^SET' <<<"$out" | tail -1)
	shm=$(grep -c 'read from shared memory' <<<"$out")
	if [ $mode = on ]; then
		check "partial states read from the Gather's shared memory" 1 "$shm"
	else
		check "with cx.shared_transfer off, none through shared memory" 0 "$shm"
	fi
	[ "$got" = "$ref" ] && echo "PASS fast_paths ($ver): parallel percentile (shared_transfer $mode) equals percentile_cont" ||
		echo "FAIL fast_paths ($ver): parallel percentile (shared_transfer $mode) $got, percentile_cont $ref"
done
