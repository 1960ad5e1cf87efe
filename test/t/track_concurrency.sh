#!/usr/bin/env bash
# Concurrency: pgbench with 8 clients inserts, closes, reopens and touches
# rows of a table tracked under two clocks (decide, acknowledge) while
# sweeps run beside them, for 10 seconds.  Some inserts meet an existing
# row (ON CONFLICT DO NOTHING, DO UPDATE): their proposed rows are never
# stored, so their events must not be logged.
# Rows start just before their at-risk instant, so time alone moves them.
# A plain audit trigger records every row version in lock order; afterwards
# the breach log must hold exactly the events of that history (each
# transition once, nothing extra), and after a last sweep no status is stale.
# On a difference it prints the differing events and the history of their rows.
#   CX_CONC_SECONDS (10), CX_CONC_CLIENTS (8): how long and how many clients
#   CX_CONC_IDS (1000000000): new rows' ids are drawn from 2001 .. this, so a
#     smaller value makes INSERT ... ON CONFLICT DO NOTHING meet existing rows
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_t_track_conc
dir=$(mktemp -d)
trap 'rm -rf "$dir"; cx_drop_db "$db"' EXIT
seconds=${CX_CONC_SECONDS:-10} clients=${CX_CONC_CLIENTS:-8} ids=${CX_CONC_IDS:-1000000000}

cx_fresh_db "$db" track_concurrency
cx_psql -d "$db" >/dev/null <<'SQL' || { echo "FAIL track_concurrency: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
CREATE TABLE apps (id bigint PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text, touched int DEFAULT 0,
				   acked_at timestamptz, ack_status text);
CREATE SEQUENCE audit_seq;
CREATE TABLE audit (seq bigint, id bigint, clock name, status text);
CREATE INDEX ON audit (id, clock, seq);
-- every row version, in the order writers of a row held its lock
-- (cx.sweep runs it as the table's owner under search_path pg_catalog, pg_temp)
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
	INSERT INTO audit VALUES (nextval('audit_seq'), NEW.id, 'default', NEW.cx_status),
		(nextval('audit_seq'), NEW.id, 'acknowledge', NEW.ack_status);
	RETURN NULL;
END $$;
CREATE TRIGGER zz_audit AFTER INSERT OR UPDATE ON apps FOR EACH ROW EXECUTE FUNCTION audit_row();
SELECT cx.track('apps', 'within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
SELECT cx.track('apps', 'within 9 days', started => 'received_at', finished => 'acked_at', status => 'ack_status',
				clock => 'acknowledge');
-- 2000 rows: at-risk instants spread over the next 12 seconds, some long overdue
INSERT INTO apps (id, received_at)
SELECT i, CASE WHEN i % 4 = 0 THEN now() - interval '11 days' ELSE now() - interval '8 days' + (i % 12) * interval '1 second' END
FROM generate_series(1, 2000) i;
SQL

cat >"$dir/insert.sql" <<SQL
\\set id random(2001, $ids)
INSERT INTO apps (id, received_at) VALUES (:id, now() - interval '8 days' + random() * interval '12 seconds') ON CONFLICT DO NOTHING;
SQL
# the proposed rows would be breached (both clocks), or at_risk and breached
cat >"$dir/conflict.sql" <<'SQL'
\set id random(1, 2000)
INSERT INTO apps (id, received_at) VALUES (:id, now() - interval '11 days') ON CONFLICT DO NOTHING;
SQL
cat >"$dir/upsert.sql" <<'SQL'
\set id random(1, 2000)
INSERT INTO apps (id, received_at) VALUES (:id, now() - interval '9 days 12 hours')
ON CONFLICT (id) DO UPDATE SET touched = apps.touched + 1;
SQL
cat >"$dir/close.sql" <<'SQL'
\set id random(1, 2000)
UPDATE apps SET decided_at = now() WHERE id = :id AND decided_at IS NULL;
SQL
cat >"$dir/reopen.sql" <<'SQL'
\set id random(1, 2000)
UPDATE apps SET decided_at = NULL WHERE id = :id AND decided_at IS NOT NULL;
SQL
cat >"$dir/ack.sql" <<'SQL'
\set id random(1, 2000)
UPDATE apps SET acked_at = CASE WHEN acked_at IS NULL THEN now() END WHERE id = :id;
SQL
cat >"$dir/touch.sql" <<'SQL'
\set id random(1, 2000)
BEGIN;
UPDATE apps SET touched = touched + 1 WHERE id = :id;
UPDATE apps SET touched = touched + 1 WHERE id = :id + 1;
COMMIT;
SQL
cat >"$dir/sweep.sql" <<'SQL'
SELECT cx.sweep();
SQL

"$PG_BINDIR/pgbench" -n -c "$clients" -j 2 -T "$seconds" -d "$db" \
	-f "$dir/insert.sql@4" -f "$dir/close.sql@3" -f "$dir/reopen.sql@3" -f "$dir/touch.sql@3" -f "$dir/ack.sql@3" -f "$dir/sweep.sql@1" \
	-f "$dir/conflict.sql@1" -f "$dir/upsert.sql@1" \
	>"$dir/pgbench.log" 2>&1
code=$?
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$dir/pgbench.log")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$dir/pgbench.log")
if [ $code -eq 0 ] && [ "${tx:-0}" -gt 100 ] && [ "${failed:-0}" -eq 0 ]; then
	echo "PASS track_concurrency: pgbench $clients clients ran $tx transactions without error"
else
	tail -20 "$dir/pgbench.log"
	echo "FAIL track_concurrency: pgbench exited $code after ${tx:-0} transactions"
fi

cx_psql -d "$db" -Atc "SELECT cx.sweep()" >/dev/null
result=$(cx_psql -d "$db" -At <<'SQL'
-- the events of the audited history: changes into at_risk, breached, missed
CREATE TABLE diff AS
WITH h AS (
	SELECT id, clock, status, lag(status) OVER (PARTITION BY id, clock ORDER BY seq) AS prev FROM audit
), events AS (
	SELECT id::text AS key, clock, prev AS old_status, status AS new_status, 1 AS expected, 0 AS logged
	FROM h WHERE status IN ('at_risk', 'breached', 'missed') AND status IS DISTINCT FROM prev
	UNION ALL
	SELECT key, clock, old_status, new_status, 0, 1 FROM cx.breach_log
)
-- each event (row, clock, transition) as often in the log as in the history
SELECT key, clock, old_status, new_status, sum(expected) AS expected, sum(logged) AS logged
FROM events GROUP BY 1, 2, 3, 4 HAVING sum(expected) <> sum(logged);
SELECT (SELECT count(*) FROM diff) || ' ' || (SELECT count(*) FROM cx.breach_log) || ' ' ||
	   (SELECT count(*) FROM cx.breach_log WHERE old_status IN ('on_track', 'met')) || ' ' ||
	   (SELECT count(*) FROM apps a WHERE a.cx_status IS DISTINCT FROM
		   (SELECT status FROM audit WHERE audit.id = a.id AND audit.clock = 'default' ORDER BY seq DESC LIMIT 1)
		   OR a.ack_status IS DISTINCT FROM
		   (SELECT status FROM audit WHERE audit.id = a.id AND audit.clock = 'acknowledge' ORDER BY seq DESC LIMIT 1));
SQL
)
read -r ndiff nlogged nswept nlast <<<"$result"
if [ "${ndiff:-x}" = 0 ] && [ "${nlogged:-0}" -gt 0 ] && [ "${nlast:-x}" = 0 ]; then
	echo "PASS track_concurrency: log equals the audited history of both clocks ($nlogged events, each exactly once)"
else
	# what differs: the events (key, clock, transition, times in the history
	# and in the log), then the history and the log of those rows (at most 10)
	cx_psql -d "$db" -P pager=off <<'SQL'
SELECT * FROM diff ORDER BY key::bigint, clock, new_status LIMIT 40;
CREATE TABLE shown AS SELECT DISTINCT key::bigint AS id FROM diff ORDER BY 1 LIMIT 10;
SELECT a.id, a.clock, a.seq, a.status FROM audit a JOIN shown USING (id) ORDER BY a.id, a.clock, a.seq;
SELECT l.key, l.clock, l.id, l.old_status, l.new_status, l.logged_at, l.started, l.due, l.finished
FROM cx.breach_log l JOIN shown ON l.key = shown.id::text ORDER BY shown.id, l.clock, l.id;
SELECT a.id, a.received_at, a.decided_at, a.cx_status, a.acked_at, a.ack_status FROM apps a JOIN shown USING (id) ORDER BY a.id;
SQL
	echo "FAIL track_concurrency: $ndiff differences between log and history ($nlogged logged), $nlast rows off their last version"
fi
if [ "${nswept:-0}" -gt 0 ]; then
	echo "PASS track_concurrency: rows moved out of on_track or met during the run ($nswept events)"
else
	echo "FAIL track_concurrency: no row moved out of on_track or met"
fi

# no stale status: every row matches the rules at the time of the last
# sweep (rows whose thresholds fall between that sweep and now are skipped)
stale=$(cx_psql -d "$db" -At <<'SQL'
SELECT now() AS t0 \gset
SELECT cx.sweep();
SELECT count(*) FROM (SELECT received_at, decided_at AS fin, cx_status AS st, cx_due AS due, interval '10 days' AS allow FROM apps
					  UNION ALL
					  SELECT received_at, acked_at, ack_status, cx_acknowledge_due, interval '9 days' FROM apps) a,
	LATERAL (SELECT cx.at_risk_time(a.received_at, a.due, 0.8) AS risk) r
WHERE a.due IS DISTINCT FROM a.received_at + a.allow
   OR a.st IS DISTINCT FROM CASE
		WHEN a.fin IS NOT NULL THEN CASE WHEN a.fin <= a.due THEN 'met' ELSE 'missed' END
		WHEN now() > a.due THEN 'breached'
		WHEN now() > r.risk THEN 'at_risk'
		ELSE 'on_track' END
  AND NOT (r.risk BETWEEN :'t0'::timestamptz - interval '1 second' AND clock_timestamp())
  AND NOT (a.due BETWEEN :'t0'::timestamptz - interval '1 second' AND clock_timestamp());
SQL
)
stale=$(printf '%s\n' "$stale" | tail -1)
if [ "$stale" = 0 ]; then
	echo "PASS track_concurrency: no stale status or due time after the sweep"
else
	echo "FAIL track_concurrency: $stale rows with a stale status"
fi
