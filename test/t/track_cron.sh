#!/usr/bin/env bash
# cx.sweep scheduled with pg_cron (when postgresql-15-cron is installed and
# preloaded; otherwise a note and no result).  pg_cron runs jobs only in
# cron.database_name (cx_regress under make test), so this test works there
# on its own table and removes everything it made.  pg_cron 1.4 schedules by
# the minute: the test waits up to 75 seconds for the job to flip a row.
set -u
. "$(dirname "$0")/../lib.sh"

note() { echo "NOTE track_cron: $*"; }
preload=$(cx_psql -d postgres -Atc "SHOW shared_preload_libraries" 2>/dev/null)
avail=$(cx_psql -d postgres -Atc "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_cron'" 2>/dev/null)
case ",$preload," in *pg_cron*) ;; *) note "pg_cron is not preloaded; scheduling test skipped"; exit 0 ;; esac
[ "$avail" = 1 ] || { note "pg_cron is not installed; scheduling test skipped"; exit 0; }
db=$(cx_psql -d postgres -Atc "SHOW cron.database_name")
[ "$(cx_psql -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 1 ] ||
	{ note "database $db (cron.database_name) does not exist; scheduling test skipped"; exit 0; }

had_cron=$(cx_psql -d "$db" -Atc "SELECT count(*) FROM pg_extension WHERE extname = 'pg_cron'")
had_cx=$(cx_psql -d "$db" -Atc "SELECT count(*) FROM pg_extension WHERE extname = 'cx_metrics'")
cleanup() {
	cx_psql -d "$db" -q >/dev/null 2>&1 <<SQL
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname IN ('cx-sweep', 'cx-sweep-now');
DROP TABLE IF EXISTS trk_cron_apps;
DELETE FROM cx.breach_log WHERE tbl = 'public.trk_cron_apps';
SQL
	[ "$had_cron" = 1 ] || cx_psql -d "$db" -c "DROP EXTENSION IF EXISTS pg_cron" >/dev/null 2>&1
	[ "$had_cx" = 1 ] || cx_psql -d "$db" -c "DROP EXTENSION IF EXISTS cx_metrics" >/dev/null 2>&1
}
trap cleanup EXIT

cx_psql -d "$db" >/dev/null <<'SQL' || { echo "FAIL track_cron: setup"; exit 1; }
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_cron;
CREATE EXTENSION IF NOT EXISTS cx_metrics;
DROP TABLE IF EXISTS trk_cron_apps;
CREATE TABLE trk_cron_apps (id int PRIMARY KEY, received_at timestamptz, decided_at timestamptz, cx_status text);
SELECT cx.track('trk_cron_apps', 'within 10 days', started => 'received_at', finished => 'decided_at', status => 'cx_status');
-- a row written 2 days ago, when it was on track: now overdue
SET session_replication_role = replica;
INSERT INTO trk_cron_apps VALUES (1, now() - interval '11 days', NULL, 'on_track');
UPDATE trk_cron_apps SET cx_due = cx.due_at(received_at, 'within 10 days', 'us_federal');
RESET session_replication_role;
SQL

# the README's schedule
jid=$(cx_psql -d "$db" -Atc "SELECT cron.schedule('cx-sweep', '*/5 * * * *', 'SELECT cx.sweep()')")
if [ -n "$jid" ] && [ "$(cx_psql -d "$db" -Atc "SELECT command || ' ' || schedule FROM cron.job WHERE jobid = $jid")" = "SELECT cx.sweep() */5 * * * *" ]; then
	echo "PASS track_cron: cx.sweep scheduled every 5 minutes with cron.schedule"
else
	echo "FAIL track_cron: cron.schedule of cx.sweep"
fi

# a job that runs at the next minute boundary: pg_cron runs it through a
# background worker, or through a libpq connection to cron.host
bgw=$(cx_psql -d "$db" -Atc "SHOW cron.use_background_workers")
chost=$(cx_psql -d "$db" -Atc "SHOW cron.host")
listen=$(cx_psql -d "$db" -Atc "SHOW listen_addresses")
if [ "$bgw" != on ] && [ -z "$listen" ] && [ "${chost#/}" = "$chost" ]; then
	note "pg_cron can run jobs neither in background workers nor over TCP (cron.host=$chost, listen_addresses empty): job run not tested; set cron.use_background_workers = on"
	exit 0
fi
cx_psql -d "$db" -Atc "SELECT cron.schedule('cx-sweep-now', '* * * * *', 'SELECT cx.sweep(''trk_cron_apps'', since => ''-infinity'')')" >/dev/null
status=
for _ in $(seq 1 75); do
	status=$(cx_psql -d "$db" -Atc "SELECT cx_status FROM trk_cron_apps WHERE id = 1")
	[ "$status" = breached ] && break
	sleep 1
done
if [ "$status" = breached ] && [ "$(cx_psql -d "$db" -Atc "SELECT count(*) FROM cx.breach_log WHERE tbl = 'public.trk_cron_apps' AND key = '1' AND old_status = 'on_track' AND new_status = 'breached'")" = 1 ]; then
	echo "PASS track_cron: the pg_cron job ran cx.sweep, which flipped and logged the overdue row"
else
	why=$(cx_psql -d "$db" -Atc "SELECT status || ': ' || left(return_message, 120) FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.jobname = 'cx-sweep-now' ORDER BY runid DESC LIMIT 1")
	case $why in
	failed:*connect*)
		note "pg_cron could not connect to run the job ($why); set cron.use_background_workers = on (or let it reach cron.host) to run scheduled jobs" ;;
	*) echo "FAIL track_cron: the scheduled sweep did not flip the row (status '$status', last run '$why')" ;;
	esac
fi
