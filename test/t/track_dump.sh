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
	if [ -n "$a" ] && [ "$a" = "$b" ]; then echo "PASS track_dump: $1"; else echo "FAIL track_dump: $1: '$a' vs '$b'"; fi
}
same "registry and sweep mark restored" "SELECT string_agg(format('%s %s %s %s %s %s %s %s %s %s %s', tbl, standard, started, finished, status, due, key, calendar, at_risk, sweep_index, swept_to IS NOT NULL AND swept_to = (SELECT max(swept_to) FROM cx.tracked)), ';') FROM cx.tracked"
same "column defaults set by cx.track restored, and recorded for cx.untrack" "SELECT string_agg(format('%s %s %s %s', t.tbl, t.status_default, t.due_default, cx._track_default(t.tbl, t.status) = t.status_default AND cx._track_default(t.tbl, t.due) = t.due_default), ';') FROM cx.tracked t"
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
if [ "$(printf '%s' "$res" | tr '\n' ' ')" = "breached 1 10001:>breached,100:>low_score,10002:on_track>breached t" ]; then
	echo "PASS track_dump: trigger, low scores, log sequence and sweep work after restore"
else
	echo "FAIL track_dump: after restore: $(printf '%s' "$res" | tr '\n' ' ')"
fi
