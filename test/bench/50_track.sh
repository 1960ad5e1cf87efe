# Tracking benchmark (sourced by test/bench.sh): bulk insert into a tracked
# table against the same table untracked and against the same tracking as a
# PL/pgSQL trigger; single-row inserts with pgbench; a backfill of historical
# rows finished late; the sweep of a large table against a sequential scan.
#
# Sizes: BENCH_TRACK_INSERT_ROWS (default 1,000,000) rows per bulk insert,
# BENCH_TRACK_ROWS (default 10,000,000) rows in the swept table,
# BENCH_TRACK_OVERDUE (default 10,000) newly overdue rows per sweep.
# shellcheck shell=bash

track_n=${BENCH_TRACK_INSERT_ROWS:-1000000}
track_big=${BENCH_TRACK_ROWS:-10000000}
track_over=${BENCH_TRACK_OVERDUE:-10000}
track_runs=${BENCH_TRACK_RUNS:-3}
track_std="'90% within 30 business days'"

cx_psql >/dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS track_apps, track_plain, track_wide, track_idx, track_plpgsql, track_hist, track_hist_plain CASCADE;
-- the demo's applications table, with the status and due columns
CREATE TABLE track_plain (id bigserial PRIMARY KEY, product_line text, channel text,
	received_at timestamptz, decided_at timestamptz, cx_status text, cx_due timestamptz);
CREATE TABLE track_apps (LIKE track_plain INCLUDING ALL);
CREATE TABLE track_wide (LIKE track_plain INCLUDING ALL);
CREATE TABLE track_idx (LIKE track_plain INCLUDING ALL);
CREATE TABLE track_plpgsql (LIKE track_plain INCLUDING ALL);
CREATE TABLE track_hist (LIKE track_plain INCLUDING ALL);
CREATE TABLE track_hist_plain (LIKE track_plain INCLUDING ALL);
SELECT cx.track('track_apps', $track_std, started => 'received_at', finished => 'decided_at', status => 'cx_status');
SELECT cx.track('track_hist', $track_std, started => 'received_at', finished => 'decided_at', status => 'cx_status');
-- floors, no trigger: the status and due values stored (track_wide), and
-- those plus the sweep index (track_idx), to show where the cost goes
-- the sweep index cx.track creates, on the floor and the PL/pgSQL tables
SELECT format('CREATE INDEX ON %s %s', t, cx._track_sweep_index('received_at', 'cx_due', 0.8))
FROM unnest(ARRAY['track_idx', 'track_plpgsql']) t \gexec
-- the same tracking written in PL/pgSQL: due time, status, log and notify per event
CREATE FUNCTION track_plpgsql_trigger() RETURNS trigger LANGUAGE plpgsql AS \$\$
DECLARE
	due timestamptz;
	st text;
	old_st text;
BEGIN
	IF NEW.received_at IS NULL THEN
		NEW.cx_status := NULL;
		NEW.cx_due := NULL;
		RETURN NEW;
	END IF;
	due := cx.due_at(NEW.received_at, $track_std, 'us_federal');
	IF NEW.decided_at IS NOT NULL THEN
		st := CASE WHEN NEW.decided_at <= due THEN 'met' ELSE 'missed' END;
	ELSIF statement_timestamp() > due THEN
		st := 'breached';
	ELSIF statement_timestamp() > cx.at_risk_time(NEW.received_at, due, 0.8) THEN
		st := 'at_risk';
	ELSE
		st := 'on_track';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		old_st := OLD.cx_status;
	END IF;
	NEW.cx_due := due;
	NEW.cx_status := st;
	IF st IN ('at_risk', 'breached', 'missed') AND st IS DISTINCT FROM old_st THEN
		INSERT INTO cx.breach_log (tbl, key, standard, started, due, finished, old_status, new_status, logged_at)
		VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, NEW.id::text, $track_std, NEW.received_at, due,
				NEW.decided_at, old_st, st, statement_timestamp());
		PERFORM pg_notify('cx_breach', json_build_object('table', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
						  'key', NEW.id::text, 'status', st, 'due', due)::text);
	END IF;
	RETURN NEW;
END
\$\$;
CREATE TRIGGER track_plpgsql BEFORE INSERT OR UPDATE ON track_plpgsql FOR EACH ROW EXECUTE FUNCTION track_plpgsql_trigger();
SQL

# 1. bulk insert of on-track rows (received in the last 5 days, in time order);
# track_ins TABLE fill also stores a status and a due time as the trigger
# would, as constants, so the floor measures storing them and nothing else
track_due=$(cx_psql -Atc "SELECT quote_literal(now() + interval '40 days')")
track_ins() {
	if [ "${2:-}" = fill ]; then
		echo "INSERT INTO $1 (product_line, channel, received_at, cx_status, cx_due) SELECT 'line ' || (i % 12), 'web', now() - interval '5 days' + i * (interval '5 days' / $track_n), 'on_track', timestamptz $track_due FROM generate_series(1, $track_n) i;"
	else
		echo "INSERT INTO $1 (product_line, channel, received_at) SELECT 'line ' || (i % 12), 'web', now() - interval '5 days' + i * (interval '5 days' / $track_n) FROM generate_series(1, $track_n) i;"
	fi
}
# rounds alternate the five tables, so the machine's drift falls on all of
# them alike; each ratio is the median of the rounds' ratios
track_irounds=${BENCH_TRACK_INSERT_ROUNDS:-5}
i_plain= i_wide= i_idx= i_apps= i_plpg= r_apps= r_add= r_floor=
for ((r = 0; r < track_irounds; r++)); do
	a=$(track_ms "TRUNCATE track_plain;" "$(track_ins track_plain)" 1)
	b=$(track_ms "TRUNCATE track_wide;" "$(track_ins track_wide fill)" 1)
	c=$(track_ms "TRUNCATE track_idx;" "$(track_ins track_idx fill)" 1)
	d=$(track_ms "TRUNCATE track_apps;" "$(track_ins track_apps)" 1)
	e=$(track_ms "TRUNCATE track_plpgsql;" "$(track_ins track_plpgsql)" 1)
	i_plain="$i_plain $a" i_wide="$i_wide $b" i_idx="$i_idx $c" i_apps="$i_apps $d" i_plpg="$i_plpg $e"
	r_apps="$r_apps $(track_ratio "$d" "$a")"
	r_floor="$r_floor $(track_ratio "$d" "$c")"
	r_add="$r_add $(track_ratio "$(awk -v x="$d" -v y="$a" 'BEGIN {print x - y}')" "$(awk -v x="$e" -v y="$a" 'BEGIN {print x - y}')")"
done
t_plain=$(track_median $i_plain)
t_wide=$(track_median $i_wide)
t_idx=$(track_median $i_idx)
t_apps=$(track_median $i_apps)
t_plpg=$(track_median $i_plpg)
echo "  bulk INSERT ... SELECT of $track_n on-track rows ($track_irounds alternating rounds; medians):"
bench_row "untracked (reference)" "$t_plain"
bench_row "floor: status, due stored (constants); no trigger" "$t_wide" untracked "$t_plain"
bench_row "floor: status, due stored (constants) + sweep index" "$t_idx" untracked "$t_plain"
bench_row "tracked: C trigger + sweep index" "$t_apps" untracked "$t_plain" "untracked+index" "$t_idx"
bench_row "PL/pgSQL trigger + sweep index" "$t_plpg" untracked "$t_plain"
echo "  round ratios tracked/untracked:$r_apps; C added/PL/pgSQL added:$r_add"
echo "  round ratios tracked/floor with the sweep index:$r_floor"
track_bar "tracked / untracked (median round)" "$(track_median $r_apps)" "<=" 1.25
track_bar "tracked / storage floor (status, due, sweep index; median round)" "$(track_median $r_floor)" "<=" 1.10
track_bar "C added cost / PL/pgSQL added cost (median round)" "$(track_median $r_add)" "<=" 0.5

# 2. single-row inserts with pgbench (4 clients): rounds alternate untracked
# and tracked runs; the ratio is the median of the rounds' ratios
track_pgbench() {
	local f
	f=$(mktemp)
	echo "INSERT INTO $1 (product_line, channel, received_at) VALUES ('line 1', 'web', now() - random() * interval '5 days');" >"$f"
	cx_psql -c "TRUNCATE $1"
	"$PG_BINDIR/pgbench" -n -c 4 -j 2 -T "${BENCH_TRACK_PGBENCH_SECS:-5}" -f "$f" 2>/dev/null |
		sed -n 's/^tps = \([0-9.]*\).*/\1/p'
	rm -f "$f"
}
track_rounds=${BENCH_TRACK_PGBENCH_ROUNDS:-5}
p_plain_all= p_apps_all= p_ratios=
for ((r = 0; r < track_rounds; r++)); do
	a=$(track_pgbench track_plain)
	b=$(track_pgbench track_apps)
	p_plain_all="$p_plain_all $a"
	p_apps_all="$p_apps_all $b"
	p_ratios="$p_ratios $(track_ratio "$b" "$a")"
done
p_plain=$(track_median $p_plain_all)
p_apps=$(track_median $p_apps_all)
p_ratio=$(track_median $p_ratios)
echo "  single-row INSERT with pgbench, 4 clients ($track_rounds alternating rounds of ${BENCH_TRACK_PGBENCH_SECS:-5} s; medians):"
printf '  %-46s %10.0f tps\n' "untracked (reference)" "$p_plain"
printf '  %-46s %10.0f tps   %6.2fx untracked (median of round ratios:%s)\n' "tracked" "$p_apps" "$p_ratio" "$p_ratios"
track_bar "tracked tps / untracked tps (median round)" "$p_ratio" ">=" 0.9

# 3. backfill of historical rows over two years, about 80% decided late
track_hist() {
	echo "INSERT INTO $1 (product_line, channel, received_at, decided_at)
	SELECT 'line ' || (i % 12), 'mail', r, r + CASE WHEN i % 5 = 0 THEN interval '20 days' ELSE interval '60 days' END
	FROM (SELECT i, now() - interval '2 years' + i * (interval '700 days' / $track_n) AS r FROM generate_series(1, $track_n) i) s;"
}
echo "  backfill of $track_n historical rows, 80% decided late (median of $track_runs):"
t_hplain=$(track_ms "TRUNCATE track_hist_plain;" "$(track_hist track_hist_plain)")
t_hist=$(track_ms "TRUNCATE track_hist; TRUNCATE cx.breach_log;" "$(track_hist track_hist)")
bench_row "untracked load (reference)" "$t_hplain"
bench_row "tracked load (log written, notifications coalesced)" "$t_hist" untracked "$t_hplain"
track_bar "tracked backfill / untracked" "$(track_ratio "$t_hist" "$t_hplain")" "<=" 2.5
# count what one backfill statement logs and announces (the session listens itself)
cx_psql -c "TRUNCATE track_hist; TRUNCATE cx.breach_log"
notes=$({ echo "LISTEN cx_breach;"; track_hist track_hist; } | "$PG_BINDIR/psql" -X -v ON_ERROR_STOP=1 2>&1 | grep -c '^Asynchronous notification "cx_breach"')
logged=$(cx_psql -Atc "SELECT count(*) FROM cx.breach_log WHERE tbl = 'public.track_hist'")
late=$(cx_psql -Atc "SELECT count(*) FROM track_hist WHERE cx_status = 'missed'")
printf '  backfill statement: %s missed rows, %s log rows, %s notifications (%s single + 1 summary)\n' "$late" "$logged" "$notes" "$((notes - 1))"
if [ "$logged" = "$late" ] && [ "$notes" -le 101 ]; then
	echo "  bar: every transition logged, notifications bounded (<= 101 per statement)  met"
else
	echo "  bar: every transition logged, notifications bounded  NOT met"
fi
cx_psql -c "TRUNCATE track_hist, track_hist_plain, track_apps, track_plain, track_wide, track_idx, track_plpgsql; TRUNCATE cx.breach_log" >/dev/null

# 4. the sweep of a big tracked table with newly overdue rows.  The standard
# is in elapsed days, so rows fall due at any instant (business-day due times
# fall at the end of a day), and rows can be made to fall due just after the
# previous sweep.
big_std="'90% within 42 days'"
if [ "$(cx_psql -Atc "SELECT count(*) FROM cx.tracked WHERE tbl = to_regclass('track_big') AND standard::text = $big_std
		AND EXISTS (SELECT 1 FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relname = sweep_index AND a.amname = 'brin')")" != 1 ] ||
	[ "$(cx_psql -Atc "SELECT count(*) FROM track_big")" != "$track_big" ]; then
	cx_say "creating track_big with $track_big rows (two years, statuses computed in bulk, then tracked)"
	cx_psql >/dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS track_big;
CREATE TABLE track_big (id bigserial PRIMARY KEY, product_line text, channel text,
	received_at timestamptz, decided_at timestamptz, cx_status text, cx_due timestamptz);
-- 2 years of applications; 4 in 5 decided (20 or 60 days), the rest of the last 40 days open
INSERT INTO track_big (id, product_line, channel, received_at, decided_at, cx_status, cx_due)
SELECT i, 'line ' || (i % 12), 'web', r, d,
	   CASE WHEN d IS NOT NULL THEN CASE WHEN d <= due THEN 'met' ELSE 'missed' END
			WHEN now() > due THEN 'breached'
			WHEN now() > cx.at_risk_time(r, due, 0.8) THEN 'at_risk'
			ELSE 'on_track' END,
	   due
FROM (SELECT i, r, cx.due_at(r, $big_std, 'us_federal') AS due,
			 CASE WHEN i % 5 = 0 AND r > now() - interval '40 days' THEN NULL
				  WHEN r + interval '60 days' < now() AND i % 3 = 0 THEN r + interval '60 days'
				  WHEN r + interval '20 days' < now() THEN r + interval '20 days' END AS d
	  FROM (SELECT i, now() - interval '730 days' + i * (interval '729 days' / $track_big) AS r
			FROM generate_series(1, $track_big) i) g) s;
SELECT setval('track_big_id_seq', $track_big);
SELECT cx.track('track_big', $big_std, started => 'received_at', finished => 'decided_at',
				status => 'cx_status', backfill => false);
VACUUM (FREEZE, ANALYZE) track_big;
SQL
fi
# the first sweep of a freshly tracked table looks at every open row and
# leaves the mark; later sweeps look from the mark on
cx_psql -Atc "SELECT cx.sweep('track_big')" >/dev/null
# newly overdue: open rows that fall due in the half second before the
# setup's end, after the previous sweep, whose status was written while they
# were on track (written with triggers off)
track_stale="SELECT pg_sleep(1);
SET session_replication_role = replica;
UPDATE track_big SET received_at = now() - interval '42 days' - (id % 1000) * interval '0.5 ms', cx_status = 'on_track',
	cx_due = now() - (id % 1000) * interval '0.5 ms'
WHERE id IN (SELECT id FROM track_big WHERE decided_at IS NULL AND cx_status IN ('on_track', 'at_risk', 'breached')
				ORDER BY id DESC LIMIT $track_over);
RESET session_replication_role;
VACUUM track_big;"
# the window of rows the next sweep looks at: from the table's mark to now
track_window() {
	local m
	m=$(cx_psql -Atc "SELECT swept_to FROM cx.tracked WHERE tbl = 'track_big'::regclass")
	echo "(cx_due >= '$m' AND cx_due < statement_timestamp()
	OR cx.at_risk_time(received_at, cx_due, 0.8::float8) >= '$m'
	   AND cx.at_risk_time(received_at, cx_due, 0.8::float8) < statement_timestamp() AND cx_status = 'on_track')
  AND decided_at IS NULL AND cx_status IN ('on_track', 'at_risk')"
}
echo "  sweep of track_big ($track_big rows, $track_over newly overdue; plan of the row selection):"
printf '%s\n' "$track_stale" | cx_psql >/dev/null
cx_psql -At <<SQL | sed 's/^/    /'
SET enable_seqscan = off;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF)
SELECT ctid FROM track_big WHERE $(track_window);
SQL
flipped=$(cx_psql -Atc "SELECT flipped FROM cx.sweep('track_big')")
t_sweep=$(track_ms "$track_stale" "SELECT cx.sweep('track_big');" 5)
# floor: the same rows flipped by a bare UPDATE with triggers off (no trigger, no log)
t_floor=$(track_ms "$track_stale
SET session_replication_role = replica;" "UPDATE track_big SET cx_status = CASE WHEN cx_status = 'on_track' AND now() <= cx_due THEN 'at_risk' ELSE 'breached' END
WHERE ctid = ANY (ARRAY(SELECT ctid FROM track_big WHERE $(track_window) FOR UPDATE SKIP LOCKED));" 5)
# the same flips, trigger and log, rows found by a sequential scan (cx.sweep
# itself always asks the index)
t_seqsweep=$(PGOPTIONS="-c enable_indexscan=off -c enable_bitmapscan=off" track_ms "$track_stale" "UPDATE track_big SET cx_status = cx_status
WHERE ctid = ANY (ARRAY(SELECT ctid FROM track_big WHERE $(track_window) FOR UPDATE SKIP LOCKED));" 3)
t_seq=$(bench_ms "SELECT count(*) FROM track_big;" 5)
t_seq1=$(PGOPTIONS="-c max_parallel_workers_per_gather=0" bench_ms "SELECT count(*) FROM track_big;" 5)
bench_row "sequential scan, parallel (reference)" "$t_seq"
bench_row "sequential scan, one process" "$t_seq1" "parallel" "$t_seq"
bench_row "the same flips and log, rows found by a sequential scan" "$t_seqsweep" "parallel scan" "$t_seq"
bench_row "floor: the same flips, triggers off, no log" "$t_floor" "parallel scan" "$t_seq" "serial scan" "$t_seq1"
bench_row "cx.sweep ($flipped rows flipped and logged)" "$t_sweep" "parallel scan" "$t_seq" "serial scan" "$t_seq1" "seq-scan sweep" "$t_seqsweep" "floor" "$t_floor"
track_bar "sweep / parallel sequential scan (count(*))" "$(track_ratio "$t_sweep" "$t_seq")" "<=" 0.05
track_bar "sweep / the same flips with rows found by a sequential scan" "$(track_ratio "$t_sweep" "$t_seqsweep")" "<=" 0.05
cx_psql -c "TRUNCATE cx.breach_log" >/dev/null

# cohort verdicts over track_big (24 months x 12 product lines), beside a
# plain GROUP BY count of the same rows into the same cohorts
echo "  cohort verdicts of track_big ($track_big rows; median of 5):"
t_grp=$(bench_ms "SELECT date_trunc('month', timezone('America/New_York', received_at))::date, product_line, count(*)
FROM track_big WHERE received_at <= now() GROUP BY 1, 2;" 5)
t_coh=$(bench_ms "SELECT count(*) FROM cx.cohorts('track_big', 'month', 'product_line');" 5)
bench_row "GROUP BY month, product line: count(*) (reference)" "$t_grp"
bench_row "cx.cohorts(track_big, month, product_line)" "$t_coh" "GROUP BY count" "$t_grp"
track_bar "cohort verdicts / GROUP BY count" "$(track_ratio "$t_coh" "$t_grp")" "<=" 2
