#!/usr/bin/env bash
# pg_dump / pg_restore of a database with tracked tables: the registry, the
# breach log (and its id sequence), the triggers and the sweep index come
# back, and tracking keeps working in the restored database.
set -u
. "$(dirname "$0")/../lib.sh"
src=cx_t_track_dump_src
dst=cx_t_track_dump_dst
dump=$(mktemp)
trap 'rm -f "$dump"; cx_psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" >/dev/null 2>&1' EXIT

cx_psql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $src" -c "DROP DATABASE IF EXISTS $dst" \
	-c "CREATE DATABASE $src" -c "CREATE DATABASE $dst" >/dev/null || { echo "FAIL track_dump: create databases"; exit 1; }
cx_psql -d "$src" >/dev/null <<'SQL' || { echo "FAIL track_dump: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
CREATE SCHEMA agency;
CREATE TYPE agency.state AS ENUM ('on_track', 'at_risk', 'breached', 'met', 'missed');
CREATE TABLE agency.apps (id bigserial PRIMARY KEY, received_at timestamptz, decided_at timestamptz, st agency.state);
SELECT cx.track('agency.apps', '90% within 10 days', started => 'received_at', finished => 'decided_at',
				status => 'st', at_risk => 0.7);
INSERT INTO agency.apps (received_at, decided_at)
SELECT now() - (i % 30) * interval '1 day' - interval '12 hours', CASE WHEN i % 3 = 0 THEN now() - (i % 5) * interval '1 day' END
FROM generate_series(1, 300) i;
CREATE TABLE survey (id int PRIMARY KEY, nps int);
SELECT cx.track_scores('survey', answer => 'nps', threshold => 6);
INSERT INTO survey SELECT i, i % 11 FROM generate_series(1, 50) i;
-- two clocks, a standard per row from a lookup table, pauses
CREATE TABLE lines (line text PRIMARY KEY, standard cx.standard, calendar text);
INSERT INTO lines VALUES ('foia', '90% within 20 business days', NULL), ('calls', '95% within 48 hours', NULL);
CREATE TABLE reqs (id int PRIMARY KEY, line text, received_at timestamptz, acked_at timestamptz, decided_at timestamptz,
				   tolled timestamptz, cx_status text, ack_status text);
SELECT cx.track('reqs', NULL, started => 'received_at', finished => 'decided_at', status => 'cx_status',
				lookup => 'lines', by => 'line', paused => 'tolled', clock => 'decide');
SELECT cx.track('reqs', '90% within 2 business days', started => 'received_at', finished => 'acked_at',
				status => 'ack_status', clock => 'acknowledge');
INSERT INTO reqs (id, line, received_at) SELECT i, CASE WHEN i % 2 = 0 THEN 'foia' ELSE 'calls' END,
	'2026-01-05 10:00+00'::timestamptz + i * interval '1 hour' FROM generate_series(1, 40) i;
UPDATE reqs SET tolled = '2026-01-20 10:00+00' WHERE id % 4 = 0;
UPDATE reqs SET tolled = NULL, acked_at = '2026-01-07 10:00+00' WHERE id % 8 = 0;
UPDATE lines SET standard = '90% within 25 business days' WHERE line = 'foia';
SELECT cx.sweep();
SQL

"$PG_BINDIR/pg_dump" -Fc -d "$src" -f "$dump" 2>/dev/null || { echo "FAIL track_dump: pg_dump"; exit 1; }
if "$PG_BINDIR/pg_restore" -d "$dst" "$dump" 2>"$dump.err"; then
	echo "PASS track_dump: pg_restore without errors"
else
	cat "$dump.err"; echo "FAIL track_dump: pg_restore reported errors"
fi
rm -f "$dump.err"

same() { # what, SQL → PASS when both databases give the same answer
	local a b
	a=$(cx_psql -d "$src" -Atc "$2" 2>&1)
	b=$(cx_psql -d "$dst" -Atc "$2" 2>&1)
	case $a in *ERROR*) echo "FAIL track_dump: $1: $a"; return ;; esac
	if [ -n "$a" ] && [ "$a" = "$b" ]; then echo "PASS track_dump: $1"; else echo "FAIL track_dump: $1: '$a' vs '$b'"; fi
}
same "registry and sweep mark restored" "SELECT string_agg(format('%s %s %s %s %s %s %s %s %s %s %s', tbl, standard, started, finished, status, due, key, calendar, at_risk, sweep_index, swept_to IS NOT NULL AND swept_to = (SELECT max(swept_to) FROM cx.tracked)), ';') FROM cx.tracked"
same "column defaults set by cx.track restored, and recorded for cx.untrack" "SELECT string_agg(format('%s %s %s %s', t.tbl, t.status_default, t.due_default, cx._track_default(t.tbl, t.status) = t.status_default AND cx._track_default(t.tbl, t.due) = t.due_default), ';') FROM cx.tracked t"
same "clocks, lookup and pause settings restored" "SELECT string_agg(format('%s %s %s %s %s %s %s %s %s %s', tbl, clock, standard, standard_column, standard_added, lookup, by, paused, paused_for, paused_added), ';' ORDER BY tbl, clock) FROM cx.tracked"
same "rows with their standards, paused time and both clocks restored" "SELECT md5(string_agg(format('%s|%s|%s|%s|%s|%s|%s', id, cx_decide_standard, cx_decide_paused, cx_status, cx_decide_due, ack_status, cx_acknowledge_due), ',' ORDER BY id)) FROM reqs"
same "the lookup table's trigger restored" "SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger WHERE tgrelid = 'lines'::regclass"
same "scores registry restored" "SELECT string_agg(format('%s %s %s %s %s %s', tbl, answer, threshold, scale_min, scale_max, key), ';') FROM cx.tracked_scores"
same "breach log restored" "SELECT count(*) || ' ' || md5(string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', id, tbl, key, standard, started, due, finished, old_status, new_status, score), ',' ORDER BY id)) FROM cx.breach_log"
same "tracked rows restored" "SELECT md5(string_agg(format('%s|%s|%s', id, st, cx_due), ',' ORDER BY id)) FROM agency.apps"
same "triggers and sweep index restored" "SELECT string_agg(tgname, ',' ORDER BY tgname) || ' ' || (SELECT string_agg(indexrelid::regclass::text, ',') FROM pg_index WHERE indrelid = 'agency.apps'::regclass AND NOT indisprimary) FROM pg_trigger WHERE tgrelid IN ('agency.apps'::regclass, 'survey'::regclass)"

# tracking works in the restored database: trigger, log id sequence, sweep
res=$(cx_psql -d "$dst" -At <<'SQL'
INSERT INTO agency.apps (id, received_at) VALUES (10001, now() - interval '20 days') RETURNING st;
INSERT INTO survey VALUES (100, 2);
SET session_replication_role = replica;
INSERT INTO agency.apps (id, received_at, cx_due, st) VALUES (10002, now() - interval '11 days', now() - interval '1 day', 'on_track');
RESET session_replication_role;
SELECT flipped FROM cx.sweep(since => '-infinity');
SELECT string_agg(key || ':' || coalesce(old_status, '') || '>' || new_status, ',' ORDER BY id)
FROM cx.breach_log WHERE key IN ('10001', '10002') OR (tbl = 'public.survey' AND key = '100');
SELECT (SELECT min(id) FROM cx.breach_log WHERE key IN ('10001', '10002') OR (tbl = 'public.survey' AND key = '100'))
	 > (SELECT max(id) FROM cx.breach_log WHERE NOT (key IN ('10001', '10002') OR (tbl = 'public.survey' AND key = '100')));
SQL
)
# the restored clocks, lookup and pauses: a new row gets the changed entry,
# an old one keeps its standard, finishing a paused row counts the pause
res2=$(cx_psql -d "$dst" -At <<'SQL'
INSERT INTO reqs (id, line, received_at) VALUES (100, 'foia', '2026-01-05 10:00+00');
UPDATE lines SET standard = '90% within 30 business days' WHERE line = 'calls';
INSERT INTO reqs (id, line, received_at) VALUES (101, 'calls', '2026-01-05 10:00+00');
UPDATE reqs SET decided_at = '2026-03-01 10:00+00' WHERE id IN (2, 4);
SELECT string_agg(id || '=' || cx_decide_standard || '/' || cx_decide_paused || '/' || cx_status || '/' || ack_status
				  || '/' || (cx_decide_due = cx.due_at(received_at, format('90%% within %s business days', cx.business_allowance(cx_decide_standard) + extract(day FROM cx_decide_paused))::cx.standard, 'us_federal')),
				  ',' ORDER BY id) FROM reqs WHERE id IN (2, 4, 100, 101);
SQL
)
want="2=90% within 20 business days/00:00:00/missed/breached/true,4=90% within 20 business days/$(cx_psql -d "$src" -Atc "SELECT make_interval(days => cx.business_days('2026-01-20 10:00+00', '2026-03-01 10:00+00', 'us_federal'))")/met/breached/true,100=90% within 25 business days/00:00:00/breached/breached/true,101=90% within 30 business days/00:00:00/breached/breached/true"
if [ "$res2" = "$want" ]; then
	echo "PASS track_dump: restored clocks, lookup and pauses keep judging rows (standards kept, new entries used, paused time counted)"
else
	echo "FAIL track_dump: restored clocks: '$res2' want '$want'"
fi

if [ "$(printf '%s' "$res" | tr '\n' ' ')" = "breached 1 0 0 10001:>breached,100:>low_score,10002:on_track>breached t" ]; then
	echo "PASS track_dump: trigger, low scores, log sequence and sweep work after restore"
else
	echo "FAIL track_dump: after restore: $(printf '%s' "$res" | tr '\n' ' ')"
fi
