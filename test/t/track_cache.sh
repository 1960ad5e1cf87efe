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
