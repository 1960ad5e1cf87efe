#!/usr/bin/env bash
# The per-backend configuration cache follows changes made by other
# sessions: a session that already wrote a tracked table sees another
# session re-track it with a new standard, rename a tracked column, and
# untrack it, without reconnecting.
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_t_track_cache
trap 'cx_drop_db "$db"' EXIT

cx_fresh_db "$db" track_cache
cx_psql -d "$db" >/dev/null <<'SQL' || { echo "FAIL track_cache: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
CREATE TABLE apps (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
SELECT cx.track('apps', 'within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
SQL

other="$PG_BINDIR/psql -X -q -v ON_ERROR_STOP=1 -d $db"
out=$("$PG_BINDIR/psql" -X -q -At -d "$db" 2>&1 <<SQL
INSERT INTO apps VALUES (1, '2026-03-02 12:00+00', NULL);
SELECT 'first:' || (cx_due = '2026-03-12 12:00+00') FROM apps WHERE id = 1;
\\! $other -c "SELECT cx.untrack('apps')" -c "SELECT cx.track('apps', 'within 1 hour', started => 'received_at', finished => 'decided_at', status => 'cx_status', backfill => false)" >/dev/null
INSERT INTO apps VALUES (2, '2026-03-02 12:00+00', NULL);
SELECT 'retracked:' || (cx_due = '2026-03-02 13:00+00') FROM apps WHERE id = 2;
\\! $other -c "ALTER TABLE apps RENAME COLUMN decided_at TO closed_at" >/dev/null
INSERT INTO apps VALUES (3, '2026-03-02 12:00+00', NULL);
\\! $other -c "ALTER TABLE apps RENAME COLUMN closed_at TO decided_at" -c "SELECT cx.untrack('apps')" >/dev/null
INSERT INTO apps VALUES (4, '2026-03-02 12:00+00', NULL);
SELECT 'untracked:' || (cx_status IS NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'apps'::regclass AND attname = 'cx_due' AND NOT attisdropped)) FROM apps WHERE id = 4;
SQL
)
case $out in *first:t*) echo "PASS track_cache: first standard used" ;; *) echo "FAIL track_cache: first standard: $out" ;; esac
case $out in *retracked:t*) echo "PASS track_cache: another session's re-track seen without reconnecting" ;; *) echo "FAIL track_cache: re-track not seen: $out" ;; esac
case $out in *'tracked column "decided_at" of table "apps" does not exist'*) echo "PASS track_cache: a renamed tracked column is a clear error at the next write" ;; *) echo "FAIL track_cache: renamed column: $out" ;; esac
case $out in *untracked:t*) echo "PASS track_cache: another session's untrack seen without reconnecting" ;; *) echo "FAIL track_cache: untrack not seen: $out" ;; esac

# a lookup table changed by another session: the next row of this session
# gets the new entry, rows already started keep theirs; another session
# adding a clock is seen too
cx_psql -d "$db" >/dev/null <<'SQL' || { echo "FAIL track_cache: lookup setup"; exit 1; }
CREATE TABLE lines (line text PRIMARY KEY, standard cx.standard);
INSERT INTO lines VALUES ('foia', 'within 10 days');
CREATE TABLE reqs (id int PRIMARY KEY, line text, received_at timestamptz, acked_at timestamptz, decided_at timestamptz,
				   cx_status text, ack_status text);
SELECT cx.track('reqs', NULL, started => 'received_at', finished => 'decided_at', status => 'cx_status',
				lookup => 'lines', by => 'line');
SQL
out=$("$PG_BINDIR/psql" -X -q -At -d "$db" 2>&1 <<SQL
INSERT INTO reqs VALUES (1, 'foia', '2026-03-02 12:00+00');
\\! $other -c "UPDATE lines SET standard = 'within 1 hour'" >/dev/null
INSERT INTO reqs VALUES (2, 'foia', '2026-03-02 12:00+00');
UPDATE reqs SET decided_at = '2026-03-03 12:00+00' WHERE id = 1;
SELECT 'lookup:' || string_agg(id || '=' || cx_standard || '/' || (cx_due = cx.due_at(received_at, cx_standard, 'us_federal')), ',' ORDER BY id) FROM reqs;
\\! $other -c "SELECT cx.track('reqs', 'within 2 days', started => 'received_at', finished => 'acked_at', status => 'ack_status', clock => 'acknowledge', backfill => false)" >/dev/null
INSERT INTO reqs VALUES (3, 'foia', '2026-03-02 12:00+00');
SELECT 'clock:' || (ack_status = 'breached' AND cx_acknowledge_due = '2026-03-04 12:00+00') FROM reqs WHERE id = 3;
SQL
)
case $out in *'lookup:1=100% within 10 days/true,2=100% within 1 hour/true'*) echo "PASS track_cache: another session's change of a lookup entry reaches new rows; started rows keep their standard" ;;
	*) echo "FAIL track_cache: lookup change: $out" ;; esac
case $out in *clock:t*) echo "PASS track_cache: another session's new clock is judged without reconnecting" ;; *) echo "FAIL track_cache: new clock not seen: $out" ;; esac
