#!/usr/bin/env bash
# NOTIFY cx_breach: a second session LISTENs while rows of a tracked table
# are written; checks the JSON payloads (the table and the log row's id), that a rolled-back event is never
# announced, and that a 1,000-event statement is coalesced (100 single
# notifications plus one summary) while the log still gets every event.
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_t_track_notify
out=$(mktemp)
trap 'rm -f "$out"; cx_drop_db "$db"' EXIT

cx_fresh_db "$db" track_notify
cx_psql -d "$db" >/dev/null <<'SQL' || { echo "FAIL track_notify: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
CREATE TABLE apps (id bigint PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
SELECT cx.track('apps', 'within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
CREATE TABLE survey (id int PRIMARY KEY, nps int);
SELECT cx.track_scores('survey', answer => 'nps');
SQL

# The listener: LISTEN, let the writer run (a shell escape), then poll.
writer="$PG_BINDIR/psql -X -q -v ON_ERROR_STOP=1 -d $db"
cx_psql -d "$db" >"$out" 2>&1 <<SQL
LISTEN cx_breach;
\\! $writer -c "INSERT INTO apps VALUES (1, '2026-01-05 09:00+00', NULL)"
\\! $writer -c "BEGIN" -c "INSERT INTO apps VALUES (2, now() - interval '30 days', NULL)" -c "ROLLBACK"
\\! $writer -c "INSERT INTO apps VALUES (3, now(), NULL)"
\\! $writer -c "UPDATE apps SET decided_at = now() WHERE id = 1"
\\! $writer -c "INSERT INTO apps SELECT 1000 + i, now() - interval '30 days', NULL FROM generate_series(1, 1000) i"
\\! $writer -c "INSERT INTO survey VALUES (1, 3), (2, 9)"
SELECT pg_sleep(0.2);
SELECT 1;
SQL

payloads=$(sed -n 's/^Asynchronous notification "cx_breach" with payload "\(.*\)" received from server process with PID [0-9]*\.$/\1/p' "$out")
count=$(printf '%s\n' "$payloads" | grep -c .)

# every payload names the table, the clock and the log row, nothing of the row; the
# row it names is read from the log
check_json() { # payload, SQL condition on j and on l, its log row → prints t/f
	printf '%s\n' "SELECT ($2) FROM (SELECT :'p'::json AS j) s LEFT JOIN cx.breach_log l ON l.id = (s.j->>'id')::bigint;" |
		cx_psql -d "$db" -At -v p="$1" 2>/dev/null
}
first=$(printf '%s\n' "$payloads" | sed -n 1p)
if [ "$(check_json "$first" "j->>'table' = 'public.apps' AND j->>'clock' = 'default' AND (SELECT count(*) FROM json_object_keys(j)) = 3 AND l.key = '1' AND l.new_status = 'breached' AND l.tbl = 'public.apps' AND l.relid = 'apps'::regclass AND l.clock = 'default' AND l.due = cx.due_at('2026-01-05 09:00+00', 'within 10 days', 'us_federal')")" = t ]; then
	echo "PASS track_notify: breached payload has the table, the clock and the log row's id only; the row has key, status, due, clock"
else
	echo "FAIL track_notify: breached payload: $first"
fi
# a payload of a rolled-back event would name a log row that does not exist
orphans=$(printf '%s\n' "SELECT count(*) FROM regexp_split_to_table(:'all', E'\\n') p WHERE p::json->>'id' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cx.breach_log l WHERE l.id = (p::json->>'id')::bigint);" |
	cx_psql -d "$db" -At -v all="$payloads" 2>&1)
if [ "$orphans" = 0 ] && [ "$(cx_psql -d "$db" -Atc "SELECT count(*) FROM cx.breach_log WHERE key IN ('2', '3')")" = 0 ]; then
	echo "PASS track_notify: rolled-back event and on_track insert neither logged nor announced"
else
	echo "FAIL track_notify: $orphans payloads name no log row"
fi
second=$(printf '%s\n' "$payloads" | sed -n 2p)
if [ "$(check_json "$second" "l.key = '1' AND l.new_status = 'missed'")" = t ]; then
	echo "PASS track_notify: missed payload"
else
	echo "FAIL track_notify: missed payload: $second"
fi
singles=$(printf '%s\n' "SELECT count(*) FROM regexp_split_to_table(:'all', E'\\n') p JOIN cx.breach_log l ON l.id = (p::json->>'id')::bigint WHERE l.key::bigint > 1000;" |
	cx_psql -d "$db" -At -v all="$payloads" 2>&1)
summary=$(printf '%s\n' "$payloads" | grep '"coalesced"')
if [ "$singles" -eq 100 ] && [ "$(check_json "$summary" "j->>'table' = 'public.apps' AND (j->>'coalesced')::int = 900 AND (SELECT count(*) FROM cx.breach_log b WHERE b.id BETWEEN (j->>'from_id')::bigint AND (j->>'to_id')::bigint AND b.key::bigint > 1000) = 900")" = t ]; then
	echo "PASS track_notify: 1000 events in one statement give 100 notifications and one summary of 900 with their id range"
else
	echo "FAIL track_notify: coalescing: $singles singles, summary '$summary'"
fi
logged=$(cx_psql -d "$db" -Atc "SELECT count(*) FROM cx.breach_log WHERE key::bigint > 1000 AND new_status = 'breached'")
if [ "$logged" = 1000 ]; then
	echo "PASS track_notify: the log has all 1000 events"
else
	echo "FAIL track_notify: the log has $logged of 1000 events"
fi
low=$(printf '%s\n' "$payloads" | grep '"table":"public.survey"')
if [ "$(check_json "$low" "l.key = '1' AND l.new_status = 'low_score' AND l.score = 3")" = t ]; then
	echo "PASS track_notify: low-score payload"
else
	echo "FAIL track_notify: low-score payload: $low"
fi
bad=$(printf '%s\n' "SELECT count(*) FILTER (WHERE p::json->>'table' IS NULL OR length(p) >= 8000) FROM regexp_split_to_table(:'all', E'\\n') p;" |
	cx_psql -d "$db" -At -v all="$payloads" 2>&1)
if [ "$bad" -eq 0 ] && [ "$count" -eq 104 ]; then
	echo "PASS track_notify: all $count payloads are small JSON objects"
else
	echo "FAIL track_notify: $bad bad payloads of $count (expected 104)"
fi
