#!/usr/bin/env bash
# The sweep's window and mark under concurrency: a sweep looks only at
# instants from the table's mark on, so the mark must stay behind rows that
# sweep could not see or could not lock.
#   1. A transaction still open during a sweep inserts a row that falls due
#      before the sweep; after it commits, the next sweep flips the row.
#   2. A row that falls due is held by another transaction (FOR SHARE) during
#      a sweep; the next sweep, after the lock is gone, flips the row.
# Each case also checks that the row would be lost if the mark simply moved
# to the sweep's start: the mark left behind is at or before the row's due time.
set -u
. "$(dirname "$0")/../lib.sh"
db=cx_t_track_window
trap 'wait; cx_drop_db "$db"' EXIT

cx_fresh_db "$db" track_window
cx_psql -d "$db" >/dev/null <<'SQL' || { echo "FAIL track_window: setup"; exit 1; }
CREATE EXTENSION cx_metrics;
CREATE TABLE apps (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
SELECT cx.track('apps', 'within 20 minutes', started => 'received_at', finished => 'decided_at',
				status => 'cx_status', at_risk => 1);
SELECT cx.sweep('apps');
SQL
q() { cx_psql -d "$db" -Atc "$1"; }

# 1. an open transaction's row falls due 2 s after its start; a sweep runs at 3 s
( cx_psql -d "$db" -q >/dev/null <<'SQL'
BEGIN;
INSERT INTO apps VALUES (1, now() - interval '20 minutes' + interval '2 seconds', NULL);
SELECT pg_sleep(5);
COMMIT;
SQL
) &
sleep 3
f1=$(q "SELECT flipped FROM cx.sweep('apps')")
st1=$(q "SELECT coalesce(cx_status, 'invisible') FROM apps WHERE id = 1")
wait
due1=$(q "SELECT cx_due FROM apps WHERE id = 1")
kept=$(q "SELECT swept_to <= '$due1' FROM cx.tracked WHERE tbl = 'apps'::regclass")
f2=$(q "SELECT flipped FROM cx.sweep('apps')")
st2=$(q "SELECT cx_status FROM apps WHERE id = 1")
if [ "$f1" = 0 ] && [ -z "$st1" ] && [ "$kept" = t ] && [ "$f2" = 1 ] && [ "$st2" = breached ]; then
	echo "PASS track_window: a row committed after a sweep that fell due before it is flipped by the next sweep"
else
	echo "FAIL track_window: open transaction: first sweep $f1 (row '$st1'), mark before due '$kept', second sweep $f2, status '$st2'"
fi
logged=$(q "SELECT count(*) FROM cx.breach_log WHERE key = '1' AND old_status = 'on_track' AND new_status = 'breached'")
if [ "$logged" = 1 ]; then
	echo "PASS track_window: that flip is logged once"
else
	echo "FAIL track_window: that flip is logged $logged times"
fi

# 2. a committed row falls due in 1 s; another transaction, started after
# that, holds it FOR SHARE while a sweep runs
q "INSERT INTO apps VALUES (2, now() - interval '20 minutes' + interval '1 second', NULL)" >/dev/null
sleep 2
( cx_psql -d "$db" -q >/dev/null <<'SQL'
BEGIN;
SELECT 1 FROM apps WHERE id = 2 FOR SHARE;
SELECT pg_sleep(3);
COMMIT;
SQL
) &
sleep 1
f1=$(q "SELECT flipped FROM cx.sweep('apps')")
st1=$(q "SELECT cx_status FROM apps WHERE id = 2")
due2=$(q "SELECT cx_due FROM apps WHERE id = 2")
kept=$(q "SELECT swept_to <= '$due2' FROM cx.tracked WHERE tbl = 'apps'::regclass")
wait
f2=$(q "SELECT flipped FROM cx.sweep('apps')")
st2=$(q "SELECT cx_status FROM apps WHERE id = 2")
if [ "$f1" = 0 ] && [ "$st1" = on_track ] && [ "$kept" = t ] && [ "$f2" = 1 ] && [ "$st2" = breached ]; then
	echo "PASS track_window: a row skipped while locked keeps the mark at its due time and is flipped by the next sweep"
else
	echo "FAIL track_window: locked row: first sweep $f1 (status '$st1'), mark before due '$kept', second sweep $f2, status '$st2'"
fi

# 3. with nothing else running, the mark is the sweep's own start
s=$(q "SELECT statement_timestamp() FROM cx.sweep('apps')")
m=$(q "SELECT swept_to = '$s' FROM cx.tracked WHERE tbl = 'apps'::regclass")
if [ "$m" = t ]; then
	echo "PASS track_window: alone, a sweep moves the mark to its start"
else
	echo "FAIL track_window: alone, the mark is not the sweep's start ($m)"
fi
